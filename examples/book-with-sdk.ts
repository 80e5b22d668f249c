/*
 * Booking from code with the typed SDK (no widget): find the first free time, hold it,
 * book it. Run against a running server (`npm start`):
 *
 *   npx tsx examples/book-with-sdk.ts [resource] [apiUrl]
 *
 * In your own project the import is the package's SDK entry, exactly as below.
 */
import { pathToFileURL } from 'node:url'
import { createClient, type CreatedBooking, type GuestDetails } from 'booking-embed/sdk'

export async function bookFirstFreeTime(
  apiUrl: string,
  resource: string,
  guest: GuestDetails,
): Promise<CreatedBooking> {
  const client = createClient({ apiUrl })
  const today = new Date().toISOString().slice(0, 10)
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)

  const availability = await client.getAvailability(resource, { from: today, to: inTwoWeeks })
  if (availability.error) throw new Error(`availability: ${availability.error.code}: ${availability.error.message}`)
  const slot = availability.data.days.flatMap((day) => day.slots)[0]
  if (!slot) throw new Error(`${resource} has no free time in the next two weeks`)

  // The hold keeps the time ours while we book; another client now gets 409 slot_held.
  const hold = await client.placeHold({ resourceId: availability.data.resource.id, start: slot.start, end: slot.end })
  if (hold.error) throw new Error(`hold: ${hold.error.code}: ${hold.error.message}`)

  // Errors come back as values, never as exceptions: a retry with the same key is safe.
  const idempotencyKey = crypto.randomUUID()
  let booked = await client.createBooking({ holdId: hold.data.id, guest }, { idempotencyKey })
  if (booked.error?.code === 'network_error')
    booked = await client.createBooking({ holdId: hold.data.id, guest }, { idempotencyKey })
  if (booked.error) throw new Error(`booking: ${booked.error.code}: ${booked.error.message}`)
  return booked.data
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [resource = 'meeting-room', apiUrl = 'http://localhost:8787'] = process.argv.slice(2)
  const { booking, manageToken } = await bookFirstFreeTime(apiUrl, resource, {
    name: 'SDK Example',
    email: 'sdk@example.com',
  })
  console.log(`Booked ${resource} from ${booking.start} to ${booking.end}: ref ${booking.ref} (${booking.status})`)
  console.log(`Manage it at ${apiUrl}/manage#${new URLSearchParams({ ref: booking.ref, token: manageToken })}`)
}
