import { POOL_STRATEGIES, type PoolStrategy } from '../shared/pool-strategies'
import type { AdminPool } from '../shared/types'
import { MAX_POOL_WEIGHT } from '../shared/limits'

/**
 * The pool form as the owner edits it (docs/capacity.md, "Pools"): text as typed, members
 * in the order chosen. `toPoolBody` turns it into the admin API's pool; `formFromPool` the
 * reverse. Errors are keyed by field, and a member's by its resource id
 * (`member:<id>`, `weight:<id>`), so they stay beside the right row when rows move.
 */
export interface PoolMemberValues {
  resourceId: string
  /** Only read for the `weighted` strategy; empty = 1. */
  weight: string
}

export interface PoolFormValues {
  name: string
  slug: string
  type: string
  timezone: string
  strategy: PoolStrategy
  memberChoice: boolean
  isActive: boolean
  members: PoolMemberValues[]
}

export type PoolField = Exclude<keyof PoolFormValues, 'members'> | 'members'
export type PoolErrorKey = PoolField | `member:${string}` | `weight:${string}`
export type PoolErrors = Partial<Record<PoolErrorKey, string>>

export { POOL_STRATEGIES }

/** Each strategy in the owner's words: how the pool picks the member a guest gets. */
export const STRATEGY_WORDS: Record<PoolStrategy, { label: string; help: string }> = {
  ordered: { label: 'In order', help: 'The first free member in the order below.' },
  round_robin: {
    label: 'Take turns',
    help: 'The free member with the fewest bookings that day (then that week), so work is shared.',
  },
  weighted: { label: 'By weight', help: 'The free member with the highest weight first, then the order below.' },
  smallest_fit: {
    label: 'Smallest table that fits',
    help: 'For tables: the free table with the smallest “Largest party” that seats the party.',
  },
}

export function formFromPool(pool: AdminPool | undefined, defaultZone: string): PoolFormValues {
  return {
    name: pool?.name ?? '',
    slug: pool?.slug ?? '',
    type: pool?.type ?? 'specialist',
    timezone: pool?.timezone ?? defaultZone,
    strategy: pool?.strategy ?? 'ordered',
    memberChoice: pool?.memberChoice ?? false,
    isActive: pool?.isActive ?? true,
    members: [...(pool?.members ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((m) => ({ resourceId: m.resourceId, weight: String(m.weight) })),
  }
}

export interface PoolBody {
  slug: string
  type: string
  name: string
  timezone: string
  strategy: PoolStrategy
  memberChoice: boolean
  members: { resourceId: string; weight?: number }[]
}

const wholeWeight = (text: string): number | undefined | 'bad' => {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return /^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= MAX_POOL_WEIGHT ? Number(trimmed) : 'bad'
}

/** The API's pool from the form, or what to fix first, beside each field or member. */
export function toPoolBody(
  values: PoolFormValues,
): { body: PoolBody; errors?: undefined } | { body?: undefined; errors: PoolErrors } {
  const errors: PoolErrors = {}
  if (values.name.trim() === '') errors.name = 'Give it a name guests will recognise, e.g. Any physio.'
  const slug = values.slug.trim()
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length < 2)
    errors.slug = 'Use lowercase letters, digits and single hyphens, e.g. physios.'
  if (values.type.trim() === '') errors.type = 'Choose what kind of thing the members are.'
  const weighted = values.strategy === 'weighted'
  const members = values.members.map(({ resourceId, weight: text }) => {
    const weight = wholeWeight(text)
    if (weight === 'bad' && weighted)
      errors[`weight:${resourceId}`] = `Write a whole number from 1 to ${MAX_POOL_WEIGHT}.`
    // Weights are kept while another strategy is chosen, so switching back finds them again.
    return weight === undefined || weight === 'bad' ? { resourceId } : { resourceId, weight }
  })
  if (Object.keys(errors).length > 0) return { errors }
  return {
    body: {
      slug,
      type: values.type.trim(),
      name: values.name.trim(),
      timezone: values.timezone,
      strategy: values.strategy,
      memberChoice: values.memberChoice,
      members,
    },
  }
}

/** The members with the one at `index` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveMember<T>(members: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta
  const next = [...members]
  if (index < 0 || index >= members.length || target < 0 || target >= members.length) return next
  ;[next[index], next[target]] = [next[target]!, next[index]!]
  return next
}

/** Whether the members (order and weights) differ from the pool's stored ones: only then are they sent. */
export function membersChanged(pool: AdminPool, members: PoolBody['members']): boolean {
  const stored = [...pool.members].sort((a, b) => a.position - b.position)
  return (
    stored.length !== members.length ||
    stored.some((m, i) => m.resourceId !== members[i]!.resourceId || m.weight !== (members[i]!.weight ?? 1))
  )
}

const TOP_FIELDS: readonly string[] = ['slug', 'name', 'type', 'timezone', 'strategy', 'memberChoice', 'isActive']

/**
 * The server's details beside the fields: `slug`, `members.2.weight` (beside the member at
 * that index of `sent`, the list the refused request carried), `members`. The rest is
 * returned apart, for the line above the Save button.
 */
export function mapPoolDetails(
  details: unknown,
  sent: readonly { resourceId: string }[],
): { fields: PoolErrors; other: string[] } {
  const fields: PoolErrors = {}
  const other: string[] = []
  if (!Array.isArray(details)) return { fields, other }
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue
    const { path, message } = detail as { path?: unknown; message?: unknown }
    if (typeof path !== 'string' || typeof message !== 'string') continue
    const words = message.charAt(0).toUpperCase() + message.slice(1)
    const [head, index, key] = path.split('.')
    let field: PoolErrorKey | undefined
    if (head && TOP_FIELDS.includes(head)) field = head as PoolField
    else if (head === 'members') {
      const member = index !== undefined && /^\d+$/.test(index) ? sent[Number(index)] : undefined
      if (!member) field = 'members'
      else field = key === 'weight' ? `weight:${member.resourceId}` : `member:${member.resourceId}`
    }
    if (!field) other.push(path ? `${path}: ${message}` : message)
    else fields[field] ??= words
  }
  return { fields, other }
}

/** Form order: the first key with an error is the one focused (members in their order). */
export function firstErrorKey(errors: PoolErrors, values: PoolFormValues): PoolErrorKey | undefined {
  const order: PoolErrorKey[] = [
    'name',
    'slug',
    'type',
    'timezone',
    'strategy',
    'memberChoice',
    'isActive',
    'members',
    ...values.members.flatMap((m): PoolErrorKey[] => [`member:${m.resourceId}`, `weight:${m.resourceId}`]),
  ]
  return order.find((key) => errors[key])
}
