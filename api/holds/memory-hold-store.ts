import type { Clock } from '../clock'
import type { Hold, HoldStore, PlaceHoldResult } from './hold-store'
import { limitsClient, newHold, overlaps } from './new-hold'

/**
 * The embedded default: holds in this process's memory, same semantics as the Redis store.
 * Every operation is synchronous between awaits, so `place` is atomic without locks.
 */
export function createMemoryHoldStore(clock: Clock): HoldStore {
  const byId = new Map<string, Hold>()
  const isLive = (hold: Hold, now: number) => hold.expiresAt > now

  function prune(now: number): void {
    for (const [id, hold] of byId) if (!isLive(hold, now)) byId.delete(id)
  }

  return {
    async place(request): Promise<PlaceHoldResult> {
      const now = clock.now()
      prune(now)
      const replaced: string[] = []
      let otherResources = 0
      // Places already gone: booked ones, then other sessions' overlapping holds added up as
      // if they all met at one instant (cautious for mixed lengths, exact for fixed slots).
      let taken = request.bookedSeats
      for (const hold of byId.values()) {
        if (hold.sessionId === request.sessionId) {
          if (hold.resourceId === request.resourceId) replaced.push(hold.id)
          else otherResources++
        } else if (
          hold.resourceId === request.resourceId &&
          overlaps(hold.blockStart, hold.blockEnd, request.blockStart, request.blockEnd)
        ) {
          taken += hold.seats
          if (taken + request.seats > request.capacity) return { ok: false, reason: 'slot_held' }
        }
      }
      if (taken + request.seats > request.capacity) return { ok: false, reason: 'slot_held' }
      if (otherResources + 1 > request.maxPerSession) return { ok: false, reason: 'session_limit' }
      if (limitsClient(request)) {
        // The client's live holds, less the one this request moves (replaced holds go).
        let count = 0
        let retryAt = Infinity
        for (const hold of byId.values()) {
          if (hold.clientKey !== request.clientKey || replaced.includes(hold.id)) continue
          count++
          retryAt = Math.min(retryAt, hold.expiresAt)
        }
        if (count + 1 > request.maxPerClient) return { ok: false, reason: 'client_limit', retryAt }
      }
      for (const id of replaced) byId.delete(id)
      const hold = newHold(request, now)
      byId.set(hold.id, hold)
      return { ok: true, hold, replaced }
    },
    async get(holdId, sessionId) {
      const hold = byId.get(holdId)
      return hold && hold.sessionId === sessionId && isLive(hold, clock.now()) ? { ...hold } : undefined
    },
    async release(holdId, sessionId) {
      const hold = byId.get(holdId)
      if (!hold || hold.sessionId !== sessionId) return false
      byId.delete(holdId)
      return isLive(hold, clock.now())
    },
    async listLive(resourceId, from, to) {
      const now = clock.now()
      const live: Hold[] = []
      for (const hold of byId.values()) {
        if (hold.resourceId === resourceId && isLive(hold, now) && overlaps(hold.blockStart, hold.blockEnd, from, to)) {
          live.push({ ...hold })
        }
      }
      return live
    },
  }
}
