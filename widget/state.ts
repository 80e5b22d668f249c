import { todayIn } from '../shared/calendar-labels'
import { BookingFlowModel, type BookingFlowOptions, type FlowClient } from './models/booking-flow'

export type { LoadStatus } from './models/calendar'
export type { GuestDraft } from './models/details'
export type { Step } from './models/flow-status'

export interface BookingStateOptions extends Omit<BookingFlowOptions, 'now'> {
  /** The current instant; injectable so tests can fix "today". */
  now?: () => Date
}

export type BookingState = ReturnType<typeof createBookingState>

/**
 * What the widget's views read: the booking flow's models, laid out flat as the components
 * have always used them, beside what is not a signal and so cannot live in a model (the
 * words, the locale, the zone the widget started in, the move being made, the clock).
 * The details and payment steps add their models with `withLaterSteps` (models/later-steps),
 * which comes with their code after the first paint. Disposing the state disposes the
 * flow, which gives a live hold back. No DOM here.
 */
export function createBookingState(client: FlowClient, options: BookingStateOptions) {
  const now = options.now ?? (() => new Date())
  const flow = new BookingFlowModel(client, { ...options, now })
  const { calendar, hold } = flow
  return {
    ...calendar,
    step: flow.step,
    notice: flow.notice,
    busy: flow.busy,
    booking: flow.booking,
    manageToken: flow.manageToken,
    hold: hold.current,
    /** Through a pool: who or which table the hold (and so the booking) got, once known. */
    assignedName: hold.memberName,
    selectSlot: hold.selectSlot,
    confirmMove: flow.confirmMove,
    backToSlots: flow.backToSlots,
    holdExpired: flow.holdExpired,
    bookAnother: flow.bookAnother,
    /** The models themselves, for code that wants one job rather than the whole view. */
    flow,
    t: options.t,
    locale: options.locale,
    /** The zone the widget started in (the viewer's, or the one the site chose). */
    viewerZone: options.zone,
    isReschedule: options.reschedule !== undefined,
    /** Booking through a pool: the hold's resource is the member the pool assigned. */
    isPool: options.pool === true,
    /** The booking's time before the move, shown beside the new one. */
    movingFrom: options.reschedule?.from,
    now,
    /** Today in the shown zone; read when needed, so a widget left open past midnight moves on. */
    today: () => todayIn(calendar.zone.value, now()),
    [Symbol.dispose]: () => flow[Symbol.dispose](),
  }
}
