import type { PoolStrategy } from './types'

/**
 * How a pool picks the member a booking gets (docs/capacity.md, "Pools"). Free of zod and
 * of the database, so the schemas, the tables and the console can all read the one list.
 */
export const POOL_STRATEGIES = [
  'ordered',
  'round_robin',
  'weighted',
  'smallest_fit',
] as const satisfies readonly PoolStrategy[]

export type { PoolStrategy }

/** Fails type-checking when the list and the public type name different strategies. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const listMatchesType: Same<(typeof POOL_STRATEGIES)[number], PoolStrategy> = true
void listMatchesType

export function isPoolStrategy(value: string): value is PoolStrategy {
  return (POOL_STRATEGIES as readonly string[]).includes(value)
}
