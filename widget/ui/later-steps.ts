/*
 * The steps after a time is picked, as one chunk: the first slots paint without them, and
 * they are fetched in idle time right after (see later.ts), long before a person has chosen.
 */
export { Confirmation } from './Confirmation'
export { DetailsForm } from './DetailsForm'
export { PaymentStep } from './PaymentStep'
export { withLaterSteps } from '../models/later-steps'
