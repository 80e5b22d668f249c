import { z } from 'zod'

/** How often a calendar is fetched, in minutes (the table's CHECK busy_sources_poll_range). */
export const BUSY_POLL_MINUTES = { min: 5, max: 1440, default: 10 } as const

/**
 * A calendar address: http(s), or webcal(s) as calendar apps hand them out (the same
 * address over https). Anything else (file:, data:, ftp:) is refused here, before any fetch.
 */
const calendarUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .transform((value, ctx) => {
    let url: URL
    try {
      url = new URL(value.replace(/^webcals?:\/\//i, 'https://'))
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http or https address' })
      return z.NEVER
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http or https address' })
      return z.NEVER
    }
    return url.toString()
  })

const labelSchema = z.string().trim().max(100)
const pollMinutesSchema = z.number().int().min(BUSY_POLL_MINUTES.min).max(BUSY_POLL_MINUTES.max)

/** `POST /v1/admin/resources/:id/busy-sources` */
export const busySourceCreateSchema = z.strictObject({
  url: calendarUrlSchema,
  label: labelSchema.nullish(),
  pollMinutes: pollMinutesSchema.optional(),
})

/** `PATCH /v1/admin/busy-sources/:id`: a changed address is fetched afresh (its validators are dropped). */
export const busySourceUpdateSchema = z
  .strictObject({
    url: calendarUrlSchema.optional(),
    label: labelSchema.nullable().optional(),
    pollMinutes: pollMinutesSchema.optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { message: 'nothing to change' })

export type BusySourceCreate = z.output<typeof busySourceCreateSchema>
export type BusySourceUpdate = z.output<typeof busySourceUpdateSchema>
