/** Time is injected so tests can pin `now`; shared/ code takes it as an argument. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export function fixedClock(at: number | string | Date): Clock & { set(at: number | string | Date): void } {
  let current = new Date(at).getTime()
  return {
    now: () => current,
    set(next) {
      current = new Date(next).getTime()
    },
  }
}
