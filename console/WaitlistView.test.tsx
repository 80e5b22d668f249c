// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdminWaitlistEntry } from '../shared/api-contract'
import type { AdminResource } from '../shared/types'
import type { AdminApi } from './api'
import { WaitlistView } from './WaitlistView'

/*
 * The waitlist tab as an owner uses it for a studio in Berlin on Tuesday 24 March 2026
 * (UTC+1): who waits in which order for what, the offer one of them holds, the ended entries
 * on request, and removing a waiter after saying yes. The API is a fake that filters by
 * status like the server and records what was sent.
 */

const studio: AdminResource = {
  id: 'r-1',
  slug: 'studio',
  type: 'room',
  name: 'Studio',
  timezone: 'Europe/Berlin',
  config: { waitlistOfferMinutes: 20 },
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}
const loft: AdminResource = { ...studio, id: 'r-2', slug: 'loft', name: 'Loft', config: { waitlist: false } }

/** 08:00 in Berlin. */
const NOW = Date.parse('2026-03-24T07:00:00Z')

const entry = (change: Partial<AdminWaitlistEntry>): AdminWaitlistEntry => ({
  id: 'e-1',
  ref: 'WL1AAAAA',
  resourceId: studio.id,
  resourceName: studio.name,
  timezone: studio.timezone,
  kind: 'slot',
  windowStart: '2026-03-24T17:00:00Z',
  windowEnd: '2026-03-24T18:00:00Z',
  seats: 1,
  status: 'waiting',
  position: 1,
  offer: null,
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  locale: 'en',
  createdAt: '2026-03-20T10:00:00Z',
  endedAt: null,
  offers: [],
  ...change,
})

const openOffer = {
  start: '2026-03-24T17:00:00Z',
  end: '2026-03-24T18:00:00Z',
  expiresAt: '2026-03-24T07:20:00Z',
}
const ada = entry({
  offer: openOffer,
  offers: [
    { ...openOffer, status: 'open', offeredAt: '2026-03-24T07:00:00Z', endedAt: null },
    {
      start: '2026-03-24T17:00:00Z',
      end: '2026-03-24T18:00:00Z',
      expiresAt: '2026-03-23T18:20:00Z',
      status: 'lapsed',
      offeredAt: '2026-03-23T18:00:00Z',
      endedAt: '2026-03-23T18:20:00Z',
    },
  ],
})
const grace = entry({
  id: 'e-2',
  ref: 'WL2BBBBB',
  kind: 'range',
  windowStart: '2026-03-24T16:00:00Z',
  windowEnd: '2026-03-24T19:00:00Z',
  seats: 2,
  position: 2,
  guest: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+4915112345678' },
})
const lin = entry({
  id: 'e-3',
  ref: 'WL3CCCCC',
  kind: 'day',
  windowStart: '2026-03-23T23:00:00Z',
  windowEnd: '2026-03-24T23:00:00Z',
  position: 3,
  guest: { name: 'Lin Wu', email: 'lin@example.org' },
})
const ended = (change: Partial<AdminWaitlistEntry>) =>
  entry({ position: null, endedAt: '2026-03-24T06:00:00Z', ...change })
const bob = ended({
  id: 'e-4',
  ref: 'WL4DDDDD',
  status: 'booked',
  bookingRef: 'K7Q2XM3D',
  guest: { name: 'Bob Booked', email: 'bob@example.com' },
  offers: [{ ...openOffer, status: 'claimed', offeredAt: '2026-03-24T05:40:00Z', endedAt: '2026-03-24T05:50:00Z' }],
})
const eve = ended({
  id: 'e-5',
  ref: 'WL5EEEEE',
  status: 'left',
  guest: { name: 'Eve Left', email: 'eve@example.com' },
  offers: [{ ...openOffer, status: 'declined', offeredAt: '2026-03-24T05:00:00Z', endedAt: '2026-03-24T05:05:00Z' }],
})
const max = ended({
  id: 'e-6',
  ref: 'WL6FFFFF',
  status: 'removed',
  guest: { name: 'Max Removed', email: 'max@example.com' },
  offers: [{ ...openOffer, status: 'withdrawn', offeredAt: '2026-03-24T04:00:00Z', endedAt: '2026-03-24T04:30:00Z' }],
})
const zoe = ended({ id: 'e-7', ref: 'WL7GGGGG', status: 'expired', guest: { name: 'Zoe Late', email: 'zoe@x.org' } })

function fakeApi(start: AdminWaitlistEntry[] = [ada, grace, lin, bob, eve, max, zoe], resources = [studio, loft]) {
  const calls: { method: string; path: string; body?: unknown }[] = []
  let rows = [...start]
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body })
      const url = new URL(path, 'http://console.test')
      if (url.pathname === '/resources') return { resources } as T
      if (method === 'GET' && url.pathname === '/waitlist') {
        const all = url.searchParams.get('status') === 'all'
        const forResource = rows.filter((e) => e.resourceId === url.searchParams.get('resourceId'))
        return { entries: all ? forResource : forResource.filter((e) => e.status === 'waiting') } as T
      }
      const removed = /^\/waitlist\/([^/]+)\/remove$/.exec(url.pathname)
      if (method === 'POST' && removed) {
        rows = rows.map((e) =>
          e.id === removed[1] ? { ...e, status: 'removed' as const, offer: null, position: null } : e,
        )
        // The next waiter moves up, as the server would answer.
        rows = rows.map((e) => (e.position && e.position > 1 ? { ...e, position: e.position - 1 } : e))
        return { entry: rows.find((e) => e.id === removed[1]) } as T
      }
      throw new Error(`unexpected ${method} ${path}`)
    },
  }
  const queries = () =>
    calls.filter((c) => c.path.startsWith('/waitlist?')).map((c) => new URLSearchParams(c.path.split('?')[1]))
  return { api, calls, queries }
}

function renderView(fake = fakeApi()) {
  render(<WaitlistView api={fake.api} locale="en-GB" now={() => NOW} />)
  return fake
}

const rowTexts = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .filter((li) => li.parentElement === list)
    .map((li) => li.getAttribute('aria-label'))

afterEach(cleanup)

describe('the waitlist tab', () => {
  it("lists today's waiters of the first resource in queue order, each window in the resource's time", async () => {
    const fake = renderView()
    const list = await screen.findByRole('list', { name: 'Waitlist for Studio, Tuesday 24 March' })
    expect(rowTexts(list)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Lin Wu'])
    const query = fake.queries().at(-1)!
    expect(Object.fromEntries(query)).toEqual({
      resourceId: 'r-1',
      from: '2026-03-24',
      to: '2026-03-24',
      status: 'waiting',
    })
    expect(screen.getByText(/times in Berlin time/)).toBeTruthy()

    const slot = screen.getByRole('listitem', { name: 'Ada Lovelace' })
    expect(slot.textContent).toContain('1st in line · Ada Lovelace · 1 place')
    expect(within(slot).getByText('18:00–19:00')).toBeTruthy()

    const range = screen.getByRole('listitem', { name: 'Grace Hopper' })
    expect(range.textContent).toContain('2nd in line · Grace Hopper · 2 places')
    expect(within(range).getByText('any time 17:00–20:00')).toBeTruthy()
    expect(within(range).getByRole('link', { name: '+4915112345678' }).getAttribute('href')).toBe('tel:+4915112345678')
    expect(within(range).getByRole('link', { name: 'grace@example.com' }).getAttribute('href')).toBe(
      'mailto:grace@example.com',
    )

    const day = screen.getByRole('listitem', { name: 'Lin Wu' })
    expect(day.textContent).toContain('3rd in line')
    expect(within(day).getByText('all day')).toBeTruthy()
    expect(within(day).getByText('waiting')).toBeTruthy()

    // Another day asks for that day.
    fireEvent.click(screen.getByRole('button', { name: 'Next day' }))
    await waitFor(() => expect(fake.queries().at(-1)!.get('from')).toBe('2026-03-25'))
    expect(fake.queries().at(-1)!.get('to')).toBe('2026-03-25')
  })

  it('shows the open offer with the time offered and until when, and how earlier offers ended', async () => {
    renderView()
    const offers = await screen.findByRole('list', { name: 'Offers to Ada Lovelace' })
    expect(
      within(offers)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Offered 18:00–19:00 at 08:00, until 08:20', '18:00–19:00 offered at 19:00 · lapsed'])
    expect(
      within(screen.getByRole('listitem', { name: 'Ada Lovelace' })).getByText('waiting · offer open'),
    ).toBeTruthy()
    expect(screen.queryByRole('list', { name: 'Offers to Grace Hopper' })).toBeNull()
  })

  it('says when an open offer’s time is up but it has not lapsed yet', async () => {
    render(<WaitlistView api={fakeApi().api} locale="en-GB" now={() => Date.parse('2026-03-24T07:25:00Z')} />)
    const offers = await screen.findByRole('list', { name: 'Offers to Ada Lovelace' })
    expect(within(offers).getAllByRole('listitem')[0]!.textContent).toBe(
      'Offered 18:00–19:00 at 08:00, until 08:20 (time is up)',
    )
  })

  it('shows the ended entries too when asked, each with its status and offers, and none can be removed', async () => {
    const fake = renderView()
    await screen.findByRole('listitem', { name: 'Ada Lovelace' })
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show ended entries too' }))
    await screen.findByRole('listitem', { name: 'Bob Booked' })
    expect(fake.queries().at(-1)!.get('status')).toBe('all')

    const status = (name: string) => screen.getByRole('listitem', { name }).querySelector('.status')!.textContent
    expect(status('Bob Booked')).toBe('booked (K7Q2XM3D)')
    expect(status('Eve Left')).toBe('left the waitlist')
    expect(status('Max Removed')).toBe('removed')
    expect(status('Zoe Late')).toBe('expired: its time passed')
    const outcome = (name: string) =>
      within(screen.getByRole('list', { name: `Offers to ${name}` })).getByRole('listitem').textContent
    expect(outcome('Bob Booked')).toMatch(/· claimed$/)
    expect(outcome('Eve Left')).toMatch(/· declined$/)
    expect(outcome('Max Removed')).toMatch(/· withdrawn$/)
    // Ended entries stand nowhere in the line and cannot be removed again.
    for (const name of ['Bob Booked', 'Eve Left', 'Max Removed', 'Zoe Late']) {
      const row = screen.getByRole('listitem', { name })
      expect(row.textContent).not.toMatch(/in line/)
      expect(within(row).queryByRole('button')).toBeNull()
    }
    expect(screen.getAllByRole('button', { name: /^Remove .* from the waitlist$/ })).toHaveLength(3)

    fireEvent.click(screen.getByRole('checkbox', { name: 'Show ended entries too' }))
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Bob Booked' })).toBeNull())
    expect(fake.queries().at(-1)!.get('status')).toBe('waiting')
  })

  it('removes a waiter only after the owner says yes, and the next one moves up', async () => {
    const fake = renderView()
    const remove = await screen.findByRole('button', { name: 'Remove Ada Lovelace from the waitlist' })
    fireEvent.click(remove)
    const question = screen.getByRole('group', { name: /Remove Ada Lovelace \(18:00–19:00\) from the waitlist\?/ })
    expect(question.textContent).toContain('The time offered to them goes to the next in line.')
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Keep waiting' }))
    fireEvent.click(within(question).getByRole('button', { name: 'Keep waiting' }))
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false)
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Remove Ada Lovelace from the waitlist' }),
      ),
    )

    fireEvent.click(screen.getByRole('button', { name: 'Remove Ada Lovelace from the waitlist' }))
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }))
    await screen.findByText(
      'Ada Lovelace removed from the waitlist; the time offered to them goes to the next in line.',
    )
    expect(fake.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/waitlist/e-1/remove'])
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Ada Lovelace' })).toBeNull())
    expect(screen.getByRole('listitem', { name: 'Grace Hopper' }).textContent).toContain('1st in line')
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Waitlist' }))
  })

  it('explains the waitlist when no one is waiting, and says when it is switched off', async () => {
    renderView(fakeApi([]))
    const empty = await screen.findByText('No one is waiting for Studio on Tuesday 24 March.')
    const words = empty.closest('div')!.textContent!
    expect(words).toMatch(/guests can join the waitlist from the booking widget/)
    expect(words).toMatch(/has 20 minutes to claim it/)
    expect(screen.queryByRole('list')).toBeNull()

    fireEvent.change(screen.getByRole('combobox', { name: 'Resource' }), { target: { value: 'r-2' } })
    await screen.findByText('No one is waiting for Loft on Tuesday 24 March.')
    expect(screen.getByText(/switched off in the resource's settings/)).toBeTruthy()
    expect((screen.getByRole('option', { name: 'Loft (waitlist off)' }) as HTMLOptionElement).value).toBe('r-2')
  })
})
