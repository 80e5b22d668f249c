import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { ScheduleRule } from '../shared/types'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'
import type { AdminResource } from './ResourcesView'
import {
  addBreak,
  ALL_DAYS,
  copyDay,
  dateLabel,
  findProblems,
  mapScheduleDetails,
  minutesOf,
  MON_TO_FRI,
  nextWindow,
  normalizeTime,
  suggestBreak,
  WEEKDAY_NAMES,
  type RowProblem,
} from './schedule-ops'

const rowId = (index: number) => `sr-${index}`

/**
 * The whole schedule of a resource: each weekday's windows (edited in place, copied to other
 * days, split by a break), then the dates that replace their weekday (special hours and
 * closures, added through their own small form). Checked here before saving, in words, and
 * saved in one PUT; the server's objections land on the same rows.
 */
export function ScheduleEditor({
  api,
  resource,
  onSaved,
}: {
  api: AdminApi
  resource: AdminResource
  onSaved?: () => void
}) {
  const [rules, setRules] = useState<ScheduleRule[] | undefined>(undefined)
  const [checked, setChecked] = useState(false)
  const [serverRows, setServerRows] = useState<RowProblem[]>([])
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined)
  const [breakFor, setBreakFor] = useState<{ index: number; start: string; end: string; error?: string } | undefined>(
    undefined,
  )
  const [adding, setAdding] = useState<DateDraft | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [focusRequest, setFocusRequest] = useState(0)

  useEffect(() => {
    ownerRoutes(api)
      .getSchedules(resource.id)
      .then(
        (r) => setRules(r.schedules),
        (e: unknown) => setMessage({ ok: false, text: describeProblem(e) }),
      )
  }, [resource.id])

  const problems = [...(checked && rules ? findProblems(rules) : []), ...serverRows]
  useEffect(() => {
    if (focusRequest === 0) return
    const first = problems.map((p) => p.index).sort((a, b) => a - b)[0]
    if (first !== undefined) document.getElementById(`${rowId(first)}-start`)?.focus()
  }, [focusRequest])

  if (!rules) return message ? <p class="error">{message.text}</p> : null

  /** Every change goes through here: the server's row numbers no longer hold after it. */
  const change = (next: ScheduleRule[]) => {
    setRules(next)
    setServerRows([])
    setMessage(undefined)
  }
  const update = (index: number, patch: Partial<ScheduleRule>) =>
    change(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)))
  // Copying and removing move rows: an open break form would then point at another window.
  const restructure = (next: ScheduleRule[]) => {
    setBreakFor(undefined)
    change(next)
  }
  const remove = (index: number) => restructure(rules.filter((_, i) => i !== index))
  const defaultSlot = resource.config.durations?.length ? null : 60

  const confirmBreak = () => {
    if (!breakFor) return
    const result = addBreak(rules, breakFor.index, breakFor.start, breakFor.end)
    if (result.error !== undefined) {
      setBreakFor({ ...breakFor, error: result.error })
      return
    }
    change(result.rules)
    setBreakFor(undefined)
  }

  const save = async () => {
    // Times typed as "9" or "930" are written out before checking, as they would be on leaving the field.
    const tidy = rules.map((r) => ({
      ...r,
      startTime: normalizeTime(r.startTime) ?? r.startTime,
      endTime: normalizeTime(r.endTime) ?? r.endTime,
    }))
    setRules(tidy)
    setServerRows([])
    const found = findProblems(tidy)
    if (found.length > 0) {
      setChecked(true)
      setMessage({
        ok: false,
        text:
          found.length === 1
            ? 'One row needs a change before saving; it says why.'
            : `${found.length} rows need a change before saving; each says why.`,
      })
      setFocusRequest((n) => n + 1)
      return
    }
    setBusy(true)
    try {
      const saved = await ownerRoutes(api).replaceSchedules(resource.id, { schedules: tidy })
      setRules(saved.schedules)
      setChecked(false)
      setMessage({ ok: true, text: 'Schedule saved. The widget shows it at once.' })
      onSaved?.()
    } catch (e) {
      const { rows, other } = e instanceof AdminApiError ? mapScheduleDetails(e.details) : { rows: [], other: [] }
      setServerRows(rows)
      const summary = rows.length > 0 ? 'The server refused some hours; the rows say why.' : describeProblem(e)
      setMessage({ ok: false, text: [summary, ...other].join('\n') })
      setFocusRequest((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }

  const rowProps = (index: number): RowProps => ({
    rule: rules[index]!,
    index,
    messages: problems.filter((p) => p.index === index).map((p) => p.message),
    related: problems.some((p) => p.related === index),
    update: (patch) => update(index, patch),
    remove: () => remove(index),
  })
  const breakControl = (index: number) =>
    breakFor?.index === index ? (
      <BreakForm
        draft={breakFor}
        onChange={(patch) => setBreakFor({ ...breakFor, ...patch, error: undefined })}
        onAdd={confirmBreak}
        onCancel={() => setBreakFor(undefined)}
      />
    ) : (
      <button type="button" onClick={() => setBreakFor({ index, ...suggestBreak(rules[index]!) })}>
        Add a break
      </button>
    )
  const indexed = rules.map((rule, index) => ({ rule, index }))
  const dates = [...new Set(rules.filter((r) => r.specificDate).map((r) => r.specificDate!))].sort()

  return (
    <section aria-labelledby="schedule-title" class="schedule">
      <h2 id="schedule-title">Opening hours of {resource.name}</h2>
      <p class="help">
        Times are wall-clock times in {resource.timezone}, written 09:00. A day without hours is closed. “Slot” splits a
        window into bookings of that many minutes; empty lets guests pick a booking length.
      </p>

      <div class="week">
        {WEEKDAY_NAMES.map((name, weekday) => {
          const windows = indexed.filter(({ rule }) => rule.weekday === weekday && !rule.specificDate)
          return (
            <div class="sched-day" role="group" aria-labelledby={`sd-${weekday}`} key={name}>
              <div class="sched-head">
                <h3 id={`sd-${weekday}`}>{name}</h3>
                <Timeline rules={windows.map((w) => w.rule)} />
              </div>
              {windows.map(({ index }) => (
                <WindowRow key={index} {...rowProps(index)}>
                  {breakControl(index)}
                </WindowRow>
              ))}
              <div class="actions">
                {windows.length === 0 && <span class="muted closed-day">Closed</span>}
                <button type="button" onClick={() => change([...rules, nextWindow(rules, weekday, defaultSlot)])}>
                  Add hours
                </button>
                {windows.length > 0 && (
                  <>
                    <button type="button" onClick={() => restructure(copyDay(rules, weekday, MON_TO_FRI))}>
                      Copy to Mon–Fri
                    </button>
                    <button type="button" onClick={() => restructure(copyDay(rules, weekday, ALL_DAYS))}>
                      Copy to all days
                    </button>
                  </>
                )}
              </div>
            </div>
          )
        })}
      </div>

      <h3 id="dates-title">Dates: holidays and special hours</h3>
      <p class="help">A date listed here replaces its weekday’s hours on that day.</p>
      {dates.length === 0 && <p class="muted">No dates yet.</p>}
      {dates.length > 0 && (
        <ul class="dates" aria-labelledby="dates-title">
          {dates.map((date) => {
            const rows = indexed.filter(({ rule }) => rule.specificDate === date)
            return (
              <li key={date} class="sched-day" role="group" aria-label={dateLabel(date)}>
                <h4>{dateLabel(date)}</h4>
                {rows.map(({ rule, index }) =>
                  rule.isAvailable ? (
                    <WindowRow key={index} {...rowProps(index)}>
                      {breakControl(index)}
                    </WindowRow>
                  ) : (
                    <ClosedRow key={index} {...rowProps(index)} />
                  ),
                )}
              </li>
            )
          })}
        </ul>
      )}
      {adding ? (
        <DateForm
          draft={adding}
          onChange={(patch) => setAdding({ ...adding, ...patch, error: undefined })}
          onCancel={() => setAdding(undefined)}
          onAdd={() => {
            const result = ruleFromDraft(adding, rules)
            if (result.error !== undefined) {
              setAdding({ ...adding, error: result.error })
              return
            }
            change([...rules, result.rule])
            setAdding(undefined)
          }}
        />
      ) : (
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              setAdding({
                date: '',
                closed: true,
                start: '09:00',
                end: '17:00',
                slot: defaultSlot === null ? '' : String(defaultSlot),
              })
            }
          >
            Add a date
          </button>
        </div>
      )}

      {message && (
        <p class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
          Save opening hours
        </button>
      </div>
    </section>
  )
}

interface RowProps {
  rule: ScheduleRule
  index: number
  messages: string[]
  related: boolean
  update: (patch: Partial<ScheduleRule>) => void
  remove: () => void
  children?: ComponentChildren
}

/** One window, edited in place; what is wrong with it is said right under it. */
function WindowRow({ rule, index, messages, related, update, remove, children }: RowProps) {
  const id = rowId(index)
  const invalid = messages.length > 0
  const a11y = {
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
  }
  const tidy = (field: 'startTime' | 'endTime', text: string) => {
    const time = normalizeTime(text)
    if (time && time !== text) update({ [field]: time })
  }
  return (
    <div class={`sched-row${invalid || related ? ' bad' : ''}`}>
      <div class="times">
        <label>
          From
          <input
            id={`${id}-start`}
            {...a11y}
            value={rule.startTime}
            maxLength={5}
            placeholder="09:00"
            autoComplete="off"
            onInput={(e) => update({ startTime: (e.currentTarget as HTMLInputElement).value })}
            onBlur={(e) => tidy('startTime', (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          To
          <input
            id={`${id}-end`}
            {...a11y}
            value={rule.endTime}
            maxLength={5}
            placeholder="17:00"
            autoComplete="off"
            onInput={(e) => update({ endTime: (e.currentTarget as HTMLInputElement).value })}
            onBlur={(e) => tidy('endTime', (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          Slot, min
          <input
            id={`${id}-slot`}
            type="number"
            min={1}
            inputMode="numeric"
            placeholder="any"
            value={rule.slotDuration ?? ''}
            onInput={(e) => {
              const text = (e.currentTarget as HTMLInputElement).value
              update({ slotDuration: text === '' ? null : Number(text) })
            }}
          />
        </label>
      </div>
      <div class="actions">
        {children}
        <button type="button" aria-label={`Remove ${rule.startTime}–${rule.endTime}`} onClick={remove}>
          Remove
        </button>
      </div>
      {invalid && (
        <p class="field-error" id={`${id}-error`}>
          {messages.join('\n')}
        </p>
      )}
    </div>
  )
}

/** A closure: the whole date is not bookable. */
function ClosedRow({ index, messages, related, remove }: RowProps) {
  const id = rowId(index)
  const invalid = messages.length > 0
  return (
    <div class={`sched-row closed${invalid || related ? ' bad' : ''}`}>
      <span class="closed-day">Closed all day</span>
      <button
        type="button"
        id={`${id}-start`}
        aria-label="Remove this closure"
        aria-describedby={invalid ? `${id}-error` : undefined}
        onClick={remove}
      >
        Remove
      </button>
      {invalid && (
        <p class="field-error" id={`${id}-error`}>
          {messages.join('\n')}
        </p>
      )}
    </div>
  )
}

function BreakForm({
  draft,
  onChange,
  onAdd,
  onCancel,
}: {
  draft: { start: string; end: string; error?: string | undefined }
  onChange: (patch: { start?: string; end?: string }) => void
  onAdd: () => void
  onCancel: () => void
}) {
  return (
    <div class="break-form" role="group" aria-label="New break">
      <label>
        Break from
        <input
          value={draft.start}
          maxLength={5}
          autoComplete="off"
          aria-invalid={draft.error ? 'true' : undefined}
          aria-describedby={draft.error ? 'break-error' : undefined}
          onInput={(e) => onChange({ start: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <label>
        Break to
        <input
          value={draft.end}
          maxLength={5}
          autoComplete="off"
          aria-invalid={draft.error ? 'true' : undefined}
          onInput={(e) => onChange({ end: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <div class="actions">
        <button type="button" class="primary" onClick={onAdd}>
          Add break
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {draft.error && (
        <p class="field-error" id="break-error" role="alert">
          {draft.error}
        </p>
      )}
    </div>
  )
}

interface DateDraft {
  date: string
  closed: boolean
  start: string
  end: string
  slot: string
  error?: string | undefined
}

/** The new date's rule, or why it cannot be added (checked against the other rows of that date). */
function ruleFromDraft(
  draft: DateDraft,
  rules: readonly ScheduleRule[],
): { rule: ScheduleRule; error?: undefined } | { rule?: undefined; error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) return { error: 'Choose the date.' }
  const start = normalizeTime(draft.start)
  const end = normalizeTime(draft.end)
  if (!draft.closed && (!start || !end)) return { error: 'Write the hours as HH:MM, e.g. 10:00 and 14:00.' }
  const slotText = draft.slot.trim()
  if (!draft.closed && slotText !== '' && !/^\d+$/.test(slotText))
    return { error: 'Write the slot length as whole minutes, or leave it empty.' }
  const rule: ScheduleRule = draft.closed
    ? {
        weekday: null,
        specificDate: draft.date,
        startTime: '00:00',
        endTime: '24:00',
        slotDuration: null,
        isAvailable: false,
      }
    : {
        weekday: null,
        specificDate: draft.date,
        startTime: start!,
        endTime: end!,
        slotDuration: slotText === '' ? null : Number(slotText),
        isAvailable: true,
      }
  const problem = findProblems([...rules, rule]).find((p) => p.index === rules.length)
  return problem ? { error: problem.message } : { rule }
}

/** Adding a date: the Date field exists only here, while a date is being added. */
function DateForm({
  draft,
  onChange,
  onAdd,
  onCancel,
}: {
  draft: DateDraft
  onChange: (patch: Partial<DateDraft>) => void
  onAdd: () => void
  onCancel: () => void
}) {
  useEffect(() => document.getElementById('new-date')?.focus(), [])
  return (
    <fieldset class="date-form">
      <legend>Add a date</legend>
      <label>
        Date
        <input
          id="new-date"
          type="date"
          value={draft.date}
          aria-invalid={draft.error && !draft.date ? 'true' : undefined}
          aria-describedby={draft.error ? 'new-date-error' : undefined}
          onInput={(e) => onChange({ date: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <div class="choices">
        <label class="check">
          <input type="radio" name="new-date-kind" checked={draft.closed} onChange={() => onChange({ closed: true })} />{' '}
          Closed all day
        </label>
        <label class="check">
          <input
            type="radio"
            name="new-date-kind"
            checked={!draft.closed}
            onChange={() => onChange({ closed: false })}
          />{' '}
          Open at other hours
        </label>
      </div>
      {!draft.closed && (
        <div class="times">
          <label>
            From
            <input
              value={draft.start}
              maxLength={5}
              autoComplete="off"
              onInput={(e) => onChange({ start: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          <label>
            To
            <input
              value={draft.end}
              maxLength={5}
              autoComplete="off"
              onInput={(e) => onChange({ end: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          <label>
            Slot, min
            <input
              type="number"
              min={1}
              inputMode="numeric"
              placeholder="any"
              value={draft.slot}
              onInput={(e) => onChange({ slot: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
        </div>
      )}
      {draft.error && (
        <p class="field-error" id="new-date-error" role="alert">
          {draft.error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onAdd}>
          Add date
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  )
}

/** The day's windows on a 24-hour bar, placed through CSSOM (allowed by a strict CSP). */
function Timeline({ rules }: { rules: ScheduleRule[] }) {
  return (
    <div class="timeline" aria-hidden="true">
      {rules.map((rule, i) => (
        <span
          key={i}
          class={rule.isAvailable ? undefined : 'off'}
          ref={(el) => {
            if (el) placeBar(el, rule)
          }}
        />
      ))}
    </div>
  )
}

function placeBar(el: HTMLElement, rule: ScheduleRule): void {
  const start = minutesOf(rule.startTime)
  const end = minutesOf(rule.endTime)
  if (start === undefined || end === undefined || end <= start) {
    el.style.width = '0'
    return
  }
  el.style.left = `${(start / 1440) * 100}%`
  el.style.width = `${((end - start) / 1440) * 100}%`
}
