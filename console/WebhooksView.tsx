import { useEffect, useRef, useState } from 'preact/hooks'
import { copyOrSelect } from './form-parts'
import type { AdminWebhookDelivery, AdminWebhookEndpoint } from '../shared/api-contract'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../shared/webhook-events'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'

/**
 * The owner's webhook endpoints: add one (URL and events), see whether each is on or was
 * switched off after failures (and why), its signing secret (shown once on creation,
 * revealed again on request, rotated), a test ping, and its recent deliveries with Resend.
 */
export function WebhooksView({ api }: { api: AdminApi }) {
  const routes = ownerRoutes(api)
  const [endpoints, setEndpoints] = useState<AdminWebhookEndpoint[] | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState<string | undefined>(undefined)
  /** The endpoint whose secret is on screen, and the secret. */
  const [shown, setShown] = useState<{ id: string; secret: string } | undefined>(undefined)
  const [logOf, setLogOf] = useState<string | undefined>(undefined)
  const [deleting, setDeleting] = useState<string | undefined>(undefined)

  const load = () =>
    routes.listWebhooks().then(
      (r) => setEndpoints(r.endpoints),
      (e: unknown) => setError(describeProblem(e)),
    )
  useEffect(() => void load(), [])

  const run = async (action: () => Promise<string | undefined>) => {
    setError(undefined)
    setNotice(undefined)
    try {
      setNotice(await action())
      await load()
    } catch (e) {
      setError(describeProblem(e))
    }
  }
  const reveal = (endpoint: AdminWebhookEndpoint) =>
    run(async () => {
      const { endpoint: full } = await routes.getWebhook(endpoint.id)
      setShown({ id: endpoint.id, secret: full.secret ?? '' })
      return undefined
    })
  const rotate = (endpoint: AdminWebhookEndpoint) =>
    run(async () => {
      const { endpoint: saved } = await routes.rotateWebhookSecret(endpoint.id)
      setShown({ id: endpoint.id, secret: saved.secret ?? '' })
      return 'New secret made: the old one no longer verifies. Put the new one in your receiver.'
    })
  const switchTo = (endpoint: AdminWebhookEndpoint, isActive: boolean) =>
    run(async () => {
      await routes.updateWebhook(endpoint.id, { isActive })
      return isActive ? `${endpoint.url} is on again.` : `${endpoint.url} is switched off: no events are sent to it.`
    })
  const test = (endpoint: AdminWebhookEndpoint) =>
    run(async () => {
      await routes.testWebhook(endpoint.id)
      setLogOf(endpoint.id)
      return 'Test event (ping) queued: it is sent within a minute. Its outcome shows in the deliveries.'
    })
  const remove = (endpoint: AdminWebhookEndpoint) =>
    run(async () => {
      await routes.deleteWebhook(endpoint.id)
      setDeleting(undefined)
      if (shown?.id === endpoint.id) setShown(undefined)
      return `${endpoint.url} deleted.`
    })

  return (
    <>
      <section aria-labelledby="webhooks-title" class="resources">
        <h2 id="webhooks-title">Webhooks</h2>
        <p class="muted">
          Your server gets a signed POST for every booking event you choose (header Booking-Signature; check it with
          verifyWebhook from the SDK). Failed deliveries are retried for 3 days.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="ok" role="status">
          {notice}
        </p>
        {endpoints === undefined && !error && <p class="muted">Loading…</p>}
        {endpoints?.length === 0 && <p class="muted">No endpoints yet. Add one below.</p>}
        {endpoints && endpoints.length > 0 && (
          <ul class="resource-list">
            {endpoints.map((ep) => (
              <li key={ep.id}>
                <div class="grow">
                  <div class="row">
                    <span class="grow">
                      <strong>
                        <code>{ep.url}</code>
                      </strong>
                      {ep.description && <span> · {ep.description}</span>}
                      <span class="muted">
                        {' '}
                        · {ep.events.length === WEBHOOK_EVENTS.length ? 'all events' : ep.events.join(', ')} ·{' '}
                        {ep.isActive ? 'active' : 'switched off'}
                      </span>
                    </span>
                  </div>
                  {!ep.isActive && (
                    <p class="error" role="note">
                      {ep.disabledReason
                        ? `Switched off ${new Date(ep.disabledAt ?? ep.createdAt).toLocaleString()}: ${ep.disabledReason} Fix your receiver, then switch it on; failed events can be resent from the deliveries.`
                        : 'Switched off: no events are sent to it.'}
                    </p>
                  )}
                  {shown?.id === ep.id && <SecretField secret={shown.secret} onHide={() => setShown(undefined)} />}
                  <div class="row" role="group" aria-label={`Actions for ${ep.url}`}>
                    {shown?.id !== ep.id && (
                      <button type="button" onClick={() => void reveal(ep)}>
                        Reveal secret
                      </button>
                    )}
                    <button type="button" onClick={() => void rotate(ep)}>
                      Rotate secret
                    </button>
                    <button type="button" onClick={() => void switchTo(ep, !ep.isActive)}>
                      {ep.isActive ? 'Switch off' : 'Switch on'}
                    </button>
                    <button type="button" onClick={() => void test(ep)}>
                      Send test
                    </button>
                    <button
                      type="button"
                      aria-expanded={logOf === ep.id}
                      onClick={() => setLogOf(logOf === ep.id ? undefined : ep.id)}
                    >
                      Deliveries
                    </button>
                    {deleting === ep.id ? (
                      <button type="button" class="danger" onClick={() => void remove(ep)}>
                        Delete for good
                      </button>
                    ) : (
                      <button type="button" class="danger" onClick={() => setDeleting(ep.id)}>
                        Delete
                      </button>
                    )}
                  </div>
                  {logOf === ep.id && <DeliveryLog api={api} endpoint={ep} key={`${ep.id}-${notice ?? ''}`} />}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <NewEndpoint
        api={api}
        onCreated={(ep) => {
          setError(undefined)
          setShown({ id: ep.id, secret: ep.secret ?? '' })
          setNotice(`Endpoint added. Copy its signing secret now and keep it on your server.`)
          void load()
        }}
      />
    </>
  )
}

function SecretField({ secret, onHide }: { secret: string; onHide: () => void }) {
  const field = useRef<HTMLInputElement>(null)
  const [said, setSaid] = useState<string | undefined>(undefined)
  const copy = async () => setSaid(await copyOrSelect(secret, field.current, 'The secret', 'Copied to the clipboard.'))
  return (
    <div class="field">
      <label for="webhook-secret">Signing secret</label>
      <input
        id="webhook-secret"
        class="snippet"
        ref={field}
        readOnly
        value={secret}
        onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
      />
      <div class="row">
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" onClick={onHide}>
          Hide
        </button>
        <span class="muted" role="status">
          {said}
        </span>
      </div>
    </div>
  )
}

const EVENT_WORDS: Record<WebhookEvent, string> = {
  'booking.created': 'Booking made',
  'booking.confirmed': 'Booking confirmed',
  'booking.moved': 'Booking moved',
  'booking.cancelled': 'Booking cancelled',
  'booking.no_show': 'Marked no-show',
  'booking.completed': 'Marked completed',
  'payment.authorized': 'Card authorized',
  'payment.captured': 'Payment captured',
  'payment.refunded': 'Refund made',
  'waitlist.joined': 'Joined the waitlist',
  'waitlist.offered': 'Waitlist offer made',
  'waitlist.claimed': 'Waitlist offer claimed',
  'waitlist.expired': 'Waitlist offer or entry expired',
}

function NewEndpoint({ api, onCreated }: { api: AdminApi; onCreated: (ep: AdminWebhookEndpoint) => void }) {
  const [url, setUrl] = useState('')
  const [description, setDescription] = useState('')
  const [events, setEvents] = useState<WebhookEvent[]>(['booking.created', 'booking.moved', 'booking.cancelled'])
  const [problems, setProblems] = useState<{ url?: string; events?: string; form?: string }>({})
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setProblems({})
    try {
      const { endpoint } = await ownerRoutes(api).createWebhook({
        url: url.trim(),
        events,
        ...(description.trim() ? { description: description.trim() } : {}),
      })
      setUrl('')
      setDescription('')
      onCreated(endpoint)
    } catch (error) {
      setProblems(fieldProblems(error))
    } finally {
      setBusy(false)
    }
  }
  const toggle = (event: WebhookEvent, on: boolean) =>
    setEvents((current) => WEBHOOK_EVENTS.filter((e) => (e === event ? on : current.includes(e))))
  return (
    <form class="embed" aria-labelledby="new-webhook-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="new-webhook-title">Add endpoint</h2>
      <div class={`field${problems.url ? ' invalid' : ''}`}>
        <label for="webhook-url">URL</label>
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/hooks/bookings"
          value={url}
          aria-invalid={problems.url ? 'true' : undefined}
          aria-describedby={problems.url ? 'webhook-url-error webhook-url-help' : 'webhook-url-help'}
          onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
        />
        {problems.url && (
          <p class="field-error" id="webhook-url-error">
            {problems.url}
          </p>
        )}
        <p class="help" id="webhook-url-help">
          An https:// address on the public internet that answers 2xx within 10 seconds.
        </p>
      </div>
      <fieldset class={`field${problems.events ? ' invalid' : ''}`} aria-describedby="webhook-events-error">
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label class="check" key={event}>
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) => toggle(event, (e.currentTarget as HTMLInputElement).checked)}
            />
            {EVENT_WORDS[event]} <code>{event}</code>
          </label>
        ))}
        {problems.events && (
          <p class="field-error" id="webhook-events-error">
            {problems.events}
          </p>
        )}
      </fieldset>
      <div class="field">
        <label for="webhook-description">Description (optional)</label>
        <input
          id="webhook-description"
          value={description}
          maxLength={200}
          onInput={(e) => setDescription((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {problems.form && (
        <p class="error" role="alert">
          {problems.form}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          Add endpoint
        </button>
      </div>
    </form>
  )
}

/** A refusal's reasons by field (`url`, `events…`); anything else for the whole form. */
function fieldProblems(error: unknown): { url?: string; events?: string; form?: string } {
  if (!(error instanceof AdminApiError) || !Array.isArray(error.details)) return { form: describeProblem(error) }
  const out: { url?: string; events?: string; form?: string } = {}
  for (const d of error.details as { path: string; message: string }[]) {
    if (d.path === 'url') out.url ??= d.message
    else if (d.path.startsWith('events')) out.events ??= 'Choose at least one event.'
    else out.form ??= `${d.path}: ${d.message}`
  }
  if (!out.url && !out.events && !out.form) out.form = error.message
  return out
}

function DeliveryLog({ api, endpoint }: { api: AdminApi; endpoint: AdminWebhookEndpoint }) {
  const [deliveries, setDeliveries] = useState<AdminWebhookDelivery[] | undefined>(undefined)
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const [said, setSaid] = useState<string | undefined>(undefined)
  const load = () =>
    ownerRoutes(api)
      .webhookDeliveries(endpoint.id)
      .then(
        (r) => setDeliveries(r.deliveries),
        (e: unknown) => setProblem(describeProblem(e)),
      )
  useEffect(() => void load(), [])
  const resend = async (d: AdminWebhookDelivery) => {
    setProblem(undefined)
    try {
      await ownerRoutes(api).resendWebhookDelivery(endpoint.id, d.id)
      setSaid(`${d.event} queued again: it is sent within a minute.`)
      await load()
    } catch (e) {
      setProblem(describeProblem(e))
    }
  }
  return (
    <div class="bk-log">
      <div class="row">
        <h3 class="grow">Recent deliveries</h3>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <p class="ok" role="status">
        {said}
      </p>
      {deliveries?.length === 0 && <p class="muted">Nothing sent yet.</p>}
      {deliveries && deliveries.length > 0 && (
        <ul class="resource-list" aria-label={`Deliveries to ${endpoint.url}`}>
          {deliveries.map((d) => (
            <li key={d.id}>
              <span class="grow">
                <code>{d.event}</code> <strong>{STATUS_WORDS[d.status]}</strong>
                <span class="muted">
                  {' · '}
                  {[
                    responseWords(d),
                    d.lastLatencyMs === null ? undefined : `${d.lastLatencyMs} ms`,
                    d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`,
                    new Date(d.deliveredAt ?? d.createdAt).toLocaleString(),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </span>
              {d.status !== 'sending' && d.status !== 'pending' && (
                <button type="button" onClick={() => void resend(d)} aria-label={`Resend ${d.event} ${d.eventId}`}>
                  Resend
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** "HTTP 200", or why there was no answer (timeout, refused address, connection refused). */
function responseWords(d: AdminWebhookDelivery): string | undefined {
  if (d.lastStatusCode !== null) return `HTTP ${d.lastStatusCode}`
  return d.lastError ?? undefined
}

const STATUS_WORDS: Record<AdminWebhookDelivery['status'], string> = {
  pending: 'waiting',
  sending: 'sending',
  delivered: 'delivered',
  failed: 'failed',
}
