import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/**
 * A real SMTP server for tests: every message nodemailer sends arrives over the SMTP
 * protocol and is parsed with mailparser. It can refuse the next few messages, the way a
 * provider having trouble does.
 */
export interface SmtpSink {
  url: string
  messages: ParsedMail[]
  /** The next `count` messages are refused with a temporary error (451). */
  refuseNext(count: number): void
  close(): Promise<void>
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = []
  let refuse = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Senders keep pooled connections open; a test's sink need not wait out smtp-server's
    // default 30 s for them before closing.
    closeTimeout: 100,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (refuse > 0) {
            refuse--
            const error = Object.assign(new Error('Temporary local problem, try again later'), { responseCode: 451 })
            return callback(error)
          }
          messages.push(parsed)
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext(count) {
      refuse = count
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
