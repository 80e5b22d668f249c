import type { PoolStrategy } from './types'

/** What the strategies weigh of one pool member (docs/capacity.md, "Pools"). */
export interface PoolCandidate {
  resourceId: string
  /** Order in the pool; the last tie-break of every strategy. */
  position: number
  weight: number
  /** The table's bounds; undefined = open. */
  minParty?: number | undefined
  maxParty?: number | undefined
  /** round_robin: the member's occupying bookings that day and that week, in the pool's zone. */
  bookingsThatDay?: number
  bookingsThatWeek?: number
}

/** Whether a member seats a party of this size (open bounds accept; no party size asked = every member). */
export function seatsParty(
  member: Pick<PoolCandidate, 'minParty' | 'maxParty'>,
  partySize: number | undefined,
): boolean {
  if (partySize === undefined) return true
  return (member.minParty ?? 1) <= partySize && partySize <= (member.maxParty ?? Infinity)
}

/**
 * The members a hold should try, in the order it should try them: the ones that seat the
 * party, ranked by the pool's strategy, position breaking every tie.
 * - `ordered`: position.
 * - `round_robin`: fewest bookings that day, then that week (the work is spread out).
 * - `weighted`: highest weight first.
 * - `smallest_fit`: the smallest table that seats the party (open `maxParty` last), so a
 *   couple does not get the table for eight while a smaller one is free.
 */
export function poolOrder<T extends PoolCandidate>(
  strategy: PoolStrategy,
  members: readonly T[],
  partySize?: number,
): T[] {
  const eligible = members.filter((m) => seatsParty(m, partySize))
  const rank = ranking(strategy)
  return eligible.sort((a, b) => rank(a, b) || a.position - b.position)
}

function ranking(strategy: PoolStrategy): (a: PoolCandidate, b: PoolCandidate) => number {
  switch (strategy) {
    case 'ordered':
      return () => 0
    case 'round_robin':
      return (a, b) =>
        (a.bookingsThatDay ?? 0) - (b.bookingsThatDay ?? 0) || (a.bookingsThatWeek ?? 0) - (b.bookingsThatWeek ?? 0)
    case 'weighted':
      return (a, b) => b.weight - a.weight
    case 'smallest_fit':
      return (a, b) => (a.maxParty ?? Infinity) - (b.maxParty ?? Infinity) || 0
  }
}
