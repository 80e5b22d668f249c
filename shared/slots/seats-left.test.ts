import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeSlots, type ComputeSlotsInput } from './compute-slots'
import { mostSeatsIn, seatsLeft } from './seats-left'
import type { Interval, ScheduleRule, SeatInterval } from './types'

const H = 3_600_000
const M = 60_000
const at = (iso: string) => Date.parse(iso)
const seatsAt = (start: string, end: string, seats: number): SeatInterval => ({ start: at(start), end: at(end), seats })
const noBuffers = { beforeMs: 0, afterMs: 0 }

function daily(startTime: string, endTime: string, slotDuration: number | null): ScheduleRule[] {
  return [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    specificDate: null,
    startTime,
    endTime,
    slotDuration,
    isAvailable: true,
  }))
}

const base: ComputeSlotsInput = {
  timezone: 'UTC',
  viewZone: 'UTC',
  rules: daily('09:00', '12:00', 60),
  config: {},
  busy: [],
  from: '2026-06-08',
  to: '2026-06-08',
  now: at('2026-01-01T00:00:00Z'),
}

const slotsOf = (input: ComputeSlotsInput) =>
  input.places ? computeSlots(input).flatMap((d) => d.slots.map((s) => `${s.start.slice(11, 16)}:${s.seatsLeft}`)) : []

describe('seatsLeft', () => {
  it('a class of 10 with bookings of 4 and 3 and another session’s hold of 2 has 1 place left, hidden when 2 are asked for', () => {
    const places = {
      capacity: 10,
      booked: [
        seatsAt('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z', 4),
        seatsAt('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z', 3),
      ],
      held: [seatsAt('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z', 2)],
    }
    expect(slotsOf({ ...base, places: { ...places, seats: 1 } })).toEqual(['09:00:10', '10:00:1', '11:00:10'])
    expect(slotsOf({ ...base, places: { ...places, seats: 2 } })).toEqual(['09:00:10', '11:00:10'])
    expect(slotsOf({ ...base, places: { ...places, seats: 10 } })).toEqual(['09:00:10', '11:00:10'])
    expect(slotsOf({ ...base, places: { ...places, seats: 11 } })).toEqual([])
  })

  it('counts bookings of mixed lengths in an undivided window at the worst instant, not added up', () => {
    // Capacity 2: 09:00–10:00 and 10:00–11:00 never meet, so 09:30–10:30 still has one place.
    const input: ComputeSlotsInput = {
      ...base,
      rules: daily('09:00', '12:00', null),
      config: { durations: [30, 60] },
      duration: 60,
      places: {
        capacity: 2,
        seats: 1,
        booked: [
          seatsAt('2026-06-08T09:00:00Z', '2026-06-08T10:00:00Z', 1),
          seatsAt('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z', 1),
        ],
        held: [],
      },
    }
    const left = computeSlots(input)[0]!.slots.map((s) => [s.start.slice(11, 16), s.seatsLeft])
    expect(left).toContainEqual(['09:30', 1])
    expect(left).toContainEqual(['10:00', 1])
    expect(left).toContainEqual(['11:00', 2])
    // A third booking 09:45–10:15 meets each of them: 09:30–10:30 is full at 09:45 and at 10:00.
    const full = computeSlots({
      ...input,
      places: {
        ...input.places!,
        booked: [...input.places!.booked, seatsAt('2026-06-08T09:45:00Z', '2026-06-08T10:15:00Z', 1)],
      },
    })[0]!.slots.map((s) => s.start.slice(11, 16))
    expect(full).toEqual(['10:30', '11:00'])
  })

  it('widens slots, bookings and holds by the buffers, as a resource of one place does', () => {
    const input: ComputeSlotsInput = {
      ...base,
      config: { bufferAfterMin: 15 },
      places: {
        capacity: 5,
        seats: 1,
        booked: [seatsAt('2026-06-08T09:00:00Z', '2026-06-08T10:00:00Z', 3)],
        held: [seatsAt('2026-06-08T11:00:00Z', '2026-06-08T12:00:00Z', 2)],
      },
    }
    // 09:00 booking's cleaning time reaches 10:15, into the 10:00 slot; the 10:00 slot's own reaches into the held 11:00.
    expect(slotsOf(input)).toEqual(['09:00:2', '11:00:3'])
    expect(
      seatsLeft([{ start: at('2026-06-08T10:00:00Z'), end: at('2026-06-08T11:00:00Z') }], input.places!, {
        beforeMs: 0,
        afterMs: 15 * M,
      }),
    ).toEqual([0])
    expect(slotsOf({ ...input, config: {} })).toEqual(['09:00:2', '10:00:5', '11:00:3'])
  })

  it('is right on a DST changeover day for a resource of several places', () => {
    // Berlin springs forward on 29 March 2026: 01:00–05:00 local holds three real hours.
    const input: ComputeSlotsInput = {
      ...base,
      timezone: 'Europe/Berlin',
      viewZone: 'Europe/Berlin',
      rules: daily('01:00', '05:00', 60),
      from: '2026-03-29',
      to: '2026-03-29',
      places: { capacity: 3, seats: 1, booked: [seatsAt('2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z', 2)], held: [] },
    }
    expect(computeSlots(input)[0]!.slots).toEqual([
      { start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T01:00:00.000Z', seatsLeft: 3 },
      { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T02:00:00.000Z', seatsLeft: 1 },
      { start: '2026-03-29T02:00:00.000Z', end: '2026-03-29T03:00:00.000Z', seatsLeft: 3 },
    ])
  })

  it('leaves the answer without places exactly as it was (no seatsLeft)', () => {
    const days = computeSlots({
      ...base,
      busy: [{ start: at('2026-06-08T10:00:00Z'), end: at('2026-06-08T11:00:00Z') }],
    })
    expect(days[0]!.slots).toEqual([
      { start: '2026-06-08T09:00:00.000Z', end: '2026-06-08T10:00:00.000Z' },
      { start: '2026-06-08T11:00:00.000Z', end: '2026-06-08T12:00:00.000Z' },
    ])
  })

  it('agrees with counting every instant by hand (random bookings, holds, slots, buffers)', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 4 }))
      .map(([start, length, seats]): SeatInterval => ({ start: start * 15 * M, end: (start + length) * 15 * M, seats }))
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 30 }),
        fc.array(interval, { maxLength: 8 }),
        fc.array(interval, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (booked, held, slotList, before, after) => {
          const buffers = { beforeMs: before * 15 * M, afterMs: after * 15 * M }
          const slots: Interval[] = slotList.filter((s) => s.end > s.start).map(({ start, end }) => ({ start, end }))
          const left = seatsLeft(slots, { capacity: 20, booked, held }, buffers)
          slots.forEach((slot, i) => {
            const from = slot.start - buffers.beforeMs
            const to = slot.end + buffers.afterMs
            const widened = (x: SeatInterval) => ({ from: x.start - buffers.beforeMs, to: x.end + buffers.afterMs })
            const live = (x: SeatInterval) => x.end > x.start
            // The sum only rises where a booking starts, so those instants (and `from`) are all that need checking.
            const instants = [from, ...booked.filter(live).map((b) => widened(b).from)].filter(
              (t) => t >= from && t < to,
            )
            let most = 0
            for (const t of instants) {
              let sum = 0
              for (const b of booked.filter(live)) if (widened(b).from <= t && t < widened(b).to) sum += b.seats
              most = Math.max(most, sum)
            }
            const heldSeats = held
              .filter(live)
              .filter((h) => widened(h).from < to && from < widened(h).to)
              .reduce((n, h) => n + h.seats, 0)
            expect(left[i]).toBe(20 - most - heldSeats)
            expect(mostSeatsIn(booked, slot, buffers)).toBe(most)
          })
        },
      ),
      { numRuns: 500 },
    )
  })

  it('answers a month of a busy class quickly (2,000 bookings, 5,000 slots)', () => {
    const day = 24 * H
    const booked: SeatInterval[] = Array.from({ length: 2_000 }, (_, i) => ({
      start: (i % 30) * day + ((i * 7) % 20) * 30 * M,
      end: (i % 30) * day + ((i * 7) % 20) * 30 * M + 60 * M,
      seats: 1 + (i % 3),
    }))
    const slots: Interval[] = Array.from({ length: 5_000 }, (_, i) => ({ start: i * 10 * M, end: i * 10 * M + 60 * M }))
    const started = performance.now()
    const left = seatsLeft(slots, { capacity: 50, booked, held: booked.slice(0, 100) }, noBuffers)
    expect(left).toHaveLength(5_000)
    expect(performance.now() - started).toBeLessThan(200)
  })
})
