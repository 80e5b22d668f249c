import { describe, expect, it } from 'vitest'
import type { ScheduleRule } from '../shared/types'
import {
  addBreak,
  copyDay,
  dateLabel,
  findProblems,
  mapScheduleDetails,
  MON_TO_FRI,
  ALL_DAYS,
  nextWindow,
  normalizeTime,
  suggestBreak,
} from './schedule-ops'

const win = (weekday: number, startTime: string, endTime: string, slotDuration: number | null = 60): ScheduleRule => ({
  weekday,
  specificDate: null,
  startTime,
  endTime,
  slotDuration,
  isAvailable: true,
})
const closure = (date: string): ScheduleRule => ({
  weekday: null,
  specificDate: date,
  startTime: '00:00',
  endTime: '24:00',
  slotDuration: null,
  isAvailable: false,
})
const days = (rules: ScheduleRule[]) => rules.map((r) => `${r.specificDate ?? r.weekday} ${r.startTime}-${r.endTime}`)

describe('copying a day', () => {
  it('gives Monday’s hours, break included, to Tuesday–Friday and replaces what they had', () => {
    const rules = [
      win(0, '09:00', '12:00'),
      win(0, '13:00', '17:00'),
      win(2, '07:00', '08:00'),
      win(5, '10:00', '14:00'),
      closure('2026-12-24'),
    ]
    expect(days(copyDay(rules, 0, MON_TO_FRI))).toEqual([
      '0 09:00-12:00',
      '0 13:00-17:00',
      '1 09:00-12:00',
      '1 13:00-17:00',
      '2 09:00-12:00',
      '2 13:00-17:00',
      '3 09:00-12:00',
      '3 13:00-17:00',
      '4 09:00-12:00',
      '4 13:00-17:00',
      '5 10:00-14:00',
      '2026-12-24 00:00-24:00',
    ])
  })

  it('copies Saturday to all days, keeping slot lengths', () => {
    const copied = copyDay([win(5, '10:00', '14:00', 30), win(0, '09:00', '17:00')], 5, ALL_DAYS)
    expect(copied).toHaveLength(7)
    expect(copied.every((r) => r.startTime === '10:00' && r.endTime === '14:00' && r.slotDuration === 30)).toBe(true)
    expect(copied.map((r) => r.weekday)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })
})

describe('adding a break', () => {
  it('splits 09:00–17:00 into 09:00–12:00 and 13:00–17:00 in one step', () => {
    const result = addBreak([win(4, '09:00', '17:00', 45), win(5, '10:00', '12:00')], 0, '12:00', '13:00')
    expect(result.rules).toEqual([win(4, '09:00', '12:00', 45), win(4, '13:00', '17:00', 45), win(5, '10:00', '12:00')])
  })

  it('refuses a break outside the window, or one that ends before it starts, in words', () => {
    expect(addBreak([win(0, '09:00', '17:00')], 0, '08:00', '10:00').error).toBe(
      'The break must lie inside 09:00–17:00.',
    )
    expect(addBreak([win(0, '09:00', '17:00')], 0, '13:00', '12:00').error).toBe(
      'The break must end after it starts (13:00–12:00).',
    )
    expect(addBreak([win(0, '09:00', '17:00')], 0, 'noon', '13:00').error).toMatch(/HH:MM/)
  })

  it('suggests lunch when it fits, else a short pause in the middle', () => {
    expect(suggestBreak(win(0, '09:00', '17:00'))).toEqual({ start: '12:00', end: '13:00' })
    expect(suggestBreak(win(0, '14:00', '20:00'))).toEqual({ start: '16:30', end: '17:30' })
    const short = suggestBreak(win(0, '08:00', '09:00'))
    expect(addBreak([win(0, '08:00', '09:00')], 0, short.start, short.end).rules).toHaveLength(2)
  })
})

describe('problems before saving', () => {
  it('names both windows of an overlap by weekday and time, on the later row', () => {
    const rules = [win(4, '11:00', '14:00'), win(0, '09:00', '17:00'), win(4, '09:00', '12:00')]
    expect(findProblems(rules)).toEqual([
      { index: 0, related: 2, message: 'Friday 09:00–12:00 overlaps Friday 11:00–14:00' },
    ])
  })

  it('says a window must end after it starts, and names dates by their date', () => {
    const rules: ScheduleRule[] = [
      win(4, '09:00', '08:00'),
      { ...closure('2026-12-24'), isAvailable: true, startTime: '10:00', endTime: '12:00' },
      { ...closure('2026-12-24'), isAvailable: true, startTime: '11:00', endTime: '13:00' },
      win(6, '9', '17:00'),
    ]
    expect(findProblems(rules).map((p) => p.message)).toEqual([
      'Friday: the window must end after it starts (09:00–08:00)',
      '2026-12-24 10:00–12:00 overlaps 2026-12-24 11:00–13:00',
      'Sunday: write the start as HH:MM, e.g. 09:00 (now “9”).',
    ])
  })

  it('lets touching windows and the same hours on different days be', () => {
    expect(
      findProblems([
        win(0, '09:00', '12:00'),
        win(0, '12:00', '17:00'),
        win(1, '09:00', '17:00'),
        win(0, '17:00', '24:00'),
      ]),
    ).toEqual([])
  })

  it('finds a window that overlaps a long earlier one past its neighbour', () => {
    const rules = [win(2, '08:00', '18:00'), win(2, '09:00', '10:00'), win(2, '11:00', '12:00')]
    expect(findProblems(rules).map((p) => p.message)).toEqual([
      'Wednesday 08:00–18:00 overlaps Wednesday 09:00–10:00',
      'Wednesday 08:00–18:00 overlaps Wednesday 11:00–12:00',
    ])
  })
})

describe('the server’s schedule details', () => {
  it('map schedules.<index> (and its fields) to rows, the rest apart', () => {
    expect(
      mapScheduleDetails([
        { path: 'schedules.11', code: 'invalid', message: 'Friday 09:00–12:00 overlaps Friday 11:00–14:00' },
        {
          path: 'schedules.3.endTime',
          code: 'invalid',
          message: 'Friday: the window must end after it starts (09:00–08:00)',
        },
        { path: 'schedules', code: 'too_long', message: 'at most 500' },
      ]),
    ).toEqual({
      rows: [
        { index: 11, message: 'Friday 09:00–12:00 overlaps Friday 11:00–14:00' },
        { index: 3, message: 'Friday: the window must end after it starts (09:00–08:00)' },
      ],
      other: ['at most 500'],
    })
  })
})

describe('times as typed', () => {
  it.each([
    ['9', '09:00'],
    ['930', '09:30'],
    ['0900', '09:00'],
    ['9:30', '09:30'],
    ['17.45', '17:45'],
    ['24:00', '24:00'],
    ['25:00', undefined],
    ['17:5', undefined],
  ])('reads %s as %s', (text, time) => {
    expect(normalizeTime(text)).toBe(time)
  })

  it('labels a date with its weekday name and adds the next window after the last', () => {
    expect(dateLabel('2026-12-24')).toBe('2026-12-24 (Thursday)')
    expect(nextWindow([win(0, '09:00', '12:00', 30)], 0, 60)).toMatchObject({
      weekday: 0,
      startTime: '13:00',
      endTime: '15:00',
      slotDuration: 30,
    })
    expect(nextWindow([], 3, null)).toMatchObject({
      weekday: 3,
      startTime: '09:00',
      endTime: '17:00',
      slotDuration: null,
    })
  })
})
