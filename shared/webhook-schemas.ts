import { z } from 'zod'
import { WEBHOOK_EVENTS } from './webhook-events'

/*
 * What the owner's webhook routes (/v1/admin/webhooks) take. Whether a URL may be reached
 * at all (https, no private addresses) is decided by the API's URL guard, which needs DNS;
 * here only its form is checked.
 */

const endpointUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => /^https?:$/.test(safeProtocol(value)), { message: 'expected an https:// URL' })

const eventList = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, { message: 'choose at least one event' })
  // The order an owner ticked boxes in means nothing; duplicates would mean nothing either.
  .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e)))

const description = z.string().trim().max(200)

export const webhookEndpointCreateSchema = z
  .object({ url: endpointUrl, events: eventList, description: description.optional() })
  .strict()

export const webhookEndpointUpdateSchema = z
  .object({ url: endpointUrl, events: eventList, description: description.nullable(), isActive: z.boolean() })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'nothing to change' })

/** `POST /webhooks` body. */
export type WebhookEndpointCreateBody = z.input<typeof webhookEndpointCreateSchema>
/** `PATCH /webhooks/:id` body: any of the fields, at least one. */
export type WebhookEndpointUpdateBody = z.input<typeof webhookEndpointUpdateSchema>

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol
  } catch {
    return ''
  }
}
