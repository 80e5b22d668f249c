import type { BookingState } from '../state'

interface StepperProps {
  /** The group's label, shown and announced. */
  label: string
  fewer: string
  more: string
  value: number
  min: number
  max: number
  /** The count in words ("2 places", "5 guests"). */
  text: (count: number) => string
  choose: (count: number) => void
}

/** − n +: labelled buttons of touch size, the count announced. */
function Stepper({ label, fewer, more, value, min, max, text, choose }: StepperProps) {
  return (
    // Labelled like the zone and duration rows; a screen reader hears the group's label instead.
    <div class="bar" role="group" aria-label={label}>
      <span class="muted" aria-hidden="true">
        {label}
      </span>
      <span class="inline">
        <button type="button" class="icon" aria-label={fewer} disabled={value <= min} onClick={() => choose(value - 1)}>
          −
        </button>
        <output class="count" aria-live="polite">
          {text(value)}
        </output>
        <button type="button" class="icon" aria-label={more} disabled={value >= max} onClick={() => choose(value + 1)}>
          +
        </button>
      </span>
    </div>
  )
}

/**
 * How many places to book, for a resource that takes more than one per booking. Each change
 * asks for the times with that many places free.
 */
export function SeatPicker({ state }: { state: BookingState }) {
  const max = state.maxSeats.value
  if (max <= 1) return null
  const { t } = state
  return (
    <Stepper
      label={t.seats}
      fewer={t.fewerSeats}
      more={t.moreSeats}
      value={state.seats.value}
      min={1}
      max={max}
      text={t.places}
      choose={(count) => void state.chooseSeats(count)}
    />
  )
}

/** For a pool of tables: how many guests, first. Each change asks for the times with a table that seats them. */
export function PartyPicker({ state }: { state: BookingState }) {
  const pool = state.pool.value
  const party = state.partySize.value
  if (pool?.maxParty === undefined || party === undefined) return null
  const { t } = state
  return (
    <Stepper
      label={t.partySize}
      fewer={t.fewerGuests}
      more={t.moreGuests}
      value={party}
      min={pool.minParty ?? 1}
      max={pool.maxParty}
      text={t.guests}
      choose={(count) => void state.chooseParty(count)}
    />
  )
}

/** When the pool lets guests choose: "Anyone" (the pool assigns) or one member, whose times alone are shown. */
export function MemberPicker({ state }: { state: BookingState }) {
  const members = state.pool.value?.members
  if (!state.pool.value?.memberChoice || !members?.length) return null
  const { t } = state
  return (
    <label class="bar">
      <span class="muted">{t.member}</span>
      <select
        value={state.member.value ?? ''}
        onChange={(event) => void state.chooseMember((event.currentTarget as HTMLSelectElement).value || undefined)}
      >
        <option value="">{t.anyone}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </label>
  )
}
