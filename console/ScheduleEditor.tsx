import { useEffect, useState } from 'preact/hooks'
import type { ScheduleRule } from '../shared/types'
import { describeProblem, type AdminApi } from './api'
import type { AdminResource } from './ResourcesView'

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
const byStart = (a: ScheduleRule, b: ScheduleRule) => a.startTime.localeCompare(b.startTime)

/**
 * The whole schedule of a resource: a visual week (each day's windows, breaks between
 * them), date overrides and closures below; saved in one PUT, validated by the API.
 */
export function ScheduleEditor({ api, resource }: { api: AdminApi; resource: AdminResource }) {
  const [rules, setRules] = useState<ScheduleRule[] | undefined>(undefined)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined)
  useEffect(() => {
    api.call<{ schedules: ScheduleRule[] }>('GET', `/resources/${resource.id}/schedules`).then(
      (r) => setRules(r.schedules),
      (e: unknown) => setMessage({ ok: false, text: describeProblem(e) }),
    )
  }, [resource.id])
  if (!rules) return null

  const remove = (rule: ScheduleRule) => setRules(rules.filter((r) => r !== rule))
  const add = (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const day = String(form.get('day'))
    const closed = form.get('closed') === 'on'
    const slot = String(form.get('slot') ?? '').trim()
    const rule: ScheduleRule = {
      weekday: day.startsWith('w') ? Number(day.slice(1)) : null,
      specificDate: day === 'date' ? String(form.get('date')) : null,
      startTime: closed ? '00:00' : String(form.get('start')),
      endTime: closed ? '24:00' : String(form.get('end')),
      slotDuration: closed || slot === '' ? null : Number(slot),
      isAvailable: !closed,
    }
    setRules([...rules, rule])
    setMessage(undefined)
  }
  const save = async () => {
    try {
      const saved = await api.call<{ schedules: ScheduleRule[] }>('PUT', `/resources/${resource.id}/schedules`, { schedules: rules })
      setRules(saved.schedules)
      setMessage({ ok: true, text: 'Schedule saved. The widget shows it at once.' })
    } catch (e) {
      setMessage({ ok: false, text: describeProblem(e) })
    }
  }
  const dated = rules.filter((r) => r.specificDate).sort((a, b) => `${a.specificDate}${a.startTime}`.localeCompare(`${b.specificDate}${b.startTime}`))

  return (
    <section aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule of {resource.name}</h2>
      <p class="muted">Times are wall-clock times in {resource.timezone}. A break is the gap between two windows.</p>
      <div class="week" role="list" aria-label="Weekly hours">
        {WEEKDAYS.map((name, weekday) => {
          const windows = rules.filter((r) => r.weekday === weekday).sort(byStart)
          return (
            <div class="day" role="listitem" key={name} aria-label={name}>
              <h3>{name}</h3>
              <div class="timeline" aria-hidden="true">
                {windows.map((w) => (
                  <span key={w.startTime} ref={(el) => {
                    if (el) placeBar(el, w)
                  }} />
                ))}
              </div>
              {windows.length === 0 && <span class="muted">closed</span>}
              {windows.map((w) => (
                <div class="block" key={`${w.startTime}-${w.endTime}`}>
                  <span>
                    {w.startTime}–{w.endTime}
                    {w.slotDuration ? ` · ${w.slotDuration} min` : ' · any length'}
                  </span>
                  <button type="button" aria-label={`Remove ${name} ${w.startTime}–${w.endTime}`} onClick={() => remove(w)}>
                    ×
                  </button>
                </div>
              ))}
            </div>
          )
        })}
      </div>

      <h3>Dates</h3>
      {dated.length === 0 && <p class="muted">No date overrides. A date listed here replaces its weekday's hours.</p>}
      <ul>
        {dated.map((r) => (
          <li key={`${r.specificDate}-${r.startTime}`}>
            {r.specificDate}: {r.isAvailable ? `${r.startTime}–${r.endTime}${r.slotDuration ? ` · ${r.slotDuration} min` : ''}` : 'closed'}{' '}
            <button type="button" aria-label={`Remove ${r.specificDate}`} onClick={() => remove(r)}>
              ×
            </button>
          </li>
        ))}
      </ul>

      <form class="row" onSubmit={add} aria-label="Add hours">
        <label>
          Day
          <select name="day">
            {WEEKDAYS.map((name, i) => (
              <option key={name} value={`w${i}`}>
                {name}
              </option>
            ))}
            <option value="date">a date…</option>
          </select>
        </label>
        <label>
          Date <input name="date" type="date" />
        </label>
        <label>
          From <input name="start" type="time" value="09:00" />
        </label>
        <label>
          To <input name="end" type="time" value="17:00" />
        </label>
        <label>
          Slot, min <input name="slot" type="number" min="5" placeholder="any" value="60" />
        </label>
        <label class="check">
          <input type="checkbox" name="closed" /> closed all day
        </label>
        <button type="submit">Add</button>
      </form>
      <div class="row">
        <button type="button" class="primary" onClick={() => void save()}>
          Save schedule
        </button>
      </div>
      {message && (
        <p class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  )
}

/** Positions a window on the day's 24-hour bar through CSSOM (allowed by a strict CSP). */
function placeBar(el: HTMLElement, rule: ScheduleRule): void {
  const end = rule.endTime === '24:00' ? 1440 : minutes(rule.endTime)
  el.style.left = `${(minutes(rule.startTime) / 1440) * 100}%`
  el.style.width = `${((end - minutes(rule.startTime)) / 1440) * 100}%`
}
