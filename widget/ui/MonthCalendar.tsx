import { useEffect, useRef } from 'preact/hooks'
import {
  addDays,
  firstDayOfWeek,
  isoWeekday,
  monthGrid,
  monthOf,
  withNeighbourDays,
} from '../../shared/calendar-labels'
import { formatDayLabel, formatMonth, formatWeekday } from '../format-time'
import type { BookingState } from '../state'

// Keys of the ARIA grid pattern and how many days each moves.
const MOVES: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }

/**
 * The month as an ARIA grid: days with free times are marked, arrow keys move by day and
 * week, Home/End to the week's ends, PageUp/PageDown by month. One day is in the tab order.
 */
export function MonthCalendar({ state }: { state: BookingState }) {
  const { t, locale } = state
  const month = state.month.value
  const freeDays = state.slotsByDate.value
  const selected = state.selectedDate.value
  const today = state.today()
  const firstDay = firstDayOfWeek(locale)
  // The neighbouring months' days fill the first and last weeks (muted), so a week reads whole.
  const weeks = withNeighbourDays(monthGrid(month, firstDay))
  const last = state.lastBookableDate.value
  const outOfReach = (date: string) => date < today || (last !== undefined && date > last)
  const grid = useRef<HTMLTableElement>(null)
  const moved = useRef(false)
  const loading = state.status.value === 'loading'

  // The focusable day: the selected one, else the first day that can be picked.
  const focusable =
    selected && selected.startsWith(month) ? selected : weeks.flat().find((d) => monthOf(d) === month && d >= today)

  useEffect(() => {
    if (!moved.current) return
    moved.current = false
    grid.current?.querySelector<HTMLElement>('[tabindex="0"]')?.focus()
  })

  const onKeyDown = (event: KeyboardEvent) => {
    if (!focusable) return
    let target: string | undefined
    const step = MOVES[event.key]
    const weekday = (isoWeekday(focusable) - firstDay + 7) % 7
    if (step !== undefined) target = addDays(focusable, step)
    else if (event.key === 'Home') target = addDays(focusable, -weekday)
    else if (event.key === 'End') target = addDays(focusable, 6 - weekday)
    else if (event.key === 'PageUp' || event.key === 'PageDown') {
      event.preventDefault()
      moved.current = true
      void state.showMonth(event.key === 'PageUp' ? -1 : 1)
      return
    } else return
    event.preventDefault()
    if (outOfReach(target)) return
    moved.current = true
    state.selectDate(target)
  }

  const weekdays = (weeks[0] ?? []).map((_, i) => ((firstDay - 1 + i) % 7) + 1)
  return (
    <div class="cal">
      <div class="nav">
        <button
          type="button"
          class="icon"
          aria-label={t.prevMonth}
          disabled={!state.canGoBack.value}
          onClick={() => void state.showMonth(-1)}
        >
          ‹
        </button>
        <p class="range" id="booking-month" aria-live="polite">
          {formatMonth(month, locale)}
        </p>
        <button
          type="button"
          class="icon"
          aria-label={t.nextMonth}
          disabled={!state.canGoForward.value}
          onClick={() => void state.showMonth(1)}
        >
          ›
        </button>
      </div>
      <table role="grid" aria-labelledby="booking-month" ref={grid} onKeyDown={onKeyDown}>
        <thead>
          <tr>
            {weekdays.map((day) => (
              <th scope="col" key={day} abbr={formatWeekday(day, locale, 'long')}>
                {formatWeekday(day, locale, 'narrow')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((date) => {
                const inMonth = monthOf(date) === month
                const free = inMonth && freeDays.has(date)
                return (
                  <td role="gridcell" key={date} aria-selected={date === selected ? 'true' : 'false'}>
                    <button
                      type="button"
                      class={free ? 'day free' : inMonth ? 'day' : 'day other'}
                      tabIndex={date === focusable ? 0 : -1}
                      disabled={outOfReach(date)}
                      aria-label={formatDayLabel(date, locale, true)}
                      aria-describedby={inMonth && !loading && !free && !outOfReach(date) ? 'booking-none' : undefined}
                      onClick={() => state.selectDate(date)}
                    >
                      {Number(date.slice(8))}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="sr" id="booking-none">
        {t.noTimesDay}
      </p>
    </div>
  )
}
