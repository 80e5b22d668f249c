import { batch, createModel, effect, signal } from '@preact/signals'
import type { PublicHold, Slot } from '../../shared/types'
import { randomId, type BookingClient, type ClientError } from '../client'
import type { Calendar } from './calendar'
import type { FlowStatus } from './flow-status'

export type HoldClient = Pick<BookingClient, 'placeHold' | 'releaseHold'> &
  Partial<Pick<BookingClient, 'placePoolHold' | 'placeServiceHold' | 'getResource'>>

export interface HoldOptions {
  calendar: Calendar
  /** Pool id or slug when booking through one: the pool picks the member the hold takes. */
  pool?: string | undefined
  /** Service id or slug when booking one: every part is held at once, the hold being the lead's. */
  service?: string | undefined
  /** For a service: the resource each further part keeps (moving a combined booking keeps its room). */
  keepParts?: { position: number; resourceId: string }[] | undefined
  status: FlowStatus
  onHeld?: ((hold: PublicHold) => void) | undefined
  /** A refused hold: the flow decides what the guest sees next. */
  onRefused: (error: ClientError) => Promise<void>
}

/**
 * The time the guest holds while entering details: placing it, giving it back, and the
 * idempotency key that belongs to it. Disposing the model gives a live hold back, so a
 * removed widget never keeps a time from others.
 */
export const HoldModel = createModel((client: HoldClient, options: HoldOptions) => {
  const { calendar } = options
  const { step, notice, busy } = options.status
  const current = signal<PublicHold | undefined>(undefined)
  /** One key per hold: a double click or a retry after a timeout cannot book twice. */
  const idempotencyKey = signal('')
  /**
   * Through a pool: the name of the member the hold took, from the pool's members or else its own
   * page. For a service: its lead resource's name (the therapist), the further parts being on the hold.
   */
  const memberName = signal<string | undefined>(undefined)
  let naming = 0

  async function nameMember(id: string): Promise<void> {
    const asked = ++naming
    const lead = calendar.service.peek()?.resource
    memberName.value = lead?.id === id ? lead.name : calendar.pool.peek()?.members?.find((m) => m.id === id)?.name
    if (memberName.peek() || !client.getResource) return
    const found = await client.getResource(id)
    if (asked === naming && found.data) memberName.value = found.data.name
  }

  /** Gives a held time back without waiting (the view is going away); best effort. */
  function releaseHeld(): void {
    const held = current.peek()
    if (held) void client.releaseHold(held.id)
  }
  // The effect reads no signal, so it runs once; its cleanup runs when the model is disposed.
  effect(() => () => releaseHeld())

  return {
    current,
    idempotencyKey,
    memberName,
    async selectSlot(slot: Slot): Promise<void> {
      const resource = calendar.resource.peek()
      if (!resource || busy.peek()) return
      calendar.selected.value = slot
      busy.value = true
      notice.value = undefined
      const seats = calendar.seats.peek()
      // One place is the default, left out so the request for a resource of one place stays as it was.
      const time = { start: slot.start, end: slot.end, ...(seats > 1 ? { seats } : {}) }
      const partySize = calendar.partySize.peek()
      const memberId = calendar.member.peek()
      const keep = options.keepParts
      const result =
        options.service && client.placeServiceHold
          ? await client.placeServiceHold(options.service, {
              start: slot.start,
              end: slot.end,
              ...(keep?.length ? { parts: keep } : {}),
            })
          : options.pool && client.placePoolHold
            ? await client.placePoolHold(options.pool, {
                ...time,
                ...(partySize !== undefined ? { partySize } : {}),
                ...(memberId ? { memberId } : {}),
              })
            : await client.placeHold({ resourceId: resource.id, ...time })
      busy.value = false
      if (result.error) return options.onRefused(result.error)
      idempotencyKey.value = randomId('book_')
      batch(() => {
        current.value = result.data
        step.value = 'details'
      })
      // Through a pool, or for a service's lead: the name of the resource the hold took.
      if (options.pool || options.service) void nameMember(result.data.resourceId)
      options.onHeld?.(result.data)
    },
    /** Gives the held time back so others can have it at once: the release to wait for, if there was a hold. */
    giveBack(): Promise<unknown> | undefined {
      const held = current.peek()
      current.value = undefined
      return held ? client.releaseHold(held.id) : undefined
    },
  }
})

export type Hold = InstanceType<typeof HoldModel>
