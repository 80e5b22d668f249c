/*
 * The widget's words, in every language it speaks. Dates, times and numbers are never
 * written here: they go through Intl in the same locale, so only sentences are translated.
 */

const en = {
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

const de: Messages = {
  freeTimes: 'Freie Termine',
  loading: 'Freie Termine werden geladen…',
  retry: 'Erneut versuchen',
  prevMonth: 'Vorheriger Monat',
  nextMonth: 'Nächster Monat',
  noTimesMonth: 'Keine freien Termine in diesem Monat.',
  noTimesDay: 'Keine freien Termine an diesem Tag.',
  chooseTime: 'Uhrzeit wählen',
  timeZone: 'Zeitzone',
  resourceZone: (name, zone) => `${name} befindet sich in ${zone}.`,
  duration: 'Dauer',
  yourDetails: 'Ihre Angaben',
  heldFor: (time) => `Für Sie reserviert: noch ${time}`,
  minuteLeft: 'Ihre Reservierung läuft in einer Minute ab.',
  name: 'Name',
  email: 'E-Mail',
  phone: 'Telefon (optional)',
  notes: 'Anmerkungen (optional)',
  back: 'Zurück',
  book: 'Buchen',
  booking: 'Wird gebucht…',
  booked: 'Gebucht!',
  requested: 'Angefragt: Der Anbieter bestätigt noch',
  reference: 'Buchungsnummer',
  addToCalendar: 'Zum Kalender hinzufügen (.ics)',
  manageLink: 'Buchung verwalten oder stornieren',
  slotTaken: 'Dieser Termin wurde gerade vergeben. Hier sind die noch freien Termine.',
  holdExpired: 'Ihre Reservierung ist abgelaufen. Bitte wählen Sie erneut einen Termin.',
  noLongerOffered: 'Dieser Termin wird nicht mehr angeboten. Bitte wählen Sie einen anderen.',
  rateLimited: 'Zu viele Versuche in kurzer Zeit. Bitte warten Sie eine Minute.',
  networkError: 'Der Buchungsdienst ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
  crashed: 'Das Buchungs-Widget funktioniert nicht mehr. Bitte laden Sie die Seite neu.',
  close: 'Schließen',
  bookNow: 'Jetzt buchen',
  yourBooking: 'Ihre Buchung',
  notFound: 'Dieser Buchungslink ist ungültig. Bitte nutzen Sie den Link aus Ihrer Bestätigung.',
  status: { pending: 'Wartet auf Bestätigung', confirmed: 'Bestätigt', cancelled: 'Storniert', completed: 'Abgeschlossen', no_show: 'Nicht erschienen' },
  cancelBooking: 'Buchung stornieren',
  confirmCancel: 'Diese Buchung stornieren? Das kann nicht rückgängig gemacht werden.',
  yesCancel: 'Ja, stornieren',
  keep: 'Behalten',
  cancelled: 'Ihre Buchung ist storniert.',
  changeTime: 'Termin ändern',
  moveHere: 'Auf diesen Termin verschieben',
  price: (amount) => `Preis: ${amount}`,
  payFull: (amount) => `Bei der Buchung zu zahlen: ${amount}`,
  payDeposit: (amount, price) => `Anzahlung bei der Buchung: ${amount} (von ${price})`,
  policyFree: (hours) => `Kostenlose Stornierung bis ${hours} Std. vor Beginn.`,
  policyPartial: (percent, hours) => `${percent} % zurück bei Stornierung bis ${hours} Std. vorher.`,
  policyNone: 'Danach keine Erstattung.',
  policyClosed: (hours) => `Online-Stornierung endet ${hours} Std. vor Beginn.`,
  policyAlwaysFree: 'Kostenlose Stornierung bis zum Beginn.',
  continueToPay: 'Weiter zur Zahlung',
  paymentTitle: 'Zahlung',
  paymentLoading: 'Das sichere Zahlungsformular wird geladen…',
  pay: (amount) => `${amount} bezahlen`,
  paying: 'Zahlung läuft…',
  paymentFailed: 'Die Zahlung ist fehlgeschlagen. Bitte erneut versuchen oder eine andere Karte nutzen.',
  paymentUnavailable: 'Online-Zahlung ist gerade nicht möglich. Bitte später erneut versuchen.',
  paymentAuthorized: 'Zahlung autorisiert. Ihre Buchung wird in Kürze bestätigt.',
  refundLine: (amount, percent) => `Erstattung: ${amount} (${percent} %)`,
  moved: 'Ihre Buchung wurde auf den neuen Termin verschoben.',
}

const es: Messages = {
  freeTimes: 'Horarios libres',
  loading: 'Cargando horarios libres…',
  retry: 'Reintentar',
  prevMonth: 'Mes anterior',
  nextMonth: 'Mes siguiente',
  noTimesMonth: 'No hay horarios libres este mes.',
  noTimesDay: 'No hay horarios libres este día.',
  chooseTime: 'Elige una hora',
  timeZone: 'Zona horaria',
  resourceZone: (name, zone) => `${name} está en ${zone}.`,
  duration: 'Duración',
  yourDetails: 'Tus datos',
  heldFor: (time) => `Reservado para ti durante ${time}`,
  minuteLeft: 'Queda un minuto de tu reserva temporal.',
  name: 'Nombre',
  email: 'Correo electrónico',
  phone: 'Teléfono (opcional)',
  notes: 'Notas (opcional)',
  back: 'Atrás',
  book: 'Reservar',
  booking: 'Reservando…',
  booked: '¡Reservado!',
  requested: 'Solicitado: el proveedor lo confirmará',
  reference: 'Referencia',
  addToCalendar: 'Añadir al calendario (.ics)',
  manageLink: 'Gestionar o cancelar esta reserva',
  slotTaken: 'Lo sentimos, esa hora se acaba de ocupar. Estas son las horas aún libres.',
  holdExpired: 'Tu reserva temporal ha caducado. Elige una hora de nuevo.',
  noLongerOffered: 'Esa hora ya no está disponible. Elige otra.',
  rateLimited: 'Demasiados intentos en poco tiempo. Espera un minuto y vuelve a intentarlo.',
  networkError: 'No se pudo conectar con el servicio de reservas. Comprueba tu conexión.',
  crashed: 'El widget de reservas dejó de funcionar. Recarga la página.',
  close: 'Cerrar',
  bookNow: 'Reservar ahora',
  yourBooking: 'Tu reserva',
  notFound: 'Este enlace de reserva no es válido. Usa el enlace de tu confirmación.',
  status: { pending: 'Pendiente de confirmación', confirmed: 'Confirmada', cancelled: 'Cancelada', completed: 'Completada', no_show: 'No presentado' },
  cancelBooking: 'Cancelar reserva',
  confirmCancel: '¿Cancelar esta reserva? No se puede deshacer.',
  yesCancel: 'Sí, cancelar',
  keep: 'Mantenerla',
  cancelled: 'Tu reserva está cancelada.',
  changeTime: 'Cambiar hora',
  moveHere: 'Mover a esta hora',
  price: (amount) => `Precio: ${amount}`,
  payFull: (amount) => `Se paga al reservar: ${amount}`,
  payDeposit: (amount, price) => `Depósito al reservar: ${amount} (de ${price})`,
  policyFree: (hours) => `Cancelación gratuita hasta ${hours} h antes del inicio.`,
  policyPartial: (percent, hours) => `Reembolso del ${percent} % si cancelas al menos ${hours} h antes.`,
  policyNone: 'Después, sin reembolso.',
  policyClosed: (hours) => `La cancelación en línea se cierra ${hours} h antes del inicio.`,
  policyAlwaysFree: 'Cancelación gratuita hasta el inicio.',
  continueToPay: 'Continuar al pago',
  paymentTitle: 'Pago',
  paymentLoading: 'Cargando el formulario de pago seguro…',
  pay: (amount) => `Pagar ${amount}`,
  paying: 'Pagando…',
  paymentFailed: 'El pago no se completó. Inténtalo de nuevo o usa otra tarjeta.',
  paymentUnavailable: 'El pago en línea no está disponible ahora. Inténtalo más tarde.',
  paymentAuthorized: 'Pago autorizado. Tu reserva se confirmará en breve.',
  refundLine: (amount, percent) => `Reembolso: ${amount} (${percent} %)`,
  moved: 'Tu reserva se ha movido a la nueva hora.',
}

export const CATALOGUES: Record<string, Messages> = { en, de, es }

export interface Locale {
  /** The BCP 47 tag used for Intl formatting (the page's own, e.g. `de-AT`). */
  tag: string
  t: Messages
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
    const t = CATALOGUES[language]
    if (t) return { tag: safeTag(candidate) ?? language, t }
  }
  return { tag: 'en', t: en }
}

function safeTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0]
  } catch {
    return undefined
  }
}
