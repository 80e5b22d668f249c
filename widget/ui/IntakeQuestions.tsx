import { localized } from '../../shared/intake-answers'
import { LONG_TEXT_MAX, SHORT_TEXT_MAX } from '../../shared/intake'
import type { Language } from '../../shared/languages'
import type { IntakeQuestion } from '../../shared/resource-config'
import type { AnswerDraft } from '../intake-text'
import type { LaterState } from '../models/later-steps'

/** What the questions read and write: the booking form's details model, or the waitlist claim's own answers. */
type Answering = Pick<LaterState, 'answers' | 'answerErrors' | 'updateAnswer'>

/**
 * The resource's intake questions in the details step, in the page's language. Like the
 * guest fields, every control reads from and writes to the state's answers on each change,
 * so nothing that re-renders puts back an older value. Groups (choices) are fieldsets with
 * their question as legend; help and errors describe the control they belong to.
 */
export function IntakeQuestions(props: { state: Answering; questions: readonly IntakeQuestion[]; language: Language }) {
  return (
    <>
      {props.questions.map((question) => (
        <Question key={question.id} state={props.state} question={question} language={props.language} />
      ))}
    </>
  )
}

/** The id of a question's control (or group); the form focuses `[aria-invalid=true]` inside it. */
export const questionInputId = (id: string) => `booking-q-${id}`

function Question({ state, question, language }: { state: Answering; question: IntakeQuestion; language: Language }) {
  const id = questionInputId(question.id)
  const label = localized(question.label, language)
  const help = localized(question.help, language)
  const error = state.answerErrors.value[question.id]
  const value = state.answers.value[question.id]
  const set = (next: AnswerDraft) => state.updateAnswer(question.id, next)
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  const invalid = error ? ('true' as const) : undefined
  const required = question.required ?? false
  const mark = required ? (
    <span class="req" aria-hidden="true">
      {' *'}
    </span>
  ) : null
  const notes = (
    <>
      {help && (
        <span class="muted" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  )

  if (question.type === 'single_choice' || question.type === 'multiple_choice') {
    const multiple = question.type === 'multiple_choice'
    const picked = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
    return (
      <fieldset
        class="field q"
        id={id}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        aria-required={required || undefined}
        tabIndex={error ? -1 : undefined}
      >
        <legend>
          {label}
          {mark}
        </legend>
        <div class="opts">
          {(question.choices ?? []).map((choice) => (
            <label class="choice" key={choice.id}>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={id}
                value={choice.id}
                checked={picked.includes(choice.id)}
                onChange={(event) => {
                  const on = (event.currentTarget as HTMLInputElement).checked
                  if (!multiple) return set(choice.id)
                  // In the order offered, whatever the order of ticking.
                  const ids = new Set(on ? [...picked, choice.id] : picked.filter((p) => p !== choice.id))
                  set((question.choices ?? []).map((c) => c.id).filter((c) => ids.has(c)))
                }}
              />
              {localized(choice.label, language)}
            </label>
          ))}
        </div>
        {notes}
      </fieldset>
    )
  }

  if (question.type === 'checkbox') {
    return (
      <div class="field q">
        <label class="check" for={id}>
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(event) => set((event.currentTarget as HTMLInputElement).checked)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            aria-required={required || undefined}
          />
          <span>
            {label}
            {mark}
          </span>
        </label>
        {notes}
      </div>
    )
  }

  const text = typeof value === 'string' ? value : ''
  const common = {
    id,
    name: id,
    value: text,
    onInput: (event: Event) => set((event.currentTarget as HTMLInputElement).value),
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
    'aria-required': required || undefined,
    autoComplete: 'off',
  }
  return (
    <div class="field">
      <label for={id}>
        {label}
        {mark}
      </label>
      {question.type === 'long_text' ? (
        <textarea rows={3} maxLength={LONG_TEXT_MAX} {...common} />
      ) : question.type === 'number' ? (
        // Text with a decimal keypad: type=number drops a German "12,5" without a word.
        <input type="text" inputMode="decimal" maxLength={40} {...common} />
      ) : question.type === 'phone' ? (
        <input type="tel" inputMode="tel" maxLength={40} {...common} />
      ) : (
        <input type="text" maxLength={SHORT_TEXT_MAX} {...common} />
      )}
      {notes}
    </div>
  )
}
