import { Fragment } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { formatMoney } from '../shared/money'
import type { PublicBooking } from '../shared/types'
import { addDays, todayIn } from '../shared/calendar-labels'
import { describeProblem, type AdminApi } from './api'
import type { AdminResource } from './ResourcesView'

type AdminBooking = PublicBooking & { id: string }

interface Notice {
  id: string
  event: string
  channel: string
  recipient: string | null
  status: string
  attempts: number
  sendAfter: string
  sentAt: string | null
  lastError: string | null
  skipReason: string | null
}

const ACTIONS: Record<string, { label: string; transition: string; danger?: boolean }[]> = {
  pending: [
    { label: 'Confirm', transition: 'confirm' },
    { label: 'Cancel', transition: 'cancel', danger: true },
  ],
  confirmed: [
    { label: 'Completed', transition: 'complete' },
    { label: 'No-show', transition: 'no-show' },
    { label: 'Cancel', transition: 'cancel', danger: true },
  ],
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' })
const timeLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/** Bookings by day or week, with the owner's actions and each booking's message log. */
export function BookingsView({ api }: { api: AdminApi }) {
  const [view, setView] = useState<'day' | 'week'>('week')
  const [from, setFrom] = useState(() => todayIn(zone, new Date()))
  const [resourceId, setResourceId] = useState('')
  const [resources, setResources] = useState<AdminResource[]>([])
  const [list, setList] = useState<AdminBooking[] | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [log, setLog] = useState<{ id: string; rows: Notice[] } | undefined>(undefined)
  const days = view === 'day' ? 1 : 7

  const load = async () => {
    setError(undefined)
    const start = new Date(`${from}T00:00:00`).toISOString()
    const end = new Date(`${addDays(from, days)}T00:00:00`).toISOString()
    const query = new URLSearchParams({ from: start, to: end, limit: '200', ...(resourceId ? { resourceId } : {}) })
    try {
      setList((await api.call<{ bookings: AdminBooking[] }>('GET', `/bookings?${query}`)).bookings)
    } catch (e) {
      setError(describeProblem(e))
    }
  }
  useEffect(() => {
    void api.call<{ resources: AdminResource[] }>('GET', '/resources').then((r) => setResources(r.resources), () => undefined)
  }, [])
  useEffect(() => void load(), [from, view, resourceId])

  const act = async (booking: AdminBooking, transition: string) => {
    if (transition === 'cancel' && !confirm(`Cancel booking ${booking.ref}? The guest is told and refunded by the policy.`)) return
    try {
      await api.call('POST', `/bookings/${booking.id}/${transition}`, transition === 'cancel' ? {} : undefined)
      await load()
    } catch (e) {
      setError(describeProblem(e))
    }
  }
  const showLog = async (booking: AdminBooking) => {
    const rows = (await api.call<{ notifications: Notice[] }>('GET', `/notifications?bookingId=${booking.id}`)).notifications
    setLog({ id: booking.id, rows })
  }
  const names = new Map(resources.map((r) => [r.id, r.name]))
  const byDay = new Map<string, AdminBooking[]>()
  for (const b of list ?? []) {
    const key = todayIn(zone, new Date(b.start))
    byDay.set(key, [...(byDay.get(key) ?? []), b])
  }

  return (
    <section aria-labelledby="bookings-title">
      <h2 id="bookings-title">Bookings</h2>
      <div class="row">
        <button type="button" aria-current={view === 'day' ? 'page' : undefined} onClick={() => setView('day')}>
          Day
        </button>
        <button type="button" aria-current={view === 'week' ? 'page' : undefined} onClick={() => setView('week')}>
          Week
        </button>
        <button type="button" aria-label="Earlier" onClick={() => setFrom(addDays(from, -days))}>
          ‹
        </button>
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" aria-label="Later" onClick={() => setFrom(addDays(from, days))}>
          ›
        </button>
        <label>
          Resource
          <select value={resourceId} onChange={(e) => setResourceId((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">all</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {list && list.length === 0 && <p class="muted">No bookings in this {view}.</p>}
      {[...byDay.entries()].map(([date, items]) => (
        <div key={date}>
          <h3>{dayLabel.format(new Date(`${date}T12:00:00`))}</h3>
          <div class="scroll">
            <table>
              <tbody>
                {items.map((b) => (
                  <Fragment key={b.id}>
                    <tr data-ref={b.ref}>
                      <td>
                        {timeLabel.format(new Date(b.start))}–{timeLabel.format(new Date(b.end))}
                      </td>
                      <td>{names.get(b.resourceId) ?? 'resource'}</td>
                      <td>
                        {b.guest.name}
                        <br />
                        <span class="muted">
                          {b.guest.email}
                          {b.guest.phone ? ` · ${b.guest.phone}` : ''}
                        </span>
                      </td>
                      <td>
                        <span class={`status ${b.status}`}>{b.status.replace('_', ' ')}</span> <code>{b.ref}</code>
                        {b.payment && (
                          <div class="muted">
                            {formatMoney(b.payment.amount, b.payment.currency)} · {b.payment.status}
                          </div>
                        )}
                      </td>
                      <td>
                        <div class="actions">
                          {(ACTIONS[b.status] ?? []).map((a) => (
                            <button key={a.transition} type="button" class={a.danger ? 'danger' : ''} onClick={() => void act(b, a.transition)}>
                              {a.label}
                            </button>
                          ))}
                          <button type="button" onClick={() => void showLog(b)}>
                            Messages
                          </button>
                        </div>
                      </td>
                    </tr>
                    {log?.id === b.id && (
                      <tr>
                        <td colSpan={5}>
                          <MessageLog rows={log.rows} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  )
}

function MessageLog({ rows }: { rows: Notice[] }) {
  if (rows.length === 0) return <p class="muted">No messages for this booking.</p>
  return (
    <table aria-label="Messages">
      <thead>
        <tr>
          <th>Message</th>
          <th>To</th>
          <th>State</th>
          <th>When</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((n) => (
          <tr key={n.id}>
            <td>
              {n.event.replace(/_/g, ' ')} · {n.channel}
            </td>
            <td>{n.recipient ?? '—'}</td>
            <td>
              {n.status}
              {n.skipReason ? ` (${n.skipReason})` : ''}
              {n.lastError ? ` — ${n.lastError}` : ''}
              {n.attempts > 1 ? ` · ${n.attempts} tries` : ''}
            </td>
            <td>{new Date(n.sentAt ?? n.sendAfter).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
