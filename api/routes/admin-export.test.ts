import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookingValues, insertPool, insertResource } from '../../test/fixtures'
import { createTestHoldBackend } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { compression } from '../compression'
import { BOOKING_CSV_COLUMNS } from '../export/bookings-csv'

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'export')).key
})
afterAll(() => database?.close())

const NOW = '2026-03-20T12:00:00Z'

function setup() {
  const clock = fixedClock(NOW)
  // With the Node server's on-the-fly compression, which must leave the stream alone.
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    compression: compression(),
  })
  const exportCsv = (query = '', token: string | null = key) =>
    api.app.request(`/v1/admin/bookings.csv${query}`, {
      headers: { 'Accept-Encoding': 'br, gzip', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    })
  return { ...api, exportCsv }
}

type Extra = Partial<typeof bookings.$inferInsert>
async function book(resourceId: string, start: string, extra: Extra = {}) {
  const end = new Date(Date.parse(start) + 60 * 60 * 1000).toISOString()
  const [row] = await database.db
    .insert(bookings)
    .values({ ...bookingValues({ resourceId, start, end }), ...extra })
    .returning()
  return row!
}

/** RFC 4180 read back: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  expect(field).toBe('')
  expect(row).toEqual([])
  return rows
}

const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)

/** The body's rows as objects by header; checks the BOM and the header on the way. */
async function records(res: Response | string): Promise<Record<string, string>[]> {
  // Response.text() would drop the BOM: read the bytes as they came.
  const text = typeof res === 'string' ? res : decode(new Uint8Array(await res.arrayBuffer()))
  expect(text.charCodeAt(0)).toBe(0xfeff)
  const [header, ...rows] = parseCsv(text.slice(1))
  expect(header).toEqual([...BOOKING_CSV_COLUMNS])
  return rows.map((cells) => {
    expect(cells).toHaveLength(header!.length)
    return Object.fromEntries(header!.map((name, i) => [name, cells[i]!]))
  })
}

describe('GET /v1/admin/bookings.csv', () => {
  it('needs the admin key', async () => {
    const t = setup()
    const res = await t.exportCsv('', null)
    expect(res.status).toBe(401)
    expect(((await res.json()) as ErrorBody).error.code).toBe('unauthorized')
    expect((await t.exportCsv('', 'bka_wrong')).status).toBe(401)
  })

  it('is an attachment named by the day, and not taken for a booking id', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const res = await t.exportCsv(`?resourceId=${resource.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bookings-2026-03-20.csv"')
    const text = decode(new Uint8Array(await res.arrayBuffer()))
    expect(text).toBe(`\uFEFF${BOOKING_CSV_COLUMNS.join(',')}\r\n`)
    // The booking detail route still answers for a real id shape.
    const detail = await t.call<ErrorBody>('GET', '/v1/admin/bookings/bookings.csv', { token: key })
    expect(detail.status).toBe(404)
  })

  it('applies the list’s filters: resource, period, status and search', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const other = await insertResource(database.db)
    const a = await book(resource.id, '2026-04-01T09:00:00Z', { guestName: 'Anna Alpha' })
    const b = await book(resource.id, '2026-04-02T09:00:00Z', { status: 'pending', guestName: 'Bert Beta' })
    await book(resource.id, '2026-04-03T09:00:00Z', { status: 'cancelled', cancelledAt: new Date(NOW) })
    const d = await book(resource.id, '2026-05-01T09:00:00Z', { guestName: 'Dora Delta' })
    await book(other.id, '2026-04-01T09:00:00Z')
    const refs = async (query: string) => (await records(await t.exportCsv(query))).map((r) => r.Ref)

    expect(await refs(`?resourceId=${resource.id}&status=confirmed,pending`)).toEqual([a.ref, b.ref, d.ref])
    expect(await refs(`?resourceId=${resource.id}&from=2026-04-01&to=2026-04-03`)).toEqual([a.ref, b.ref])
    expect(await refs(`?resourceId=${resource.id}&q=delta`)).toEqual([d.ref])
    // The list's paging parameters do not cut an export short.
    expect(await refs(`?resourceId=${resource.id}&limit=1`)).toHaveLength(4)
  })

  it('refuses bad filters with 400 invalid_request, like the list', async () => {
    const t = setup()
    for (const query of ['?status=bogus', '?from=yesterday', '?resourceId=nope']) {
      const res = await t.exportCsv(query)
      expect(res.status).toBe(400)
      const body = (await res.json()) as ErrorBody
      expect(body.error.code).toBe('invalid_request')
      expect(JSON.stringify(body.error.details)).toContain(query.slice(1, query.indexOf('=')))
    }
  })

  it('writes every column: money from minor units, local time, answers in words', async () => {
    const t = setup()
    const resource = await insertResource(database.db, {
      name: 'Sauna Süd',
      timezone: 'Europe/Berlin',
      config: { capacity: 4 },
    })
    const pool = await insertPool(database.db, { name: 'Any sauna', members: [{ resourceId: resource.id }] } as never)
    const row = await book(resource.id, '2026-03-29T08:00:00Z', {
      guestName: 'Jürgen Müller',
      guestEmail: 'jm@example.com',
      guestPhone: '+4930123456',
      seats: 2,
      partySize: 3,
      poolId: pool.id,
      amount: 1250,
      currency: 'EUR',
      paymentStatus: 'captured',
      amountCaptured: 1250,
      amountRefunded: 500,
      createdAt: new Date('2026-03-01T10:00:00Z'),
      notes: 'Ölaufguss, bitte "heiß"\nzweite Zeile',
      questionsAsked: [
        { id: 'allergy', type: 'short_text', label: { en: 'Allergies', de: 'Allergien' } },
        {
          id: 'towel',
          type: 'single_choice',
          label: { en: 'Towel' },
          choices: [
            { id: 'big', label: { en: 'Big' } },
            { id: 'small', label: { en: 'Small' } },
          ],
        },
        { id: 'news', type: 'checkbox', label: { en: 'Newsletter' } },
      ],
      answers: { allergy: 'nuts', towel: 'big', news: true },
    })
    const [record] = await records(await t.exportCsv(`?resourceId=${resource.id}`))
    expect(record).toEqual({
      Ref: row.ref,
      Status: 'confirmed',
      'Resource slug': resource.slug,
      'Resource name': 'Sauna Süd',
      'Start (UTC)': '2026-03-29T08:00:00.000Z',
      'End (UTC)': '2026-03-29T09:00:00.000Z',
      'Start (local)': '2026-03-29 10:00',
      'Time zone': 'Europe/Berlin',
      'Guest name': 'Jürgen Müller',
      'Guest email': 'jm@example.com',
      'Guest phone': "'+4930123456",
      Seats: '2',
      'Party size': '3',
      Pool: 'Any sauna',
      Service: '',
      Amount: '12.50',
      Currency: 'EUR',
      'Payment status': 'captured',
      Captured: '12.50',
      Refunded: '5.00',
      'Created at': '2026-03-01T10:00:00.000Z',
      'Cancelled at': '',
      'Cancel reason': '',
      Notes: 'Ölaufguss, bitte "heiß"\nzweite Zeile',
      Answers: 'Allergies: nuts; Towel: Big; Newsletter: Yes',
    })
  })

  it('defuses cells a spreadsheet would run as formulas, and quotes commas, quotes and line breaks', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    await book(resource.id, '2026-04-01T09:00:00Z', {
      guestName: '=HYPERLINK("http://evil.example","click")',
      guestEmail: '@attacker@example.com',
      notes: '-1+1',
      cancelReason: '+SUM(1)',
    })
    const res = await t.exportCsv(`?resourceId=${resource.id}`)
    const text = decode(new Uint8Array(await res.clone().arrayBuffer()))
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`)
    const [record] = await records(res)
    expect(record!['Guest name']).toBe(`'=HYPERLINK("http://evil.example","click")`)
    expect(record!['Guest email']).toBe(`'@attacker@example.com`)
    expect(record!.Notes).toBe(`'-1+1`)
    expect(record!['Cancel reason']).toBe(`'+SUM(1)`)
    // Every line ends in CRLF; a bare LF appears only inside a quoted field.
    expect(text.endsWith('\r\n')).toBe(true)
  })

  it('streams a large export in chunks, complete and in order', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const total = 2500
    const start = Date.parse('2026-04-01T00:00:00Z')
    const values = Array.from({ length: total }, (_, i) => ({
      ...bookingValues({
        resourceId: resource.id,
        start: new Date(start + i * 3_600_000).toISOString(),
        end: new Date(start + i * 3_600_000 + 1_800_000).toISOString(),
      }),
      guestName: `Gäst ${i}`,
    }))
    for (let i = 0; i < total; i += 500) await database.db.insert(bookings).values(values.slice(i, i + 500))

    const res = await t.exportCsv(`?resourceId=${resource.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBeNull()
    const reader = res.body!.getReader()
    const chunks: Uint8Array[] = []
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value)
    // The header, then one chunk per page of the list: never the whole file at once.
    expect(chunks.length).toBeGreaterThan(5)
    expect(Math.max(...chunks.map((c) => c.byteLength))).toBeLessThan(
      chunks.reduce((sum, c) => sum + c.byteLength, 0) / 3,
    )
    const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0))
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
    const rows = await records(decode(bytes))
    expect(rows).toHaveLength(total)
    expect(rows.map((r) => r['Guest name'])).toEqual(values.map((v) => v.guestName))
    expect(new Set(rows.map((r) => r.Ref)).size).toBe(total)
  })
})
