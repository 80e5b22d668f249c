/*
 * The steps after a time is picked, as one chunk: the first slots paint without them, and
 * they are fetched in idle time right after (see later.ts), long before a person has chosen.
 */
// The confirmation lists a weekly series' dates under the first one's.
export { SeriesConfirmation as Confirmation } from './RepeatChoice'
export { DetailsForm } from './DetailsForm'
export { PaymentStep } from './PaymentStep'
export { withLaterSteps } from '../models/later-steps'
