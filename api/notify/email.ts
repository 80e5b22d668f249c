import { chmod, mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Logger } from '../logger'

export interface EmailMessage {
  to: string
  subject: string
  text: string
  html: string
  /** Stable per outbox row, so a message sent twice after a crash is recognisably the same one. */
  messageId: string
  attachments?: { filename: string; content: string; contentType: string }[]
}

export interface EmailSender {
  readonly kind: 'smtp' | 'http' | 'file'
  /** The From address (`Name <address>` or a bare address); calendar invitations name it as organizer. */
  readonly from: string
  send(message: EmailMessage): Promise<{ id: string }>
  close(): void
}

/** Email over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com`) with nodemailer. */
export function createSmtpSender(options: { url: string; from: string }): EmailSender {
  // A pool keeps connections open: the worker sends in batches, not one message a minute.
  const url = new URL(options.url)
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true')
  const transport = nodemailer.createTransport(url.href)
  return {
    kind: 'smtp',
    from: options.from,
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message })
      return { id: info.messageId }
    },
    close: () => transport.close(),
  }
}

/**
 * No SMTP configured: each message is written as an .eml file (open it in any mail
 * client) and logged without its recipient, so the demo shows what would have been sent.
 * The messages hold guests' names, addresses and manage links, so only this user may read
 * them: the folder is 0700 (an existing one of ours is tightened once) and each file 0600.
 */
export function createFileSender(options: { dir: string; from: string; logger: Logger }): EmailSender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  let folderReady: Promise<void> | undefined
  return {
    kind: 'file',
    from: options.from,
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message })
      folderReady ??= privateFolder(options.dir, options.logger).catch((error: unknown) => {
        folderReady = undefined // the next message tries again
        throw error
      })
      await folderReady
      const file = join(options.dir, `${message.messageId.replace(/[^\w.-]/g, '_')}.eml`)
      await writeFile(file, info.message as Buffer, { mode: 0o600 })
      // `mode` applies only to a new file: a resend over one an older version wrote is tightened too.
      await chmod(file, 0o600)
      options.logger.info('email written (no SMTP_URL)', { file, subject: message.subject })
      return { id: info.messageId }
    },
    close: () => transport.close(),
  }
}

/**
 * Creates `dir` (and missing parents) 0700, or tightens it to 0700 when it exists and
 * belongs to this user; a folder someone else owns was shared on purpose and is left as is.
 */
async function privateFolder(dir: string, logger: Logger): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const info = await stat(dir)
  if ((info.mode & 0o077) === 0) return
  if (process.getuid && info.uid !== process.getuid()) {
    logger.info('mail folder is open to others and not ours to tighten', { dir })
    return
  }
  await chmod(dir, 0o700)
}
