import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../test/fake-twilio'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { silentLogger } from '../logger'
import { createFileSender, createSmtpSender } from './email'
import { createTwilioSender } from './sms'

describe('email over SMTP (nodemailer → a real SMTP server)', () => {
  let sink: SmtpSink
  beforeAll(async () => {
    sink = await startSmtpSink()
  })
  afterAll(() => sink.close())

  it('delivers the text, the HTML, the Message-ID and the calendar attachment', async () => {
    const sender = createSmtpSender({ url: sink.url, from: 'Bookings <bookings@example.test>' })
    await sender.send({
      to: 'ada@example.com',
      subject: 'Booked: Room, Tuesday',
      text: 'Hello Ada',
      html: '<p>Hello Ada</p>',
      messageId: '<n1.1@example.test>',
      attachments: [
        {
          filename: 'booking-ABC.ics',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
          contentType: 'text/calendar; charset=utf-8',
        },
      ],
    })
    sender.close()
    const [mail] = sink.messages
    expect(mail?.subject).toBe('Booked: Room, Tuesday')
    expect(mail?.messageId).toBe('<n1.1@example.test>')
    expect(mail?.from?.value).toEqual([{ name: 'Bookings', address: 'bookings@example.test' }])
    expect((mail?.to as { text: string }).text).toBe('ada@example.com')
    expect(mail?.attachments.map((a) => [a.filename, a.contentType])).toEqual([['booking-ABC.ics', 'text/calendar']])
  })

  it('rejects when the server refuses the message', async () => {
    sink.refuseNext(1)
    const sender = createSmtpSender({ url: sink.url, from: 'bookings@example.test' })
    await expect(
      sender.send({ to: 'a@example.com', subject: 's', text: 't', html: 'h', messageId: '<x@y>' }),
    ).rejects.toThrow(/451|Temporary/)
    sender.close()
  })
})

describe('email without SMTP', () => {
  it('writes each message as an .eml file a mail client can open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-'))
    const sender = createFileSender({ dir, from: 'bookings@localhost', logger: silentLogger })
    await sender.send({
      to: 'grace@example.com',
      subject: 'Cancelled: Room',
      text: 'Sorry',
      html: '<p>Sorry</p>',
      messageId: '<n2.1@localhost>',
    })
    const [file] = await readdir(dir)
    expect(file).toMatch(/\.eml$/)
    const parsed = await simpleParser(await readFile(join(dir, file!)))
    expect(parsed.subject).toBe('Cancelled: Room')
    expect(parsed.text?.trim()).toBe('Sorry')
    await rm(dir, { recursive: true, force: true })
  })
})

describe('SMS through Twilio’s REST API', () => {
  let twilio: FakeTwilio
  beforeAll(async () => {
    twilio = await startFakeTwilio()
  })
  afterAll(() => twilio.close())

  it('posts To, From and Body form-encoded with Basic auth, and returns the message SID', async () => {
    const sender = createTwilioSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+14155550100',
      apiBase: twilio.url,
    })
    const sent = await sender.send({ to: '+442071234567', body: 'Booked: Room. Ref ABC.' })
    expect(sent.id).toMatch(/^SM[0-9a-f]{32}$/)
    expect(twilio.messages).toEqual([
      {
        to: '+442071234567',
        from: '+14155550100',
        body: 'Booked: Room. Ref ABC.',
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
      },
    ])
  })

  it('throws with Twilio’s status and error code', async () => {
    const wrong = createTwilioSender({
      accountSid: twilio.accountSid,
      authToken: 'wrong',
      from: '+14155550100',
      apiBase: twilio.url,
    })
    await expect(wrong.send({ to: '+442071234567', body: 'x' })).rejects.toThrow('Twilio answered 401 (error 20003)')
    twilio.failNext(1)
    const right = createTwilioSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+14155550100',
      apiBase: twilio.url,
    })
    await expect(right.send({ to: '+442071234567', body: 'x' })).rejects.toThrow('Twilio answered 503')
  })
})

describe('email through an HTTP API (Resend’s shape), for runtimes without SMTP', () => {
  it('posts JSON with a Bearer key, the attachment in base64 and the Message-ID as idempotency key', async () => {
    const { startFakeEmailApi } = await import('../../test/fake-email-api')
    const { createHttpEmailSender } = await import('./http-email')
    const api = await startFakeEmailApi()
    const sender = createHttpEmailSender({
      apiUrl: api.url,
      apiKey: api.apiKey,
      from: 'Bookings <bookings@example.test>',
    })
    const message = {
      to: 'ada@example.com',
      subject: 'Booked: Room',
      text: 'Hello',
      html: '<p>Hello</p>',
      messageId: '<n9.1@example.test>',
      attachments: [
        { filename: 'booking-ABC.ics', content: 'BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n', contentType: 'text/calendar' },
      ],
    }
    const first = await sender.send(message)
    const again = await sender.send(message)
    expect(again.id).toBe(first.id) // the same row retried is the same message
    expect(api.messages).toHaveLength(1)
    const [sent] = api.messages
    expect(sent).toMatchObject({
      from: 'Bookings <bookings@example.test>',
      to: ['ada@example.com'],
      subject: 'Booked: Room',
      idempotencyKey: '<n9.1@example.test>',
    })
    expect(Buffer.from(sent!.attachments![0]!.content, 'base64').toString('utf8')).toBe(
      'BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n',
    )
    const wrong = createHttpEmailSender({ apiUrl: api.url, apiKey: 'nope', from: 'x@example.test' })
    await expect(wrong.send({ ...message, messageId: '<other@x>' })).rejects.toThrow(
      'email API answered 401 (validation_error)',
    )
    await api.close()
  })
})
