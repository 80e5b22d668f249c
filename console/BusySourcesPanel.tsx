import { useEffect, useState } from 'preact/hooks'
import type { AdminBusySource } from '../shared/api-contract'
import type { AdminResource } from '../shared/types'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'
import { fieldA11y, FieldError } from './form-parts'

const INTERVALS = [
  [5, 'every 5 minutes'],
  [10, 'every 10 minutes'],
  [15, 'every 15 minutes'],
  [30, 'every 30 minutes'],
  [60, 'every hour'],
  [360, 'every 6 hours'],
  [1440, 'once a day'],
] as const

const when = (iso: string) => new Date(iso).toLocaleString()

/** The refusal's reason for one field of the add form (`url`, `label`, `pollMinutes`), if any. */
function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof AdminApiError) || !Array.isArray(error.details)) return {}
  const found: Record<string, string> = {}
  for (const d of error.details as { path: string; message: string }[]) found[d.path] ??= d.message
  return found
}

/**
 * Calendars whose busy events block this resource (a staff member's Google calendar, a
 * room's Airbnb calendar): each with when it last synced and, when the last fetch failed,
 * why and since when the busy times shown are the last good ones. Add, refresh, remove.
 */
export function BusySourcesPanel({ api, resource }: { api: AdminApi; resource: AdminResource }) {
  const routes = ownerRoutes(api)
  const [sources, setSources] = useState<AdminBusySource[] | undefined>(undefined)
  const [loadError, setLoadError] = useState<string | undefined>(undefined)
  const [url, setUrl] = useState('')
  const [label, setLabel] = useState('')
  const [pollMinutes, setPollMinutes] = useState(10)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const [fields, setFields] = useState<Record<string, string>>({})
  const [notice, setNotice] = useState('')

  useEffect(() => {
    routes
      .listBusySources(resource.id)
      .then((r) => setSources(r.sources))
      .catch((e: unknown) => setLoadError(describeProblem(e)))
  }, [resource.id])

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(undefined)
    setFields({})
    setNotice('')
    try {
      await action()
    } catch (e) {
      const byField = fieldErrors(e)
      setFields(byField)
      setError(
        Object.keys(byField).length > 0 ? 'The calendar was not added; see the fields above.' : describeProblem(e),
      )
    } finally {
      setBusy(false)
    }
  }
  const replace = (source: AdminBusySource) =>
    setSources((list) => (list ?? []).map((s) => (s.id === source.id ? source : s)))

  const add = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const { source } = await routes.addBusySource(resource.id, {
        url: url.trim(),
        ...(label.trim() ? { label: label.trim() } : {}),
        pollMinutes,
      })
      setSources((list) => [...(list ?? []), source])
      setUrl('')
      setLabel('')
      setNotice(
        source.lastError
          ? 'Calendar added, but it could not be read yet: see below.'
          : `Calendar added: ${source.blockCount} busy ${source.blockCount === 1 ? 'time' : 'times'} imported.`,
      )
    })
  }
  const refresh = (source: AdminBusySource) =>
    void run(async () => {
      const fresh = (await routes.refreshBusySource(source.id)).source
      replace(fresh)
      setNotice(fresh.lastError ? 'The calendar could not be read.' : `${nameOf(fresh)} is up to date.`)
    })
  const remove = (source: AdminBusySource) => {
    if (!confirm(`Remove ${nameOf(source)}? Its busy times stop blocking ${resource.name} at once.`)) return
    void run(async () => {
      await routes.removeBusySource(source.id)
      setSources((list) => (list ?? []).filter((s) => s.id !== source.id))
      setNotice(`${nameOf(source)} removed.`)
    })
  }

  return (
    <section aria-labelledby="busy-title" class="embed">
      <h2 id="busy-title">Busy calendars</h2>
      <p class="help">
        Times that are busy in these calendars are not offered for {resource.name}. Paste a calendar’s secret iCal
        address (Google Calendar: Settings → “Secret address in iCal format”; Airbnb or Booking.com: “Export calendar”).
      </p>
      {sources === undefined && !loadError && <p class="muted">Loading…</p>}
      {loadError && <p class="error">The calendars could not be loaded. {loadError}</p>}
      {sources && sources.length === 0 && <p class="muted">No calendars yet.</p>}
      {sources && sources.length > 0 && (
        <ul class="busy-sources">
          {sources.map((source) => (
            <li key={source.id}>
              <strong>{nameOf(source)}</strong>
              <span class="muted"> · {describeInterval(source.pollMinutes)}</span>
              <p class="help">
                {source.lastSuccessAt
                  ? `Last synced ${when(source.lastSuccessAt)} · ${source.blockCount} busy ${source.blockCount === 1 ? 'time' : 'times'}`
                  : 'Not synced yet'}
              </p>
              {source.lastError && (
                <p class="error">
                  The last fetch failed{source.lastAttemptAt ? ` (${when(source.lastAttemptAt)})` : ''}:{' '}
                  {source.lastError}{' '}
                  {source.lastSuccessAt
                    ? `The busy times from ${when(source.lastSuccessAt)} still apply.`
                    : 'No busy times from it apply yet.'}
                </p>
              )}
              <div class="row">
                <button type="button" disabled={busy} onClick={() => refresh(source)}>
                  Refresh now
                </button>
                <button type="button" disabled={busy} onClick={() => remove(source)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} noValidate>
        <h3>Add a calendar</h3>
        <label for="busy-url">Calendar address (iCal)</label>
        <input
          {...fieldA11y('busy-url', fields.url, false)}
          type="url"
          inputMode="url"
          placeholder="https://calendar.google.com/calendar/ical/…/basic.ics"
          value={url}
          required
          onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldError id="busy-url" error={fields.url} />
        <label for="busy-label">Name (optional)</label>
        <input
          {...fieldA11y('busy-label', fields.label, false)}
          placeholder="Anna’s Google calendar"
          value={label}
          maxLength={100}
          onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldError id="busy-label" error={fields.label} />
        <label for="busy-interval">Check for changes</label>
        <select
          {...fieldA11y('busy-interval', fields.pollMinutes, false)}
          value={String(pollMinutes)}
          onChange={(e) => setPollMinutes(Number((e.currentTarget as HTMLSelectElement).value))}
        >
          {INTERVALS.map(([minutes, text]) => (
            <option key={minutes} value={String(minutes)}>
              {text}
            </option>
          ))}
        </select>
        <FieldError id="busy-interval" error={fields.pollMinutes} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy || url.trim() === ''}>
            Add calendar
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="ok" role="status">
        {notice}
      </p>
    </section>
  )
}

function nameOf(source: AdminBusySource): string {
  if (source.label) return source.label
  try {
    return new URL(source.url).hostname
  } catch {
    return source.url
  }
}

function describeInterval(minutes: number): string {
  const known = INTERVALS.find(([m]) => m === minutes)
  if (known) return `checked ${known[1]}`
  return minutes % 60 === 0 ? `checked every ${minutes / 60} hours` : `checked every ${minutes} minutes`
}
