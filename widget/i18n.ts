/*
 * The widget's words. English is built in; German and Spanish live in locales/ and are
 * fetched only for pages in those languages. Dates, times and numbers are never written
 * here: they go through Intl in the same locale, so only sentences are translated.
 */

export const en = {
  freeTimes: 'Free times',
  loading: 'Loading free times…',
  retry: 'Try again',
  prevMonth: 'Previous month',
  nextMonth: 'Next month',
  noTimesMonth: 'No free times this month.',
  noTimesDay: 'No free times on this day.',
  chooseTime: 'Choose a time',
  timeZone: 'Time zone',
  resourceZone: (name: string, zone: string) => `${name} is in ${zone}.`,
  duration: 'Duration',
  yourDetails: 'Your details',
  heldFor: (time: string) => `Held for you for ${time}`,
  minuteLeft: 'One minute left on your hold.',
  name: 'Name',
  email: 'Email',
  phone: 'Phone (optional)',
  notes: 'Notes (optional)',
  back: 'Back',
  book: 'Book',
  booking: 'Booking…',
  booked: 'Booked!',
  requested: 'Requested: the provider will confirm',
  reference: 'Reference',
  addToCalendar: 'Add to calendar (.ics)',
  manageLink: 'Manage or cancel this booking',
  slotTaken: 'Sorry, that time was just taken. Here are the times still free.',
  holdExpired: 'Your hold on that time ran out. Please pick a time again.',
  noLongerOffered: 'That time is no longer offered. Please pick another.',
  rateLimited: 'Too many tries in a short time. Please wait a minute and try again.',
  networkError: 'Could not reach the booking service. Check your connection and try again.',
  crashed: 'The booking widget stopped working. Reload the page to try again.',
  close: 'Close',
  bookNow: 'Book now',
  yourBooking: 'Your booking',
  notFound: 'This booking link is not valid. Please use the link from your confirmation.',
  status: { pending: 'Awaiting confirmation', confirmed: 'Confirmed', cancelled: 'Cancelled', completed: 'Completed', no_show: 'Missed' },
  cancelBooking: 'Cancel booking',
  confirmCancel: 'Cancel this booking? This cannot be undone.',
  yesCancel: 'Yes, cancel',
  keep: 'Keep it',
  cancelled: 'Your booking is cancelled.',
  changeTime: 'Change time',
  moveHere: 'Move to this time',
  price: (amount: string) => `Price: ${amount}`,
  payFull: (amount: string) => `Paid when you book: ${amount}`,
  payDeposit: (amount: string, price: string) => `Deposit when you book: ${amount} (of ${price})`,
  policyFree: (hours: number) => `Free cancellation until ${hours} h before the start.`,
  policyPartial: (percent: number, hours: number) => `${percent} % back if you cancel at least ${hours} h before.`,
  policyNone: 'No refund after that.',
  policyClosed: (hours: number) => `Online cancellation closes ${hours} h before the start.`,
  policyAlwaysFree: 'Free cancellation until the start.',
  continueToPay: 'Continue to payment',
  paymentTitle: 'Payment',
  paymentLoading: 'Loading the secure payment form…',
  pay: (amount: string) => `Pay ${amount}`,
  paying: 'Paying…',
  paymentFailed: 'The payment did not go through. Please try again or use another card.',
  paymentUnavailable: 'Online payment is unavailable right now. Please try again later.',
  paymentAuthorized: 'Payment authorized. Your booking will be confirmed shortly.',
  refundLine: (amount: string, percent: number) => `Refund: ${amount} (${percent} %)`,
  moved: 'Your booking has moved to the new time.',
}

export type Messages = typeof en


export const LANGUAGES = ['en', 'de', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

export interface Locale {
  /** The BCP 47 tag used for Intl formatting (the page's own, e.g. `de-AT`). */
  tag: string
  language: Language
}

/**
 * The first of `requested` (e.g. `data-locale`, then `<html lang>`, then the browser's
 * languages) whose language has a catalogue; English when none does. The full tag is kept
 * for Intl, so `de-CH` gets Swiss dates with German sentences.
 */
export function pickLocale(requested: readonly (string | null | undefined)[]): Locale {
  for (const candidate of requested) {
    if (!candidate) continue
    const language = candidate.toLowerCase().split(/[-_]/)[0] ?? ''
    if ((LANGUAGES as readonly string[]).includes(language)) return { tag: safeTag(candidate) ?? language, language: language as Language }
  }
  return { tag: 'en', language: 'en' }
}

type CatalogueLoader = (language: Exclude<Language, 'en'>) => Promise<Messages>

// English is built in; the others are fetched when a page needs them. The SDK's bundler
// splits them off; the embed script (one classic file) sets a loader for its sibling files.
let loadCatalogue: CatalogueLoader | undefined = __EMBED__
  ? undefined
  : (language) => (language === 'de' ? import('./locales/de') : import('./locales/es')).then((m) => m.default)
const loaded = new Map<Language, Promise<Messages>>([['en', Promise.resolve(en)]])

/** @internal The embed script's loader for dist/widget/locale-<language>.js. */
export function setCatalogueLoader(loader: CatalogueLoader): void {
  loadCatalogue = loader
}

/** The words for `language`; English if its catalogue cannot be fetched (offline, blocked). */
export function loadMessages(language: Language): Promise<Messages> {
  let messages = loaded.get(language)
  if (!messages) {
    const load = loadCatalogue
    // Any failure (offline, blocked, a bad script URL) falls back to English, never to nothing.
    messages = language === 'en' || !load ? Promise.resolve(en) : Promise.resolve().then(() => load(language)).catch(() => en)
    loaded.set(language, messages)
  }
  return messages
}

function safeTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0]
  } catch {
    return undefined
  }
}
