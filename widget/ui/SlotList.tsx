import { useRef } from 'preact/hooks'
import { formatDayHeading, formatDayLabel, formatSlotTime } from '../format-time'
import type { BookingState } from '../state'
import { NextAvailable } from './NextAvailable'
import { canJoinWaitlist, WaitlistPrompt } from './WaitlistPrompt'

/** At or under this many places left, a time says how many: enough to hurry, not a count of every seat. */
const FEW_SEATS = 5

/**
 * The chosen day's start times as a listbox. Arrow keys move focus only; Enter, Space or a
 * click takes the time (a hold is a network call, so it never follows focus).
 */
export function SlotList({ state }: { state: BookingState }) {
  const { t, locale } = state
  const date = state.selectedDate.value
  const slots = state.slotsOfSelectedDate.value
  const selected = state.selected.value
  const busy = state.busy.value
  const list = useRef<HTMLDivElement>(null)
  if (!date) return null
  const label = `${t.chooseTime}, ${formatDayLabel(date, locale, true)}`
  const heading = (
    <h3 class="day-heading" aria-hidden="true">
      {formatDayHeading(date, state.today(), locale)}
    </h3>
  )
  if (slots.length === 0) {
    // A fully booked day (not a closed one) offers its waitlist, when the resource has one.
    const full = canJoinWaitlist(state, date)
    return (
      <>
        {heading}
        <p class="msg muted" aria-label={label}>
          {full ? t.waitlist.fullDay : t.noTimesDay}
        </p>
        {full && <WaitlistPrompt state={state} date={date} key={date} />}
        <NextAvailable state={state} />
      </>
    )
  }

  const isSelected = (slot: (typeof slots)[number]) => selected?.start === slot.start && selected.end === slot.end
  // One option is in the tab order: the selected one, else the first.
  const focusIndex = Math.max(0, slots.findIndex(isSelected))

  const onKeyDown = (event: KeyboardEvent) => {
    const options = [...(list.current?.querySelectorAll<HTMLElement>('[role=option]') ?? [])]
    const at = options.indexOf(event.target as HTMLElement)
    const next =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? at + 1
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? options.length - 1
              : undefined
    if (next === undefined) return
    event.preventDefault()
    const target = options[Math.max(0, Math.min(options.length - 1, next))]
    if (!target) return
    for (const option of options) option.tabIndex = option === target ? 0 : -1
    target.focus()
  }

  return (
    <>
      {heading}
      <div
        class="slots"
        role="listbox"
        aria-label={label}
        aria-busy={busy ? 'true' : 'false'}
        ref={list}
        onKeyDown={onKeyDown}
      >
        {slots.map((slot, i) => (
          <button
            type="button"
            role="option"
            class="slot"
            key={slot.start}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-selected={isSelected(slot) ? 'true' : 'false'}
            onClick={() => void state.selectSlot(slot)}
          >
            {formatSlotTime(slot.start, state.zone.value, locale)}
            {slot.seatsLeft !== undefined && slot.seatsLeft <= FEW_SEATS && (
              <span class="left">{t.placesLeft(slot.seatsLeft)}</span>
            )}
          </button>
        ))}
      </div>
    </>
  )
}
