import type { ChangeNotice } from '../shared/cancellation-policy'
import { parseMoney, toMajorText } from '../shared/money'
import { MAX_AMOUNT_MINOR, MAX_CAPACITY, MAX_PARTY, MIN_SLOT_MINUTES } from '../shared/limits'
import { takesPaymentOnline, type PaymentSetting } from '../shared/payment-terms'
import type { BookingLimits, SpanConfig, SpanPricing } from '../shared/resource-config'
import type { AdminResource, CancellationPolicy, ResourceConfig } from '../shared/types'
import { wallTimeMinutes } from '../shared/wall-time'

/**
 * The resource form as the owner types it: every field is the text (or choice) on screen,
 * so nothing typed is lost to a parse, an error or a re-render. `toResourceBody` turns it
 * into the API's resource; `formFromResource` does the reverse.
 */
export interface ResourceFormValues {
  name: string
  slug: string
  type: string
  timezone: string
  country: string
  durations: string
  /** Minutes between slot starts, whatever their length; empty = each slot's own length. */
  slotStep: string
  /** Fixed local start times `HH:MM`, comma- or line-separated; empty = starts on the grid. */
  startTimes: string
  bufferBefore: string
  bufferAfter: string
  notice: string
  horizon: string
  /** Places at any instant (a class of 12: 12); empty = 1. */
  capacity: string
  /** Most places one booking may take; empty = the capacity. */
  maxSeats: string
  /** For a table: the smallest and largest party it seats; empty = open. */
  minParty: string
  maxParty: string
  requiresConfirmation: boolean
  price: string
  currency: string
  payment: PaymentSetting
  deposit: string
  freeHours: string
  partialHours: string
  partialPercent: string
  closedHours: string
  /** Minimum notice for a guest's own move / cancel online, in hours (the owner is never bound). */
  moveNotice: string
  cancelNotice: string
  /** Booking limits (config.limits); empty = no limit. Counted per guest (email) or for everyone, by local day. */
  limitGuestDay: string
  limitGuestWeek: string
  limitGuestMonth: string
  limitDay: string
  /** Least minutes between the end of one of a guest's bookings and the start of their next. */
  limitGap: string
  notifyEmail: string
  /** '' = each notice in its booking's language. */
  notifyLanguage: '' | 'en' | 'de' | 'es'
  isActive: boolean
  /** Booked as one span across days (a car, a room by the night) instead of by slots. */
  spanOn: boolean
  /** Shortest and longest span, in `spanUnit`. */
  spanMin: string
  spanMax: string
  spanUnit: SpanUnit
  spanPricing: SpanPricing
  /** Pickup and return times step by these minutes; empty = 30. */
  spanStep: string
  /** Rooms by the night: fixed check-in and check-out times (`HH:MM`), set together; empty = guests pick times. */
  spanCheckIn: string
  spanCheckOut: string
}

export type SpanUnit = 'hours' | 'days'

export type ResourceField = keyof ResourceFormValues
export type FieldErrors = Partial<Record<ResourceField, string>>

/** Form order: the first field with an error is the one focused. */
export const FIELD_ORDER: readonly ResourceField[] = [
  'name',
  'slug',
  'type',
  'timezone',
  'country',
  'isActive',
  'durations',
  'slotStep',
  'startTimes',
  'bufferBefore',
  'bufferAfter',
  'notice',
  'horizon',
  'capacity',
  'maxSeats',
  'minParty',
  'maxParty',
  'requiresConfirmation',
  'price',
  'currency',
  'payment',
  'deposit',
  'freeHours',
  'partialHours',
  'partialPercent',
  'closedHours',
  'moveNotice',
  'cancelNotice',
  'limitGuestDay',
  'limitGuestWeek',
  'limitGuestMonth',
  'limitDay',
  'limitGap',
  'notifyEmail',
  'notifyLanguage',
  'spanOn',
  'spanMin',
  'spanMax',
  'spanUnit',
  'spanPricing',
  'spanStep',
  'spanCheckIn',
  'spanCheckOut',
]

export const RESOURCE_TYPES = ['room', 'specialist', 'table', 'car', 'other'] as const

/** The config keys this form edits; any other key of a stored config is carried over untouched. */
const FORM_CONFIG_KEYS = new Set<keyof ResourceConfig>([
  'durations',
  'slotStepMin',
  'startTimes',
  'bufferBeforeMin',
  'bufferAfterMin',
  'minNoticeMin',
  'horizonDays',
  'capacity',
  'maxSeatsPerBooking',
  'minParty',
  'maxParty',
  'requiresConfirmation',
  'price',
  'payment',
  'depositAmount',
  'cancellationPolicy',
  'minRescheduleNoticeHours',
  'minCancelNoticeHours',
  'limits',
  'notifyEmail',
  'notifyLanguage',
  'country',
  'span',
])

const textOf = (value: number | undefined) => (value === undefined ? '' : String(value))

/** The longest span the API takes: 90 days. */
export const MAX_SPAN_MINUTES = 90 * 24 * 60
const UNIT_MINUTES: Record<SpanUnit, number> = { hours: 60, days: 24 * 60 }

/** A stored span's fields as the owner edits them: in days when both lengths are whole days, else in hours. */
function spanFields(span: SpanConfig | undefined) {
  const unit: SpanUnit = !span || (span.minMinutes % 1440 === 0 && span.maxMinutes % 1440 === 0) ? 'days' : 'hours'
  const length = (minutes: number) => String(Math.round((minutes / UNIT_MINUTES[unit]) * 100) / 100)
  return {
    spanOn: span !== undefined,
    spanMin: span ? length(span.minMinutes) : '1',
    spanMax: span ? length(span.maxMinutes) : '14',
    spanUnit: unit,
    spanPricing: span?.pricing ?? 'per_day',
    spanStep: textOf(span?.stepMin),
    spanCheckIn: span?.checkIn ?? '',
    spanCheckOut: span?.checkOut ?? '',
  }
}

export function formFromResource(resource: AdminResource | undefined, defaultZone: string): ResourceFormValues {
  const config = resource?.config ?? {}
  const currency = config.price?.currency ?? 'EUR'
  const policy: CancellationPolicy = config.cancellationPolicy ?? {}
  return {
    name: resource?.name ?? '',
    slug: resource?.slug ?? '',
    type: resource?.type ?? 'room',
    timezone: resource?.timezone ?? defaultZone,
    country: config.country ?? '',
    durations: config.durations?.join(', ') ?? '',
    slotStep: textOf(config.slotStepMin),
    startTimes: config.startTimes?.join(', ') ?? '',
    bufferBefore: textOf(config.bufferBeforeMin),
    bufferAfter: textOf(config.bufferAfterMin),
    notice: textOf(config.minNoticeMin),
    horizon: textOf(config.horizonDays),
    capacity: textOf(config.capacity),
    maxSeats: textOf(config.maxSeatsPerBooking),
    minParty: textOf(config.minParty),
    maxParty: textOf(config.maxParty),
    requiresConfirmation: config.requiresConfirmation === true,
    price: config.price ? toMajorText(config.price.amount, currency) : '',
    currency,
    payment: config.payment ?? 'none',
    deposit: config.depositAmount !== undefined ? toMajorText(config.depositAmount, currency) : '',
    freeHours: textOf(policy.free_cancellation_hours),
    partialHours: textOf(policy.partial_refund_hours),
    partialPercent: textOf(policy.partial_refund_percent),
    closedHours: textOf(policy.no_refund_hours),
    moveNotice: textOf(config.minRescheduleNoticeHours),
    cancelNotice: textOf(config.minCancelNoticeHours),
    limitGuestDay: textOf(config.limits?.perGuestPerDay),
    limitGuestWeek: textOf(config.limits?.perGuestPerWeek),
    limitGuestMonth: textOf(config.limits?.perGuestPerMonth),
    limitDay: textOf(config.limits?.perDay),
    limitGap: textOf(config.limits?.minGapMinutes),
    notifyEmail: config.notifyEmail ?? '',
    notifyLanguage: config.notifyLanguage ?? '',
    isActive: resource?.isActive ?? true,
    ...spanFields(config.span),
  }
}

/** A length in hours or days (a comma as the decimal point too) as whole minutes, within the API's bounds. */
function spanLength(values: ResourceFormValues, field: 'spanMin' | 'spanMax', errors: FieldErrors) {
  const trimmed = values[field].trim().replace(',', '.')
  const unit = values.spanUnit === 'days' ? 'days' : 'hours'
  if (!/^\d+(\.\d+)?$/.test(trimmed)) {
    errors[field] = `Write a number of ${unit}, e.g. ${unit === 'days' ? '3' : '4'}.`
    return undefined
  }
  const minutes = Math.round(Number(trimmed) * UNIT_MINUTES[values.spanUnit])
  if (minutes < MIN_SLOT_MINUTES) errors[field] = `At least ${MIN_SLOT_MINUTES} minutes.`
  else if (minutes > MAX_SPAN_MINUTES) errors[field] = 'At most 90 days.'
  else return minutes
  return undefined
}

/** The span as the API takes it, or undefined (with the reasons in `errors`) when it is off or not yet right. */
function spanFromForm(values: ResourceFormValues, errors: FieldErrors): SpanConfig | undefined {
  if (!values.spanOn) return undefined
  const minMinutes = spanLength(values, 'spanMin', errors)
  const maxMinutes = spanLength(values, 'spanMax', errors)
  if (minMinutes !== undefined && maxMinutes !== undefined && minMinutes > maxMinutes)
    errors.spanMin = 'At most the longest span.'
  const step = wholeNumber(values.spanStep, MIN_SLOT_MINUTES, errors, 'spanStep')
  if (step !== undefined && step > 1440) errors.spanStep = 'At most 1440 minutes (a day).'
  const checkIn = values.spanCheckIn.trim()
  const checkOut = values.spanCheckOut.trim()
  for (const [field, time] of [
    ['spanCheckIn', checkIn],
    ['spanCheckOut', checkOut],
  ] as const) {
    if (time !== '' && wallTimeMinutes(time) === undefined) errors[field] = 'Write a time as HH:MM, e.g. 15:00.'
  }
  if ((checkIn === '') !== (checkOut === '') && !errors.spanCheckIn && !errors.spanCheckOut) {
    errors[checkIn === '' ? 'spanCheckIn' : 'spanCheckOut'] = 'Set check-in and check-out together, or neither.'
  }
  if (minMinutes === undefined || maxMinutes === undefined) return undefined
  const span: SpanConfig = { minMinutes, maxMinutes, pricing: values.spanPricing }
  if (step !== undefined) span.stepMin = step
  if (checkIn !== '' && checkOut !== '') {
    span.checkIn = checkIn
    span.checkOut = checkOut
  }
  return span
}

/** The most fixed start times a resource takes (one every 15 minutes of a day). */
const MAX_START_TIMES = 96

/**
 * Where slots start: every `slotStep` minutes or at the fixed `startTimes` (either, not
 * both). Times come in any order and repeated; they are sent sorted, each once, as the API
 * wants them.
 */
function slotStartsFromForm(
  values: ResourceFormValues,
  errors: FieldErrors,
): { slotStepMin?: number; startTimes?: string[] } {
  const slotStepMin = wholeNumber(values.slotStep, MIN_SLOT_MINUTES, errors, 'slotStep')
  if (slotStepMin !== undefined && slotStepMin > 1440) errors.slotStep = 'At most 1440 minutes (a day).'
  // 9:00 is read as 09:00: the API wants two-digit hours.
  const words = values.startTimes
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((time) => (/^\d:\d\d$/.test(time) ? `0${time}` : time))
  const wrong = words.find((time) => time === '24:00' || wallTimeMinutes(time) === undefined)
  if (wrong !== undefined)
    errors.startTimes = `Write times as HH:MM from 00:00 to 23:59, e.g. 09:00, 11:30 (not “${wrong}”).`
  const startTimes = [...new Set(words)].sort()
  if (startTimes.length > MAX_START_TIMES) errors.startTimes = `At most ${MAX_START_TIMES} start times.`
  if (slotStepMin !== undefined && startTimes.length > 0 && !errors.startTimes)
    errors.startTimes = 'Set either “Start a slot every” or fixed start times, not both.'
  return {
    ...(slotStepMin !== undefined ? { slotStepMin } : {}),
    ...(startTimes.length > 0 ? { startTimes } : {}),
  }
}

/** The form's limit fields and the config.limits key each one sets. */
export const LIMIT_FIELDS = {
  limitGuestDay: 'perGuestPerDay',
  limitGuestWeek: 'perGuestPerWeek',
  limitGuestMonth: 'perGuestPerMonth',
  limitDay: 'perDay',
  limitGap: 'minGapMinutes',
} as const satisfies Partial<Record<ResourceField, keyof BookingLimits>>

/** The largest count and gap the API takes (10,000 bookings; 90 days in minutes). */
const MAX_LIMIT: Record<keyof BookingLimits, number> = {
  perGuestPerDay: 10_000,
  perGuestPerWeek: 10_000,
  perGuestPerMonth: 10_000,
  perDay: 10_000,
  minGapMinutes: 90 * 24 * 60,
}

/** The booking limits typed, or undefined when every field is empty. */
function limitsFromForm(values: ResourceFormValues, errors: FieldErrors): BookingLimits | undefined {
  const limits: BookingLimits = {}
  for (const [field, key] of Object.entries(LIMIT_FIELDS) as [keyof typeof LIMIT_FIELDS, keyof BookingLimits][]) {
    const value = wholeNumber(values[field], 1, errors, field)
    if (value !== undefined && value > MAX_LIMIT[key]) errors[field] = `At most ${MAX_LIMIT[key]}.`
    else if (value !== undefined) limits[key] = value
  }
  return Object.keys(limits).length > 0 ? limits : undefined
}

export interface ResourceBody {
  slug: string
  type: string
  name: string
  timezone: string
  config: ResourceConfig
}

/** A whole number ≥ min, or undefined when the field is empty; an error when it is not one. */
function wholeNumber(text: string, min: number, errors: FieldErrors, field: ResourceField): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < min) {
    errors[field] = min > 0 ? `Write a whole number of at least ${min}.` : 'Write a whole number, 0 or more.'
    return undefined
  }
  return Number(trimmed)
}

/** A party of 1 to MAX_PARTY guests, or undefined when the field is empty (the bound is open). */
function partySize(text: string, errors: FieldErrors, field: ResourceField): number | undefined {
  const value = wholeNumber(text, 1, errors, field)
  if (value !== undefined && value > MAX_PARTY) {
    errors[field] = `At most ${MAX_PARTY} guests.`
    return undefined
  }
  return value
}

/** Hours may be fractional (1.5 h); the API takes any number from 0 to 8760. */
function hours(text: string, errors: FieldErrors, field: ResourceField): number | undefined {
  const trimmed = text.trim().replace(',', '.')
  if (trimmed === '') return undefined
  const value = Number(trimmed)
  if (!/^\d+(\.\d+)?$/.test(trimmed) || value > 8760) {
    errors[field] = 'Write a number of hours, e.g. 24.'
    return undefined
  }
  return value
}

/**
 * The policy as guests will get it, from the form's four ladder fields (numbers only,
 * unchecked). The partial rung counts only below a free-cancellation rung, as the server
 * reads it: with free cancellation empty every cancel is refunded in full, so a partial
 * refund typed without it is not shown as if it applied (the form asks for the missing
 * field on save).
 */
export function policyFromForm(values: ResourceFormValues): CancellationPolicy | undefined {
  const scratch: FieldErrors = {}
  const ladder: CancellationPolicy = {}
  const free = hours(values.freeHours, scratch, 'freeHours')
  const partial = hours(values.partialHours, scratch, 'partialHours')
  const percent = wholeNumber(values.partialPercent, 0, scratch, 'partialPercent')
  const closed = hours(values.closedHours, scratch, 'closedHours')
  if (free !== undefined) {
    ladder.free_cancellation_hours = free
    if (partial !== undefined) ladder.partial_refund_hours = partial
    if (partial !== undefined && percent !== undefined) ladder.partial_refund_percent = Math.min(percent, 100)
  }
  if (closed !== undefined) ladder.no_refund_hours = closed
  return Object.keys(ladder).length > 0 ? ladder : undefined
}

/** The two minimum notices as guests will get them (numbers only, unchecked; what is not a number is left out). */
export function noticeFromForm(values: ResourceFormValues): ChangeNotice {
  const scratch: FieldErrors = {}
  const notice: ChangeNotice = {}
  const move = hours(values.moveNotice, scratch, 'moveNotice')
  const cancel = hours(values.cancelNotice, scratch, 'cancelNotice')
  if (move !== undefined) notice.minRescheduleNoticeHours = move
  if (cancel !== undefined) notice.minCancelNoticeHours = cancel
  return notice
}

/**
 * The API's resource from the form, or the fields the owner has to fix first (in words,
 * beside each field). `base` is the stored config: keys the form does not show survive.
 */
export function toResourceBody(
  values: ResourceFormValues,
  base: ResourceConfig = {},
): { body: ResourceBody; errors?: undefined } | { body?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const currency = values.currency.trim().toUpperCase() || 'EUR'
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Write a three-letter currency code, e.g. EUR.'
  const country = values.country.trim().toUpperCase()
  if (country !== '' && !/^[A-Z]{2}$/.test(country))
    errors.country = 'Write a two-letter country code, e.g. DE, or leave it empty.'

  const durationWords = values.durations.split(/[\s,;]+/).filter(Boolean)
  if (durationWords.some((d) => !/^\d+$/.test(d))) errors.durations = 'Write minutes as whole numbers, e.g. 60, 90.'
  else if (durationWords.some((d) => Number(d) < MIN_SLOT_MINUTES))
    errors.durations = `Each length is at least ${MIN_SLOT_MINUTES} minutes.`
  const durations = durationWords.map(Number)
  const { slotStepMin, startTimes } = slotStartsFromForm(values, errors)

  const money = (text: string, field: 'price' | 'deposit') => {
    if (text.trim() === '' || errors.currency) return undefined
    const amount = parseMoney(text, currency)
    if (amount === undefined) errors[field] = `Write an amount in ${currency}, e.g. 25 or 25.50.`
    else if (amount > MAX_AMOUNT_MINOR)
      errors[field] = `At most ${toMajorText(MAX_AMOUNT_MINOR, currency)} ${currency}.`
    return amount
  }
  const price = money(values.price, 'price')
  const deposit = money(values.deposit, 'deposit')
  if (takesPaymentOnline(values.payment) && values.price.trim() === '')
    errors.price = 'Set a price to take payment online.'
  if (values.payment === 'deposit' && values.deposit.trim() === '')
    errors.deposit = 'Set the deposit guests pay when booking.'

  const bufferBefore = wholeNumber(values.bufferBefore, 0, errors, 'bufferBefore')
  const bufferAfter = wholeNumber(values.bufferAfter, 0, errors, 'bufferAfter')
  const notice = wholeNumber(values.notice, 0, errors, 'notice')
  const horizon = wholeNumber(values.horizon, 1, errors, 'horizon')
  const capacity = wholeNumber(values.capacity, 1, errors, 'capacity')
  if (capacity !== undefined && capacity > MAX_CAPACITY) errors.capacity = `At most ${MAX_CAPACITY} places.`
  const maxSeats = wholeNumber(values.maxSeats, 1, errors, 'maxSeats')
  if (maxSeats !== undefined && !errors.capacity && maxSeats > (capacity ?? 1))
    errors.maxSeats =
      (capacity ?? 1) === 1
        ? 'Set a capacity above 1 first: with one place, a booking takes that one.'
        : `At most the capacity, ${capacity}.`
  const span = spanFromForm(values, errors)
  if (values.spanOn && capacity !== undefined && capacity > 1 && !errors.capacity)
    errors.capacity = 'A resource booked as a span has one place: set 1 or leave it empty.'
  const minParty = partySize(values.minParty, errors, 'minParty')
  const maxParty = partySize(values.maxParty, errors, 'maxParty')
  if (minParty !== undefined && maxParty !== undefined && minParty > maxParty)
    errors.minParty = `At most the largest party, ${maxParty}.`
  const free = hours(values.freeHours, errors, 'freeHours')
  const partial = hours(values.partialHours, errors, 'partialHours')
  const percent = wholeNumber(values.partialPercent, 0, errors, 'partialPercent')
  if (percent !== undefined && percent > 100) errors.partialPercent = 'Write a percentage from 0 to 100.'
  const closed = hours(values.closedHours, errors, 'closedHours')
  const moveNotice = hours(values.moveNotice, errors, 'moveNotice')
  const cancelNotice = hours(values.cancelNotice, errors, 'cancelNotice')
  const limits = limitsFromForm(values, errors)
  if (partial !== undefined && percent === undefined && !errors.partialPercent)
    errors.partialPercent = 'Say how much is refunded in this period.'
  // A rung that would never apply is refused, so what guests read matches what they get.
  if (partial !== undefined && free === undefined && !errors.freeHours) {
    errors.partialHours = 'Set “Free cancellation until” as well: without it guests always get everything back.'
  }
  if (percent !== undefined && values.partialHours.trim() === '' && !errors.partialPercent) {
    errors.partialPercent = 'Set “Partial refund until” as well, or leave the percentage empty.'
  }

  if (values.name.trim() === '') errors.name = 'Give it a name guests will recognise.'
  const slug = values.slug.trim()
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length < 2)
    errors.slug = 'Use lowercase letters, digits and single hyphens, e.g. blue-room.'
  if (Object.keys(errors).length > 0) return { errors }

  const kept = Object.fromEntries(
    Object.entries(base).filter(([key]) => !FORM_CONFIG_KEYS.has(key as keyof ResourceConfig)),
  ) as ResourceConfig
  const config: ResourceConfig = { ...kept }
  if (durations.length > 0) config.durations = durations
  if (slotStepMin !== undefined) config.slotStepMin = slotStepMin
  if (startTimes !== undefined) config.startTimes = startTimes
  if (bufferBefore !== undefined) config.bufferBeforeMin = bufferBefore
  if (bufferAfter !== undefined) config.bufferAfterMin = bufferAfter
  if (notice !== undefined) config.minNoticeMin = notice
  if (horizon !== undefined) config.horizonDays = horizon
  // One place is the default: a resource of one place keeps a config without the key, as before.
  if (capacity !== undefined && capacity > 1) config.capacity = capacity
  if (maxSeats !== undefined && capacity !== undefined && capacity > 1) config.maxSeatsPerBooking = maxSeats
  if (minParty !== undefined) config.minParty = minParty
  if (maxParty !== undefined) config.maxParty = maxParty
  if (values.requiresConfirmation) config.requiresConfirmation = true
  if (price !== undefined) config.price = { amount: price, currency }
  if (values.payment !== 'none') config.payment = values.payment
  if (deposit !== undefined) config.depositAmount = deposit
  const policy: CancellationPolicy = {}
  if (free !== undefined) policy.free_cancellation_hours = free
  if (partial !== undefined) policy.partial_refund_hours = partial
  if (percent !== undefined) policy.partial_refund_percent = percent
  if (closed !== undefined) policy.no_refund_hours = closed
  if (Object.keys(policy).length > 0) config.cancellationPolicy = policy
  if (moveNotice !== undefined) config.minRescheduleNoticeHours = moveNotice
  if (cancelNotice !== undefined) config.minCancelNoticeHours = cancelNotice
  if (limits) config.limits = limits
  if (values.notifyEmail.trim() !== '') config.notifyEmail = values.notifyEmail.trim()
  if (values.notifyLanguage !== '') config.notifyLanguage = values.notifyLanguage
  if (country !== '') config.country = country
  if (span) config.span = span
  return { body: { slug, type: values.type, name: values.name.trim(), timezone: values.timezone, config } }
}

const CONFIG_FIELDS: Record<string, ResourceField> = {
  durations: 'durations',
  slotStepMin: 'slotStep',
  startTimes: 'startTimes',
  bufferBeforeMin: 'bufferBefore',
  bufferAfterMin: 'bufferAfter',
  minNoticeMin: 'notice',
  horizonDays: 'horizon',
  capacity: 'capacity',
  maxSeatsPerBooking: 'maxSeats',
  minParty: 'minParty',
  maxParty: 'maxParty',
  requiresConfirmation: 'requiresConfirmation',
  price: 'price',
  payment: 'payment',
  depositAmount: 'deposit',
  notifyEmail: 'notifyEmail',
  notifyLanguage: 'notifyLanguage',
  country: 'country',
  cancellationPolicy: 'freeHours',
  minRescheduleNoticeHours: 'moveNotice',
  minCancelNoticeHours: 'cancelNotice',
  span: 'spanMin',
}

const SPAN_FIELDS: Record<string, ResourceField> = {
  minMinutes: 'spanMin',
  maxMinutes: 'spanMax',
  pricing: 'spanPricing',
  stepMin: 'spanStep',
  checkIn: 'spanCheckIn',
  checkOut: 'spanCheckOut',
}

const POLICY_FIELDS: Record<string, ResourceField> = {
  free_cancellation_hours: 'freeHours',
  freeCancellationHours: 'freeHours',
  partial_refund_hours: 'partialHours',
  partialRefundHours: 'partialHours',
  partial_refund_percent: 'partialPercent',
  partialRefundPercent: 'partialPercent',
  no_refund_hours: 'closedHours',
  noRefundHours: 'closedHours',
}

/** The form field a server detail's dotted path is about (`slug`, `config.price.amount` …), if any. */
export function fieldForPath(path: string): ResourceField | undefined {
  const [head, second, third] = path.split('.')
  if (head === 'config') {
    if (second === 'cancellationPolicy' && third && POLICY_FIELDS[third]) return POLICY_FIELDS[third]
    if (second === 'price' && third === 'currency') return 'currency'
    if (second === 'span' && third && SPAN_FIELDS[third]) return SPAN_FIELDS[third]
    if (second === 'limits') {
      const field = Object.entries(LIMIT_FIELDS).find(([, key]) => key === third)?.[0] as ResourceField | undefined
      return field ?? 'limitGuestDay'
    }
    return second ? CONFIG_FIELDS[second] : undefined
  }
  const top: readonly string[] = ['slug', 'name', 'type', 'timezone', 'isActive']
  return head && top.includes(head) ? (head as ResourceField) : undefined
}

/** The field labels, for putting the API's key names (no_refund_hours …) into the owner's words. */
const KEY_WORDS: Record<string, string> = {
  no_refund_hours: '"no online cancel within"',
  partial_refund_hours: '"partial refund until"',
  free_cancellation_hours: '"free cancellation until"',
  partial_refund_percent: '"partial refund, %"',
  'price.amount': 'the price',
  minParty: '"smallest party"',
  slotStepMin: '"start a slot every"',
  startTimes: '"fixed start times"',
  maxParty: '"largest party"',
}

/**
 * The server's field details split into messages beside fields and the rest (shown above
 * the Save button). Only the first message per field is kept.
 */
export function mapServerDetails(details: unknown): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {}
  const other: string[] = []
  if (!Array.isArray(details)) return { fields, other }
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue
    const { path, message } = detail as { path?: unknown; message?: unknown }
    if (typeof path !== 'string' || typeof message !== 'string') continue
    // The questions editor shows these beside the question they are about.
    if (/^config\.questions(\.|$)/.test(path)) continue
    const words = Object.entries(KEY_WORDS).reduce((text, [key, label]) => text.split(key).join(label), message)
    const field = fieldForPath(path)
    if (!field) other.push(path ? `${path}: ${words}` : words)
    else fields[field] ??= words.charAt(0).toUpperCase() + words.slice(1)
  }
  return { fields, other }
}

/** The snippet an owner pastes into their site, with the widget from this server. */
export function embedSnippet(slug: string, origin: string): string {
  return `<div data-booking-resource="${slug}"></div>\n<script src="${origin}/widget.js" async></script>`
}
