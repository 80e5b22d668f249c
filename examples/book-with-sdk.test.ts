import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../drizzle/schema'
import { startDemoServer, type DemoServer } from '../test/browser'
import { bookFirstFreeTime } from './book-with-sdk'

describe('examples/book-with-sdk.ts', () => {
  let server: DemoServer
  beforeAll(async () => {
    server = await startDemoServer()
  }, 60_000)
  afterAll(() => server?.close())

  it('books the first free time through the built SDK entry, and the row exists', async () => {
    const { booking, manageToken } = await bookFirstFreeTime(server.url, 'dr-rivera', {
      name: 'Sam SDK',
      email: 'sam@example.com',
    })
    expect(booking.ref).toMatch(/^[0-9A-Z]{8}$/)
    expect(manageToken.length).toBeGreaterThanOrEqual(22)
    const [row] = await server.database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    expect(row).toMatchObject({ guestName: 'Sam SDK', status: 'confirmed' })

    // The same time is gone for the next caller: they get the next free one.
    const second = await bookFirstFreeTime(server.url, 'dr-rivera', { name: 'Next', email: 'next@example.com' })
    expect(second.booking.start > booking.start || second.booking.start >= booking.end).toBe(true)
  })

  it('importing the SDK has no side effects: no globals, no DOM needed', async () => {
    const before = new Set(Object.keys(globalThis))
    const sdk = await import('booking-embed/sdk')
    expect(typeof sdk.createClient).toBe('function')
    expect(typeof sdk.mount).toBe('function')
    expect(Object.keys(globalThis).filter((key) => !before.has(key))).toEqual([])
    expect('Booking' in globalThis).toBe(false)
  })
})
