import { useEffect, useState } from 'preact/hooks'
import { parseMoney, toMajorText } from '../shared/money'
import type { AdminResource, ResourceConfig } from '../shared/types'

export type { AdminResource }
import { describeProblem, type AdminApi } from './api'
import { ScheduleEditor } from './ScheduleEditor'

/** The resources list; choosing one (or "New") opens its editor and its schedule. */
export function ResourcesView({ api }: { api: AdminApi }) {
  const [resources, setResources] = useState<AdminResource[] | undefined>(undefined)
  const [editing, setEditing] = useState<AdminResource | 'new' | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const load = () =>
    api.call<{ resources: AdminResource[] }>('GET', '/resources').then(
      (r) => setResources(r.resources),
      (e: unknown) => setError(describeProblem(e)),
    )
  useEffect(() => void load(), [])

  return (
    <>
      <section aria-labelledby="resources-title">
        <div class="row">
          <h2 id="resources-title" class="grow">
            Resources
          </h2>
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New resource
          </button>
        </div>
        {error && <p class="error">{error}</p>}
        {resources && resources.length === 0 && <p class="muted">No resources yet.</p>}
        {resources && resources.length > 0 && (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Slug</th>
                  <th>Type</th>
                  <th>Zone</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {resources.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>
                      <code>{r.slug}</code>
                    </td>
                    <td>{r.type}</td>
                    <td>{r.timezone}</td>
                    <td>{r.isActive ? 'active' : 'inactive'}</td>
                    <td>
                      <button type="button" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {editing && (
        <ResourceEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          resource={editing === 'new' ? undefined : editing}
          onSaved={(saved) => {
            setEditing(saved)
            void load()
          }}
        />
      )}
      {editing && editing !== 'new' && <ScheduleEditor key={`s-${editing.id}`} api={api} resource={editing} />}
    </>
  )
}

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']
const numberOrUndefined = (value: FormDataEntryValue | null) => (value === null || String(value).trim() === '' ? undefined : Number(value))

function ResourceEditor({ api, resource, onSaved }: { api: AdminApi; resource: AdminResource | undefined; onSaved: (r: AdminResource) => void }) {
  const [error, setError] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const config = resource?.config ?? {}
  const currency = config.price?.currency ?? 'EUR'
  const policy = config.cancellationPolicy ?? {}

  const submit = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
    setSaved(false)
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    const chosenCurrency = text('currency').toUpperCase() || 'EUR'
    const priceText = text('price')
    const price = priceText ? parseMoney(priceText, chosenCurrency) : undefined
    const deposit = text('deposit') ? parseMoney(text('deposit'), chosenCurrency) : undefined
    if ((priceText && price === undefined) || (text('deposit') && deposit === undefined)) {
      setError(`Amounts must be numbers in ${chosenCurrency}, e.g. 25 or 25.50.`)
      return
    }
    const ladder = {
      free_cancellation_hours: numberOrUndefined(form.get('freeHours')),
      partial_refund_hours: numberOrUndefined(form.get('partialHours')),
      partial_refund_percent: numberOrUndefined(form.get('partialPercent')),
      no_refund_hours: numberOrUndefined(form.get('closedHours')),
    }
    const next: ResourceConfig = {
      ...(text('durations') ? { durations: text('durations').split(/[\s,]+/).filter(Boolean).map(Number) } : {}),
      ...(numberOrUndefined(form.get('bufferBefore')) !== undefined ? { bufferBeforeMin: numberOrUndefined(form.get('bufferBefore')) } : {}),
      ...(numberOrUndefined(form.get('bufferAfter')) !== undefined ? { bufferAfterMin: numberOrUndefined(form.get('bufferAfter')) } : {}),
      ...(numberOrUndefined(form.get('notice')) !== undefined ? { minNoticeMin: numberOrUndefined(form.get('notice')) } : {}),
      ...(numberOrUndefined(form.get('horizon')) !== undefined ? { horizonDays: numberOrUndefined(form.get('horizon')) } : {}),
      ...(form.get('requiresConfirmation') ? { requiresConfirmation: true } : {}),
      ...(price !== undefined ? { price: { amount: price, currency: chosenCurrency } } : {}),
      ...(text('payment') && text('payment') !== 'none' ? { payment: text('payment') as 'full' | 'deposit' } : {}),
      ...(deposit !== undefined ? { depositAmount: deposit } : {}),
      ...(Object.values(ladder).some((v) => v !== undefined)
        ? { cancellationPolicy: Object.fromEntries(Object.entries(ladder).filter(([, v]) => v !== undefined)) }
        : {}),
      ...(text('notifyEmail') ? { notifyEmail: text('notifyEmail') } : {}),
    }
    const body = { slug: text('slug'), type: text('type'), name: text('name'), timezone: text('timezone'), config: next }
    try {
      const result = resource
        ? await api.call<{ resource: AdminResource }>('PATCH', `/resources/${resource.id}`, { ...body, isActive: form.get('isActive') === 'on' })
        : await api.call<{ resource: AdminResource }>('POST', '/resources', body)
      setSaved(true)
      onSaved(result.resource)
    } catch (e) {
      setError(describeProblem(e))
    }
  }

  return (
    <section aria-labelledby="editor-title">
      <h2 id="editor-title">{resource ? `Edit ${resource.name}` : 'New resource'}</h2>
      <form onSubmit={submit}>
        <div class="grid">
          <label>
            Name <input name="name" required maxLength={200} value={resource?.name ?? ''} />
          </label>
          <label>
            Slug (used in the embed) <input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" value={resource?.slug ?? ''} />
          </label>
          <label>
            Type
            <select name="type" value={resource?.type ?? 'room'}>
              {['room', 'specialist', 'table', 'car', 'other'].map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Time zone
            <select name="timezone" value={resource?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone}>
              {zones.map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </label>
          <label>
            Durations, minutes (undivided windows) <input name="durations" placeholder="60, 120" value={config.durations?.join(', ') ?? ''} />
          </label>
          <label>
            Buffer before, min <input name="bufferBefore" type="number" min="0" value={config.bufferBeforeMin ?? ''} />
          </label>
          <label>
            Buffer after, min <input name="bufferAfter" type="number" min="0" value={config.bufferAfterMin ?? ''} />
          </label>
          <label>
            Minimum notice, min <input name="notice" type="number" min="0" value={config.minNoticeMin ?? ''} />
          </label>
          <label>
            Bookable ahead, days <input name="horizon" type="number" min="1" value={config.horizonDays ?? ''} />
          </label>
          <label>
            Price <input name="price" inputMode="decimal" placeholder="25.00" value={config.price ? toMajorText(config.price.amount, currency) : ''} />
          </label>
          <label>
            Currency <input name="currency" maxLength={3} value={currency} />
          </label>
          <label>
            Payment
            <select name="payment" value={config.payment ?? 'none'}>
              <option value="none">none</option>
              <option value="full">full price</option>
              <option value="deposit">deposit</option>
            </select>
          </label>
          <label>
            Deposit <input name="deposit" inputMode="decimal" value={config.depositAmount !== undefined ? toMajorText(config.depositAmount, currency) : ''} />
          </label>
          <label>
            Free cancellation until, h before <input name="freeHours" type="number" min="0" value={policy.free_cancellation_hours ?? ''} />
          </label>
          <label>
            Partial refund until, h before <input name="partialHours" type="number" min="0" value={policy.partial_refund_hours ?? ''} />
          </label>
          <label>
            Partial refund, % <input name="partialPercent" type="number" min="0" max="100" value={policy.partial_refund_percent ?? ''} />
          </label>
          <label>
            No online cancel within, h <input name="closedHours" type="number" min="0" value={policy.no_refund_hours ?? ''} />
          </label>
          <label>
            Notify email <input name="notifyEmail" type="email" value={config.notifyEmail ?? ''} />
          </label>
          <label class="check">
            <input type="checkbox" name="requiresConfirmation" checked={config.requiresConfirmation === true} /> Owner confirms each booking
          </label>
          {resource && (
            <label class="check">
              <input type="checkbox" name="isActive" checked={resource.isActive} /> Active (bookable)
            </label>
          )}
        </div>
        <div class="row">
          <button type="submit" class="primary">
            {resource ? 'Save' : 'Create'}
          </button>
          {saved && (
            <span class="ok" role="status">
              Saved.
            </span>
          )}
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  )
}
