import { signal } from '@preact/signals'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { PublicWaitlistEntry } from '../../shared/api-contract'
import { dateOf, wallClockIn } from '../../shared/calendar-labels'
import { languageOf } from '../../shared/languages'
import { formatMoney } from '../../shared/money'
import type { IntakeAnswers } from '../../shared/resource-config'
import type { PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, ClientError, ClientErrorCode, PaymentDue, WaitlistClient } from '../client'
import { answerErrorsFrom, checkAnswerDrafts, type AnswerDraft, type AnswerErrors } from '../intake-text'
import { errorText } from '../error-text'
import { formatDayLabel, formatRangeWithZone, formatZoneName } from '../format-time'
import type { Messages } from '../i18n'
import { PaymentModel, type PaymentSetup } from '../models/payment'
import type { Step } from '../models/flow-status'
import type { CardPayment, LoadStripe } from '../payment/stripe-payment'
import { CalendarLinks } from './CalendarLinks'
import { HoldCountdown } from './HoldCountdown'
import { IntakeQuestions } from './IntakeQuestions'

export interface WaitlistViewProps {
  client: Pick<WaitlistClient, 'getWaitlistEntry' | 'claimWaitlistOffer' | 'declineWaitlistOffer' | 'leaveWaitlist'> &
    Pick<BookingClient, 'getResource' | 'getCalendarFile' | 'getBooking'>
  /** The entry's reference and token, from the waitlist link. */
  ref_: string
  token: string
  t: Messages
  locale: string
  onError: (error: ClientError) => void
  /** The card module, fetched only when a claimed time is to be paid online. */
  loadPaymentModule?: PaymentSetup['loadModule'] | undefined
  loadStripe?: LoadStripe | undefined
  /** The booking's manage link, once the offer is claimed. */
  manageUrl?: ((ref: string, token: string) => string) | undefined
  onBooked?: ((booking: PublicBooking) => void) | undefined
}

type View = 'show' | 'questions' | 'confirm-leave' | 'pay' | 'booked'
/** What the guest is told above the entry: a refusal's code, or what just happened. */
type Note = ClientErrorCode | 'declined' | 'offerEnded' | 'offerGone'

/**
 * A waitlist entry opened from its link: the time waited for (in the resource's zone), the
 * place in line, and an open offer with its countdown: book it (answering the resource's
 * questions first, paying by card when it takes payment) or pass it on. The guest may leave
 * the list. An offer that ends while shown says so; the entry itself may still be waiting.
 */
export function WaitlistView(props: WaitlistViewProps) {
  const { client, t, locale } = props
  const model = useMemo(() => {
    const entry = signal<PublicWaitlistEntry | undefined>(undefined)
    const resource = signal<PublicResource | undefined>(undefined)
    const failure = signal<ClientErrorCode | undefined>(undefined)
    const view = signal<View>('show')
    const note = signal<Note | undefined>(undefined)
    const busy = signal(false)
    /** Why the card did not go through, from the payment model. */
    const payNotice = signal<string | undefined>(undefined)
    const booking = signal<PublicBooking | undefined>(undefined)
    const manageToken = signal<string | undefined>(undefined)
    const answers = signal<Record<string, AnswerDraft>>({})
    const answerErrors = signal<AnswerErrors>({})
    const updateAnswer = (id: string, value: AnswerDraft) => {
      answers.value = { ...answers.peek(), [id]: value }
      if (answerErrors.peek()[id]) {
        const { [id]: _, ...rest } = answerErrors.peek()
        answerErrors.value = rest
      }
    }
    // The card step reuses the widget's payment model; its notice and busy are the view's.
    const payment = new PaymentModel(client, {
      status: { step: signal<Step>('pay'), notice: payNotice, busy },
      booking,
      manageToken,
      t,
      locale,
      setup: props.loadPaymentModule && {
        loadModule: props.loadPaymentModule,
        loadStripe: props.loadStripe,
        // 3-D Secure comes back to the booking's own manage page, which shows how it stands.
        returnUrl: (ref) => {
          const token = manageToken.peek()
          return token && props.manageUrl ? new URL(props.manageUrl(ref, token), location.href).href : location.href
        },
      },
      finish: (done, token) => {
        booking.value = done
        manageToken.value = token
        view.value = 'booked'
      },
    })
    return {
      entry,
      resource,
      failure,
      view,
      note,
      busy,
      payNotice,
      booking,
      manageToken,
      answers,
      answerErrors,
      updateAnswer,
      payment,
    }
  }, [])
  const heading = useRef<HTMLHeadingElement>(null)
  const question = useRef<HTMLParagraphElement>(null)

  /** Reads the entry again (after an offer ended or was refused); `ended` says the offer is gone. */
  const refresh = async (ended?: boolean) => {
    const result = await client.getWaitlistEntry(props.ref_, props.token)
    if (result.error) return show(result.error)
    model.entry.value = result.data.entry
    if (ended) model.note.value = result.data.entry.status === 'waiting' ? 'offerEnded' : 'offerGone'
  }
  const show = (error: ClientError) => {
    model.failure.value = error.code
    if (error.code !== 'not_found') props.onError(error)
  }

  useEffect(() => {
    if (!props.ref_ || !props.token) return show({ code: 'not_found', message: '' })
    void client.getWaitlistEntry(props.ref_, props.token).then(async (result) => {
      if (result.error) return show(result.error)
      const { entry } = result.data
      model.entry.value = entry
      // A lapsed offer the server has not yet closed is not offered again.
      if (entry.offer && Date.parse(entry.offer.expiresAt) <= Date.now()) model.note.value = 'offerEnded'
      const resource = await client.getResource(entry.resourceId)
      if (resource.data) model.resource.value = resource.data
    })
  }, [])

  const view = model.view.value
  // Focus follows the guest from view to view: the heading, or the question before leaving.
  useEffect(
    () => (view === 'confirm-leave' ? question : heading).current?.focus(),
    [view, model.entry.value === undefined],
  )

  const entry = model.entry.value
  const failure = model.failure.value
  if (!entry) {
    return (
      <section class="card">
        <h2>{t.waitlist.title}</h2>
        {failure ? (
          <p class="notice" role="alert">
            {failure === 'not_found' ? t.waitlist.notFound : errorText(t, failure)}
          </p>
        ) : (
          <p class="msg muted" role="status">
            {t.loadingStep}
          </p>
        )}
      </section>
    )
  }

  const zone = entry.timezone
  const offer =
    entry.status === 'waiting' && entry.offer && Date.parse(entry.offer.expiresAt) > Date.now() ? entry.offer : null
  const questions = model.resource.value?.questions ?? []
  const busy = model.busy.value

  const claim = async (answers?: IntakeAnswers) => {
    if (busy) return
    model.busy.value = true
    model.note.value = undefined
    const result = await client.claimWaitlistOffer(
      props.ref_,
      props.token,
      answers && Object.keys(answers).length > 0 ? { answers } : {},
    )
    model.busy.value = false
    if (result.error) {
      const { code, details } = result.error
      if (code === 'offer_expired' || code === 'slot_taken' || code === 'slot_held') {
        model.view.value = 'show'
        return refresh(true)
      }
      const refused = code === 'invalid_request' ? answerErrorsFrom(details, t) : {}
      if (Object.keys(refused).length > 0) {
        model.answerErrors.value = refused
        model.view.value = 'questions'
        return
      }
      model.note.value = code
      return props.onError(result.error)
    }
    const { booking, manageToken, payment } = result.data
    model.booking.value = booking
    model.manageToken.value = manageToken
    props.onBooked?.(booking)
    if (payment) {
      model.payment.due.value = payment
      model.view.value = 'pay'
    } else model.view.value = 'booked'
  }

  const act = async (action: 'declineWaitlistOffer' | 'leaveWaitlist') => {
    if (busy) return
    model.busy.value = true
    model.note.value = undefined
    const result = await client[action](props.ref_, props.token)
    model.busy.value = false
    model.view.value = 'show'
    if (result.error) {
      if (result.error.code === 'offer_expired') return refresh(true)
      model.note.value = result.error.code
      return props.onError(result.error)
    }
    model.entry.value = result.data.entry
    if (action === 'declineWaitlistOffer') model.note.value = 'declined'
  }

  const note = model.note.value
  const noteText =
    note === 'declined'
      ? t.waitlist.declined
      : note === 'offerEnded'
        ? t.waitlist.offerEnded
        : note === 'offerGone'
          ? t.waitlist.offerGone
          : note && errorText(t, note)

  const booking = model.booking.value
  const token = model.manageToken.value
  if (view === 'booked' && booking) {
    return (
      <section class="card">
        <div class="done" role="status">
          <h2 ref={heading} tabIndex={-1}>
            {booking.status === 'confirmed' ? t.booked : t.requested}
          </h2>
          <p>{entry.resourceName}</p>
          <p>{formatRangeWithZone(booking, zone, locale)}</p>
          {booking.seats !== undefined && booking.seats > 1 && <p>{t.places(booking.seats)}</p>}
          <p>
            {t.reference} <strong class="ref">{booking.ref}</strong>
          </p>
          {token && <CalendarLinks booking={booking} token={token} title={entry.resourceName} t={t} client={client} />}
          {token && props.manageUrl && <a href={props.manageUrl(booking.ref, token)}>{t.manageLink}</a>}
        </div>
      </section>
    )
  }

  if (view === 'pay' && booking && model.payment.due.value) {
    return (
      <section class="card">
        <WaitlistPay
          t={t}
          locale={locale}
          heading={heading}
          due={model.payment.due.value}
          when={formatRangeWithZone(booking, zone, locale)}
          busy={busy}
          notice={model.payNotice.value}
          mountCard={model.payment.mountCard}
          pay={model.payment.pay}
        />
      </section>
    )
  }

  return (
    <section class="card" aria-busy={busy ? 'true' : 'false'}>
      <h2 ref={view === 'show' ? heading : undefined} tabIndex={-1}>
        {t.waitlist.title}
      </h2>
      {noteText && (
        <p class="notice" role="alert">
          {noteText}
        </p>
      )}
      <p>
        <strong>{entry.resourceName}</strong>
      </p>
      <p>{windowText(entry, locale)}</p>
      {entry.seats > 1 && <p>{t.places(entry.seats)}</p>}
      <p>
        {entry.status === 'waiting'
          ? entry.position !== null
            ? t.waitlist.position(entry.position)
            : t.waitlist.status.waiting
          : t.waitlist.status[entry.status]}
      </p>
      {entry.bookingRef && (
        <p>
          {t.reference} <strong class="ref">{entry.bookingRef}</strong>
        </p>
      )}

      {offer && view === 'show' && (
        <div class="done" role="group" aria-labelledby="waitlist-offer">
          <h3 id="waitlist-offer">{t.waitlist.offerTitle}</h3>
          <p>{formatRangeWithZone(offer, zone, locale)}</p>
          <HoldCountdown t={t} expiresAt={offer.expiresAt} onZero={() => void refresh(true)} />
          <div class="actions">
            <button type="button" onClick={() => void act('declineWaitlistOffer')} disabled={busy}>
              {t.waitlist.decline}
            </button>
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => (questions.length > 0 ? (model.view.value = 'questions') : void claim())}
            >
              {busy ? t.booking : t.waitlist.claim}
            </button>
          </div>
        </div>
      )}

      {offer && view === 'questions' && (
        <form
          class="details"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            const checked = checkAnswerDrafts(questions, model.answers.peek(), t, locale)
            if (Object.keys(checked.errors).length > 0) {
              model.answerErrors.value = checked.errors
              return
            }
            void claim(checked.answers)
          }}
        >
          <h3 ref={heading} tabIndex={-1}>
            {formatRangeWithZone(offer, zone, locale)}
          </h3>
          <HoldCountdown t={t} expiresAt={offer.expiresAt} onZero={() => void refresh(true)} />
          <IntakeQuestions state={model} questions={questions} language={languageOf(locale)} />
          <div class="actions">
            <button type="button" onClick={() => (model.view.value = 'show')} disabled={busy}>
              {t.back}
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t.booking : t.waitlist.claim}
            </button>
          </div>
        </form>
      )}

      {entry.status === 'waiting' && view === 'confirm-leave' && (
        <div class="confirm">
          <p ref={question} tabIndex={-1}>
            {t.waitlist.confirmLeave}
          </p>
          <div class="actions">
            <button type="button" onClick={() => (model.view.value = 'show')} disabled={busy}>
              {t.waitlist.stay}
            </button>
            <button type="button" class="danger" onClick={() => void act('leaveWaitlist')} disabled={busy}>
              {t.waitlist.yesLeave}
            </button>
          </div>
        </div>
      )}

      {entry.status === 'waiting' && view === 'show' && (
        <div class="actions">
          <button type="button" class="danger" onClick={() => (model.view.value = 'confirm-leave')} disabled={busy}>
            {t.waitlist.leave}
          </button>
        </div>
      )}
    </section>
  )
}

/** The window waited for, in the resource's zone: a whole day by its date, else its two ends. */
function windowText(entry: PublicWaitlistEntry, locale: string): string {
  if (entry.kind === 'day') {
    const date = dateOf(wallClockIn(Date.parse(entry.windowStart), entry.timezone))
    return `${formatDayLabel(date, locale, true)} (${formatZoneName(entry.timezone, locale)})`
  }
  return formatRangeWithZone({ start: entry.windowStart, end: entry.windowEnd }, entry.timezone, locale)
}

/** The card step after claiming a time that takes payment: Stripe's form, mounted only now. */
function WaitlistPay(props: {
  t: Messages
  locale: string
  heading: { current: HTMLHeadingElement | null }
  due: PaymentDue
  when: string
  busy: boolean
  notice: string | undefined
  mountCard: (target: HTMLElement) => Promise<CardPayment>
  pay: (card: CardPayment) => Promise<void>
}) {
  const { t } = props
  const slot = useRef<HTMLDivElement>(null)
  const [card, setCard] = useState<CardPayment | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    props.heading.current?.focus()
    let mounted: CardPayment | undefined
    let gone = false
    if (slot.current) {
      props.mountCard(slot.current).then(
        (ready) => {
          mounted = ready
          if (gone) ready.destroy()
          else setCard(ready)
        },
        () => !gone && setFailed(true),
      )
    }
    return () => {
      gone = true
      mounted?.destroy()
    }
  }, [])
  const amount = formatMoney(props.due.amount, props.due.currency, props.locale)
  return (
    <form
      class="details"
      onSubmit={(event) => {
        event.preventDefault()
        if (card) void props.pay(card)
      }}
    >
      <h2 ref={props.heading} tabIndex={-1}>
        {t.paymentTitle}
      </h2>
      <p>{props.when}</p>
      {props.notice && (
        <p class="notice" role="alert">
          {props.notice}
        </p>
      )}
      {failed ? (
        <p class="notice" role="alert">
          {t.paymentUnavailable}
        </p>
      ) : (
        !card && (
          <p class="muted" role="status">
            {t.paymentLoading}
          </p>
        )
      )}
      <div class="card-element" ref={slot} />
      <div class="actions">
        <button type="submit" class="primary" disabled={!card || props.busy}>
          {props.busy ? t.paying : t.pay(amount)}
        </button>
      </div>
    </form>
  )
}
