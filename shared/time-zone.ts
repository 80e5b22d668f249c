const knownZones = new Map<string, boolean>()

/**
 * True when the runtime's Intl data knows `zone` (canonical names and aliases such as
 * "UTC" or "US/Eastern"). Cached because Intl.DateTimeFormat construction is slow and
 * the same few zones are checked on every request.
 */
export function isValidTimeZone(zone: string): boolean {
  const cached = knownZones.get(zone)
  if (cached !== undefined) return cached
  let valid = false
  if (zone.length > 0 && zone.length <= 64) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
      valid = true
    } catch {
      valid = false
    }
  }
  if (knownZones.size < 1000) knownZones.set(zone, valid)
  return valid
}
