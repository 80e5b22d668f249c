import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { describePolicyIn, ENGLISH_POLICY_WORDS } from '../shared/policy-words'
import type { AdminResource } from '../shared/types'
import { AdminApiError, describeProblem, ownerRoutes, type AdminApi } from './api'
import { CheckField, Field, FIX_FIELDS, FormFooter, fieldA11y, refusalSummary } from './form-parts'
import { EmbedPanel } from './EmbedPanel'
import {
  FIELD_ORDER,
  formFromResource,
  mapServerDetails,
  noticeFromForm,
  policyFromForm,
  RESOURCE_TYPES,
  toResourceBody,
  type FieldErrors,
  type ResourceField,
  type ResourceFormValues,
  type SpanUnit,
} from './resource-form'
import { ScheduleEditor } from './ScheduleEditor'
import { QuestionsEditor, draftsFromQuestions, questionErrorsFrom, questionsFromDrafts } from './QuestionsEditor'
import { CalendarFeedPanel } from './CalendarFeedPanel'
import { BusySourcesPanel } from './BusySourcesPanel'

export type { AdminResource }

/** The resources list; choosing one (or "New") opens its editor, its embed snippet and its schedule. */
export function ResourcesView({ api, origin = location.origin }: { api: AdminApi; origin?: string }) {
  const [resources, setResources] = useState<AdminResource[] | undefined>(undefined)
  const [editing, setEditing] = useState<AdminResource | 'new' | undefined>(undefined)
  const [createdId, setCreatedId] = useState<string | undefined>(undefined)
  const [previewVersion, setPreviewVersion] = useState(0)
  const [error, setError] = useState<string | undefined>(undefined)
  const load = () =>
    ownerRoutes(api)
      .listResources()
      .then(
        (r) => setResources(r.resources),
        (e: unknown) => setError(describeProblem(e)),
      )
  useEffect(() => void load(), [])
  const open = (next: AdminResource | 'new') => {
    setCreatedId(undefined)
    setEditing(next)
  }

  return (
    <>
      <section aria-labelledby="resources-title" class="resources">
        <div class="row">
          <h2 id="resources-title" class="grow">
            Resources
          </h2>
          <button type="button" class="primary" onClick={() => open('new')}>
            New resource
          </button>
        </div>
        {error && <p class="error">{error}</p>}
        {resources && resources.length === 0 && <p class="muted">No resources yet. Make one with “New resource”.</p>}
        {resources && resources.length > 0 && (
          <ul class="resource-list">
            {resources.map((r) => (
              <li key={r.id}>
                <span class="grow">
                  <strong>{r.name}</strong> <code>{r.slug}</code>
                  <span class="muted">
                    {' '}
                    · {r.type} · {r.timezone} · {r.isActive ? 'active' : 'inactive'}
                  </span>
                </span>
                <button type="button" onClick={() => open(r)} aria-label={`Edit ${r.name}`}>
                  Edit
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {editing && (
        <ResourceEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          resource={editing === 'new' ? undefined : editing}
          onSaved={(saved, created) => {
            if (created) setCreatedId(saved.id)
            setEditing(saved)
            setPreviewVersion((v) => v + 1)
            void load()
          }}
        />
      )}
      {editing && editing !== 'new' && (
        <EmbedPanel
          resource={editing}
          origin={origin}
          justCreated={createdId === editing.id}
          previewVersion={previewVersion}
        />
      )}
      {editing && editing !== 'new' && (
        <ScheduleEditor
          key={`s-${editing.id}`}
          api={api}
          resource={editing}
          onSaved={() => {
            // "…then set the opening hours below" is done: the schedule editor now says they are saved.
            setCreatedId(undefined)
            setPreviewVersion((v) => v + 1)
          }}
        />
      )}
      {editing && editing !== 'new' && (
        <CalendarFeedPanel
          key={`f-${editing.id}`}
          api={api}
          resource={editing}
          onSaved={(saved) => {
            setEditing(saved)
            void load()
          }}
        />
      )}
      {editing && editing !== 'new' && <BusySourcesPanel key={`b-${editing.id}`} api={api} resource={editing} />}
    </>
  )
}

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone

/**
 * One short line under each field: what it does for guests, an example, and what an empty
 * field means. The fields carry no placeholders: a grey number in an empty field reads as a
 * value that is set, and the policy guests read is the empty field's, not the example's.
 */
const HELP: Record<ResourceField, string> = {
  name: 'Guests see this name at the top of the booking form.',
  slug: 'Names this resource in the embed snippet: lowercase letters, digits and hyphens.',
  type: 'What kind of thing is booked; only for your own lists.',
  timezone: 'Opening hours are in this zone; guests elsewhere see times converted.',
  country: 'Two letters, e.g. DE: guests may type local phone numbers of this country. Empty: the time zone’s country.',
  isActive: 'Inactive resources keep their bookings but take no new ones.',
  durations: 'Lengths guests choose from in hours without a slot length, e.g. 60, 120. Empty: the whole window.',
  slotStep:
    'Slots start this often from the opening time, whatever their length: 15 with 60-minute slots offers 09:00, 09:15, 09:30 … Empty: each slot starts when the one before ends.',
  startTimes:
    'Slots start only at these times, e.g. 09:00, 11:30, 15:00 (commas or one per line), where the whole slot fits in the opening hours. Empty: as “Start a slot every” says.',
  bufferBefore: 'Kept free before each booking, e.g. 15 to prepare the room. Empty: none.',
  bufferAfter: 'Kept free after each booking, e.g. 15 to clean up. Empty: none.',
  notice:
    'How soon a booking may start: e.g. 120 means nobody books less than 2 hours ahead. Empty: right up to the start.',
  horizon: 'How far ahead guests can book, e.g. 90. Empty: up to a year.',
  capacity:
    'Places at the same time, e.g. 12 for a class of twelve mats: each booking takes some of them. Empty: 1, one booking at a time.',
  maxSeats: 'Most places one guest can book at once, e.g. 4. Empty: up to the capacity.',
  minParty:
    'For a table in a dining-room pool: smaller parties are given another table, e.g. 3 for a table of six. Empty: from 1.',
  maxParty:
    'For a table: the most guests it seats, e.g. 6; a pool gives each party the smallest table that fits. Empty: any size.',
  requiresConfirmation: 'New bookings stay pending until you confirm them under Bookings.',
  price: 'Per booking (per place when the capacity is above 1), e.g. 25 or 25.50. Empty: free.',
  currency: 'Three letters, e.g. EUR, USD, GBP.',
  payment: 'What guests pay by card when they book; with none, they pay you directly.',
  deposit: 'Paid when booking, e.g. 10; the rest is settled with you.',
  freeHours:
    'Guests get everything back if they cancel at least this many hours before, e.g. 24. Empty: free cancellation until the start.',
  partialHours:
    'After free cancellation ends, a part is refunded until this many hours before, e.g. 12. Empty: no partial refund.',
  partialPercent: 'The part refunded in that period, 0 to 100, e.g. 50.',
  closedHours:
    'Guests can no longer cancel online this many hours before the start, e.g. 2. Empty: they can until the start.',
  moveNotice:
    'Guests can no longer change the time online this many hours before the start, e.g. 24. Empty: as for cancelling above. You can always move a booking yourself.',
  cancelNotice:
    'Guests can no longer cancel online this many hours before the start, whatever the refund, e.g. 48. Empty: as above.',
  limitGuestDay:
    'Most bookings one guest (known by their email) may have starting on one day, in this resource’s time zone, e.g. 1. Empty: no limit.',
  limitGuestWeek: 'Most bookings one guest may have starting in one week, Monday to Sunday, e.g. 3. Empty: no limit.',
  limitGuestMonth: 'Most bookings one guest may have starting in one calendar month, e.g. 8. Empty: no limit.',
  limitDay: 'Most bookings of this resource starting on one day, all guests together, e.g. 6. Empty: no limit.',
  limitGap:
    'Least time between the end of one of a guest’s bookings and the start of their next, e.g. 60. Empty: none.',
  notifyEmail: 'New bookings and cancellations are sent here. Empty: the server’s admin address.',
  notifyLanguage: 'The language those notices are written in. Otherwise each is in the language its guest booked in.',
  spanOn:
    'Guests book one stretch from a pickup to a return across days (a car from Friday to Monday, a room by the night) instead of a slot. Pickups and returns fall inside the opening hours.',
  spanMin: 'The shortest stretch a guest may book, e.g. 4 hours or 1 day.',
  spanMax: 'The longest stretch, e.g. 14 days; at most 90 days.',
  spanUnit: 'The unit of the shortest and longest stretch.',
  spanPricing:
    'The price above is charged per started 24 hours (per day) or per night (dates crossed in this resource’s time zone).',
  spanStep: 'Pickup and return times are offered every this many minutes, e.g. 30. Empty: 30.',
  spanCheckIn:
    'For rooms by the night: every stay starts at this time, e.g. 15:00; guests pick dates only. Empty: guests pick times.',
  spanCheckOut: 'Every stay ends at this time, e.g. 11:00; set with check-in.',
}

const inputId = (field: ResourceField) => `rf-${field}`

function ResourceEditor({
  api,
  resource,
  onSaved,
}: {
  api: AdminApi
  resource: AdminResource | undefined
  onSaved: (r: AdminResource, created: boolean) => void
}) {
  const [values, setValues] = useState<ResourceFormValues>(() => formFromResource(resource, localZone()))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const [focusRequest, setFocusRequest] = useState(0)
  const [questions, setQuestions] = useState(() => draftsFromQuestions(resource?.config.questions))
  const [questionErrors, setQuestionErrors] = useState<Record<string, string>>({})

  // After a refused save, the first field to fix gets the focus (once per attempt).
  useEffect(() => {
    if (focusRequest === 0) return
    const first = FIELD_ORDER.find((field) => errors[field])
    if (first) document.getElementById(inputId(first))?.focus()
  }, [focusRequest])

  const set = <K extends ResourceField>(field: K, value: ResourceFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }))
    setSaved(false)
    // Changing a field takes its message away; the other messages stay until the next save.
    if (errors[field])
      setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== field)))
  }

  const refuse = (fieldErrors: FieldErrors, message: string | undefined) => {
    setErrors(fieldErrors)
    setFormError(message)
    setFocusRequest((n) => n + 1)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setSaved(false)
    const result = toResourceBody(values, resource?.config)
    const asked = questionsFromDrafts(questions)
    setQuestionErrors(asked.errors ?? {})
    if (result.errors || asked.errors) {
      refuse(result.errors ?? {}, FIX_FIELDS)
      return
    }
    // The questions replace the stored ones (none: the key goes).
    const { questions: _stored, ...config } = result.body.config
    result.body.config = asked.questions.length > 0 ? { ...config, questions: asked.questions } : config
    setBusy(true)
    try {
      const saved = resource
        ? await ownerRoutes(api).updateResource(resource.id, { ...result.body, isActive: values.isActive })
        : await ownerRoutes(api).createResource(result.body)
      setErrors({})
      setFormError(undefined)
      setSaved(true)
      onSaved(saved.resource, !resource)
    } catch (e) {
      const { fields, other } = e instanceof AdminApiError ? mapServerDetails(e.details) : { fields: {}, other: [] }
      const refusedQuestions = e instanceof AdminApiError ? questionErrorsFrom(e.details) : {}
      setQuestionErrors(refusedQuestions)
      const refusedCount = Object.keys(fields).length + Object.keys(refusedQuestions).length
      refuse(fields, [refusalSummary(e, refusedCount), ...other].join('\n'))
    } finally {
      setBusy(false)
    }
  }

  /** Label, control, help and (when refused) the reason, wired for screen readers. */
  const field = (
    name: ResourceField,
    label: string,
    control: (a11y: ReturnType<typeof fieldA11y>) => ComponentChildren,
  ) => (
    <Field id={inputId(name)} label={label} error={errors[name]} help={HELP[name]}>
      {control(fieldA11y(inputId(name), errors[name]))}
    </Field>
  )
  const text = (
    name: Exclude<
      ResourceField,
      'payment' | 'requiresConfirmation' | 'isActive' | 'spanOn' | 'spanUnit' | 'spanPricing'
    >,
    label: string,
    extra: Record<string, string | number | boolean> = {},
  ) =>
    field(name, label, (a11y) => (
      <input
        {...a11y}
        {...extra}
        value={values[name]}
        onInput={(e) => set(name, (e.currentTarget as HTMLInputElement).value)}
      />
    ))
  const check = (name: 'requiresConfirmation' | 'isActive' | 'spanOn', label: string) => (
    <CheckField
      id={inputId(name)}
      label={label}
      error={errors[name]}
      help={HELP[name]}
      checked={values[name]}
      onChange={(checked) => set(name, checked)}
    />
  )
  const policyLines = describePolicyIn(ENGLISH_POLICY_WORDS, policyFromForm(values), noticeFromForm(values))
  const currency = values.currency.trim().toUpperCase() || 'EUR'
  // Party sizes matter for tables; another type shows them only while they hold something it would send.
  const showsParty =
    values.type === 'table' ||
    values.minParty !== '' ||
    values.maxParty !== '' ||
    !!errors.minParty ||
    !!errors.maxParty

  return (
    <section aria-labelledby="editor-title" class="resource-form">
      <h2 id="editor-title">{resource ? `Edit ${resource.name}` : 'New resource'}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Basics</legend>
          <div class="grid">
            {text('name', 'Name', { maxLength: 200, autoComplete: 'off' })}
            {text('slug', 'Slug', { maxLength: 64, autoComplete: 'off', autoCapitalize: 'none', spellcheck: false })}
            {field('type', 'Type', (a11y) => (
              <select
                {...a11y}
                value={values.type}
                onChange={(e) => set('type', (e.currentTarget as HTMLSelectElement).value)}
              >
                {[...new Set([...RESOURCE_TYPES, values.type])].map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            ))}
            {field('timezone', 'Time zone', (a11y) => (
              <select
                {...a11y}
                value={values.timezone}
                onChange={(e) => set('timezone', (e.currentTarget as HTMLSelectElement).value)}
              >
                {[...new Set([...zones, values.timezone])].map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            ))}
            {text('country', 'Phone country (optional)', {
              maxLength: 2,
              autoComplete: 'off',
              autoCapitalize: 'characters',
            })}
            {resource && check('isActive', 'Active (bookable)')}
          </div>
        </fieldset>

        <fieldset>
          <legend>Availability rules</legend>
          <div class="grid">
            {text('durations', 'Booking lengths, minutes', { autoComplete: 'off' })}
            {text('slotStep', 'Start a slot every … minutes', { inputMode: 'numeric' })}
            {field('startTimes', 'Fixed start times', (a11y) => (
              <textarea
                {...a11y}
                rows={2}
                autoComplete="off"
                value={values.startTimes}
                onInput={(e) => set('startTimes', (e.currentTarget as HTMLTextAreaElement).value)}
              />
            ))}
            {text('bufferBefore', 'Buffer before, minutes', { inputMode: 'numeric' })}
            {text('bufferAfter', 'Buffer after, minutes', { inputMode: 'numeric' })}
            {text('notice', 'Minimum notice, minutes', { inputMode: 'numeric' })}
            {text('horizon', 'Bookable ahead, days', { inputMode: 'numeric' })}
            {text('capacity', 'Capacity, places', { inputMode: 'numeric' })}
            {text('maxSeats', 'Most places per booking', { inputMode: 'numeric' })}
            {showsParty && text('minParty', 'Smallest party, guests', { inputMode: 'numeric' })}
            {showsParty && text('maxParty', 'Largest party, guests', { inputMode: 'numeric' })}
            {check('requiresConfirmation', 'I confirm each booking myself')}
          </div>
        </fieldset>

        <fieldset>
          <legend>Booking limits</legend>
          <div class="grid">
            {text('limitGuestDay', 'Per guest per day', { inputMode: 'numeric' })}
            {text('limitGuestWeek', 'Per guest per week', { inputMode: 'numeric' })}
            {text('limitGuestMonth', 'Per guest per month', { inputMode: 'numeric' })}
            {text('limitDay', 'Per day, all guests', { inputMode: 'numeric' })}
            {text('limitGap', 'Gap per guest, minutes', { inputMode: 'numeric' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>Booked as a span</legend>
          <div class="grid">
            {check('spanOn', 'Booked as a span across days')}
            {values.spanOn && (
              <>
                {text('spanMin', `Shortest span, ${values.spanUnit}`, { inputMode: 'decimal' })}
                {text('spanMax', `Longest span, ${values.spanUnit}`, { inputMode: 'decimal' })}
                {field('spanUnit', 'Lengths in', (a11y) => (
                  <select
                    {...a11y}
                    value={values.spanUnit}
                    onChange={(e) => set('spanUnit', (e.currentTarget as HTMLSelectElement).value as SpanUnit)}
                  >
                    <option value="hours">Hours</option>
                    <option value="days">Days</option>
                  </select>
                ))}
                {field('spanPricing', 'Price counted', (a11y) => (
                  <select
                    {...a11y}
                    value={values.spanPricing}
                    onChange={(e) =>
                      set(
                        'spanPricing',
                        (e.currentTarget as HTMLSelectElement).value as ResourceFormValues['spanPricing'],
                      )
                    }
                  >
                    <option value="per_day">Per day</option>
                    <option value="per_night">Per night</option>
                  </select>
                ))}
                {text('spanStep', 'Pickup and return every, minutes', { inputMode: 'numeric' })}
                {text('spanCheckIn', 'Check-in time (optional)', { placeholder: '15:00', autoComplete: 'off' })}
                {text('spanCheckOut', 'Check-out time (optional)', { placeholder: '11:00', autoComplete: 'off' })}
              </>
            )}
          </div>
        </fieldset>

        <fieldset>
          <legend>Payment</legend>
          <div class="grid">
            {field('payment', 'Online payment', (a11y) => (
              <select
                {...a11y}
                value={values.payment}
                onChange={(e) =>
                  set('payment', (e.currentTarget as HTMLSelectElement).value as ResourceFormValues['payment'])
                }
              >
                <option value="none">No online payment</option>
                <option value="full">Full price online</option>
                <option value="deposit">Deposit online</option>
              </select>
            ))}
            {text('price', `Price, ${currency}`, { inputMode: 'decimal' })}
            {text('currency', 'Currency', { maxLength: 3, autoComplete: 'off', autoCapitalize: 'characters' })}
            {values.payment === 'deposit' || values.deposit !== '' || errors.deposit
              ? text('deposit', `Deposit, ${currency}`, { inputMode: 'decimal' })
              : null}
          </div>
        </fieldset>

        <fieldset>
          <legend>Cancellation policy</legend>
          <div class="grid">
            {text('freeHours', 'Free cancellation until, hours before', { inputMode: 'decimal' })}
            {text('partialHours', 'Partial refund until, hours before', { inputMode: 'decimal' })}
            {text('partialPercent', 'Partial refund, %', { inputMode: 'numeric' })}
            {text('closedHours', 'No online cancelling within, hours', { inputMode: 'decimal' })}
            {text('moveNotice', 'Minimum notice to move, hours', { inputMode: 'decimal' })}
            {text('cancelNotice', 'Minimum notice to cancel, hours', { inputMode: 'decimal' })}
          </div>
          <div class="policy-words" aria-live="polite">
            <p class="muted">Guests will read:</p>
            <ul>
              {policyLines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        </fieldset>

        <fieldset>
          <legend>Questions for guests</legend>
          <QuestionsEditor
            drafts={questions}
            errors={questionErrors}
            focusRequest={Object.keys(errors).length === 0 ? focusRequest : 0}
            onChange={(next, place) => {
              setQuestions(next)
              setSaved(false)
              if (place !== undefined && questionErrors[place])
                setQuestionErrors(Object.fromEntries(Object.entries(questionErrors).filter(([k]) => k !== place)))
            }}
          />
        </fieldset>

        <fieldset>
          <legend>Notifications</legend>
          <div class="grid">
            {text('notifyEmail', 'Notify email', { type: 'email', autoComplete: 'email' })}
            {field('notifyLanguage', 'Notices in', (a11y) => (
              <select
                {...a11y}
                value={values.notifyLanguage}
                onChange={(e) =>
                  set(
                    'notifyLanguage',
                    (e.currentTarget as HTMLSelectElement).value as ResourceFormValues['notifyLanguage'],
                  )
                }
              >
                <option value="">Each booking’s language</option>
                <option value="en">English</option>
                <option value="de">Deutsch</option>
                <option value="es">Español</option>
              </select>
            ))}
          </div>
        </fieldset>

        <FormFooter formError={formError} busy={busy} saved={saved} submit={resource ? 'Save' : 'Create'} />
      </form>
    </section>
  )
}
