import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AppConfig } from '../config'
import type { Logger } from '../logger'
import { createFileSender, createSmtpSender } from './email'
import { createHttpEmailSender } from './http-email'
import { createTwilioSender } from './sms'
import type { OutboxWorkerDeps } from './outbox-sender'

/**
 * The message providers from configuration (Node): SMTP or .eml files, Twilio or no SMS,
 * and the secret manage links are sealed with. Without APP_SECRET one is made once and
 * kept beside the embedded database, so a single `npm start` needs no setup; several
 * processes must share one APP_SECRET.
 */
export async function createNotifiers(
  config: AppConfig,
  logger: Logger,
): Promise<Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'>> {
  const email = config.smtpUrl
    ? createSmtpSender({ url: config.smtpUrl, from: config.mailFrom })
    : config.emailApi
      ? createHttpEmailSender({ ...config.emailApi, from: config.mailFrom })
      : createFileSender({ dir: config.mailDir, from: config.mailFrom, logger })
  const sms = config.twilio ? createTwilioSender(config.twilio) : undefined
  const how = {
    smtp: 'over SMTP',
    http: `through ${config.emailApi?.apiUrl}`,
    file: `written to ${config.mailDir} (no SMTP_URL or EMAIL_API_KEY)`,
  }
  logger.info(`notifications: email ${how[email.kind]}, SMS ${sms ? 'through Twilio' : 'off (no TWILIO_*)'}`)
  const appSecret = config.appSecret ?? (await localSecret(join(dirname(config.dataDir), 'app-secret'), logger))
  return { email, sms, links: { publicUrl: config.publicUrl ?? `http://localhost:${config.port}`, appSecret } }
}

async function localSecret(file: string, logger: Logger): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch {
    const secret = randomBytes(32).toString('base64url')
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, secret, { mode: 0o600 })
    logger.info('APP_SECRET not set: made one for this machine', { file })
    return secret
  }
}
