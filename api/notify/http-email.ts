import type { EmailSender } from './email'

export interface HttpEmailOptions {
  /** The provider's API base (Resend's shape): `POST {apiUrl}/emails`. */
  apiUrl: string
  apiKey: string
  from: string
}

/**
 * Email through an HTTP API in Resend's shape (JSON, Bearer key), with fetch only: the
 * choice where SMTP cannot run (edge runtimes have no raw SMTP). The outbox row's stable
 * Message-ID doubles as the provider's idempotency key, so a retry never sends twice.
 */
export function createHttpEmailSender(options: HttpEmailOptions): EmailSender {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/emails`
  return {
    kind: 'http',
    from: options.from,
    async send(message) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': message.messageId,
        },
        body: JSON.stringify({
          from: options.from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'Message-ID': message.messageId },
          ...(message.attachments
            ? {
                attachments: message.attachments.map((a) => ({
                  filename: a.filename,
                  content: base64(a.content),
                  content_type: a.contentType,
                })),
              }
            : {}),
        }),
        signal: AbortSignal.timeout(10_000),
      })
      const reply = (await response.json().catch(() => ({}))) as { id?: string; message?: string; name?: string }
      if (!response.ok || !reply.id)
        throw new Error(
          `email API answered ${response.status}${reply.name ? ` (${reply.name})` : ''}: ${reply.message ?? 'no message'}`,
        )
      return { id: reply.id }
    },
    close: () => {},
  }
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
