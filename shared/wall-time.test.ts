import { describe, expect, it } from 'vitest'
import { adminScheduleSchema } from './schemas'
import { formatWallTime, wallTimeMinutes } from './wall-time'

describe('wall times', () => {
  it('reads HH:MM from 00:00 to 24:00 as minutes after midnight', () => {
    expect(wallTimeMinutes('00:00')).toBe(0)
    expect(wallTimeMinutes('09:30')).toBe(570)
    expect(wallTimeMinutes('23:59')).toBe(1439)
    expect(wallTimeMinutes('24:00')).toBe(1440)
  })

  it('reads nothing else', () => {
    for (const text of ['9:30', '24:01', '25:00', '12:60', '12:5', ' 12:00', '12:00:00', ''])
      expect(wallTimeMinutes(text)).toBeUndefined()
  })

  it('writes minutes back as HH:MM', () => {
    expect(formatWallTime(0)).toBe('00:00')
    expect(formatWallTime(570)).toBe('09:30')
    expect(formatWallTime(1440)).toBe('24:00')
  })
})

describe('a schedule with a malformed time', () => {
  it('gets one message, about that time, and none about the window’s order', () => {
    const result = adminScheduleSchema.safeParse({
      schedules: [{ weekday: 4, startTime: '09:00', endTime: '25:00', slotDuration: 60 }],
    })
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['expected a wall time HH:MM (00:00–24:00)'])
  })

  it('still hears that a window must end after it starts', () => {
    const result = adminScheduleSchema.safeParse({
      schedules: [{ weekday: 4, startTime: '18:00', endTime: '08:00', slotDuration: 60 }],
    })
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Friday: the window must end after it starts (18:00–08:00)',
    ])
  })
})
