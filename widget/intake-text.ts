import { FIELD_ERROR_CODES, type FieldErrorCode } from '../shared/errors'
import { checkAnswers, type IntakeError } from '../shared/intake'
import type { IntakeAnswers, IntakeQuestion } from '../shared/resource-config'
import type { Messages } from './i18n'

/*
 * The guest's answers to intake questions as the form holds them, checked with the same
 * rules as the server (shared/intake.ts) and explained in the guest's language.
 */

/** An answer as the form holds it: text as typed (numbers too), a tick, or the choices ticked. */
export type AnswerDraft = string | boolean | string[]

/** Why answers were refused, in the guest's words, by question id. */
export type AnswerErrors = Record<string, string>

/**
 * Checks the form's answers. A number is read as typed in the guest's way (`12,5` or
 * `12.5`); the phone number is checked for shape only, the server reads it in the
 * resource's country.
 */
export function checkAnswerDrafts(
  questions: readonly IntakeQuestion[],
  drafts: Readonly<Record<string, AnswerDraft>>,
  t: Messages,
  locale: string,
): { answers: IntakeAnswers; errors: AnswerErrors } {
  const given: Record<string, unknown> = {}
  for (const question of questions) {
    const draft = drafts[question.id]
    if (draft === undefined) continue
    given[question.id] = question.type === 'number' && typeof draft === 'string' ? readNumber(draft) : draft
  }
  const { answers, errors } = checkAnswers(questions, given)
  const words: AnswerErrors = {}
  for (const error of errors) {
    const id = error.path[1]!
    words[id] ??= answerErrorText(
      error,
      questions.find((q) => q.id === id),
      t,
      locale,
    )
  }
  return { answers, errors: words }
}

/** A number as typed, with a decimal comma or point; what is not a number is kept to be refused. */
function readNumber(typed: string): string | number {
  const plain = typed.trim().replace(',', '.')
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : typed
}

/** The sentence for one refused answer. */
export function answerErrorText(
  error: Pick<IntakeError, 'problem' | 'code'>,
  question: IntakeQuestion | undefined,
  t: Messages,
  locale: string,
): string {
  const number = (n: number) => new Intl.NumberFormat(locale).format(n)
  switch (error.problem) {
    case 'must_accept':
      return t.intake.mustAccept
    case 'required':
      return question?.type === 'single_choice' || question?.type === 'multiple_choice'
        ? t.intake.chooseOne
        : t.fieldError.required
    case 'too_small':
      return t.intake.atLeast(number(question?.min ?? 0))
    case 'too_big':
      return t.intake.atMost(number(question?.max ?? 0))
    case 'one_line':
      return t.intake.oneLine
    case 'wrong_type':
      return question?.type === 'number' ? t.intake.number : t.fieldError.invalid
    default:
      return t.fieldError[error.code]
  }
}

/** The server's refusals of answers (`details` paths `answers.<id>`), in the guest's words by code. */
export function answerErrorsFrom(details: unknown, t: Messages): AnswerErrors {
  const errors: AnswerErrors = {}
  if (!Array.isArray(details)) return errors
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const { path, code } = item as { path?: unknown; code?: unknown }
    const id = typeof path === 'string' && path.startsWith('answers.') ? path.slice('answers.'.length) : undefined
    if (!id || errors[id]) continue
    errors[id] = isFieldErrorCode(code) ? t.fieldError[code] : t.fieldError.invalid
  }
  return errors
}

const isFieldErrorCode = (code: unknown): code is FieldErrorCode =>
  (FIELD_ERROR_CODES as readonly unknown[]).includes(code)
