import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { MAX_POOL_WEIGHT } from '../shared/limits'
import type { AdminPool, AdminResource } from '../shared/types'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'
import { CheckField, Field, FieldError, FIX_FIELDS, FormFooter, fieldA11y, refusalSummary } from './form-parts'
import {
  firstErrorKey,
  formFromPool,
  mapPoolDetails,
  membersChanged,
  moveMember,
  POOL_STRATEGIES,
  STRATEGY_WORDS,
  toPoolBody,
  type PoolErrorKey,
  type PoolErrors,
  type PoolFormValues,
} from './pool-form'
import { RESOURCE_TYPES } from './resource-form'

/**
 * The owner's pools ("any free physio", a dining room of tables): the list, and an editor
 * for a pool's settings and its members in order. A pool is never deleted, only deactivated.
 */
export function PoolsView({ api }: { api: AdminApi }) {
  const [pools, setPools] = useState<AdminPool[] | undefined>(undefined)
  const [resources, setResources] = useState<AdminResource[]>([])
  const [editing, setEditing] = useState<AdminPool | 'new' | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [status, setStatus] = useState<string | undefined>(undefined)
  // Bumped when a pool changes outside its editor (deactivated from the list): the editor starts again from it.
  const [version, setVersion] = useState(0)
  const load = () =>
    ownerRoutes(api)
      .listPools()
      .then(
        (r) => setPools(r.pools),
        (e: unknown) => setError(describeProblem(e)),
      )
  useEffect(() => {
    void load()
    ownerRoutes(api)
      .listResources()
      .then(
        (r) => setResources(r.resources),
        (e: unknown) => setError(describeProblem(e)),
      )
  }, [])
  const deactivate = async (pool: AdminPool) => {
    setStatus(undefined)
    setError(undefined)
    try {
      const { pool: saved } = await ownerRoutes(api).deactivatePool(pool.id)
      setStatus(`${saved.name} is inactive: it takes no new bookings; its bookings stay.`)
      if (editing !== 'new' && editing?.id === saved.id) {
        setEditing(saved)
        setVersion((v) => v + 1)
      }
      await load()
    } catch (e) {
      setError(describeProblem(e))
    }
  }

  return (
    <>
      <section aria-labelledby="pools-title" class="resources">
        <div class="row">
          <h2 id="pools-title" class="grow">
            Pools
          </h2>
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New pool
          </button>
        </div>
        <p class="muted">
          A pool books “any free” member: guests pick a time and get one of its resources, chosen by the strategy.
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
        {pools && pools.length === 0 && <p class="muted">No pools yet. Make one with “New pool”.</p>}
        {pools && pools.length > 0 && (
          <ul class="resource-list">
            {pools.map((p) => (
              <li key={p.id}>
                <span class="grow">
                  <strong>{p.name}</strong> <code>{p.slug}</code>
                  <span class="muted">
                    {' '}
                    · {STRATEGY_WORDS[p.strategy]?.label ?? p.strategy} ·{' '}
                    {p.members.length === 1 ? '1 member' : `${p.members.length} members`} ·{' '}
                    {p.isActive ? 'active' : 'inactive'}
                  </span>
                </span>
                <button type="button" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                  Edit
                </button>
                {p.isActive && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() => void deactivate(p)}
                    aria-label={`Deactivate ${p.name}`}
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
        <PoolEditor
          key={editing === 'new' ? 'new' : `${editing.id}-${version}`}
          api={api}
          pool={editing === 'new' ? undefined : editing}
          resources={resources}
          onSaved={(saved, created) => {
            setError(undefined)
            setStatus(
              created
                ? `${saved.name} created. Embed it as a resource's widget, with data-booking-pool="${saved.slug}" in place of data-booking-resource.`
                : undefined,
            )
            setEditing(saved)
            void load()
          }}
        />
      )}
    </>
  )
}

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone

const HELP = {
  name: 'Guests see this name at the top of the booking form, e.g. Any physio or Dining room.',
  slug: 'Names this pool in the embed snippet (data-booking-pool): lowercase letters, digits and hyphens.',
  type: 'What kind of thing the members are, e.g. table; only for your own lists.',
  timezone: 'The zone the pool’s days are counted in (for taking turns).',
  memberChoice: 'Guests may pick a member by name instead of “anyone”.',
  isActive: 'An inactive pool takes no new bookings; its bookings stay.',
  members: 'The pool’s resources, in order: the order breaks ties (and is the whole rule for “In order”).',
} as const

const idOf = (key: PoolErrorKey) => `pf-${key}`

/** "2–6 guests" for a table with party sizes, for choosing tables for a dining room. */
function partyWords(resource: AdminResource | undefined): string {
  const min = resource?.config.minParty
  const max = resource?.config.maxParty
  if (min === undefined && max === undefined) return ''
  if (max === undefined) return ` · ${min}+ guests`
  return ` · ${min ?? 1}–${max} guests`
}

function PoolEditor({
  api,
  pool,
  resources,
  onSaved,
}: {
  api: AdminApi
  pool: AdminPool | undefined
  resources: AdminResource[]
  onSaved: (pool: AdminPool, created: boolean) => void
}) {
  const [values, setValues] = useState<PoolFormValues>(() => formFromPool(pool, localZone()))
  const [errors, setErrors] = useState<PoolErrors>({})
  const [formError, setFormError] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const [focusRequest, setFocusRequest] = useState(0)
  const [adding, setAdding] = useState('')
  const [moved, setMoved] = useState<{ resourceId: string; delta: -1 | 1; words: string } | undefined>(undefined)

  const byId = new Map(resources.map((r) => [r.id, r]))
  const nameOf = (resourceId: string) => byId.get(resourceId)?.name ?? resourceId
  const candidates = resources.filter((r) => !values.members.some((m) => m.resourceId === r.id))
  const chosen = candidates.some((r) => r.id === adding) ? adding : (candidates[0]?.id ?? '')

  useEffect(() => {
    if (focusRequest === 0) return
    const first = firstErrorKey(errors, values)
    if (first) document.getElementById(idOf(first))?.focus()
  }, [focusRequest])

  // A moved member keeps the focus on its button; at the top or bottom, on its other one.
  useEffect(() => {
    if (!moved) return
    const same = document.getElementById(`pm-${moved.delta < 0 ? 'up' : 'down'}-${moved.resourceId}`)
    const other = document.getElementById(`pm-${moved.delta < 0 ? 'down' : 'up'}-${moved.resourceId}`)
    ;(same && !(same as HTMLButtonElement).disabled ? same : other)?.focus()
  }, [moved])

  const clear = (...keys: PoolErrorKey[]) => {
    if (keys.some((key) => errors[key]))
      setErrors((current) =>
        Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key as PoolErrorKey))),
      )
  }
  const set = <K extends keyof PoolFormValues>(field: K, value: PoolFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }))
    setSaved(false)
    if (field !== 'members') clear(field as PoolErrorKey)
  }
  const setMembers = (members: PoolFormValues['members']) => {
    set('members', members)
    clear('members')
  }
  const move = (index: number, delta: -1 | 1) => {
    const member = values.members[index]
    if (!member) return
    const members = moveMember(values.members, index, delta)
    setMembers(members)
    const position = members.findIndex((m) => m.resourceId === member.resourceId) + 1
    setMoved({
      resourceId: member.resourceId,
      delta,
      words: `${nameOf(member.resourceId)} is now ${position} of ${members.length}.`,
    })
  }
  const remove = (resourceId: string) => {
    setMembers(values.members.filter((m) => m.resourceId !== resourceId))
    clear(`member:${resourceId}`, `weight:${resourceId}`)
    setMoved(undefined)
  }
  const add = () => {
    if (!chosen) return
    setMembers([...values.members, { resourceId: chosen, weight: '' }])
    setAdding('')
  }

  const refuse = (fieldErrors: PoolErrors, message: string | undefined) => {
    setErrors(fieldErrors)
    setFormError(message)
    setFocusRequest((n) => n + 1)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setSaved(false)
    const result = toPoolBody(values)
    if (result.errors) {
      refuse(result.errors, FIX_FIELDS)
      return
    }
    const { members, ...fields } = result.body
    setBusy(true)
    try {
      let savedPool: AdminPool
      if (!pool) savedPool = (await ownerRoutes(api).createPool(result.body)).pool
      else {
        savedPool = (await ownerRoutes(api).updatePool(pool.id, { ...fields, isActive: values.isActive })).pool
        if (membersChanged(savedPool, members))
          savedPool = (await ownerRoutes(api).replacePoolMembers(pool.id, { members })).pool
      }
      setErrors({})
      setFormError(undefined)
      setSaved(true)
      onSaved(savedPool, !pool)
    } catch (e) {
      const { fields: fieldErrors, other } =
        e instanceof AdminApiError ? mapPoolDetails(e.details, members) : { fields: {}, other: [] }
      refuse(fieldErrors, [refusalSummary(e, Object.keys(fieldErrors).length), ...other].join('\n'))
    } finally {
      setBusy(false)
    }
  }

  const described = (key: PoolErrorKey, help: boolean) => fieldA11y(idOf(key), errors[key], help)
  const errorLine = (key: PoolErrorKey) => <FieldError id={idOf(key)} error={errors[key]} />
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
  const check = (key: 'memberChoice' | 'isActive', label: string) => (
    <CheckField
      id={idOf(key)}
      label={label}
      error={errors[key]}
      help={HELP[key]}
      checked={values[key]}
      onChange={(checked) => set(key, checked)}
    />
  )
  const weighted = values.strategy === 'weighted'
  const count = values.members.length
  // Guests are asked their party size only when every member says the largest party it seats.
  const openTables =
    values.strategy === 'smallest_fit'
      ? values.members
          .filter((m) => byId.get(m.resourceId)?.config.maxParty === undefined)
          .map((m) => nameOf(m.resourceId))
      : []

  return (
    <section aria-labelledby="pool-editor-title" class="resource-form pool-form">
      <h2 id="pool-editor-title">{pool ? `Edit ${pool.name}` : 'New pool'}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Pool</legend>
          <div class="grid">
            {text('name', 'Name', { maxLength: 200, autoComplete: 'off' })}
            {text('slug', 'Slug', { maxLength: 64, autoComplete: 'off', autoCapitalize: 'none', spellcheck: false })}
            {field(
              'type',
              'Type',
              <select
                {...described('type', true)}
                value={values.type}
                onChange={(e) => set('type', (e.currentTarget as HTMLSelectElement).value)}
              >
                {[...new Set([...RESOURCE_TYPES, values.type])].map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'timezone',
              'Time zone',
              <select
                {...described('timezone', true)}
                value={values.timezone}
                onChange={(e) => set('timezone', (e.currentTarget as HTMLSelectElement).value)}
              >
                {[...new Set([...zones, values.timezone])].map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>,
            )}
            <Field
              id={idOf('strategy')}
              label="Who gets the booking"
              error={errors.strategy}
              help={STRATEGY_WORDS[values.strategy].help}
            >
              <select
                {...described('strategy', true)}
                value={values.strategy}
                onChange={(e) =>
                  set('strategy', (e.currentTarget as HTMLSelectElement).value as PoolFormValues['strategy'])
                }
              >
                {POOL_STRATEGIES.map((s) => (
                  <option key={s} value={s}>
                    {STRATEGY_WORDS[s].label}
                  </option>
                ))}
              </select>
            </Field>
            {check('memberChoice', 'Guests may choose a member')}
            {pool && check('isActive', 'Active (bookable)')}
          </div>
        </fieldset>

        <fieldset aria-describedby={`${idOf('members')}-help`}>
          <legend>Members</legend>
          <p class="help" id={`${idOf('members')}-help`}>
            {HELP.members}
            {weighted && ` Weights go from 1 to ${MAX_POOL_WEIGHT}; empty means 1.`}
          </p>
          {count === 0 && <p class="muted">No members yet: add the resources this pool books.</p>}
          {openTables.length > 0 && (
            <p class="help pool-note">
              Guests are asked for their party size only when every member has a “Largest party” (under Resources).
              Without one: {openTables.join(', ')}.
            </p>
          )}
          {count > 0 && (
            <ol class="pool-members">
              {values.members.map((m, index) => {
                const name = nameOf(m.resourceId)
                const resource = byId.get(m.resourceId)
                const weightKey: PoolErrorKey = `weight:${m.resourceId}`
                const memberKey: PoolErrorKey = `member:${m.resourceId}`
                return (
                  <li key={m.resourceId} class={errors[memberKey] || errors[weightKey] ? 'bad' : undefined}>
                    <span class="pool-member-name">
                      <strong>{name}</strong>
                      <span class="muted">
                        {resource ? ` · ${resource.slug}` : ''}
                        {partyWords(resource)}
                        {resource && !resource.isActive ? ' · inactive' : ''}
                      </span>
                    </span>
                    {weighted && (
                      <label class="pool-weight">
                        Weight
                        <input
                          {...described(weightKey, false)}
                          aria-label={`Weight of ${name}`}
                          inputMode="numeric"
                          value={m.weight}
                          onInput={(e) => {
                            const weight = (e.currentTarget as HTMLInputElement).value
                            set(
                              'members',
                              values.members.map((x) => (x.resourceId === m.resourceId ? { ...x, weight } : x)),
                            )
                            clear(weightKey)
                          }}
                        />
                      </label>
                    )}
                    <span class="actions">
                      <button
                        type="button"
                        id={`pm-up-${m.resourceId}`}
                        aria-label={`Move ${name} up`}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                      >
                        ↑ Up
                      </button>
                      <button
                        type="button"
                        id={`pm-down-${m.resourceId}`}
                        aria-label={`Move ${name} down`}
                        disabled={index === count - 1}
                        onClick={() => move(index, 1)}
                      >
                        ↓ Down
                      </button>
                      <button
                        type="button"
                        {...described(memberKey, false)}
                        aria-label={`Remove ${name}`}
                        onClick={() => remove(m.resourceId)}
                      >
                        Remove
                      </button>
                    </span>
                    {errorLine(weightKey)}
                    {errorLine(memberKey)}
                  </li>
                )
              })}
            </ol>
          )}
          <p class="sr-only" role="status">
            {moved?.words ?? ''}
          </p>
          <div class="row">
            <div class={`field grow${errors.members ? ' invalid' : ''}`}>
              <label for={idOf('members')}>Add a member</label>
              <select
                {...described('members', true)}
                value={chosen}
                disabled={candidates.length === 0}
                onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)}
              >
                {candidates.length === 0 && <option value="">No other resources</option>}
                {candidates.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.slug}){partyWords(r)}
                    {r.isActive ? '' : ' · inactive'}
                  </option>
                ))}
              </select>
              {errorLine('members')}
            </div>
            <button type="button" onClick={add} disabled={!chosen}>
              Add
            </button>
          </div>
        </fieldset>

        <FormFooter formError={formError} busy={busy} saved={saved} submit={pool ? 'Save' : 'Create'} />
      </form>
    </section>
  )
}
