import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { AdminPool, AdminResource, AdminService } from '../shared/types'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'
import { CheckField, Field, FieldError, FIX_FIELDS, FormFooter, fieldA11y, refusalSummary } from './form-parts'
import {
  MAX_PARTS,
  MIN_PARTS,
  firstErrorKey,
  formFromService,
  mapServiceDetails,
  movePart,
  newPartKey,
  targetOf,
  toServiceBody,
  type ServiceErrorKey,
  type ServiceErrors,
  type ServiceFormValues,
} from './service-form'

/**
 * The owner's services (a massage with its room, a car with its driver): the list, and an
 * editor for a service's settings and its parts in order, each a resource or a pool. A
 * service is never deleted, only deactivated.
 */
export function ServicesView({ api }: { api: AdminApi }) {
  const [services, setServices] = useState<AdminService[] | undefined>(undefined)
  const [resources, setResources] = useState<AdminResource[]>([])
  const [pools, setPools] = useState<AdminPool[]>([])
  const [editing, setEditing] = useState<AdminService | 'new' | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [status, setStatus] = useState<string | undefined>(undefined)
  // Bumped when a service changes outside its editor (deactivated from the list): the editor starts again from it.
  const [version, setVersion] = useState(0)
  const routes = ownerRoutes(api)
  const fail = (e: unknown) => setError(describeProblem(e))
  const load = () => routes.listServices().then((r) => setServices(r.services), fail)
  useEffect(() => {
    void load()
    routes.listResources().then((r) => setResources(r.resources), fail)
    routes.listPools().then((r) => setPools(r.pools), fail)
  }, [])
  const deactivate = async (service: AdminService) => {
    setStatus(undefined)
    setError(undefined)
    try {
      const { service: saved } = await routes.deactivateService(service.id)
      setStatus(`${saved.name} is inactive: it takes no new bookings; its bookings stay.`)
      if (editing !== 'new' && editing?.id === saved.id) {
        setEditing(saved)
        setVersion((v) => v + 1)
      }
      await load()
    } catch (e) {
      fail(e)
    }
  }

  return (
    <>
      <section aria-labelledby="services-title" class="resources">
        <div class="row">
          <h2 id="services-title" class="grow">
            Services
          </h2>
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New service
          </button>
        </div>
        <p class="muted">
          A service books several things at once, e.g. a therapist and any free room: a time is offered only when every
          part is free. The first part leads: its times, price and policy are the service’s.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {status && (
          <p class="ok" role="status">
            {status}
          </p>
        )}
        {services && services.length === 0 && <p class="muted">No services yet. Make one with “New service”.</p>}
        {services && services.length > 0 && (
          <ul class="resource-list">
            {services.map((s) => (
              <li key={s.id}>
                <span class="grow">
                  <strong>{s.name}</strong> <code>{s.slug}</code>
                  <span class="muted">
                    {' '}
                    ·{' '}
                    {[...s.parts]
                      .sort((a, b) => a.position - b.position)
                      .map((p) => p.label ?? p.name)
                      .join(' + ')}{' '}
                    · {s.isActive ? 'active' : 'inactive'}
                  </span>
                </span>
                <button type="button" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                  Edit
                </button>
                {s.isActive && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() => void deactivate(s)}
                    aria-label={`Deactivate ${s.name}`}
                  >
                    Deactivate
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {editing && (
        <ServiceEditor
          key={editing === 'new' ? 'new' : `${editing.id}-${version}`}
          api={api}
          service={editing === 'new' ? undefined : editing}
          resources={resources}
          pools={pools}
          onSaved={(saved, created) => {
            setError(undefined)
            setStatus(created ? `${saved.name} created.` : undefined)
            setEditing(saved)
            void load()
          }}
        />
      )}
    </>
  )
}

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']

const HELP = {
  name: 'Guests see this name at the top of the booking form, e.g. Massage with room.',
  slug: 'Names this service in links and embeds: lowercase letters, digits and hyphens.',
  timezone: 'The zone guests see its times in by default; each part keeps its own schedule.',
  isActive: 'An inactive service takes no new bookings; its bookings stay.',
  parts: `What one booking takes at once, ${MIN_PARTS} to ${MAX_PARTS}, each a resource or a pool (“any free room”). The first leads.`,
} as const

const idOf = (key: ServiceErrorKey) => `sf-${key}`

function ServiceEditor({
  api,
  service,
  resources,
  pools,
  onSaved,
}: {
  api: AdminApi
  service: AdminService | undefined
  resources: AdminResource[]
  pools: AdminPool[]
  onSaved: (service: AdminService, created: boolean) => void
}) {
  const [values, setValues] = useState<ServiceFormValues>(() => formFromService(service))
  const [errors, setErrors] = useState<ServiceErrors>({})
  const [formError, setFormError] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const [focusRequest, setFocusRequest] = useState(0)
  const [moved, setMoved] = useState<{ key: string; delta: -1 | 1; words: string } | undefined>(undefined)

  const names = new Map<string, string>([
    ...resources.map((r) => [`resource:${r.id}`, r.name] as const),
    ...pools.map((p) => [`pool:${p.id}`, p.name] as const),
  ])
  // A stored part whose resource or pool is not listed (removed since) keeps its name from the service.
  for (const p of service?.parts ?? []) if (!names.has(targetOf(p))) names.set(targetOf(p), p.name)
  const nameOf = (target: string, index: number) => names.get(target) ?? `Part ${index + 1}`
  const count = values.parts.length

  useEffect(() => {
    if (focusRequest === 0) return
    const first = firstErrorKey(errors, values)
    if (first) document.getElementById(idOf(first))?.focus()
  }, [focusRequest])

  // A moved part keeps the focus on its button; at the top or bottom, on its other one.
  useEffect(() => {
    if (!moved) return
    const same = document.getElementById(`sp-${moved.delta < 0 ? 'up' : 'down'}-${moved.key}`)
    const other = document.getElementById(`sp-${moved.delta < 0 ? 'down' : 'up'}-${moved.key}`)
    ;(same && !(same as HTMLButtonElement).disabled ? same : other)?.focus()
  }, [moved])

  const clear = (...keys: ServiceErrorKey[]) => {
    if (keys.some((key) => errors[key]))
      setErrors((current) =>
        Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key as ServiceErrorKey))),
      )
  }
  const set = <K extends keyof ServiceFormValues>(field: K, value: ServiceFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }))
    setSaved(false)
    if (field !== 'parts') clear(field as ServiceErrorKey)
  }
  const setParts = (parts: ServiceFormValues['parts']) => {
    set('parts', parts)
    clear('parts')
  }
  const change = (key: string, field: 'target' | 'label', value: string) => {
    set(
      'parts',
      values.parts.map((p) => (p.key === key ? { ...p, [field]: value } : p)),
    )
    clear(field === 'target' ? `part:${key}` : `label:${key}`)
  }
  const move = (index: number, delta: -1 | 1) => {
    const part = values.parts[index]
    if (!part) return
    const parts = movePart(values.parts, index, delta)
    setParts(parts)
    const position = parts.findIndex((p) => p.key === part.key) + 1
    setMoved({
      key: part.key,
      delta,
      words: `${nameOf(part.target, index)} is now ${position} of ${parts.length}${position === 1 ? ', and leads' : ''}.`,
    })
  }
  const remove = (key: string) => {
    setParts(values.parts.filter((p) => p.key !== key))
    clear(`part:${key}`, `label:${key}`)
    setMoved(undefined)
  }
  const add = () => {
    // The first resource not yet a part, so a new row starts with something sensible.
    const used = new Set(values.parts.map((p) => p.target))
    const first = resources.find((r) => r.isActive && !used.has(`resource:${r.id}`))
    setParts([...values.parts, { key: newPartKey(), target: first ? `resource:${first.id}` : '', label: '' }])
  }

  const refuse = (fieldErrors: ServiceErrors, message: string | undefined) => {
    setErrors(fieldErrors)
    setFormError(message)
    setFocusRequest((n) => n + 1)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setSaved(false)
    const result = toServiceBody(values)
    if (result.errors) {
      refuse(result.errors, FIX_FIELDS)
      return
    }
    const sent = values.parts
    setBusy(true)
    try {
      const routes = ownerRoutes(api)
      const { timezone, ...rest } = result.body
      const savedService = service
        ? (
            await routes.updateService(service.id, {
              ...rest,
              ...(timezone ? { timezone } : {}),
              isActive: values.isActive,
            })
          ).service
        : (await routes.createService(result.body)).service
      setErrors({})
      setFormError(undefined)
      setSaved(true)
      onSaved(savedService, !service)
    } catch (e) {
      const { fields: fieldErrors, other } =
        e instanceof AdminApiError ? mapServiceDetails(e.details, sent) : { fields: {}, other: [] }
      refuse(fieldErrors, [refusalSummary(e, Object.keys(fieldErrors).length), ...other].join('\n'))
    } finally {
      setBusy(false)
    }
  }

  const described = (key: ServiceErrorKey, help: boolean) => fieldA11y(idOf(key), errors[key], help)
  const errorLine = (key: ServiceErrorKey) => <FieldError id={idOf(key)} error={errors[key]} />
  const field = (key: keyof typeof HELP, label: string, control: ComponentChildren) => (
    <Field id={idOf(key)} label={label} error={errors[key]} help={HELP[key]}>
      {control}
    </Field>
  )
  const text = (key: 'name' | 'slug', label: string, extra: Record<string, string | number | boolean>) =>
    field(
      key,
      label,
      <input
        {...described(key, true)}
        {...extra}
        value={values[key]}
        onInput={(e) => set(key, (e.currentTarget as HTMLInputElement).value)}
      />,
    )

  return (
    <section aria-labelledby="service-editor-title" class="resource-form pool-form">
      <h2 id="service-editor-title">{service ? `Edit ${service.name}` : 'New service'}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Service</legend>
          <div class="grid">
            {text('name', 'Name', { maxLength: 200, autoComplete: 'off' })}
            {text('slug', 'Slug', { maxLength: 64, autoComplete: 'off', autoCapitalize: 'none', spellcheck: false })}
            {field(
              'timezone',
              'Time zone',
              <select
                {...described('timezone', true)}
                value={values.timezone}
                onChange={(e) => set('timezone', (e.currentTarget as HTMLSelectElement).value)}
              >
                {!service && <option value="">The first part’s zone</option>}
                {[...new Set([...zones, ...(values.timezone ? [values.timezone] : [])])].map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>,
            )}
            {service && (
              <CheckField
                id={idOf('isActive')}
                label="Active (bookable)"
                error={errors.isActive}
                help={HELP.isActive}
                checked={values.isActive}
                onChange={(checked) => set('isActive', checked)}
              />
            )}
          </div>
        </fieldset>

        <fieldset aria-describedby={`${idOf('parts')}-help`}>
          <legend>Parts</legend>
          <p class="help" id={`${idOf('parts')}-help`}>
            {HELP.parts}
          </p>
          {count === 0 && <p class="muted">No parts yet: add what this service takes.</p>}
          {count > 0 && (
            <ol class="pool-members">
              {values.parts.map((p, index) => {
                const name = nameOf(p.target, index)
                const partKey: ServiceErrorKey = `part:${p.key}`
                const labelKey: ServiceErrorKey = `label:${p.key}`
                return (
                  <li key={p.key} class={errors[partKey] || errors[labelKey] ? 'bad' : undefined}>
                    <label class="pool-weight">
                      {index === 0 ? 'Leads' : `Part ${index + 1}`}
                      <select
                        {...described(partKey, false)}
                        aria-label={`Part ${index + 1}: resource or pool`}
                        value={p.target}
                        onChange={(e) => change(p.key, 'target', (e.currentTarget as HTMLSelectElement).value)}
                      >
                        {p.target === '' && <option value="">Choose…</option>}
                        {!names.has(p.target) && p.target !== '' && <option value={p.target}>{name}</option>}
                        <optgroup label="Resources">
                          {resources.map((r) => (
                            <option key={r.id} value={`resource:${r.id}`}>
                              {r.name} ({r.slug}){r.isActive ? '' : ' · inactive'}
                            </option>
                          ))}
                        </optgroup>
                        {pools.length > 0 && (
                          <optgroup label="Pools (any free member)">
                            {pools.map((pool) => (
                              <option key={pool.id} value={`pool:${pool.id}`}>
                                {pool.name} ({pool.slug}){pool.isActive ? '' : ' · inactive'}
                              </option>
                            ))}
                          </optgroup>
                        )}
                      </select>
                    </label>
                    <label class="pool-weight">
                      Label
                      <input
                        {...described(labelKey, false)}
                        aria-label={`Label of part ${index + 1} (optional)`}
                        maxLength={100}
                        placeholder={name}
                        value={p.label}
                        onInput={(e) => change(p.key, 'label', (e.currentTarget as HTMLInputElement).value)}
                      />
                    </label>
                    <span class="actions">
                      <button
                        type="button"
                        id={`sp-up-${p.key}`}
                        aria-label={`Move ${name} up`}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                      >
                        ↑ Up
                      </button>
                      <button
                        type="button"
                        id={`sp-down-${p.key}`}
                        aria-label={`Move ${name} down`}
                        disabled={index === count - 1}
                        onClick={() => move(index, 1)}
                      >
                        ↓ Down
                      </button>
                      <button type="button" aria-label={`Remove ${name}`} onClick={() => remove(p.key)}>
                        Remove
                      </button>
                    </span>
                    {errorLine(partKey)}
                    {errorLine(labelKey)}
                  </li>
                )
              })}
            </ol>
          )}
          <p class="sr-only" role="status">
            {moved?.words ?? ''}
          </p>
          <div class={`row${errors.parts ? ' invalid' : ''}`}>
            <button
              type="button"
              {...fieldA11y(idOf('parts'), errors.parts, false)}
              onClick={add}
              disabled={count >= MAX_PARTS}
            >
              Add a part
            </button>
          </div>
          {errorLine('parts')}
        </fieldset>

        <FormFooter formError={formError} busy={busy} saved={saved} submit={service ? 'Save' : 'Create'} />
      </form>
    </section>
  )
}
