/*
 * The widget's words. English is built in; German and Spanish live in locales/ and are
 * fetched only for pages in those languages. Dates, times and numbers are never written
 * here: they go through Intl in the same locale, so only sentences are translated.
 */

import { LANGUAGES, type Language } from '../shared/languages'

export const en = {
  errors: {
    generic: 'Something went wrong. Please try again.',
    not_found: 'This booking calendar is not available.',
    payment_unavailable: 'Online payment is not available for this booking. Please contact the provider.',
    rate_limited:
      'Too many tries, or too many times held at once from this network. Please wait a few minutes and try again.',
    network_error: 'Could not reach the booking service. Check your connection and try again.',
    unavailable: 'The booking service is busy right now. Please try again in a moment.',
    cancellation_closed: 'This booking can no longer be cancelled online. Please contact the provider.',
    reschedule_closed: 'This booking can no longer be moved online. Please contact the provider.',
    invalid_request: 'Some details are not valid. Please check them and try again.',
    invalid_transition: 'This booking cannot be changed any more.',
    idempotency_conflict: 'This booking was already sent with other details. Please start again.',
    slot_taken: 'Sorry, that time was just taken. Please pick another.',
    slot_held: 'Someone else is booking that time right now. Please pick another.',
    limit_reached: 'You have reached this calendar’s booking limit. Please pick another day.',
    hold_expired: 'Your hold on that time ran out. Please pick a time again.',
    outside_availability: 'That time is no longer offered. Please pick another.',
    offer_expired: 'This offer has ended and the time is no longer kept for you.',
    already_waiting: 'You are already on the waitlist for this time, with this email address.',
    waitlist_closed: 'This calendar does not take a waitlist.',
  },
  // The resource's booking limits (error limit_reached), by the limit its details name.
  limitReached: {
    perGuestPerDay: (max: number) =>
      max === 1
        ? 'You can book this only once per day. Please pick another day.'
        : `You can book this at most ${max} times per day. Please pick another day.`,
    perGuestPerWeek: (max: number) =>
      max === 1
        ? 'You can book this only once per week. Please pick a day in another week.'
        : `You can book this at most ${max} times per week. Please pick a day in another week.`,
    perGuestPerMonth: (max: number) =>
      max === 1
        ? 'You can book this only once per month. Please pick a day in another month.'
        : `You can book this at most ${max} times per month. Please pick a day in another month.`,
    perDay: () => 'This day is fully booked. Please pick another day.',
    minGapMinutes: (minutes: number) =>
      `Your bookings need at least ${minutes} minutes between them. Please pick another time.`,
  },
  fieldError: {
    required: 'Please fill in this field.',
    invalid_email: 'Please enter a whole email address: a name, @ and a domain.',
    invalid_phone:
      'This does not look like a phone number. Check the digits, or add the country code (such as +1 or +44).',
    too_long: 'This is too long. Please shorten it.',
    invalid: 'Please check this field.',
  },
  // Intake questions the owner asks (their own words come from the resource, in the page's language).
  intake: {
    chooseOne: 'Please choose an option.',
    mustAccept: 'Please tick this box to continue.',
    number: 'Please enter a number.',
    atLeast: (min: string) => `Please enter ${min} or more.`,
    atMost: (max: string) => `Please enter ${max} or less.`,
    oneLine: 'Please keep this to one line.',
  },
  checkFields: 'Please check the fields marked below.',
  paymentNotSetUp: 'This calendar cannot take bookings yet: the owner has not finished setting up online payments.',
  nextAvailable: (day: string) => `Next available: ${day}`,
  noMoreTimes: 'No free times in the booking period.',
  payOnSite: (price: string) => `Price: ${price}, paid on site`,
  leaveTitle: 'Leave without booking?',
  leaveText: 'The time held for you will be released for others.',
  stay: 'Keep my time',
  leave: 'Leave',
  zoneSearch: 'Search for a city or time zone',
  zoneNoMatch: 'No time zone matches.',
  zoneChange: 'Change time zone',
  zoneYours: 'Your time zone',
  zoneResource: 'Time zone of the venue',
  movingFrom: (time: string) => `Instead of ${time}`,
  freeTimes: 'Free times',
  loading: 'Loading free times…',
  loadingStep: 'Loading…',
  retry: 'Try again',
  prevMonth: 'Previous month',
  nextMonth: 'Next month',
  noTimesMonth: 'No free times this month.',
  noTimesDay: 'No free times on this day.',
  chooseTime: 'Choose a time',
  timeZone: 'Time zone',
  resourceZone: (name: string, zone: string) => `${name} is in ${zone}.`,
  duration: 'Duration',
  seats: 'Places',
  fewerSeats: 'One place fewer',
  moreSeats: 'One place more',
  places: (count: number) => (count === 1 ? '1 place' : `${count} places`),
  placesLeft: (count: number) => (count === 1 ? '1 place left' : `${count} places left`),
  partySize: 'Guests',
  fewerGuests: 'One guest fewer',
  moreGuests: 'One guest more',
  guests: (count: number) => (count === 1 ? '1 guest' : `${count} guests`),
  member: 'With',
  anyone: 'Anyone',
  withMember: (name: string) => `With ${name}`,
  yourTable: (name: string) => `Your table: ${name}`,
  // A service that takes several resources at once (a therapist and a treatment room).
  withParts: (names: string[]) => `With ${names.join(' · ')}`,
  serviceIncludes: (labels: string[]) => `Includes: ${labels.join(' · ')}`,
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
  crashed: 'The booking widget stopped working. Reload the page to try again.',
  close: 'Close',
  bookNow: 'Book now',
  yourBooking: 'Your booking',
  notFound: 'This booking link is not valid. Please use the link from your confirmation.',
  status: {
    pending: 'Awaiting confirmation',
    confirmed: 'Confirmed',
    cancelled: 'Cancelled',
    completed: 'Completed',
    no_show: 'Missed',
  },
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
  policyMoveClosed: (hours: number) => `Changing the time online closes ${hours} h before the start.`,
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
  calendarLinks: 'Add to your calendar',
  googleCalendar: 'Google Calendar',
  outlookCalendar: 'Outlook',
  bookAnother: 'Book another time',
  refundPreview: (amount: string, percent: number) => `You get back ${amount} (${percent} %).`,
  noRefundPreview: 'No refund under the cancellation policy.',
  manageClosed: 'Online cancellation has closed for this booking. To change or cancel it, please contact the provider.',
  moveClosed: 'Changing the time online has closed for this booking. To move it, please contact the provider.',
  cancelClosed: 'Online cancellation has closed for this booking. To cancel it, please contact the provider.',
  moveUntil: (when: string) => `You can change the time online until ${when}.`,
  cancelUntil: (when: string) => `You can cancel online until ${when}.`,
  changeUntil: (when: string) => `You can change the time or cancel online until ${when}.`,
  cancelReason: 'Reason (optional)',
  bookingStatus: 'Status',
  // A span across days (a car from Friday to Monday, a room by the night).
  pickup: 'Pickup',
  dropOff: 'Return',
  checkIn: 'Check-in',
  checkOut: 'Check-out',
  choosePickupDay: 'Choose the pickup day',
  chooseReturnDay: 'Choose the return day',
  chooseCheckIn: 'Choose the check-in date',
  chooseCheckOut: 'Choose the check-out date',
  pickupTime: 'Pickup time',
  returnTime: 'Return time',
  changePickup: 'Change pickup',
  noPickupsMonth: 'No free start this month.',
  spanDays: (count: number) => (count === 1 ? '1 day' : `${count} days`),
  spanNights: (count: number) => (count === 1 ? '1 night' : `${count} nights`),
  spanTotal: (units: string, each: string, total: string) => `${units} × ${each} = ${total}`,
  perDay: (price: string) => `${price} per day`,
  perNight: (price: string) => `${price} per night`,
  latestReturn: (when: string) => `Return by ${when} at the latest`,
  continueSpan: 'Continue',
  // A weekly series from the details step: how it repeats, which dates are free, what was booked.
  repeat: {
    label: 'Repeat',
    once: 'Just once',
    every: (weeks: number) => (weeks === 1 ? 'Every week' : `Every ${weeks} weeks`),
    count: 'For',
    times: (count: number) => `${count} times`,
    checking: 'Checking the dates…',
    free: (date: string) => `${date} — free`,
    taken: (date: string) => `${date} — taken`,
    ifTaken: 'If a date is taken',
    freeOnly: 'Book the free dates only',
    allOrNothing: 'Only if all dates are free',
    booked: 'Booked dates',
    skipped: 'Not booked (taken)',
    // The series' calendar file holds every date; the Google and Outlook links carry only one.
    addAll: (count: number) =>
      count === 1 ? 'Add the date to your calendar (.ics)' : `Add all ${count} dates to your calendar (.ics)`,
    googleFirst: 'Google Calendar (first date)',
    outlookFirst: 'Outlook (first date)',
    // An all-or-nothing series refused: dates (written as in the list above) were taken since they were shown.
    takenNow: (dates: string[]) =>
      `${dates.length === 1 ? 'One of the dates is' : `${dates.length} of the dates are`} taken now: ${dates.join(', ')}. Book the free dates, or choose other times.`,
    // Where the card is taken when booking: one payment for every date.
    dueNow: (count: number, each: string, total: string) =>
      `${count === 1 ? '1 date' : `${count} dates`} × ${each} = ${total}, paid now`,
    payFor: (count: number, weeks: number, total: string) =>
      `${count === 1 ? '1 date' : `${count} dates`}, ${weeks === 1 ? 'weekly' : `every ${weeks} weeks`}: ${total}`,
  },
  // The waitlist: joining a fully booked day, and the entry behind its link (offers, leaving).
  waitlist: {
    fullDay: 'This day is fully booked.',
    join: 'Join the waitlist',
    joining: 'Joining…',
    when: 'When would suit you?',
    anyTime: 'Any time that day',
    between: 'Between',
    from: 'From',
    until: 'Until',
    keptFor: (minutes: number) =>
      `If a time frees up, it is kept for you for ${minutes} minutes and we send you an email (and a text message if you give your phone number).`,
    joined: 'You’re on the waitlist',
    joinedText: (email: string) => `We’ll email you at ${email} as soon as a time frees up.`,
    title: 'Your waitlist place',
    position: (n: number) => (n === 1 ? 'You are next in line.' : `You are number ${n} in line.`),
    status: {
      waiting: 'Waiting',
      booked: 'Booked',
      left: 'You left the waitlist.',
      removed: 'The provider took you off the waitlist.',
      expired: 'The time you waited for has passed.',
    },
    offerTitle: 'A time is free for you',
    timeLeft: (time: string) => `Kept for you for ${time}`,
    claim: 'Book this time',
    decline: 'Not this one',
    declined: 'We passed that time on. You stay on the waitlist for other times.',
    offerEnded: 'This offer has ended; you are still on the waitlist.',
    offerGone: 'This offer has ended.',
    leave: 'Leave the waitlist',
    confirmLeave: 'Leave the waitlist? You will not be offered times any more.',
    yesLeave: 'Yes, leave',
    stay: 'Stay on the list',
    notFound: 'This waitlist link is not valid. Please use the link from your email.',
    viewBooking: 'Show the booking',
  },
}

/**
 * A weekly series on the manage page: its dates, and cancelling or moving every later one at
 * once. The English words come with that view's own chunk (ui/ManageSeries.tsx), so no first
 * paint carries them; the German and Spanish catalogues, fetched whole, carry theirs.
 */
export interface SeriesWords {
  title: string
  loading: string
  /** "Every week on Tuesday at 18:00", the weekday and time as Intl writes them. */
  repeats: (weeks: number, weekday: string, time: string) => string
  upcoming: string
  noUpcoming: string
  cancelledDates: string
  cancelAll: string
  confirmCancelAll: string
  cancelTerms: string
  yesCancelAll: string
  /** "3 dates cancelled; 1 kept because it is within 24 hours of the start." (`hours` 0: no notice known). */
  cancelledAll: (cancelled: number, kept: number, hours: number) => string
  nothingToCancel: string
  moveAll: string
  /** `date`: the next date as the list writes it. */
  moveIntro: (date: string) => string
  day: string
  time: string
  noTimes: string
  moveHere: string
  movedAll: (count: number) => string
  /** The new times refused: the dates (as the list writes them) that are not free; nothing was moved. */
  notFree: (dates: string[]) => string
  moveClosed: string
}

export type Messages = typeof en & { series?: SeriesWords }

// The languages the guest's messages are written in, so the widget and the emails agree.
export { LANGUAGES, type Language }

export interface Locale {
  /** The BCP 47 tag used for Intl formatting (the page's own, e.g. `de-AT`). */
  tag: string
  language: Language
}

/**
 * The first of `requested` (e.g. `data-locale`, then `<html lang>`, then the browser's
 * languages) whose language has a catalogue; English when none does. The full tag is kept
 * for Intl, so `de-CH` gets Swiss dates with German sentences. A page that names only the
 * language (`lang="en"`) borrows the region of a later tag of that language (the browser's
 * `en-GB`), so a British reader of an English page sees 24-hour times and Monday-first weeks.
 */
export function pickLocale(requested: readonly (string | null | undefined)[]): Locale {
  const languageOf = (tag: string) => tag.toLowerCase().split(/[-_]/)[0] ?? ''
  for (const [index, candidate] of requested.entries()) {
    if (!candidate) continue
    const language = languageOf(candidate)
    if (!(LANGUAGES as readonly string[]).includes(language)) continue
    const regional = /[-_]/.test(candidate)
      ? undefined
      : requested.slice(index + 1).find((later) => later && /[-_]/.test(later) && languageOf(later) === language)
    return { tag: safeTag(regional ?? candidate) ?? language, language: language as Language }
  }
  return { tag: 'en', language: 'en' }
}

type CatalogueLoader = (language: Exclude<Language, 'en'>) => Promise<Messages>

// English is built in; the others are chunks of their own, fetched when a page needs them.
let loadCatalogue: CatalogueLoader | undefined = (language) =>
  (language === 'de' ? import('./locales/de') : import('./locales/es')).then((m) => m.default)
const loaded = new Map<Language, Promise<Messages>>([['en', Promise.resolve(en)]])

/** @internal For tests: how catalogues other than English are fetched. */
export function setCatalogueLoader(loader: CatalogueLoader): void {
  loadCatalogue = loader
}

/** The words for `language`; English if its catalogue cannot be fetched (offline, blocked). */
export function loadMessages(language: Language): Promise<Messages> {
  let messages = loaded.get(language)
  if (!messages) {
    const load = loadCatalogue
    // Any failure (offline, blocked, a bad script URL) falls back to English, never to nothing.
    messages =
      language === 'en' || !load
        ? Promise.resolve(en)
        : Promise.resolve()
            .then(() => load(language))
            .catch(() => en)
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
