import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'
import type { IntakeChoice, IntakeQuestion, IntakeQuestionType, LocalizedText } from '../shared/resource-config'
import { FieldError, fieldA11y } from './form-parts'

/*
 * The intake questions of a resource as the owner edits them: every field is the text on
 * screen (bounds as typed, labels per language), so nothing typed is lost to a check or a
 * re-render. `questionsFromDrafts` turns them into `config.questions`, `draftsFromQuestions`
 * does the reverse. A question's id is what its answers are stored under: it follows the
 * English label until the owner edits it, and stays put once the question is saved, so
 * renaming a label never orphans earlier answers.
 */

/** The API's limit (MAX_INTAKE_QUESTIONS in shared/schemas.ts, which the console does not load: zod). */
export const MAX_QUESTIONS = 20
const LANGS = ['en', 'de', 'es'] as const
type Lang = (typeof LANGS)[number]
const LANG_NAMES: Record<Lang, string> = { en: 'English', de: 'German', es: 'Spanish' }

export const TYPE_NAMES: Record<IntakeQuestionType, string> = {
  short_text: 'Short text',
  long_text: 'Long text',
  single_choice: 'One of several choices',
  multiple_choice: 'Several choices',
  checkbox: 'Checkbox (yes / no)',
  number: 'Number',
  phone: 'Phone number',
}

type Texts = Record<Lang, string>

export interface ChoiceDraft {
  key: number
  id: string
  idEdited: boolean
  label: Texts
}

export interface QuestionDraft {
  /** Stable while editing (ids change as the owner types). */
  key: number
  id: string
  /** The id was typed or saved: it no longer follows the English label. */
  idEdited: boolean
  type: IntakeQuestionType
  label: Texts
  help: Texts
  required: boolean
  choices: ChoiceDraft[]
  min: string
  max: string
}

/** Problems by place: `"<index>.<field>"`, `"<index>.choices.<i>.<field>"`, or `""` for the whole list. */
export type QuestionErrors = Record<string, string>

let nextKey = 1
const texts = (text: LocalizedText | undefined): Texts => ({
  en: text?.en ?? '',
  de: text?.de ?? '',
  es: text?.es ?? '',
})
const isChoosing = (type: IntakeQuestionType) => type === 'single_choice' || type === 'multiple_choice'

/** An id from a label: `Shoe size (EU)` → `shoe_size_eu`. */
export function idFromLabel(label: string): string {
  return label
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '')
}

export function draftsFromQuestions(questions: readonly IntakeQuestion[] | undefined): QuestionDraft[] {
  return (questions ?? []).map((q) => ({
    key: nextKey++,
    id: q.id,
    idEdited: true,
    type: q.type,
    label: texts(q.label),
    help: texts(q.help),
    required: q.required === true,
    choices: (q.choices ?? []).map((c) => ({ key: nextKey++, id: c.id, idEdited: true, label: texts(c.label) })),
    min: q.min === undefined ? '' : String(q.min),
    max: q.max === undefined ? '' : String(q.max),
  }))
}

const blankChoice = (): ChoiceDraft => ({ key: nextKey++, id: '', idEdited: false, label: texts(undefined) })

export function blankQuestion(): QuestionDraft {
  return {
    key: nextKey++,
    id: '',
    idEdited: false,
    type: 'short_text',
    label: texts(undefined),
    help: texts(undefined),
    required: false,
    choices: [],
    min: '',
    max: '',
  }
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/
const ID_RULE = 'Use 1–40 lowercase letters, digits, "_" or "-", starting with a letter or digit.'

function localizedOf(text: Texts): LocalizedText | undefined {
  const out: LocalizedText = {}
  for (const lang of LANGS) if (text[lang].trim() !== '') out[lang] = text[lang].trim()
  return Object.keys(out).length > 0 ? out : undefined
}

function boundOf(text: string, field: string, errors: QuestionErrors): number | undefined {
  const trimmed = text.trim().replace(',', '.')
  if (trimmed === '') return undefined
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) {
    errors[field] = 'Write a number, e.g. 18 or 2.5, or leave it empty.'
    return undefined
  }
  return Number(trimmed)
}

/** `config.questions` from the drafts, or the problems to fix first (in words, by place). */
export function questionsFromDrafts(
  drafts: readonly QuestionDraft[],
): { questions: IntakeQuestion[]; errors?: undefined } | { questions?: undefined; errors: QuestionErrors } {
  const errors: QuestionErrors = {}
  if (drafts.length > MAX_QUESTIONS) errors[''] = `At most ${MAX_QUESTIONS} questions.`
  const seen = new Set<string>()
  const questions = drafts.map((draft, index): IntakeQuestion => {
    const at = (field: string) => `${index}.${field}`
    const label = localizedOf(draft.label)
    if (!label) errors[at('label')] = 'Write the question in at least one language.'
    if (!ID_PATTERN.test(draft.id)) errors[at('id')] = ID_RULE
    else if (seen.has(draft.id)) errors[at('id')] = 'Another question has this id; ids must differ.'
    seen.add(draft.id)
    const question: IntakeQuestion = { id: draft.id, type: draft.type, label: label ?? {} }
    const help = localizedOf(draft.help)
    if (help) question.help = help
    if (draft.required) question.required = true
    if (isChoosing(draft.type)) {
      if (draft.choices.length < 2) errors[at('choices')] = 'Offer at least two choices.'
      if (draft.choices.length > 30) errors[at('choices')] = 'At most 30 choices.'
      const choiceIds = new Set<string>()
      question.choices = draft.choices.map((choice, ci): IntakeChoice => {
        const place = `${index}.choices.${ci}`
        const choiceLabel = localizedOf(choice.label)
        if (!choiceLabel) errors[`${place}.label`] = 'Write the choice in at least one language.'
        if (!ID_PATTERN.test(choice.id)) errors[`${place}.id`] = ID_RULE
        else if (choiceIds.has(choice.id)) errors[`${place}.id`] = 'Another choice has this id.'
        choiceIds.add(choice.id)
        return { id: choice.id, label: choiceLabel ?? {} }
      })
    }
    if (draft.type === 'number') {
      const min = boundOf(draft.min, at('min'), errors)
      const max = boundOf(draft.max, at('max'), errors)
      if (min !== undefined && max !== undefined && min > max) errors[at('min')] = 'At most the largest number.'
      if (min !== undefined) question.min = min
      if (max !== undefined) question.max = max
    }
    return question
  })
  return Object.keys(errors).length > 0 ? { errors } : { questions }
}

/**
 * The server's details about `config.questions…` as the editor's places: `config.questions.2.label.de`
 * → `2.label`, `config.questions.0.choices.1.id` → `0.choices.1.id`, `config.questions` → `""`.
 */
export function questionErrorsFrom(details: unknown): QuestionErrors {
  const errors: QuestionErrors = {}
  if (!Array.isArray(details)) return errors
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue
    const { path, message } = detail as { path?: unknown; message?: unknown }
    if (typeof path !== 'string' || typeof message !== 'string' || !/^config\.questions(\.|$)/.test(path)) continue
    const [index, field, ci, choiceField] = path.split('.').slice(2)
    const place =
      index === undefined || field === undefined
        ? index === undefined
          ? ''
          : `${index}.label`
        : field === 'choices' && ci !== undefined
          ? `${index}.choices.${ci}.${choiceField === 'id' ? 'id' : 'label'}`
          : `${index}.${field === 'help' ? 'label' : field}`
    errors[place] ??= message.charAt(0).toUpperCase() + message.slice(1)
  }
  return errors
}

const inputId = (draft: QuestionDraft, field: string) => `question-${draft.key}-${field}`

export interface QuestionsEditorProps {
  drafts: QuestionDraft[]
  errors: QuestionErrors
  onChange: (drafts: QuestionDraft[], changedPlace?: string) => void
  /** Bumped after a refused save: the first question field to fix takes the focus. */
  focusRequest?: number
}

/** Add, remove, reorder and word the questions guests answer when booking. */
export function QuestionsEditor({ drafts, errors, onChange, focusRequest = 0 }: QuestionsEditorProps) {
  useEffect(() => {
    if (focusRequest > 0) document.querySelector<HTMLElement>('.questions [aria-invalid=true]')?.focus()
  }, [focusRequest])

  const update = (index: number, change: Partial<QuestionDraft>, place?: string) =>
    onChange(
      drafts.map((d, i) => (i === index ? { ...d, ...change } : d)),
      place === undefined ? undefined : `${index}.${place}`,
    )
  const move = (index: number, by: number) => {
    const next = [...drafts]
    const [taken] = next.splice(index, 1)
    next.splice(index + by, 0, taken!)
    onChange(next)
  }

  return (
    <div class="questions">
      <p class="help">
        Guests answer these in the booking form, in their language (English when a text is missing in theirs). Answers
        appear on the booking, in your new-booking email, in webhooks and exports.
      </p>
      <FieldError id="questions" error={errors['']} />
      <ol class="question-list">
        {drafts.map((draft, index) => (
          <li key={draft.key}>
            <fieldset class="question">
              <legend>
                Question {index + 1}
                {draft.label.en || draft.label.de || draft.label.es
                  ? `: ${draft.label.en || draft.label.de || draft.label.es}`
                  : ''}
              </legend>
              <div class="grid">
                <Text
                  id={inputId(draft, 'type')}
                  label="Answer type"
                  error={undefined}
                  control={(a11y) => (
                    <select
                      {...a11y}
                      value={draft.type}
                      onChange={(e) => {
                        const type = (e.currentTarget as HTMLSelectElement).value as IntakeQuestionType
                        const choices =
                          isChoosing(type) && draft.choices.length === 0
                            ? [blankChoice(), blankChoice()]
                            : draft.choices
                        update(index, { type, choices }, 'choices')
                      }}
                    >
                      {Object.entries(TYPE_NAMES).map(([type, name]) => (
                        <option key={type} value={type}>
                          {name}
                        </option>
                      ))}
                    </select>
                  )}
                />
                {LANGS.map((lang) => (
                  <Text
                    key={lang}
                    id={inputId(draft, `label-${lang}`)}
                    label={`Question (${LANG_NAMES[lang]})`}
                    error={lang === 'en' ? errors[`${index}.label`] : undefined}
                    control={(a11y) => (
                      <input
                        {...a11y}
                        value={draft.label[lang]}
                        maxLength={300}
                        onInput={(e) => {
                          const value = (e.currentTarget as HTMLInputElement).value
                          const label = { ...draft.label, [lang]: value }
                          const follow = !draft.idEdited && lang === 'en'
                          update(index, { label, ...(follow ? { id: idFromLabel(value) } : {}) }, 'label')
                        }}
                      />
                    )}
                  />
                ))}
                <Text
                  id={inputId(draft, 'id')}
                  label="Answer key (id)"
                  error={errors[`${index}.id`]}
                  control={(a11y) => (
                    <input
                      {...a11y}
                      value={draft.id}
                      maxLength={40}
                      spellcheck={false}
                      onInput={(e) =>
                        update(index, { id: (e.currentTarget as HTMLInputElement).value, idEdited: true }, 'id')
                      }
                    />
                  )}
                />
                {draft.type === 'number' &&
                  (['min', 'max'] as const).map((bound) => (
                    <Text
                      key={bound}
                      id={inputId(draft, bound)}
                      label={bound === 'min' ? 'Smallest number' : 'Largest number'}
                      error={errors[`${index}.${bound}`]}
                      control={(a11y) => (
                        <input
                          {...a11y}
                          inputMode="decimal"
                          value={draft[bound]}
                          onInput={(e) =>
                            update(index, { [bound]: (e.currentTarget as HTMLInputElement).value }, bound)
                          }
                        />
                      )}
                    />
                  ))}
              </div>
              <label class="check">
                <input
                  type="checkbox"
                  checked={draft.required}
                  onChange={(e) => update(index, { required: (e.currentTarget as HTMLInputElement).checked })}
                />
                {draft.type === 'checkbox' ? 'Required: guests must tick it (e.g. accept the terms)' : 'Required'}
              </label>
              {isChoosing(draft.type) && (
                <ChoicesEditor
                  draft={draft}
                  index={index}
                  errors={errors}
                  onChange={(choices, place) => update(index, { choices }, place)}
                />
              )}
              <div class="actions">
                <button type="button" disabled={index === 0} onClick={() => move(index, -1)}>
                  Move up
                </button>
                <button type="button" disabled={index === drafts.length - 1} onClick={() => move(index, 1)}>
                  Move down
                </button>
                <button type="button" onClick={() => onChange(drafts.filter((_, i) => i !== index))}>
                  Remove question {index + 1}
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        disabled={drafts.length >= MAX_QUESTIONS}
        onClick={() => onChange([...drafts, blankQuestion()])}
      >
        Add a question
      </button>
    </div>
  )
}

function ChoicesEditor(props: {
  draft: QuestionDraft
  index: number
  errors: QuestionErrors
  onChange: (choices: ChoiceDraft[], place?: string) => void
}) {
  const { draft, index, errors, onChange } = props
  const set = (ci: number, change: Partial<ChoiceDraft>, field: string) =>
    onChange(
      draft.choices.map((c, i) => (i === ci ? { ...c, ...change } : c)),
      `choices.${ci}.${field}`,
    )
  return (
    <fieldset class="choices">
      <legend>Choices</legend>
      <FieldError id={inputId(draft, 'choices')} error={errors[`${index}.choices`]} />
      {draft.choices.map((choice, ci) => {
        const place = `${index}.choices.${ci}`
        return (
          <div class="grid" key={choice.key}>
            {LANGS.map((lang) => (
              <Text
                key={lang}
                id={`${inputId(draft, 'choice')}-${choice.key}-${lang}`}
                label={`Choice ${ci + 1} (${LANG_NAMES[lang]})`}
                error={lang === 'en' ? errors[`${place}.label`] : undefined}
                control={(a11y) => (
                  <input
                    {...a11y}
                    value={choice.label[lang]}
                    maxLength={200}
                    onInput={(e) => {
                      const value = (e.currentTarget as HTMLInputElement).value
                      const follow = !choice.idEdited && lang === 'en'
                      set(
                        ci,
                        { label: { ...choice.label, [lang]: value }, ...(follow ? { id: idFromLabel(value) } : {}) },
                        'label',
                      )
                    }}
                  />
                )}
              />
            ))}
            <Text
              id={`${inputId(draft, 'choice')}-${choice.key}-id`}
              label={`Choice ${ci + 1} key`}
              error={errors[`${place}.id`]}
              control={(a11y) => (
                <input
                  {...a11y}
                  value={choice.id}
                  maxLength={40}
                  spellcheck={false}
                  onInput={(e) => set(ci, { id: (e.currentTarget as HTMLInputElement).value, idEdited: true }, 'id')}
                />
              )}
            />
            <div class="actions">
              <button
                type="button"
                onClick={() =>
                  onChange(
                    draft.choices.filter((_, i) => i !== ci),
                    'choices',
                  )
                }
              >
                Remove choice {ci + 1}
              </button>
            </div>
          </div>
        )
      })}
      <button
        type="button"
        disabled={draft.choices.length >= 30}
        onClick={() => onChange([...draft.choices, blankChoice()], 'choices')}
      >
        Add a choice
      </button>
    </fieldset>
  )
}

/** A labelled control with its reason, tied for screen readers (no help line: the section has one). */
function Text(props: {
  id: string
  label: string
  error: string | undefined
  control: (a11y: ReturnType<typeof fieldA11y>) => ComponentChildren
}) {
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.control(fieldA11y(props.id, props.error, false))}
      <FieldError id={props.id} error={props.error} />
    </div>
  )
}
