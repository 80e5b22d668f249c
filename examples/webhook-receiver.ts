/*
 * A webhook receiver: checks each request's signature with the SDK's verifyWebhook and
 * logs the event. Run it, then add http://127.0.0.1:8788/hooks as an endpoint (allowed only
 * with WEBHOOK_ALLOW_PRIVATE=true; a real receiver is on https) and press "Send test":
 *
 *   BOOKING_WEBHOOK_SECRET=whsec_… npx tsx examples/webhook-receiver.ts [port]
 *
 * In your own project the import is the package's SDK entry, exactly as below.
 */
import { createServer } from 'node:http'
import { verifyWebhook, WebhookVerificationError } from 'booking-embed/sdk'

const secret = process.env.BOOKING_WEBHOOK_SECRET ?? ''
if (!secret.startsWith('whsec_')) throw new Error('Set BOOKING_WEBHOOK_SECRET to the endpoint’s secret (whsec_…).')
/** Events already handled: a retry after a lost answer brings the same id again. */
const seen = new Set<string>()

createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', async () => {
    // The raw body, byte for byte: the signature covers it, not a re-serialized copy.
    const body = Buffer.concat(chunks).toString('utf8')
    try {
      const event = await verifyWebhook(body, req.headers['booking-signature'] as string | undefined, secret)
      if (!seen.has(event.id)) {
        seen.add(event.id)
        const { data } = event
        if ('endpointId' in data) console.log('ping received: the endpoint works')
        else if ('booking' in data) console.log(event.type, data.booking.ref, data.booking.start, `#${event.sequence}`)
        // waitlist.*: the entry, and the offer when one is concerned.
        else console.log(event.type, data.entry.ref, data.offer?.start ?? data.entry.windowStart, `#${event.sequence}`)
      }
      res.writeHead(204).end()
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      console.warn('refused:', error.code, error.message)
      res.writeHead(400).end(error.code)
    }
  })
}).listen(Number(process.argv[2] ?? 8788), '127.0.0.1', () =>
  console.log(`listening on http://127.0.0.1:${process.argv[2] ?? 8788}/hooks`),
)
