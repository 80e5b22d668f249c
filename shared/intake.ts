import type { FieldErrorCode } from './errors'
import type { PhoneResult } from './phone'
import type { IntakeAnswer, IntakeAnswers, IntakeQuestion } from './resource-config'

/*
 * A guest's answers checked against a resource's intake questions. Pure and zod-free: the
 * API refuses with it (400 per field) and the widget checks the form with it before
 * sending, so both agree on what a good answer is. The phone reader is passed in because
 * libphonenumber is large: the API passes shared/phone.ts `normalizePhone`, the widget
 * leaves it out and gets a shape check (the server has the last word on phone numbers).
 */

/** Longest answer to a `short_text` question (one line) and to a `long_text` one. */
export const SHORT_TEXT_MAX = 200
export const LONG_TEXT_MAX = 2000

/** Why one answer was refused; clients word it in the guest's language. */
export type IntakeProblem =
  | 'required'
  | 'must_accept'
  | 'wrong_type'
  | 'not_a_choice'
  | 'one_choice'
  | 'duplicate_choice'
  | 'too_long'
  | 'one_line'
  | 'too_small'
  | 'too_big'
  | 'invalid_phone'
  | 'unknown_question'

export interface IntakeError {
  /** `['answers', questionId]`, as the API's field paths (joined with dots). */
  path: string[]
  code: FieldErrorCode
  problem: IntakeProblem
  /** English, for developers. */
  message: string
}

export interface CheckAnswersOptions {
  /** ISO 3166-1 alpha-2 country whose national phone numbers the guest types. */
  country?: string | undefined
  /** Reads a phone answer into E.164; without it a phone answer is checked for shape only. */
  readPhone?: ((raw: string, region?: string) => PhoneResult) | undefined
}

export interface CheckedAnswers {
  /** Only the questions answered, normalised: trimmed text, numbers, E.164 phones, choice ids. */
  answers: IntakeAnswers
  errors: IntakeError[]
}

const CODE: Record<IntakeProblem, FieldErrorCode> = {
  required: 'required',
  must_accept: 'required',
  too_long: 'too_long',
  invalid_phone: 'invalid_phone',
  wrong_type: 'invalid',
  not_a_choice: 'invalid',
  one_choice: 'invalid',
  duplicate_choice: 'invalid',
  one_line: 'invalid',
  too_small: 'invalid',
  too_big: 'invalid',
  unknown_question: 'invalid',
}

const PHONE_SHAPE = /^[\d\s()+./-]*\d[\d\s()+./-]*$/
const DECIMAL = /^-?\d+(\.\d+)?$/

type Outcome = { value: IntakeAnswer } | { problem: IntakeProblem; message: string } | undefined

/**
 * Checks `answers` against `questions`. An empty answer (blank text, no choice picked)
 * counts as not given. An answer to an id the resource does not ask is refused rather than
 * dropped, so a client's typo in a question id surfaces at once instead of losing the
 * answer. Errors come in the order the questions are asked, unknown ids last.
 *
 * @example
 * checkAnswers([{ id: 'terms', type: 'checkbox', label: { en: 'I accept' }, required: true }], { terms: false })
 * // → { answers: { terms: false }, errors: [{ path: ['answers', 'terms'], code: 'required', problem: 'must_accept', … }] }
 */
export function checkAnswers(
  questions: readonly IntakeQuestion[] | undefined,
  answers: Readonly<Record<string, unknown>> | undefined,
  options: CheckAnswersOptions = {},
): CheckedAnswers {
  const given = answers ?? {}
  const asked = questions ?? []
  const out: IntakeAnswers = {}
  const errors: IntakeError[] = []
  const refuse = (id: string, problem: IntakeProblem, message: string) =>
    errors.push({ path: ['answers', id], code: CODE[problem], problem, message })

  for (const question of asked) {
    const raw = Object.hasOwn(given, question.id) ? given[question.id] : undefined
    const outcome = isBlank(raw) ? undefined : checkOne(question, raw, options)
    if (outcome && 'problem' in outcome) refuse(question.id, outcome.problem, outcome.message)
    else if (outcome) {
      if (question.type === 'checkbox' && question.required && outcome.value !== true)
        refuse(question.id, 'must_accept', 'must be ticked')
      else out[question.id] = outcome.value
    } else if (question.required)
      refuse(question.id, question.type === 'checkbox' ? 'must_accept' : 'required', 'is required')
  }
  const known = new Set(asked.map((q) => q.id))
  for (const id of Object.keys(given))
    if (!known.has(id)) refuse(id, 'unknown_question', 'is not a question of this resource')
  return { answers: out, errors }
}

function isBlank(raw: unknown): boolean {
  return (
    raw === undefined ||
    raw === null ||
    (typeof raw === 'string' && raw.trim() === '') ||
    (Array.isArray(raw) && !raw.length)
  )
}

function checkOne(question: IntakeQuestion, raw: unknown, options: CheckAnswersOptions): Outcome {
  switch (question.type) {
    case 'short_text':
    case 'long_text': {
      if (typeof raw !== 'string') return wrongType('text')
      const text = raw.trim()
      const max = question.type === 'short_text' ? SHORT_TEXT_MAX : LONG_TEXT_MAX
      if (text.length > max) return { problem: 'too_long', message: `must be at most ${max} characters` }
      if (question.type === 'short_text' && /[\r\n]/.test(text))
        return { problem: 'one_line', message: 'must be one line' }
      return { value: text }
    }
    case 'checkbox':
      return typeof raw === 'boolean' ? { value: raw } : wrongType('true or false')
    case 'number': {
      const value = typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : raw
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType('a number')
      if (question.min !== undefined && value < question.min)
        return { problem: 'too_small', message: `must be at least ${question.min}` }
      if (question.max !== undefined && value > question.max)
        return { problem: 'too_big', message: `must be at most ${question.max}` }
      return { value }
    }
    case 'single_choice': {
      if (Array.isArray(raw)) return { problem: 'one_choice', message: 'pick one choice (a choice id, not a list)' }
      if (typeof raw !== 'string') return wrongType('a choice id')
      return isChoice(question, raw) ? { value: raw } : notAChoice(question, raw)
    }
    case 'multiple_choice': {
      if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string')) return wrongType('a list of choice ids')
      const ids = raw as string[]
      const stranger = ids.find((id) => !isChoice(question, id))
      if (stranger !== undefined) return notAChoice(question, stranger)
      if (new Set(ids).size !== ids.length) return { problem: 'duplicate_choice', message: 'choice ids must differ' }
      return { value: ids }
    }
    case 'phone': {
      if (typeof raw !== 'string') return wrongType('a phone number')
      const typed = raw.trim()
      const invalid = {
        problem: 'invalid_phone',
        message: 'not a phone number; include the country code, e.g. +44 20 7123 4567',
      } as const
      if (typed.length > 40 || !PHONE_SHAPE.test(typed)) return invalid
      if (!options.readPhone) return { value: typed }
      const read = options.readPhone(typed, options.country)
      return read.ok ? { value: read.e164 } : invalid
    }
  }
}

const wrongType = (expected: string): Outcome => ({ problem: 'wrong_type', message: `expected ${expected}` })

const isChoice = (question: IntakeQuestion, id: string) => question.choices?.some((c) => c.id === id) ?? false

const notAChoice = (question: IntakeQuestion, id: string): Outcome => ({
  problem: 'not_a_choice',
  message: `"${id.slice(0, 64)}" is not one of the choices (${(question.choices ?? []).map((c) => c.id).join(', ')})`,
})
