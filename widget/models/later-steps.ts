import type { BookingState } from '../state'
import { DetailsModel } from './details'
import { PaymentModel } from './payment'

export type LaterState = ReturnType<typeof buildLaterState>

// Keyed by the flow, so every view of one booking shares one details and one payment model.
const built = new WeakMap<BookingState['flow'], LaterState>()

/**
 * The booking state with the details and payment models added: what the steps after the
 * pick read. This module comes with the later steps' chunk, so the first paint carries
 * neither model; the models are made on first use and live (and are disposed) with the flow.
 */
export function withLaterSteps(state: BookingState): LaterState {
  let later = built.get(state.flow)
  if (!later) {
    later = buildLaterState(state)
    built.set(state.flow, later)
  }
  return later
}

function buildLaterState(state: BookingState) {
  const { details, payment } = state.flow.addLaterSteps({ DetailsModel, PaymentModel })
  return {
    ...state,
    draft: details.draft,
    fieldErrors: details.fieldErrors,
    fieldErrorsShown: details.fieldErrorsShown,
    updateDraft: details.updateDraft,
    answers: details.answers,
    answerErrors: details.answerErrors,
    updateAnswer: details.updateAnswer,
    repeat: details.repeat,
    chooseRepeat: details.chooseRepeat,
    series: details.series,
    booksSeries: details.booksSeries,
    checkSeries: details.checkSeries,
    rejectFields: details.rejectFields,
    submitDetails: details.submitDetails,
    payment: payment.due,
    mountCard: payment.mountCard,
    pay: payment.pay,
    resumeAfterRedirect: payment.resumeAfterRedirect,
  }
}
