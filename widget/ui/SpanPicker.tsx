import { useEffect, useRef } from 'preact/hooks'
import { firstDayOfWeek, monthGrid, monthOf, withNeighbourDays } from '../../shared/calendar-labels'
import { errorText } from '../error-text'
import { formatDayLabel, formatRangeWithZone, formatSlotTime, formatSpanTotal } from '../format-time'
import { spanOf, type Span } from '../models/span'
import type { BookingState } from '../state'
import { MonthNav, WeekdayRow, gridMove } from './month-parts'

/*
 * The range picker of a resource booked as a span across days (a car from Friday to
 * Monday, a room by the night): the pickup day, then its time, then the return day and
 * its time, on one month grid that shows the range chosen. A chunk of its own, fetched
 * only for such a resource. Its few rules come with it as a stylesheet of their own.
 */
const CSS = `
.span-cal .day[aria-pressed=true]{background:var(--a);color:var(--on-a);box-shadow:none}
.span-cal .day.between{background:color-mix(in srgb,var(--a) 22%,var(--bg));color:var(--fg);box-shadow:none}
.span-cal .day[aria-disabled=true]{opacity:.45;cursor:default}
.span-times .slot[aria-pressed=true]{background:var(--a);border-color:var(--a);color:var(--on-a)}
.span-sum{display:grid;gap:6px;padding:10px 12px;border-radius:calc(var(--r)*.6);background:var(--soft)}
.span-at{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px}
`
let sheet: CSSStyleSheet | undefined

/** Adds the picker's rules to the shadow root it is rendered in (once per root). */
function useSpanStyles(node: { current: HTMLElement | null }): void {
  useEffect(() => {
    const root = node.current?.getRootNode()
    if (!(root instanceof ShadowRoot) && !(root instanceof Document)) return
    if (!('adoptedStyleSheets' in root) || typeof CSSStyleSheet.prototype.replaceSync !== 'function') return
    if (!sheet) {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(CSS)
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  }, [])
}

export function SpanPicker({ state }: { state: BookingState }) {
  const span = spanOf(state.flow, state.now)
  const root = useRef<HTMLDivElement>(null)
  useSpanStyles(root)
  const { t } = state
  const status = span.status.value
  const datesOnly = span.datesOnly.value
  return (
    <div class="pick" ref={root}>
      <SpanCalendar state={state} span={span} />
      <div class="times span-times">
        {status === 'error' ? (
          <div class="msg error" role="alert">
            <p>{errorText(t, span.error.value?.code ?? 'internal')}</p>
            <button type="button" onClick={() => void span.load({ fresh: true })}>
              {t.retry}
            </button>
          </div>
        ) : (
          <>
            {span.stage.value === 'return' && <ChosenPickup state={state} span={span} />}
            {!datesOnly && <TimeChoice state={state} span={span} />}
            {status === 'loading' ? (
              <p class="msg muted" role="status">
                {t.loading}
              </p>
            ) : (
              span.openDays.value.size === 0 &&
              span.stage.value === 'pickup' && <p class="msg muted">{t.noPickupsMonth}</p>
            )}
            <SpanSummary state={state} span={span} />
          </>
        )}
      </div>
    </div>
  )
}

function SpanCalendar({ state, span }: { state: BookingState; span: Span }) {
  const { t, locale } = state
  const month = span.month.value
  const stage = span.stage.value
  const datesOnly = span.datesOnly.value
  const open = span.openDays.value
  const from = span.pickupDate.value
  const to = span.returnDate.value
  const latest = span.latestReturnDate.value
  const loading = span.status.value === 'loading'
  const firstDay = firstDayOfWeek(locale)
  const weeks = withNeighbourDays(monthGrid(month, firstDay))
  const grid = useRef<HTMLTableElement>(null)
  const moved = useRef(false)
  const today = state.today()
  const inMonth = (date: string) => monthOf(date) === month
  const canTake = (date: string) =>
    !loading && inMonth(date) && open.has(date) && (stage === 'pickup' || latest === undefined || date <= latest)
  const focusable =
    [stage === 'return' ? to : from, stage === 'return' ? from : undefined].find((d) => d && inMonth(d)) ??
    weeks.flat().find((d) => canTake(d)) ??
    weeks.flat().find((d) => inMonth(d) && d >= today) ??
    `${month}-01`

  useEffect(() => {
    if (!moved.current) return
    moved.current = false
    grid.current?.querySelector<HTMLElement>('[tabindex="0"]')?.focus()
  })
  // The day in the tab order: where the guest's keys last went, else the chosen or first open day.
  const keyed = useRef<string | undefined>(undefined)
  const tabStop = keyed.current && inMonth(keyed.current) ? keyed.current : focusable
  const setFocus = (date: string) => {
    keyed.current = date
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const at = (event.target as HTMLElement).dataset?.date ?? tabStop
    const move = gridMove(event.key, at, firstDay)
    if (!move) return
    event.preventDefault()
    if ('page' in move) {
      moved.current = true
      void span.showMonth(move.page)
      return
    }
    const target = move.day
    if (!inMonth(target)) {
      const paged = span.showMonth(target < at ? -1 : 1)
      if (!paged) return
      setFocus(target)
      moved.current = true
      return
    }
    setFocus(target)
    moved.current = true
    // Focus moves without choosing: only Enter, Space or a tap takes a day.
    for (const button of grid.current?.querySelectorAll<HTMLElement>('[data-date]') ?? [])
      button.tabIndex = button.dataset.date === target ? 0 : -1
    grid.current?.querySelector<HTMLElement>(`[data-date="${target}"]`)?.focus()
    moved.current = false
  }

  const prompt =
    stage === 'pickup'
      ? datesOnly
        ? t.chooseCheckIn
        : t.choosePickupDay
      : datesOnly
        ? t.chooseCheckOut
        : t.chooseReturnDay
  const startWord = datesOnly ? t.checkIn : t.pickup
  const endWord = datesOnly ? t.checkOut : t.dropOff
  return (
    <div class="cal span-cal">
      <h3 class="day-heading" id="span-prompt" aria-live="polite">
        {prompt}
      </h3>
      <MonthNav
        id="span-month"
        month={month}
        locale={locale}
        t={t}
        canGoBack={span.canGoBack.value}
        canGoForward={span.canGoForward.value}
        onPage={(months) => void span.showMonth(months)}
      />
      <table role="grid" aria-labelledby="span-prompt span-month" ref={grid} onKeyDown={onKeyDown}>
        <WeekdayRow firstDay={firstDay} locale={locale} />
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((date) => {
                const isStart = date === from && stage === 'return'
                const isEnd = date === to
                const chosen = isStart || isEnd || (stage === 'pickup' && date === from)
                const between = from !== undefined && to !== undefined && date > from && date < to
                const takeable = canTake(date)
                const mark = isStart ? startWord : isEnd ? endWord : undefined
                const classes = ['day', takeable ? 'free' : inMonth(date) ? '' : 'other', between ? 'between' : '']
                return (
                  <td role="gridcell" key={date} aria-selected={chosen || between ? 'true' : 'false'}>
                    <button
                      type="button"
                      class={classes.filter(Boolean).join(' ')}
                      data-date={date}
                      tabIndex={date === tabStop ? 0 : -1}
                      aria-pressed={chosen ? 'true' : 'false'}
                      aria-disabled={takeable ? undefined : 'true'}
                      aria-label={formatDayLabel(date, locale, true) + (mark ? `, ${mark}` : '')}
                      onClick={() => {
                        if (!takeable) return
                        setFocus(date)
                        void span.selectDay(date)
                      }}
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
    </div>
  )
}

/** In the second stage: the pickup chosen, and a way back to choose another. */
function ChosenPickup({ state, span }: { state: BookingState; span: Span }) {
  const { t, locale } = state
  const pickup = span.pickup.value
  if (!pickup) return null
  const zone = state.zone.value
  const word = span.datesOnly.value ? t.checkIn : t.pickup
  const latest = span.latestReturn.value
  return (
    <div class="span-at">
      <p>
        <strong>{word}:</strong> {formatDayLabel(span.pickupDate.value ?? '', locale)},{' '}
        {formatSlotTime(pickup, zone, locale)}
      </p>
      <button type="button" onClick={() => void span.changePickup()}>
        {t.changePickup}
      </button>
      {latest && !span.dropOff.value && (
        <p class="muted">
          {t.latestReturn(
            `${formatDayLabel(span.latestReturnDate.value ?? '', locale)}, ${formatSlotTime(latest, zone, locale)}`,
          )}
        </p>
      )}
    </div>
  )
}

/** The chosen day's pickup (or return) times, as toggle buttons; arrow keys move between them. */
function TimeChoice({ state, span }: { state: BookingState; span: Span }) {
  const { t, locale } = state
  const stage = span.stage.value
  const date = stage === 'pickup' ? span.pickupDate.value : span.returnDate.value
  const times = stage === 'pickup' ? span.pickupTimes.value : span.returnTimes.value
  const chosen = stage === 'pickup' ? span.pickup.value : span.dropOff.value
  const list = useRef<HTMLDivElement>(null)
  if (!date || times.length === 0) return null
  const label = `${stage === 'pickup' ? t.pickupTime : t.returnTime}, ${formatDayLabel(date, locale, true)}`
  const focusIndex = Math.max(0, times.indexOf(chosen ?? ''))
  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLElement>('button') ?? [])]
    const at = buttons.indexOf(event.target as HTMLElement)
    const next =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? at + 1
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : undefined
    if (next === undefined) return
    event.preventDefault()
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, next))]
    if (!target) return
    for (const button of buttons) button.tabIndex = button === target ? 0 : -1
    target.focus()
  }
  return (
    <>
      <h3 class="day-heading" aria-hidden="true">
        {label}
      </h3>
      <div class="slots" role="group" aria-label={label} ref={list} onKeyDown={onKeyDown}>
        {times.map((instant, i) => (
          <button
            type="button"
            class="slot"
            key={instant}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-pressed={instant === chosen ? 'true' : 'false'}
            onClick={() => void (stage === 'pickup' ? span.choosePickup(instant) : span.chooseReturn(instant))}
          >
            {formatSlotTime(instant, state.zone.value, locale)}
          </button>
        ))}
      </div>
    </>
  )
}

/** The span chosen, its length and total, and the button that holds it. */
function SpanSummary({ state, span }: { state: BookingState; span: Span }) {
  const { t, locale } = state
  const resource = state.resource.value
  const config = span.config.value
  const start = span.pickup.value
  const end = span.dropOff.value
  if (!resource || !config || !start || !end) return null
  return (
    <div class="span-sum" role="status">
      <p>
        <strong>{formatRangeWithZone({ start, end }, state.zone.value, locale, state.now())}</strong>
      </p>
      <p>{formatSpanTotal(t, config, resource.price, { start, end }, resource.timezone, locale)}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={state.busy.value} onClick={() => void span.reserve()}>
          {t.continueSpan}
        </button>
      </div>
    </div>
  )
}
