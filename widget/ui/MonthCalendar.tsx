import { useEffect, useRef } from 'preact/hooks'
import { firstDayOfWeek, monthGrid, monthOf, withNeighbourDays } from '../../shared/calendar-labels'
import { formatDayLabel } from '../format-time'
import type { BookingState } from '../state'
import { MonthNav, WeekdayRow, gridMove } from './month-parts'

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
    const move = gridMove(event.key, focusable, firstDay)
    if (!move) return
    event.preventDefault()
    if ('page' in move) {
      moved.current = true
      void state.showMonth(move.page)
      return
    }
    if (outOfReach(move.day)) return
    moved.current = true
    state.selectDate(move.day)
  }

  return (
    <div class="cal">
      <MonthNav
        id="booking-month"
        month={month}
        locale={locale}
        t={t}
        canGoBack={state.canGoBack.value}
        canGoForward={state.canGoForward.value}
        onPage={(months) => void state.showMonth(months)}
      />
      <table role="grid" aria-labelledby="booking-month" ref={grid} onKeyDown={onKeyDown}>
        <WeekdayRow firstDay={firstDay} locale={locale} />
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
