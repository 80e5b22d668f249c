import { BookingError, type FieldError } from '../../shared/errors'
import { checkAnswers } from '../../shared/intake'
import { normalizePhone, phoneRegionOf } from '../../shared/phone'
import type { IntakeAnswers, IntakeQuestion } from '../../shared/resource-config'
import type { BookingRequest, Guest } from '../../shared/schemas'
import type { Resource } from '../store/resources'
import { invalidField } from '../errors'

/** A booking's guest and answers as a resource takes them: what every way of booking writes. */
export interface GuestDetails {
  /** The phone, when given, in E.164. */
  guest: Guest
  answers?: IntakeAnswers
  /** The questions as asked, so old answers stay readable after the owner edits them. */
  questionsAsked?: IntakeQuestion[]
}

/**
 * The guest's details checked against the resource, before anything is written (a refused
 * request leaves no row behind): a national phone number is read in the resource's country
 * (422 `invalid_phone`), and the answers against its questions (422 `invalid_request` naming
 * each answer).
 */
export function readGuestDetails(
  resource: Pick<Resource, 'timezone' | 'config'>,
  request: Pick<BookingRequest, 'guest' | 'answers'>,
): GuestDetails {
  const country = phoneRegionOf(resource)
  const phone = request.guest.phone === undefined ? undefined : normalizePhone(request.guest.phone, country)
  if (phone && !phone.ok)
    throw invalidField(
      'guest.phone',
      'invalid_phone',
      'not a phone number; include the country code, e.g. +44 20 7123 4567',
    )
  const { questions } = resource.config
  const intake = checkAnswers(questions, request.answers, { country, readPhone: normalizePhone })
  if (intake.errors.length > 0)
    throw new BookingError(
      'invalid_request',
      'Some answers to the questions are not valid.',
      intake.errors.map((e): FieldError => ({ path: e.path.join('.'), code: e.code, message: e.message })),
    )
  return {
    guest: phone?.ok ? { ...request.guest, phone: phone.e164 } : request.guest,
    ...(Object.keys(intake.answers).length > 0 ? { answers: intake.answers } : {}),
    ...(questions?.length ? { questionsAsked: questions } : {}),
  }
}
