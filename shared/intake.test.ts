import { describe, expect, it } from 'vitest'
import { checkAnswers, type IntakeProblem } from './intake'
import { normalizePhone } from './phone'
import type { IntakeQuestion } from './resource-config'

const QUESTIONS: IntakeQuestion[] = [
  { id: 'company', type: 'short_text', label: { en: 'Company' } },
  { id: 'story', type: 'long_text', label: { en: 'Tell us more' } },
  {
    id: 'level',
    type: 'single_choice',
    label: { en: 'Level' },
    choices: [
      { id: 'new', label: { en: 'New' } },
      { id: 'pro', label: { en: 'Pro' } },
    ],
  },
  {
    id: 'extras',
    type: 'multiple_choice',
    label: { en: 'Extras' },
    choices: [
      { id: 'towel', label: { en: 'Towel' } },
      { id: 'tea', label: { en: 'Tea' } },
    ],
  },
  { id: 'news', type: 'checkbox', label: { en: 'Send news' } },
  { id: 'age', type: 'number', label: { en: 'Age' }, min: 18, max: 99 },
  { id: 'mobile', type: 'phone', label: { en: 'Mobile' } },
]

const check = (answers: Record<string, unknown>) =>
  checkAnswers(QUESTIONS, answers, { country: 'DE', readPhone: normalizePhone })

describe('checkAnswers', () => {
  it('keeps good answers, normalised: trimmed text, numbers, E.164 phones', () => {
    expect(
      check({
        company: '  Acme  ',
        story: ' line one\nline two ',
        level: 'pro',
        extras: ['tea', 'towel'],
        news: false,
        age: '42',
        mobile: '0151 1234 5678',
      }),
    ).toEqual({
      answers: {
        company: 'Acme',
        story: 'line one\nline two',
        level: 'pro',
        extras: ['tea', 'towel'],
        news: false,
        age: 42,
        mobile: '+4915112345678',
      },
      errors: [],
    })
  })

  it('treats blank text and empty lists as not answered', () => {
    expect(check({ company: '   ', extras: [] })).toEqual({ answers: {}, errors: [] })
  })

  it.each<[string, unknown, IntakeProblem, string]>([
    ['company', 42, 'wrong_type', 'invalid'],
    ['company', 'x'.repeat(201), 'too_long', 'too_long'],
    ['company', 'two\nlines', 'one_line', 'invalid'],
    ['story', 'x'.repeat(2001), 'too_long', 'too_long'],
    ['level', 'expert', 'not_a_choice', 'invalid'],
    ['level', ['new'], 'one_choice', 'invalid'],
    ['extras', 'tea', 'wrong_type', 'invalid'],
    ['extras', ['tea', 'coffee'], 'not_a_choice', 'invalid'],
    ['extras', ['tea', 'tea'], 'duplicate_choice', 'invalid'],
    ['news', 'yes', 'wrong_type', 'invalid'],
    ['age', 17, 'too_small', 'invalid'],
    ['age', 100, 'too_big', 'invalid'],
    ['age', 'forty', 'wrong_type', 'invalid'],
    ['age', Number.POSITIVE_INFINITY, 'wrong_type', 'invalid'],
    ['mobile', '12', 'invalid_phone', 'invalid_phone'],
    ['mobile', 'call me', 'invalid_phone', 'invalid_phone'],
  ])('refuses %s = %j (%s)', (id, value, problem, code) => {
    const { answers, errors } = check({ [id]: value })
    expect(answers).toEqual({})
    expect(errors).toEqual([{ path: ['answers', id], code, problem, message: expect.any(String) }])
  })

  it('accepts the bounds of a number question themselves', () => {
    expect(check({ age: 18 }).answers).toEqual({ age: 18 })
    expect(check({ age: 99 }).answers).toEqual({ age: 99 })
  })

  it('asks for required answers; a required checkbox must be ticked', () => {
    const questions: IntakeQuestion[] = [
      { id: 'name2', type: 'short_text', label: { en: 'Name' }, required: true },
      { id: 'terms', type: 'checkbox', label: { en: 'I accept the terms' }, required: true },
    ]
    expect(checkAnswers(questions, { terms: false }).errors).toEqual([
      { path: ['answers', 'name2'], code: 'required', problem: 'required', message: 'is required' },
      { path: ['answers', 'terms'], code: 'required', problem: 'must_accept', message: 'must be ticked' },
    ])
    expect(checkAnswers(questions, {}).errors.map((e) => e.problem)).toEqual(['required', 'must_accept'])
    expect(checkAnswers(questions, { name2: 'Ada', terms: true })).toEqual({
      answers: { name2: 'Ada', terms: true },
      errors: [],
    })
  })

  it('refuses answers to questions the resource does not ask, after the others', () => {
    expect(check({ compnay: 'Acme', age: 5 }).errors.map((e) => [e.path.join('.'), e.problem])).toEqual([
      ['answers.age', 'too_small'],
      ['answers.compnay', 'unknown_question'],
    ])
    expect(checkAnswers(undefined, { anything: 'x' }).errors).toHaveLength(1)
    expect(checkAnswers(undefined, undefined)).toEqual({ answers: {}, errors: [] })
  })

  it('checks a phone answer for shape only when no phone reader is given (the widget)', () => {
    expect(checkAnswers(QUESTIONS, { mobile: ' 0151 1234 5678 ' }).answers).toEqual({ mobile: '0151 1234 5678' })
    expect(checkAnswers(QUESTIONS, { mobile: 'abc' }).errors[0]?.problem).toBe('invalid_phone')
  })

  it('does not read answers off the prototype', () => {
    const questions: IntakeQuestion[] = [
      { id: 'constructor', type: 'short_text', label: { en: 'Odd id' }, required: true },
    ]
    expect(checkAnswers(questions, {}).errors.map((e) => e.problem)).toEqual(['required'])
  })
})
