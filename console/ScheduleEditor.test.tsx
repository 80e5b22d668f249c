// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminResource, ScheduleRule } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { ScheduleEditor } from './ScheduleEditor'

/*
 * The schedule as an owner sets it: Monday's hours with a lunch break, copied to the week,
 * a holiday added through its own small form. Problems are told on their rows in words,
 * before saving and after the server refused.
 */

const resource: AdminResource = {
  id: 'r-1',
  slug: 'blue-room',
  type: 'room',
  name: 'Blue room',
  timezone: 'Europe/Berlin',
  config: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}

const win = (weekday: number, startTime: string, endTime: string, slotDuration: number | null = 60): ScheduleRule => ({
  weekday,
  specificDate: null,
  startTime,
  endTime,
  slotDuration,
  isAvailable: true,
})

function renderEditor(initial: ScheduleRule[], put: (rules: ScheduleRule[]) => ScheduleRule[] = (rules) => rules) {
  const sent: ScheduleRule[][] = []
  const onSaved = vi.fn()
  const api: AdminApi = {
    async call<T>(method: string, _path: string, body?: unknown): Promise<T> {
      if (method === 'GET') return { schedules: initial } as T
      const rules = (body as { schedules: ScheduleRule[] }).schedules
      sent.push(rules)
      return { schedules: put(rules) } as T
    },
  }
  render(<ScheduleEditor api={api} resource={resource} onSaved={onSaved} />)
  return { sent, onSaved }
}

const day = (name: string) => screen.getByRole('group', { name })
const spans = (rules: ScheduleRule[]) =>
  rules.map((r) => `${r.specificDate ?? r.weekday} ${r.startTime}–${r.endTime}${r.isAvailable ? '' : ' closed'}`)
const type = (input: HTMLElement, text: string) => {
  fireEvent.input(input, { target: { value: '' } })
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
}
const errorOf = (input: HTMLElement) =>
  document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent

afterEach(cleanup)

describe('the week', () => {
  it('shows weekdays by name, never as numbers', async () => {
    renderEditor([win(4, '09:00', '17:00')])
    await screen.findByRole('group', { name: 'Monday' })
    const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
    for (const name of names) expect(day(name)).toBeTruthy()
    expect(within(day('Friday')).getByLabelText('From')).toHaveProperty('value', '09:00')
    expect(screen.queryByText(/weekday \d/)).toBeNull()
  })

  it('sets Mon–Fri 09:00–17:00 with a 12:00–13:00 break: one break, one copy, one save', async () => {
    const { sent, onSaved } = renderEditor([win(5, '10:00', '14:00')])
    await screen.findByRole('group', { name: 'Monday' })
    fireEvent.click(within(day('Monday')).getByRole('button', { name: 'Add hours' }))
    expect(within(day('Monday')).getByLabelText('From')).toHaveProperty('value', '09:00')
    expect(within(day('Monday')).getByLabelText('To')).toHaveProperty('value', '17:00')

    fireEvent.click(within(day('Monday')).getByRole('button', { name: 'Add a break' }))
    const breakForm = within(day('Monday')).getByRole('group', { name: 'New break' })
    expect(within(breakForm).getByLabelText('Break from')).toHaveProperty('value', '12:00')
    expect(within(breakForm).getByLabelText('Break to')).toHaveProperty('value', '13:00')
    fireEvent.click(within(breakForm).getByRole('button', { name: 'Add break' }))
    expect(
      within(day('Monday'))
        .getAllByLabelText('From')
        .map((i) => (i as HTMLInputElement).value),
    ).toEqual(['09:00', '13:00'])
    expect(
      within(day('Monday'))
        .getAllByLabelText('To')
        .map((i) => (i as HTMLInputElement).value),
    ).toEqual(['12:00', '17:00'])

    fireEvent.click(within(day('Monday')).getByRole('button', { name: 'Copy to Mon–Fri' }))
    for (const name of ['Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
      expect(
        within(day(name))
          .getAllByLabelText('From')
          .map((i) => (i as HTMLInputElement).value),
      ).toEqual(['09:00', '13:00'])
    }
    expect(
      within(day('Saturday'))
        .getAllByLabelText('From')
        .map((i) => (i as HTMLInputElement).value),
    ).toEqual(['10:00'])
    expect(within(day('Sunday')).getByText('Closed')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await screen.findByText('Schedule saved. The widget shows it at once.')
    expect(spans(sent[0]!)).toEqual([
      ...[0, 1, 2, 3, 4].flatMap((d) => [`${d} 09:00–12:00`, `${d} 13:00–17:00`]),
      '5 10:00–14:00',
    ])
    expect(sent[0]!.every((r) => r.slotDuration === 60)).toBe(true)
    expect(onSaved).toHaveBeenCalledTimes(1)
  })

  it('copies a day to all days', async () => {
    const { sent } = renderEditor([win(2, '08:00', '12:00', 30)])
    await screen.findByRole('group', { name: 'Wednesday' })
    fireEvent.click(within(day('Wednesday')).getByRole('button', { name: 'Copy to all days' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await screen.findByText(/Schedule saved/)
    expect(spans(sent[0]!)).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => `${d} 08:00–12:00`))
  })

  it('tells an overlap beside the rows in words before saving, keeps the typing, and saves once fixed', async () => {
    const { sent } = renderEditor([win(4, '09:00', '12:00')])
    await screen.findByRole('group', { name: 'Friday' })
    fireEvent.click(within(day('Friday')).getByRole('button', { name: 'Add hours' }))
    const [, secondFrom] = within(day('Friday')).getAllByLabelText('From')
    const [, secondTo] = within(day('Friday')).getAllByLabelText('To')
    type(secondFrom!, '11:00')
    type(secondTo!, '14:00')
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))

    await waitFor(() => expect(secondFrom!.getAttribute('aria-invalid')).toBe('true'))
    expect(errorOf(secondFrom!)).toBe('Friday 09:00–12:00 overlaps Friday 11:00–14:00')
    expect(screen.getByRole('alert').textContent).toBe('One row needs a change before saving; it says why.')
    // Both windows of the overlap are highlighted; the message sits on the later one.
    expect(day('Friday').querySelectorAll('.sched-row.bad')).toHaveLength(2)
    await waitFor(() => expect(document.activeElement).toBe(secondFrom))
    expect(sent).toHaveLength(0)
    expect((secondTo as HTMLInputElement).value).toBe('14:00')

    type(secondFrom!, '1300')
    fireEvent.blur(secondFrom!)
    expect((secondFrom as HTMLInputElement).value).toBe('13:00')
    expect(secondFrom!.getAttribute('aria-invalid')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await screen.findByText(/Schedule saved/)
    expect(spans(sent[0]!)).toEqual(['4 09:00–12:00', '4 13:00–14:00'])
  })

  it('says a window must end after it starts', async () => {
    renderEditor([win(4, '09:00', '17:00')])
    await screen.findByRole('group', { name: 'Friday' })
    const to = within(day('Friday')).getByLabelText('To')
    type(to, '08:00')
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await waitFor(() =>
      expect(errorOf(within(day('Friday')).getByLabelText('From'))).toBe(
        'Friday: the window must end after it starts (09:00–08:00)',
      ),
    )
  })

  it('puts the server’s schedules.<index> objections on those rows', async () => {
    const initial = [win(0, '09:00', '17:00'), win(4, '09:00', '12:00'), win(4, '13:00', '18:00')]
    const api: AdminApi = {
      async call<T>(method: string): Promise<T> {
        if (method === 'GET') return { schedules: initial } as T
        throw new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
          { path: 'schedules.2', code: 'invalid', message: 'Friday 13:00–18:00 is after closing time' },
        ])
      },
    }
    render(<ScheduleEditor api={api} resource={resource} />)
    await screen.findByRole('group', { name: 'Friday' })
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    const later = within(day('Friday')).getAllByLabelText('From')[1]!
    await waitFor(() => expect(later.getAttribute('aria-invalid')).toBe('true'))
    expect(errorOf(later)).toBe('Friday 13:00–18:00 is after closing time')
    expect(screen.getByRole('alert').textContent).toBe('The server refused some hours; the rows say why.')
    expect(within(day('Monday')).getByLabelText('From').getAttribute('aria-invalid')).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(later))
  })
})

describe('dates', () => {
  it('adds a closure and special hours through their own flow; the Date field appears only then', async () => {
    const { sent } = renderEditor([win(3, '09:00', '17:00')])
    await screen.findByRole('group', { name: 'Thursday' })
    expect(screen.queryByLabelText('Date')).toBeNull()
    expect(screen.getByText('No dates yet.')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Add a date' }))
    const date = screen.getByLabelText('Date')
    await waitFor(() => expect(document.activeElement).toBe(date))
    // Adding without a date says so, and the flow stays open.
    fireEvent.click(screen.getByRole('button', { name: 'Add date' }))
    expect(screen.getByRole('alert').textContent).toBe('Choose the date.')
    fireEvent.input(date, { target: { value: '2026-12-24' } })
    expect(screen.getByLabelText('Closed all day')).toHaveProperty('checked', true)
    fireEvent.click(screen.getByRole('button', { name: 'Add date' }))
    expect(screen.queryByLabelText('Date')).toBeNull()
    expect(
      within(screen.getByRole('group', { name: '2026-12-24 (Thursday)' })).getByText('Closed all day'),
    ).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Add a date' }))
    fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-12-31' } })
    fireEvent.click(screen.getByLabelText('Open at other hours'))
    const flow = screen.getByRole('group', { name: 'Add a date' })
    type(within(flow).getByLabelText('From'), '10')
    type(within(flow).getByLabelText('To'), '1400')
    type(within(flow).getByLabelText('Slot, min'), '')
    fireEvent.click(screen.getByRole('button', { name: 'Add date' }))
    const newYearsEve = screen.getByRole('group', { name: '2026-12-31 (Thursday)' })
    expect(within(newYearsEve).getByLabelText('From')).toHaveProperty('value', '10:00')
    expect(within(newYearsEve).getByLabelText('To')).toHaveProperty('value', '14:00')

    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await screen.findByText(/Schedule saved/)
    expect(spans(sent[0]!)).toEqual(['3 09:00–17:00', '2026-12-24 00:00–24:00 closed', '2026-12-31 10:00–14:00'])
    expect(sent[0]![2]).toMatchObject({
      weekday: null,
      specificDate: '2026-12-31',
      slotDuration: null,
      isAvailable: true,
    })
  })

  it('refuses special hours that overlap that date’s other hours, in words, inside the flow', async () => {
    renderEditor([
      {
        weekday: null,
        specificDate: '2026-12-31',
        startTime: '09:00',
        endTime: '12:00',
        slotDuration: 60,
        isAvailable: true,
      },
    ])
    await screen.findByRole('group', { name: '2026-12-31 (Thursday)' })
    fireEvent.click(screen.getByRole('button', { name: 'Add a date' }))
    fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-12-31' } })
    fireEvent.click(screen.getByLabelText('Open at other hours'))
    const flow = screen.getByRole('group', { name: 'Add a date' })
    type(within(flow).getByLabelText('From'), '11:00')
    type(within(flow).getByLabelText('To'), '13:00')
    fireEvent.click(screen.getByRole('button', { name: 'Add date' }))
    expect(screen.getByRole('alert').textContent).toBe('2026-12-31 09:00–12:00 overlaps 2026-12-31 11:00–13:00')
    expect(within(flow).getByLabelText('From')).toHaveProperty('value', '11:00')
  })
})
