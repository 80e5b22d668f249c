// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { IntakeQuestion } from '../shared/resource-config'
import type { AdminResource, ResourceConfig } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { draftsFromQuestions, idFromLabel, questionErrorsFrom, questionsFromDrafts } from './QuestionsEditor'
import { ResourcesView } from './ResourcesView'

/*
 * The owner writes the questions guests answer, in the resource form: added, worded in
 * three languages, reordered, removed, saved with the resource; refusals sit beside the
 * question they are about and nothing typed is wiped.
 */

const TERMS: IntakeQuestion = { id: 'terms', type: 'checkbox', label: { en: 'I accept the terms' }, required: true }

function fakeApi(config: ResourceConfig, refuse?: (body: { config: ResourceConfig }) => AdminApiError | undefined) {
  const sent: { config: ResourceConfig }[] = []
  let current: AdminResource = {
    id: 'id-yoga',
    slug: 'yoga',
    type: 'room',
    name: 'Yoga',
    timezone: 'Europe/Berlin',
    config,
    isActive: true,
    createdAt: '2026-01-01T00:00:00Z',
  }
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      if (method === 'GET' && path === '/resources') return { resources: [current] } as T
      if (method === 'GET') return { schedules: [] } as T
      if (method === 'PATCH') {
        const patch = body as { config: ResourceConfig }
        sent.push(patch)
        const refusal = refuse?.(patch)
        if (refusal) throw refusal
        current = { ...current, config: patch.config }
        return { resource: current } as T
      }
      throw new Error(`unexpected ${method} ${path}`)
    },
  }
  return { api, sent }
}

function type(input: HTMLElement, text: string) {
  fireEvent.input(input, { target: { value: '' } })
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
}
const question = (n: number) => screen.getByRole('group', { name: new RegExp(`^Question ${n}\\b`) })
const save = () => fireEvent.submit(screen.getByRole('button', { name: 'Save' }).closest('form')!)

async function open(config: ResourceConfig = {}, refuse?: Parameters<typeof fakeApi>[1]) {
  const fake = fakeApi(config, refuse)
  render(<ResourcesView api={fake.api} origin="https://book.example.com" />)
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Yoga' }))
  return fake
}

afterEach(cleanup)

describe('the questions editor in the resource form', () => {
  it('adds questions (id from the English label), words them in three languages, reorders, and saves them', async () => {
    const { sent } = await open({ questions: [TERMS], durations: [60] })
    expect(within(question(1)).getByLabelText('Question (English)')).toHaveProperty('value', 'I accept the terms')

    fireEvent.click(screen.getByRole('button', { name: 'Add a question' }))
    const second = question(2)
    fireEvent.change(within(second).getByLabelText('Answer type'), { target: { value: 'single_choice' } })
    type(within(second).getByLabelText('Question (English)'), 'Your level?')
    type(within(second).getByLabelText('Question (German)'), 'Ihr Niveau?')
    expect(within(question(2)).getByLabelText('Answer key (id)')).toHaveProperty('value', 'your_level')
    type(within(question(2)).getByLabelText('Choice 1 (English)'), 'Beginner')
    type(within(question(2)).getByLabelText('Choice 1 (German)'), 'Anfänger')
    type(within(question(2)).getByLabelText('Choice 2 (English)'), 'Advanced')
    fireEvent.click(within(question(2)).getByLabelText('Required'))

    fireEvent.click(screen.getByRole('button', { name: 'Add a question' }))
    fireEvent.change(within(question(3)).getByLabelText('Answer type'), { target: { value: 'number' } })
    type(within(question(3)).getByLabelText('Question (English)'), 'Shoe size (EU)')
    type(within(question(3)).getByLabelText('Answer key (id)'), 'shoe')
    type(within(question(3)).getByLabelText('Smallest number'), '30')
    type(within(question(3)).getByLabelText('Largest number'), '50,5')
    // The owner's own id stays when the label changes afterwards.
    type(within(question(3)).getByLabelText('Question (English)'), 'Shoe size')
    fireEvent.click(within(question(3)).getByRole('button', { name: 'Move up' }))

    save()
    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]!.config).toEqual({
      durations: [60],
      questions: [
        TERMS,
        { id: 'shoe', type: 'number', label: { en: 'Shoe size' }, min: 30, max: 50.5 },
        {
          id: 'your_level',
          type: 'single_choice',
          label: { en: 'Your level?', de: 'Ihr Niveau?' },
          required: true,
          choices: [
            { id: 'beginner', label: { en: 'Beginner', de: 'Anfänger' } },
            { id: 'advanced', label: { en: 'Advanced' } },
          ],
        },
      ],
    })
  })

  it('removing every question removes the key from the config', async () => {
    const { sent } = await open({ questions: [TERMS], durations: [60] })
    fireEvent.click(screen.getByRole('button', { name: 'Remove question 1' }))
    save()
    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]!.config).toEqual({ durations: [60] })
  })

  it('refuses a question without words or with a choice missing before sending, beside the field, keeping the rest', async () => {
    const { sent } = await open()
    fireEvent.click(screen.getByRole('button', { name: 'Add a question' }))
    fireEvent.change(within(question(1)).getByLabelText('Answer type'), { target: { value: 'multiple_choice' } })
    type(within(question(1)).getByLabelText('Question (German)'), 'Extras?')
    type(within(question(1)).getByLabelText('Answer key (id)'), 'extras')
    type(within(question(1)).getByLabelText('Choice 1 (English)'), 'Tea')
    save()
    const choice2 = within(question(1)).getByLabelText('Choice 2 (English)')
    await waitFor(() => expect(choice2.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(choice2.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Write the choice in at least one language.',
    )
    await waitFor(() => expect(document.activeElement).toBe(choice2))
    expect(sent).toHaveLength(0)
    expect(within(question(1)).getByLabelText('Question (German)')).toHaveProperty('value', 'Extras?')
    type(choice2, 'Coffee')
    expect(choice2.getAttribute('aria-invalid')).toBeNull()
  })

  it('shows the server’s refusal of a question field beside it', async () => {
    await open({}, (body) =>
      body.config.questions?.[0]?.id === 'x'
        ? new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
            { path: 'config.questions.0.id', code: 'invalid', message: 'reserved id' },
          ])
        : undefined,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Add a question' }))
    type(within(question(1)).getByLabelText('Question (English)'), 'Anything?')
    const id = within(question(1)).getByLabelText('Answer key (id)')
    type(id, 'x')
    save()
    await waitFor(() => expect(id.getAttribute('aria-invalid')).toBe('true'))
    expect(id.closest('.field')?.textContent).toContain('Reserved id')
    expect(screen.getByRole('alert').textContent).toContain('Some fields need a change')
    expect(screen.getByRole('alert').textContent).not.toContain('config.questions')
  })
})

describe('question drafts', () => {
  it('round-trip stored questions unchanged', () => {
    const stored: IntakeQuestion[] = [
      TERMS,
      { id: 'age', type: 'number', label: { en: 'Age', es: 'Edad' }, help: { de: 'In Jahren' }, min: 0 },
    ]
    expect(questionsFromDrafts(draftsFromQuestions(stored))).toEqual({ questions: stored })
  })

  it('words ids from labels and refuses duplicate ids', () => {
    expect(idFromLabel('Größe (EU) — Schuhe!')).toBe('grosse_eu_schuhe')
    const twice = draftsFromQuestions([TERMS, TERMS])
    expect(questionsFromDrafts(twice).errors).toEqual({ '1.id': 'Another question has this id; ids must differ.' })
  })

  it('maps server paths to the editor’s places', () => {
    expect(
      questionErrorsFrom([
        { path: 'config.questions.2.label.de', message: 'too long' },
        { path: 'config.questions.0.choices.1.id', message: 'bad id' },
        { path: 'config.questions', message: 'question ids must differ' },
        { path: 'config.price', message: 'unrelated' },
      ]),
    ).toEqual({ '2.label': 'Too long', '0.choices.1.id': 'Bad id', '': 'Question ids must differ' })
  })
})
