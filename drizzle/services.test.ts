import { randomUUID } from 'node:crypto'
import { eq, or } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, services } from './schema'
import { EXCLUSION_VIOLATION, constraintOf, sqlState } from '../api/db/sql-state'
import { bookingValues, insertBooking, insertResource, uniqueSlug } from '../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../test/database'

/*
 * Combined bookings in the database (docs/capacity.md): a lead row and its part rows are
 * written together; the lead's status and interval are copied onto its parts, and a part is
 * never changed on its own.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const CHECK_VIOLATION = '23514'

const nine = { start: '2030-06-03T09:00:00Z', end: '2030-06-03T10:00:00Z' }
const eleven = { start: '2030-06-03T11:00:00Z', end: '2030-06-03T12:00:00Z' }

async function serviceId(): Promise<string> {
  const [row] = await database.db
    .insert(services)
    .values({ slug: uniqueSlug('svc'), name: 'Massage', timezone: 'Europe/Berlin' })
    .returning()
  return row!.id
}

/** A therapist (lead) and a room (part) booked at once, in one multi-row insert, lead first. */
async function combined(interval = nine, status: 'confirmed' | 'pending' = 'confirmed') {
  const [therapist, room] = await Promise.all([insertResource(database.db), insertResource(database.db)])
  const service = await serviceId()
  const lead = {
    ...bookingValues({ resourceId: therapist.id, ...interval, status }),
    id: randomUUID(),
    serviceId: service,
  }
  const part = {
    ...bookingValues({ resourceId: room.id, ...interval, status }),
    serviceId: service,
    partOf: lead.id,
    manageTokenHash: lead.manageTokenHash,
  }
  await database.db.insert(bookings).values([lead, part])
  return { therapist, room, leadId: lead.id, service }
}

async function rowsOf(leadId: string) {
  const rows = await database.db
    .select()
    .from(bookings)
    .where(or(eq(bookings.id, leadId), eq(bookings.partOf, leadId)))
  const lead = rows.find((r) => r.id === leadId)!
  const parts = rows.filter((r) => r.partOf === leadId)
  return { lead, parts }
}

async function failure(write: Promise<unknown>): Promise<unknown> {
  try {
    await write
    return undefined
  } catch (error) {
    return error
  }
}

describe('combined bookings in the database', () => {
  it('takes a lead and its part in one insert: both occupy, with the same status and interval', async () => {
    const { leadId, room } = await combined()
    const { lead, parts } = await rowsOf(leadId)
    expect(parts).toHaveLength(1)
    expect(parts[0]).toMatchObject({ resourceId: room.id, status: 'confirmed', serviceId: lead.serviceId })
    expect(parts[0]!.startsAt).toEqual(lead.startsAt)
    expect(parts[0]!.endsAt).toEqual(lead.endsAt)
    // The part occupies its room like any booking: another booking there at that time is refused.
    const error = await failure(insertBooking(database.db, { resourceId: room.id, ...nine }))
    expect(sqlState(error)).toBe(EXCLUSION_VIOLATION)
  })

  it('refuses a whole insert whose part meets a booking of its room: no lead is left behind', async () => {
    const [therapist, room] = await Promise.all([insertResource(database.db), insertResource(database.db)])
    await insertBooking(database.db, { resourceId: room.id, ...nine })
    const lead = { ...bookingValues({ resourceId: therapist.id, ...nine }), id: randomUUID() }
    const part = { ...bookingValues({ resourceId: room.id, ...nine }), partOf: lead.id }
    expect(sqlState(await failure(database.db.insert(bookings).values([lead, part])))).toBe(EXCLUSION_VIOLATION)
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, therapist.id))).toEqual([])
  })

  it('moves the part with its lead, in the same statement', async () => {
    const { leadId } = await combined()
    await database.db
      .update(bookings)
      .set({ startsAt: new Date(eleven.start), endsAt: new Date(eleven.end), version: 2 })
      .where(eq(bookings.id, leadId))
    const { parts } = await rowsOf(leadId)
    expect(parts[0]!.startsAt.toISOString()).toBe('2030-06-03T11:00:00.000Z')
    expect(parts[0]!.endsAt.toISOString()).toBe('2030-06-03T12:00:00.000Z')
    expect(parts[0]!.version).toBe(2)
  })

  it('refuses a move the part cannot make: nothing moves', async () => {
    const { leadId, room } = await combined()
    await insertBooking(database.db, { resourceId: room.id, ...eleven })
    const error = await failure(
      database.db
        .update(bookings)
        .set({ startsAt: new Date(eleven.start), endsAt: new Date(eleven.end) })
        .where(eq(bookings.id, leadId)),
    )
    expect(sqlState(error)).toBe(EXCLUSION_VIOLATION)
    const { lead, parts } = await rowsOf(leadId)
    expect(lead.startsAt.toISOString()).toBe('2030-06-03T09:00:00.000Z')
    expect(parts[0]!.startsAt.toISOString()).toBe('2030-06-03T09:00:00.000Z')
  })

  it('copies a cancellation onto the part and frees its room', async () => {
    const { leadId, room } = await combined()
    const at = new Date('2030-06-01T08:00:00Z')
    await database.db
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: at, cancelReason: 'guest', updatedAt: at })
      .where(eq(bookings.id, leadId))
    const { parts } = await rowsOf(leadId)
    expect(parts[0]).toMatchObject({ status: 'cancelled', cancelReason: 'guest', cancelledAt: at })
    expect(await failure(insertBooking(database.db, { resourceId: room.id, ...nine }))).toBeUndefined()
  })

  it('refuses a change of a part alone: status or interval', async () => {
    const { leadId } = await combined()
    const { parts } = await rowsOf(leadId)
    const partId = parts[0]!.id
    for (const change of [
      { status: 'cancelled' as const },
      { startsAt: new Date(eleven.start), endsAt: new Date(eleven.end) },
    ]) {
      const error = await failure(database.db.update(bookings).set(change).where(eq(bookings.id, partId)))
      expect(sqlState(error)).toBe(CHECK_VIOLATION)
      expect(constraintOf(error)).toBe('bookings_part_follows_lead')
    }
    const { lead, parts: after } = await rowsOf(leadId)
    expect([lead.status, after[0]!.status]).toEqual(['confirmed', 'confirmed'])
  })

  it('refuses a part without its lead, and a part that states another interval than its lead', async () => {
    const room = await insertResource(database.db)
    const orphan = await failure(
      database.db.insert(bookings).values({ ...bookingValues({ resourceId: room.id, ...nine }), partOf: randomUUID() }),
    )
    expect(constraintOf(orphan)).toBe('bookings_part_follows_lead')
    const { leadId } = await combined(eleven)
    const elsewhen = await failure(
      database.db.insert(bookings).values({ ...bookingValues({ resourceId: room.id, ...nine }), partOf: leadId }),
    )
    expect(sqlState(elsewhen)).toBe(CHECK_VIOLATION)
    expect(constraintOf(elsewhen)).toBe('bookings_part_follows_lead')
  })
})
