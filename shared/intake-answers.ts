import type { Language } from './languages'
import type { IntakeAnswer, IntakeAnswers, IntakeQuestion, LocalizedText } from './resource-config'

/*
 * Reading a booking's intake answers: each answer beside the question as it was asked
 * (the booking keeps its questions, so later edits to the resource's questions never
 * change what an old answer meant). Used by owner notices, the console, webhooks and
 * exports alike. Zod-free, so every bundle may import it.
 */

/** The text in `language`, else English, else whichever language the owner wrote. */
export function localized(text: LocalizedText | undefined, language: Language): string {
  if (!text) return ''
  return text[language] ?? text.en ?? Object.values(text).find((v) => v !== undefined) ?? ''
}

export interface ReadableAnswer {
  questionId: string
  question: string
  answer: string
}

const YES: Record<Language, [string, string]> = { en: ['Yes', 'No'], de: ['Ja', 'Nein'], es: ['Sí', 'No'] }

/** One answer as words: choice ids become their labels, a checkbox Yes/No. */
export function answerWords(question: IntakeQuestion | undefined, value: IntakeAnswer, language: Language): string {
  const choice = (id: string) => localized(question?.choices?.find((c) => c.id === id)?.label, language) || id
  if (Array.isArray(value)) return value.map(choice).join(', ')
  if (typeof value === 'boolean') return YES[language][value ? 0 : 1]
  if (question?.type === 'single_choice' && typeof value === 'string') return choice(value)
  return String(value)
}

/**
 * The answers in the order the questions were asked, then any answer to a question the
 * booking no longer knows (kept under its id rather than dropped).
 */
export function readableAnswers(
  asked: readonly IntakeQuestion[] | null | undefined,
  answers: IntakeAnswers | null | undefined,
  language: Language,
): ReadableAnswer[] {
  if (!answers) return []
  const questions = asked ?? []
  const known = new Set(questions.map((q) => q.id))
  const inOrder = questions.filter((q) => answers[q.id] !== undefined)
  const unknown = Object.keys(answers).filter((id) => !known.has(id))
  return [
    ...inOrder.map((q) => ({
      questionId: q.id,
      question: localized(q.label, language),
      answer: answerWords(q, answers[q.id]!, language),
    })),
    ...unknown.map((id) => ({ questionId: id, question: id, answer: answerWords(undefined, answers[id]!, language) })),
  ]
}
