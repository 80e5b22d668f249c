import { addDays, isoWeekday } from '../../shared/calendar-labels'
import { formatMonth, formatWeekday } from '../format-time'
import type { Messages } from '../i18n'

/*
 * What the slot calendar (MonthCalendar) and the span picker's range calendar share: the
 * month heading with its previous/next buttons, the weekday row, and which day each key of
 * the ARIA grid pattern goes to. Each calendar decides what a day means and what a key does
 * with it (the slot calendar selects, the span picker only moves focus).
 */

// Keys of the ARIA grid pattern and how many days each moves.
const MOVES: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }

/** Where a key takes the focus from `at`: another day, a page of months, or nowhere (not a grid key). */
export type GridMove = { day: string } | { page: -1 | 1 } | undefined

/** Arrows by day and week, Home/End to the week's ends (weeks start on `firstDay`), PageUp/PageDown by month. */
export function gridMove(key: string, at: string, firstDay: number): GridMove {
  const step = MOVES[key]
  if (step !== undefined) return { day: addDays(at, step) }
  const weekday = (isoWeekday(at) - firstDay + 7) % 7
  if (key === 'Home') return { day: addDays(at, -weekday) }
  if (key === 'End') return { day: addDays(at, 6 - weekday) }
  if (key === 'PageUp') return { page: -1 }
  if (key === 'PageDown') return { page: 1 }
  return undefined
}

/** The month's name between the previous and next month buttons; `id` labels the grid. */
export function MonthNav(props: {
  id: string
  month: string
  locale: string
  t: Messages
  canGoBack: boolean
  canGoForward: boolean
  onPage: (months: -1 | 1) => void
}) {
  const { t } = props
  return (
    <div class="nav">
      <button
        type="button"
        class="icon"
        aria-label={t.prevMonth}
        disabled={!props.canGoBack}
        onClick={() => props.onPage(-1)}
      >
        ‹
      </button>
      <p class="range" id={props.id} aria-live="polite">
        {formatMonth(props.month, props.locale)}
      </p>
      <button
        type="button"
        class="icon"
        aria-label={t.nextMonth}
        disabled={!props.canGoForward}
        onClick={() => props.onPage(1)}
      >
        ›
      </button>
    </div>
  )
}

/** The grid's header row: the weekdays' narrow names (long ones for screen readers), from `firstDay`. */
export function WeekdayRow({ firstDay, locale }: { firstDay: number; locale: string }) {
  const weekdays = Array.from({ length: 7 }, (_, i) => ((firstDay - 1 + i) % 7) + 1)
  return (
    <thead>
      <tr>
        {weekdays.map((day) => (
          <th scope="col" key={day} abbr={formatWeekday(day, locale, 'long')}>
            {formatWeekday(day, locale, 'narrow')}
          </th>
        ))}
      </tr>
    </thead>
  )
}
