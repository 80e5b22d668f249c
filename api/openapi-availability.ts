/*
 * OpenAPI pieces for `GET /v1/resources/{idOrSlug}/availability`: the two answer shapes
 * (`format=default` | `compact`), its ETag and 304. Mirrors AvailabilityResponse and
 * CompactAvailabilityResponse in shared/types.ts.
 */

const instant = { type: 'string', format: 'date-time', description: 'ISO-8601 UTC with Z' }
const day = { type: 'string', format: 'date', description: 'A day in the answer’s zone, YYYY-MM-DD' }

const common = {
  resource: { type: 'object', description: 'The resource in its public form, as GET /v1/resources/{idOrSlug}' },
  timezone: { type: 'string', description: 'IANA zone the days are cut in' },
  holds: {
    type: 'array',
    description: 'The asking session’s own live holds on this resource (its selection); omitted when none',
    items: {
      type: 'object',
      required: ['id', 'resourceId', 'start', 'end', 'expiresAt'],
      properties: {
        id: { type: 'string' },
        resourceId: { type: 'string' },
        start: instant,
        end: instant,
        expiresAt: instant,
        seats: { type: 'integer', minimum: 1, description: 'Places held' },
      },
    },
  },
  holdsUnavailable: {
    type: 'boolean',
    const: true,
    description: 'Present when the hold store could not be asked: other guests’ holds are not subtracted',
  },
}

export const availabilitySchemas = {
  AvailabilityResponse: {
    type: 'object',
    required: ['resource', 'timezone', 'days'],
    properties: {
      ...common,
      days: {
        type: 'array',
        description: 'Every requested day, in order',
        items: {
          type: 'object',
          required: ['date', 'slots'],
          properties: {
            date: day,
            slots: {
              type: 'array',
              items: {
                type: 'object',
                required: ['start', 'end'],
                properties: {
                  start: instant,
                  end: instant,
                  seatsLeft: {
                    type: 'integer',
                    description:
                      'Places still free in this slot (capacity less the most booked at any instant of it, less other sessions’ holds); only for a resource whose capacity is above 1',
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  CompactAvailabilityResponse: {
    type: 'object',
    description:
      '`format=compact`: the same answer with each day’s slots as minute offsets; decodes to exactly the default one',
    required: ['format', 'resource', 'timezone', 'days'],
    properties: {
      format: { type: 'string', const: 'compact' },
      ...common,
      days: {
        type: 'array',
        description: 'Every requested day, in order',
        items: { $ref: '#/components/schemas/CompactAvailabilityDay' },
      },
    },
  },
  CompactAvailabilityDay: {
    type: 'object',
    description:
      'A slot starts at 00:00 UTC of `date` plus the entry’s minutes (real elapsed minutes, so DST days need nothing special; negative or past 1440 in zones far from UTC) and lasts `length` minutes, or is a `[start, minutes]` pair when its length differs. Start ms = Date.UTC(date) + start × 60000; end = start + minutes × 60000.',
    required: ['date', 'starts'],
    properties: {
      date: day,
      length: {
        type: 'number',
        description: 'Minutes of the day’s slots (the most common length); omitted on a day without slots',
      },
      starts: {
        type: 'array',
        items: {
          oneOf: [
            { type: 'number' },
            { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 },
          ],
        },
      },
      seatsLeft: {
        type: 'array',
        items: { type: 'integer' },
        description:
          'Only for a resource whose capacity is above 1, on a day with slots: each slot’s places still free, in the order of `starts`',
      },
    },
  },
}

export const AVAILABILITY_OK =
  '{resource, timezone, days: [{date, slots: [{start, end, seatsLeft?}]}], holds?}; with format=compact, days: [{date, length, starts, seatsLeft?}]'

/** Responses of the availability route beyond the generic ones. */
export function availabilityResponses() {
  return {
    200: {
      description: AVAILABILITY_OK,
      headers: {
        ETag: {
          description: 'Strong: a hash of this exact body (which depends on the asking session’s holds)',
          schema: { type: 'string' },
        },
        'Cache-Control': {
          description: '`private, no-cache`: keep, but revalidate with If-None-Match',
          schema: { type: 'string' },
        },
      },
      content: {
        'application/json': {
          schema: {
            oneOf: [
              { $ref: '#/components/schemas/AvailabilityResponse' },
              { $ref: '#/components/schemas/CompactAvailabilityResponse' },
            ],
          },
        },
      },
    },
    304: { description: 'If-None-Match matched the current ETag: the copy held is still the answer (no body)' },
  }
}
