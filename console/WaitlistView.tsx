import { useEffect, useRef, useState } from 'preact/hooks'
import type { AdminWaitlistEntry } from '../shared/api-contract'
import { addDays, cityOf, todayIn } from '../shared/calendar-labels'
import type { AdminResource } from '../shared/types'
import { DEFAULT_WAITLIST_OFFER_MINUTES, waitlistOpen, type WaitlistOfferStatus } from '../shared/waitlist'
import { formatWallTime } from '../shared/wall-time'
import { describeProblem, ownerRoutes, type AdminApi } from './api'
import { dayLabel, wallTime } from './bookings-model'

export interface WaitlistViewProps {
  api: AdminApi
  locale?: string
  /** The clock "today" is read by. */
  now?: () => number
}

/**
 * Who is waiting for a resource's full times on one of its local days, in the order they
 * are served: each guest, the window they wait for, where they stand, the offer they hold
 * now and how earlier offers ended. The owner removes a waiter after confirming.
 */
export function WaitlistView({ api, locale, now = Date.now }: WaitlistViewProps) {
  const routes = ownerRoutes(api)
  const [resources, setResources] = useState<AdminResource[] | undefined>(undefined)
  const [resourceId, setResourceId] = useState('')
  /** Undefined until the owner picks a day: then today, read in the resource's zone. */
  const [pickedDay, setPickedDay] = useState<string | undefined>(undefined)
  const [showEnded, setShowEnded] = useState(false)
  const [entries, setEntries] = useState<AdminWaitlistEntry[] | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState('')
  const [confirming, setConfirming] = useState<string | undefined>(undefined)
  const [busyId, setBusyId] = useState<string | undefined>(undefined)
  const request = useRef(0)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    routes.listResources().then(
      (r) => {
        // A resource booked by the span has no waitlist, so nothing to show for it.
        const listed = r.resources.filter((res) => !res.config.span)
        setResources(listed)
        const first = listed.find((res) => res.isActive && waitlistOpen(res.config)) ?? listed[0]
        setResourceId(first?.id ?? '')
      },
      (e: unknown) => setError(describeProblem(e)),
    )
  }, [])

  const resource = resources?.find((r) => r.id === resourceId)
  const zone = resource?.timezone ?? 'UTC'
  const day = pickedDay ?? todayIn(zone, new Date(now()))

  const load = async () => {
    if (!resource) return
    // Only the latest answer counts: a slow one for the previous day must not replace it.
    const mine = ++request.current
    setError(undefined)
    try {
      const { entries: found } = await routes.listWaitlist({
        resourceId: resource.id,
        from: day,
        to: day,
        status: showEnded ? 'all' : 'waiting',
      })
      if (mine === request.current) setEntries(found)
    } catch (e) {
      if (mine === request.current) setError(describeProblem(e))
    }
  }
  useEffect(() => {
    setEntries(undefined)
    setConfirming(undefined)
    void load()
  }, [resourceId, day, showEnded, resources])

  const remove = async (entry: AdminWaitlistEntry) => {
    setBusyId(entry.id)
    setError(undefined)
    setNotice('')
    try {
      await routes.removeWaitlistEntry(entry.id)
      setNotice(
        `${entry.guest.name} removed from the waitlist${entry.offer ? '; the time offered to them goes to the next in line' : ''}.`,
      )
      await load()
      setConfirming(undefined)
      // Their row's buttons are gone: keep the keyboard in the view.
      heading.current?.focus()
    } catch (e) {
      setError(describeProblem(e))
    } finally {
      setBusyId(undefined)
    }
  }

  const offerMinutes = resource?.config.waitlistOfferMinutes ?? DEFAULT_WAITLIST_OFFER_MINUTES
  return (
    <section aria-labelledby="waitlist-title" class="bk">
      <h2 id="waitlist-title" tabIndex={-1} ref={heading}>
        Waitlist
      </h2>
      {resources?.length === 0 && <p class="muted">Add a resource first: its waitlist shows here.</p>}
      {resources && resources.length > 0 && (
        <>
          <div class="bk-toolbar">
            <label>
              Resource
              <select value={resourceId} onChange={(e) => setResourceId((e.currentTarget as HTMLSelectElement).value)}>
                {resources.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                    {waitlistOpen(r.config) ? '' : ' (waitlist off)'}
                  </option>
                ))}
              </select>
            </label>
            <div class="bk-nav" role="group" aria-label="Day">
              <button type="button" aria-label="Previous day" onClick={() => setPickedDay(addDays(day, -1))}>
                ‹
              </button>
              <button type="button" onClick={() => setPickedDay(todayIn(zone, new Date(now())))}>
                Today
              </button>
              <button type="button" aria-label="Next day" onClick={() => setPickedDay(addDays(day, 1))}>
                ›
              </button>
              <label class="bk-date-field">
                <span class="sr-only">Day</span>
                <input
                  type="date"
                  value={day}
                  onChange={(e) => {
                    const value = (e.currentTarget as HTMLInputElement).value
                    if (value) setPickedDay(value)
                  }}
                />
              </label>
            </div>
            <label class="check" style={{ minHeight: '44px' }}>
              <input
                type="checkbox"
                checked={showEnded}
                style={{ width: '22px', height: '22px', minHeight: 0 }}
                onChange={(e) => setShowEnded((e.currentTarget as HTMLInputElement).checked)}
              />
              Show ended entries too
            </label>
            <button type="button" onClick={() => void load()}>
              Refresh
            </button>
          </div>
          <p class="muted bk-caption">
            {dayLabel(day, locale)} · in the order they are served · times in {cityOf(zone)} time
          </p>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="ok" role="status">
        {notice}
      </p>
      {resource && !error && entries === undefined && <p class="muted">Loading the waitlist…</p>}
      {resource && entries?.length === 0 && (
        <div class="policy-words">
          <p>
            <strong>
              {showEnded ? 'No one waited' : 'No one is waiting'} for {resource.name} on {dayLabel(day, locale)}.
            </strong>
          </p>
          {waitlistOpen(resource.config) ? (
            <p>
              When every time is taken, guests can join the waitlist from the booking widget: for one time, any time in
              a stretch of the day, or the whole day. When a matching time frees up, the first in line is offered it by
              email (and by text when they gave a phone number) and has {offerMinutes} minutes to claim it; then it goes
              to the next. They show here in that order.
            </p>
          ) : (
            <p>Guests cannot join this resource's waitlist: it is switched off in the resource's settings.</p>
          )}
        </div>
      )}
      {resource && entries && entries.length > 0 && (
        <ol class="resource-list" aria-label={`Waitlist for ${resource.name}, ${dayLabel(day, locale)}`}>
          {entries.map((entry) => (
            <WaitlistRow
              key={entry.id}
              entry={entry}
              day={day}
              locale={locale}
              now={now()}
              busy={busyId === entry.id}
              confirming={confirming === entry.id}
              onAskRemove={() => setConfirming(entry.id)}
              onKeep={() => setConfirming(undefined)}
              onRemove={() => void remove(entry)}
            />
          ))}
        </ol>
      )}
    </section>
  )
}

function WaitlistRow(props: {
  entry: AdminWaitlistEntry
  day: string
  locale: string | undefined
  now: number
  busy: boolean
  confirming: boolean
  onAskRemove: () => void
  onKeep: () => void
  onRemove: () => void
}) {
  const { entry, day, locale } = props
  const keep = useRef<HTMLButtonElement>(null)
  const ask = useRef<HTMLButtonElement>(null)
  const asked = useRef(false)
  useEffect(() => {
    // The question takes the focus; answered "keep", it goes back to the Remove button.
    if (props.confirming) keep.current?.focus()
    else if (asked.current) ask.current?.focus()
    asked.current = props.confirming
  }, [props.confirming])
  const zone = entry.timezone
  const questionId = `waitlist-${entry.id}-remove`
  return (
    <li aria-label={entry.guest.name} data-ref={entry.ref}>
      <div class="grow">
        <div>
          {entry.status === 'waiting' && entry.position !== null && (
            <>
              <strong class="wl-position">{ordinal(entry.position)} in line</strong> ·{' '}
            </>
          )}
          <strong>{entry.guest.name}</strong> · {entry.seats === 1 ? '1 place' : `${entry.seats} places`}
        </div>
        <div>
          <a href={`mailto:${entry.guest.email}`}>{entry.guest.email}</a>
          {entry.guest.phone && (
            <>
              {' · '}
              <a href={`tel:${entry.guest.phone}`}>{entry.guest.phone}</a>
            </>
          )}
        </div>
        <div>
          <span class="wl-window">{windowWords(entry, day, locale)}</span> ·{' '}
          <span class={`status wl-${entry.status}`}>{statusWords(entry)}</span> <code class="muted">{entry.ref}</code>
        </div>
        {entry.offers.length > 0 && (
          // Not <ul>: the queue's list styles would reach these rows.
          <div class="bk-log" role="list" aria-label={`Offers to ${entry.guest.name}`}>
            {entry.offers.map((offer) => (
              <div role="listitem" key={`${offer.offeredAt}-${offer.start}`}>
                {offer.status === 'open' ? (
                  <strong>
                    Offered {span(offer.start, offer.end, zone)} at {clockIn(offer.offeredAt, zone)}, until{' '}
                    {clockIn(offer.expiresAt, zone)}
                    {/* Until the worker's next run lapses it and passes the time on. */}
                    {Date.parse(offer.expiresAt) <= props.now ? ' (time is up)' : ''}
                  </strong>
                ) : (
                  <>
                    {span(offer.start, offer.end, zone)} offered at {clockIn(offer.offeredAt, zone)} ·{' '}
                    {OFFER_OUTCOMES[offer.status]}
                  </>
                )}
              </div>
            ))}
          </div>
        )}
        {props.confirming && (
          <div class="pool-note" role="group" aria-labelledby={questionId}>
            <div id={questionId}>
              Remove {entry.guest.name} ({windowWords(entry, day, locale)}) from the waitlist?
              {entry.offer ? ' The time offered to them goes to the next in line.' : ''}
            </div>
            <div class="row">
              <button type="button" class="danger-fill" disabled={props.busy} onClick={props.onRemove}>
                Yes, remove
              </button>
              <button type="button" ref={keep} disabled={props.busy} onClick={props.onKeep}>
                Keep waiting
              </button>
            </div>
          </div>
        )}
      </div>
      {entry.status === 'waiting' && !props.confirming && (
        <button
          type="button"
          class="danger"
          ref={ask}
          aria-label={`Remove ${entry.guest.name} from the waitlist`}
          onClick={props.onAskRemove}
        >
          Remove…
        </button>
      )}
    </li>
  )
}

const OFFER_OUTCOMES: Record<Exclude<WaitlistOfferStatus, 'open'>, string> = {
  claimed: 'claimed',
  declined: 'declined',
  lapsed: 'lapsed',
  withdrawn: 'withdrawn',
}

function statusWords(entry: AdminWaitlistEntry): string {
  switch (entry.status) {
    case 'waiting':
      return entry.offer ? 'waiting · offer open' : 'waiting'
    case 'booked':
      return entry.bookingRef ? `booked (${entry.bookingRef})` : 'booked'
    case 'left':
      return 'left the waitlist'
    case 'removed':
      return 'removed'
    case 'expired':
      return 'expired: its time passed'
  }
}

/** "14:05": an instant on the resource's clock. */
const clockIn = (iso: string, zone: string) => formatWallTime(wallTime(Date.parse(iso), zone).minute)

/** "18:00–19:00" in the resource's zone; an end at the next midnight reads 24:00. */
function span(startIso: string, endIso: string, zone: string): string {
  const start = wallTime(Date.parse(startIso), zone)
  const end = wallTime(Date.parse(endIso), zone)
  const endMinute = end.date !== start.date && end.minute === 0 ? 1440 : end.minute
  return `${formatWallTime(start.minute)}–${formatWallTime(endMinute)}`
}

/** The window as the guest asked for it: "18:00–19:00", "any time 17:00–20:00", "all day"; dated when not on `day`. */
function windowWords(entry: AdminWaitlistEntry, day: string, locale: string | undefined): string {
  const words =
    entry.kind === 'day'
      ? 'all day'
      : entry.kind === 'slot'
        ? span(entry.windowStart, entry.windowEnd, entry.timezone)
        : `any time ${span(entry.windowStart, entry.windowEnd, entry.timezone)}`
  const date = wallTime(Date.parse(entry.windowStart), entry.timezone).date
  return date === day ? words : `${dayLabel(date, locale, 'short')}, ${words}`
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}
