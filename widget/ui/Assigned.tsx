import type { BookingState } from '../state'

/**
 * Through a pool: who or which table the pool assigned, once its name is known, and for a
 * table the guests. `booked` is the hold or the booking.
 */
export function Assigned({ state, booked }: { state: BookingState; booked: { partySize?: number | undefined } }) {
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
