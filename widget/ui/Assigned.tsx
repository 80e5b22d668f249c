import type { PublicBookingPart } from '../../shared/types'
import type { BookingState } from '../state'
import { ServiceParts } from './ServiceParts'

/**
 * Through a pool: who or which table the pool assigned, once its name is known, and for a
 * table the guests. For a service: every resource it takes. `booked` is the hold or the booking.
 */
export function Assigned({
  state,
  booked,
}: {
  state: BookingState
  booked: { partySize?: number | undefined; serviceId?: string | undefined; parts?: PublicBookingPart[] | undefined }
}) {
  // A hold or booking of a service says so itself; its lead's name is looked up like a pool member's.
  if (booked.serviceId !== undefined) {
    return <ServiceParts t={state.t} lead={state.assignedName.value} parts={booked.parts} />
  }
  if (!state.isPool) return null
  const pool = state.pool.value
  if (!pool) return null
  const { t } = state
  const name = state.assignedName.value
  const table = pool.maxParty !== undefined
  return (
    <>
      {booked.partySize !== undefined && <p>{t.guests(booked.partySize)}</p>}
      {name && <p class="assigned">{table ? t.yourTable(name) : t.withMember(name)}</p>}
    </>
  )
}
