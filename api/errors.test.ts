import { describe, expect, it } from 'vitest'
import { describeError } from './errors'

describe('describeError', () => {
  it('logs the driver cause and SQLSTATE but never the SQL parameters Drizzle puts in its message', () => {
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "bookings_ref_unique"'), {
      code: '23505',
    })
    const drizzle = new Error('Failed query: insert into "bookings" …\nparams: Ada Lovelace,ada@example.com', {
      cause: driver,
    })
    drizzle.name = 'DrizzleQueryError'
    const logged = JSON.stringify(describeError(drizzle))
    expect(logged).toContain('23505')
    expect(logged).toContain('bookings_ref_unique')
    expect(logged).not.toContain('ada@example.com')
    expect(logged).not.toContain('Ada Lovelace')
  })
})

describe('error log lines', () => {
  it('keep their own message: the error’s text goes in a field of its own', () => {
    const fields = describeError(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))
    expect(fields).not.toHaveProperty('message')
    expect(fields).toMatchObject({ error: 'Error', code: '57P03', detail: 'the database system is shutting down' })
  })
})
