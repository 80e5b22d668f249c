import type { Hold, PlaceHoldRequest } from './hold-store'

/**
 * Unguessable hold id: 128 random bits, then the resource id. Carrying the resource lets a
 * store find every key a hold lives under from the id alone (one round trip to release).
 */
export function newHoldId(resourceId: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return `h_${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${resourceId}`
}

/** The resource part of a hold id, or undefined for an id we did not make. */
export function resourceOfHoldId(holdId: string): string | undefined {
  const dot = holdId.indexOf('.')
  return holdId.startsWith('h_') && dot > 2 && dot < holdId.length - 1 ? holdId.slice(dot + 1) : undefined
}

export const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number) => aStart < bEnd && bStart < aEnd

/** The hold a request describes, expiring `ttlMs` after `now`. Both stores build it here. */
export function newHold(request: PlaceHoldRequest, now: number): Hold {
  return {
    id: newHoldId(request.resourceId),
    resourceId: request.resourceId,
    sessionId: request.sessionId,
    start: request.start,
    end: request.end,
    blockStart: request.blockStart,
    blockEnd: request.blockEnd,
    expiresAt: now + request.ttlMs,
    seats: request.seats,
    ...(limitsClient(request) ? { clientKey: request.clientKey } : {}),
    ...(request.poolId !== undefined ? { poolId: request.poolId } : {}),
    ...(request.partySize !== undefined ? { partySize: request.partySize } : {}),
    ...(request.serviceId !== undefined ? { serviceId: request.serviceId } : {}),
    ...(request.servicePosition !== undefined ? { servicePosition: request.servicePosition } : {}),
    ...(request.partHoldIds !== undefined ? { partHoldIds: request.partHoldIds } : {}),
  }
}

/** Whether a request is counted against its client (a key and a positive limit). */
export function limitsClient(
  request: PlaceHoldRequest,
): request is PlaceHoldRequest & { clientKey: string; maxPerClient: number } {
  return request.clientKey !== undefined && (request.maxPerClient ?? 0) > 0
}
