import type { AdminService } from '../shared/types'

/**
 * The service form as the owner edits it (docs/capacity.md, combined bookings): text as
 * typed, parts in the order chosen, the first leading. Each part row has a key of its own
 * (a part's resource or pool can be changed in place), and errors are keyed by it
 * (`part:<key>`, `label:<key>`), so they stay beside the right row when rows move.
 */
export interface ServicePartValues {
  key: string
  /** `resource:<id>` or `pool:<id>`; empty until one is picked. */
  target: string
  /** Optional: guests read the resource's or pool's name without one. */
  label: string
}

export interface ServiceFormValues {
  name: string
  slug: string
  /** Empty: the lead part's zone. */
  timezone: string
  isActive: boolean
  parts: ServicePartValues[]
}

export type ServiceField = Exclude<keyof ServiceFormValues, 'parts'> | 'parts'
export type ServiceErrorKey = ServiceField | `part:${string}` | `label:${string}`
export type ServiceErrors = Partial<Record<ServiceErrorKey, string>>

/** Fewest and most parts a service has: the database keeps positions 0–7. */
export const MIN_PARTS = 2
export const MAX_PARTS = 8

let nextKey = 0
/** A fresh row key, never reused in this page. */
export const newPartKey = () => `p${++nextKey}`

export const targetOf = (part: { resourceId?: string | undefined; poolId?: string | undefined }) =>
  part.resourceId !== undefined ? `resource:${part.resourceId}` : part.poolId !== undefined ? `pool:${part.poolId}` : ''

export function formFromService(service: AdminService | undefined): ServiceFormValues {
  return {
    name: service?.name ?? '',
    slug: service?.slug ?? '',
    timezone: service?.timezone ?? '',
    isActive: service?.isActive ?? true,
    parts: [...(service?.parts ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({ key: newPartKey(), target: targetOf(p), label: p.label ?? '' })),
  }
}

export interface ServiceBodyPart {
  resourceId?: string
  poolId?: string
  label?: string
}

export interface ServiceBody {
  slug: string
  name: string
  timezone?: string
  parts: ServiceBodyPart[]
}

/** The API's service from the form, or what to fix first, beside each field or part. */
export function toServiceBody(
  values: ServiceFormValues,
): { body: ServiceBody; errors?: undefined } | { body?: undefined; errors: ServiceErrors } {
  const errors: ServiceErrors = {}
  if (values.name.trim() === '') errors.name = 'Give it a name guests will recognise, e.g. Massage with room.'
  const slug = values.slug.trim()
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length < 2)
    errors.slug = 'Use lowercase letters, digits and single hyphens, e.g. massage-with-room.'
  if (values.parts.length < MIN_PARTS)
    errors.parts = `A service needs at least ${MIN_PARTS} parts: what leads (e.g. the therapist) and what else it takes.`
  else if (values.parts.length > MAX_PARTS) errors.parts = `A service has at most ${MAX_PARTS} parts.`
  const seen = new Set<string>()
  const parts = values.parts.map(({ key, target, label }): ServiceBodyPart => {
    if (target === '') errors[`part:${key}`] = 'Choose a resource or a pool.'
    else if (seen.has(target)) errors[`part:${key}`] = 'Already a part above: a service takes each once.'
    seen.add(target)
    const [kind, id = ''] = splitTarget(target)
    const trimmed = label.trim()
    return { ...(kind === 'pool' ? { poolId: id } : { resourceId: id }), ...(trimmed ? { label: trimmed } : {}) }
  })
  if (Object.keys(errors).length > 0) return { errors }
  return {
    body: {
      slug,
      name: values.name.trim(),
      ...(values.timezone ? { timezone: values.timezone } : {}),
      parts,
    },
  }
}

function splitTarget(target: string): [string, string | undefined] {
  const colon = target.indexOf(':')
  return colon < 0 ? [target, undefined] : [target.slice(0, colon), target.slice(colon + 1)]
}

/** The parts with the one at `index` moved one place up (-1) or down (+1); unchanged at either end. */
export function movePart<T>(parts: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta
  const next = [...parts]
  if (index < 0 || index >= parts.length || target < 0 || target >= parts.length) return next
  ;[next[index], next[target]] = [next[target]!, next[index]!]
  return next
}

const TOP_FIELDS: readonly string[] = ['slug', 'name', 'timezone', 'isActive']

/**
 * The server's details beside the fields: `slug`, `parts.2.resourceId` (beside the part at
 * that index of `sent`, the rows the refused request carried), `parts`. The rest is
 * returned apart, for the line above the Save button.
 */
export function mapServiceDetails(
  details: unknown,
  sent: readonly { key: string }[],
): { fields: ServiceErrors; other: string[] } {
  const fields: ServiceErrors = {}
  const other: string[] = []
  if (!Array.isArray(details)) return { fields, other }
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue
    const { path, message } = detail as { path?: unknown; message?: unknown }
    if (typeof path !== 'string' || typeof message !== 'string') continue
    const words = message.charAt(0).toUpperCase() + message.slice(1)
    const [head, index, key] = path.split('.')
    let field: ServiceErrorKey | undefined
    if (head && TOP_FIELDS.includes(head)) field = head as ServiceField
    else if (head === 'parts') {
      const part = index !== undefined && /^\d+$/.test(index) ? sent[Number(index)] : undefined
      if (!part) field = 'parts'
      else field = key === 'label' ? `label:${part.key}` : `part:${part.key}`
    }
    if (!field) other.push(path ? `${path}: ${message}` : message)
    else fields[field] ??= words
  }
  return { fields, other }
}

/** Form order: the first key with an error is the one focused (parts in their order). */
export function firstErrorKey(errors: ServiceErrors, values: ServiceFormValues): ServiceErrorKey | undefined {
  const order: ServiceErrorKey[] = [
    'name',
    'slug',
    'timezone',
    'isActive',
    ...values.parts.flatMap((p): ServiceErrorKey[] => [`part:${p.key}`, `label:${p.key}`]),
    'parts',
  ]
  return order.find((key) => errors[key])
}
