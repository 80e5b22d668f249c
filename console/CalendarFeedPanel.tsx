import { useEffect, useRef, useState } from 'preact/hooks'
import { copyOrSelect } from './form-parts'
import type { AdminResource } from '../shared/types'
import { describeProblem, ownerRoutes, type AdminApi } from './api'

const ROTATE_WARNING =
  'Make a new address? The current one stops working at once: every calendar subscribed to it must subscribe to the new one.'
const OFF_WARNING = 'Turn the feed off? Calendars subscribed to it stop receiving this resource’s bookings.'

/**
 * The resource's bookings as a calendar the owner subscribes to in Google, Apple or Outlook:
 * a secret address with a Copy button, making a new one when it leaked, turning it off, and
 * whether guests' names show (a resource setting, saved like the rest of the resource).
 */
export function CalendarFeedPanel({
  api,
  resource,
  onSaved,
}: {
  api: AdminApi
  resource: AdminResource
  onSaved: (resource: AdminResource) => void
}) {
  // undefined: not loaded yet; null: no feed.
  const [url, setUrl] = useState<string | null | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState('')
  const field = useRef<HTMLInputElement>(null)
  const routes = ownerRoutes(api)

  const [loadError, setLoadError] = useState<string | undefined>(undefined)
  useEffect(() => {
    routes
      .getFeed(resource.id)
      .then((r) => setUrl(r.feed.url))
      .catch((e: unknown) => setLoadError(describeProblem(e)))
  }, [resource.id])

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(undefined)
    setNotice('')
    try {
      await action()
    } catch (e) {
      setError(describeProblem(e))
    } finally {
      setBusy(false)
    }
  }
  const make = (rotating: boolean) => {
    if (rotating && !confirm(ROTATE_WARNING)) return
    void run(async () => {
      setUrl((await routes.rotateFeed(resource.id)).feed.url)
      setNotice(rotating ? 'New address made. The old one no longer works.' : 'Feed made. Copy the address below.')
    })
  }
  const turnOff = () => {
    if (!confirm(OFF_WARNING)) return
    void run(async () => {
      setUrl((await routes.turnOffFeed(resource.id)).feed.url)
      setNotice('Feed turned off.')
    })
  }
  const setGuestNames = (show: boolean) =>
    void run(async () => {
      // The whole stored config goes back: a PATCH replaces it, and nothing else may change.
      const saved = await routes.updateResource(resource.id, { config: { ...resource.config, feedGuestNames: show } })
      onSaved(saved.resource)
      setNotice(show ? 'Guests’ names now show in the feed.' : 'The feed now shows “Booked” instead of names.')
    })
  const copy = async () =>
    setNotice(
      await copyOrSelect(
        url ?? '',
        field.current,
        'The address',
        'Copied. In your calendar app choose “Subscribe” or “From URL” and paste it.',
      ),
    )

  return (
    <section aria-labelledby="feed-title" class="embed">
      <h2 id="feed-title">Calendar feed</h2>
      <p class="help">
        Subscribe to {resource.name}’s bookings in Google Calendar, Apple Calendar or Outlook. Calendar apps refresh it
        every few minutes to a few hours. Anyone who has the address can read it: keep it private.
      </p>
      {url === undefined && !loadError && <p class="muted">Loading…</p>}
      {loadError && <p class="error">The feed could not be loaded. {loadError}</p>}
      {url === null && (
        <div class="row">
          <button type="button" class="primary" disabled={busy} onClick={() => make(false)}>
            Create feed
          </button>
        </div>
      )}
      {url && (
        <>
          <label for="feed-url">Feed address</label>
          <input
            id="feed-url"
            class="snippet"
            ref={field}
            readOnly
            value={url}
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
          />
          <div class="row">
            <button type="button" class="primary" onClick={() => void copy()}>
              Copy address
            </button>
            <button type="button" disabled={busy} onClick={() => make(true)}>
              Rotate address
            </button>
            <button type="button" disabled={busy} onClick={turnOff}>
              Turn off
            </button>
          </div>
        </>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={resource.config.feedGuestNames === true}
          disabled={busy}
          aria-describedby="feed-names-help"
          onChange={(e) => setGuestNames((e.currentTarget as HTMLInputElement).checked)}
        />
        Show guests’ names in the feed
      </label>
      <p class="help" id="feed-names-help">
        Off: each booking reads “Booked” with its reference, so no guest’s details leave this system.
      </p>
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
