export interface SmsSender {
  send(message: { to: string; body: string }): Promise<{ id: string }>
}

export interface TwilioOptions {
  accountSid: string
  authToken: string
  /** A Twilio number (E.164) or a Messaging Service SID (MG…). */
  from: string
  /** Another API host (the tests' local server in Twilio's shape). */
  apiBase?: string | undefined
}

/** SMS through Twilio's REST API with plain fetch (runs on edge runtimes too). */
export function createTwilioSender(options: TwilioOptions): SmsSender {
  const base = (options.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '')
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`
  const auth = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`
  return {
    async send({ to, body }) {
      const form = new URLSearchParams({ To: to, Body: body })
      form.set(options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', options.from)
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: auth,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form,
        signal: AbortSignal.timeout(10_000),
      })
      const reply = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string }
      if (!response.ok || !reply.sid) {
        throw new Error(
          `Twilio answered ${response.status}${reply.code ? ` (error ${reply.code})` : ''}: ${reply.message ?? 'no message'}`,
        )
      }
      return { id: reply.sid }
    },
  }
}
