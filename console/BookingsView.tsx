import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { addDays, cityOf, firstDayOfWeek, todayIn } from '../shared/calendar-labels'
import { formatMoney } from '../shared/money'
import type { AdminResource } from '../shared/types'
import { describeProblem, ownerRoutes, type AdminApi } from './api'
import { BookingCard } from './BookingCard'
import {
  STATUS_FILTERS,
  browserZone,
  bookingsQuery,
  dayLabel,
  gridZone,
  groupByDay,
  layoutWeek,
  matchesFilter,
  startOfDayIn,
  timeLabel,
  timeLabelText,
  weekStart,
  type AdminBooking,
  type OwnerAction,
  type StatusFilter,
} from './bookings-model'
import { CancelDialog, type CancelRequest } from './CancelDialog'
import { bookingMovedWords, seriesMovedWords, type MoveHandlers } from './MoveBooking'
import { NewBookingForm, publicFreeSlots, type FreeSlots } from './NewBookingForm'
import { seriesCancelledWords } from './SeriesActions'
import { WeekGrid } from './WeekGrid'

export interface BookingsViewProps {
  api: AdminApi
  /** The owner's own zone; the browser's unless a test says otherwise. */
  ownerZone?: string
  locale?: string
  /** The clock the legal actions are judged by. */
  now?: () => number
  /** How long typing in the search box pauses before it asks the server. */
  searchDelayMs?: number
  /** Where a move's free times come from; the public availability of this server unless a test says otherwise. */
  freeSlots?: FreeSlots
}

/** Below this width the week is a list of cards: seven columns do not fit a phone. */
const NARROW = '(max-width: 40rem)'
/** A week rarely holds more; beyond it the owner is told to narrow the view. */
const PAGE = 200
const MAX_PAGES = 5
const SEARCH_LIMIT = 100

const DONE: Record<Exclude<OwnerAction, 'cancel'>, string> = {
  confirm: 'confirmed',
  'no-show': 'marked as a no-show',
  complete: 'marked as completed',
}

/**
 * The owner's bookings: a week grid or a day list, filtered by status (cancelled ones hidden
 * unless asked for), searchable by ref, name or email across all dates, each booking with
 * its guest, notes, answers, money and the actions that are legal right now.
 */
export function BookingsView({
  api,
  ownerZone = browserZone(),
  locale,
  now = Date.now,
  searchDelayMs = 300,
  freeSlots = publicFreeSlots,
}: BookingsViewProps) {
  const [view, setView] = useState<'week' | 'day'>('week')
  const [anchor, setAnchor] = useState(() => todayIn(ownerZone, new Date(now())))
  const [resourceId, setResourceId] = useState('')
  const [status, setStatus] = useState<StatusFilter>('open')
  const [searchText, setSearchText] = useState('')
  const [q, setQ] = useState('')
  const [resources, setResources] = useState<AdminResource[] | undefined>(undefined)
  const [list, setList] = useState<AdminBooking[] | undefined>(undefined)
  const [truncated, setTruncated] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState('')
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined)
  const [busyId, setBusyId] = useState<string | undefined>(undefined)
  const [cardError, setCardError] = useState<{ id: string; message: string } | undefined>(undefined)
  const [cancelling, setCancelling] = useState<AdminBooking | undefined>(undefined)
  const [adding, setAdding] = useState(false)
  const newButton = useRef<HTMLButtonElement>(null)
  const narrow = useMediaQuery(NARROW)
  const request = useRef(0)
  const selectedCard = useRef<HTMLDivElement>(null)
  // A chosen block's card sits under the grid, which can be taller than the screen.
  useEffect(() => selectedCard.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }), [selectedId])

  const zone = gridZone(resources ?? [], resourceId, ownerZone)
  const firstDay = useMemo(
    () => firstDayOfWeek(locale ?? (typeof navigator === 'undefined' ? 'en' : navigator.language)),
    [locale],
  )
  const first = view === 'week' ? weekStart(anchor, firstDay) : anchor
  const days = Array.from({ length: view === 'week' ? 7 : 1 }, (_, i) => addDays(first, i))
  const searching = q !== ''

  useEffect(() => {
    void ownerRoutes(api)
      .listResources()
      .then(
        (r) => setResources(r.resources),
        // Without the list the bookings still load, read in the owner's zone.
        () => setResources([]),
      )
  }, [])
  useEffect(() => {
    const timer = setTimeout(() => setQ(searchText.trim()), searchDelayMs)
    return () => clearTimeout(timer)
  }, [searchText])

  // What the list shows, as the API's filter; the CSV download asks for the same.
  const filter = {
    ...(searching
      ? {}
      : { from: startOfDayIn(days[0]!, zone), to: startOfDayIn(addDays(days[days.length - 1]!, 1), zone) }),
    ...(resourceId ? { resourceId } : {}),
    status,
    q,
  }
  const [downloading, setDownloading] = useState(false)
  const downloadCsv = async () => {
    setDownloading(true)
    setError(undefined)
    try {
      // Fetched with the key in its header (never in a URL), then handed to the browser as a file.
      const blob = await ownerRoutes(api).exportBookings(bookingsQuery({ ...filter, limit: PAGE }))
      const href = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = href
      link.download = `bookings-${new Date(now()).toISOString().slice(0, 10)}.csv`
      document.body.append(link)
      link.click()
      link.remove()
      // Revoked later: some browsers read the URL only after click() returns.
      setTimeout(() => URL.revokeObjectURL(href), 60_000)
    } catch (e) {
      setError(describeProblem(e))
    } finally {
      setDownloading(false)
    }
  }

  const load = async () => {
    // Only the latest answer counts: a slow earlier one must not replace a newer search.
    const mine = ++request.current
    setError(undefined)
    try {
      const rows: AdminBooking[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const query = bookingsQuery({
          ...filter,
          limit: searching ? SEARCH_LIMIT : PAGE,
          ...(cursor ? { cursor } : {}),
        })
        const page = await ownerRoutes(api).listBookings(query)
        rows.push(...page.bookings)
        cursor = page.nextCursor ?? undefined
        pages++
      } while (cursor && !searching && pages < MAX_PAGES)
      if (mine !== request.current) return
      setList(rows.filter((b) => matchesFilter(b, status, q)))
      setTruncated(cursor !== undefined)
    } catch (e) {
      if (mine === request.current) setError(describeProblem(e))
    }
  }
  const listedSearch = useRef(false)
  useEffect(() => {
    if (!resources) return
    // The week's bookings are not matches of a search (nor the other way round): clear them.
    if (listedSearch.current !== searching) {
      listedSearch.current = searching
      setList(undefined)
    }
    void load()
  }, [resources, first, view, resourceId, status, q, zone])

  const byId = new Map((resources ?? []).map((r) => [r.id, r]))
  const zoneOf = (b: AdminBooking) => byId.get(b.resourceId)?.timezone ?? zone
  const today = todayIn(zone, new Date(now()))
  const loadMessages = async (b: AdminBooking) => (await ownerRoutes(api).notifications(b.id)).notifications

  const act = async (b: AdminBooking, action: OwnerAction) => {
    if (action === 'cancel') return setCancelling(b)
    setBusyId(b.id)
    setCardError(undefined)
    try {
      await ownerRoutes(api).transition(b.id, action)
      setNotice(`Booking ${b.ref} ${DONE[action]}.`)
      await load()
    } catch (e) {
      setCardError({ id: b.id, message: describeProblem(e) })
    } finally {
      setBusyId(undefined)
    }
  }
  const cancel = async (b: AdminBooking, body: CancelRequest) => {
    const { booking } = await ownerRoutes(api).cancelBooking(b.id, body)
    setCancelling(undefined)
    const back =
      booking.refund && booking.refund.amount > 0 && booking.refund.currency
        ? `; ${formatMoney(booking.refund.amount, booking.refund.currency, locale)} goes back to the guest`
        : ''
    setNotice(`Booking ${b.ref} cancelled${back}.`)
    await load()
  }

  const cancelSeries = async (b: AdminBooking) => {
    const outcome = await ownerRoutes(api).cancelSeries(b.seriesId!)
    setNotice(seriesCancelledWords(b.seriesRef ?? b.seriesId!, outcome))
    await load()
  }

  const move: MoveHandlers = {
    freeSlots,
    earlierSeriesDates: async (b) => {
      // The series' active dates between now and this one, on its resource.
      const rows: AdminBooking[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const query = bookingsQuery({
          from: now(),
          to: Date.parse(b.start),
          resourceId: b.resourceId,
          status: 'open',
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        })
        const page = await ownerRoutes(api).listBookings(query)
        rows.push(...page.bookings)
        cursor = page.nextCursor ?? undefined
        pages++
      } while (cursor && pages < MAX_PAGES)
      return rows
        .filter((r) => r.seriesId === b.seriesId && r.id !== b.id && r.start < b.start && Date.parse(r.start) > now())
        .filter((r) => r.status === 'pending' || r.status === 'confirmed')
        .sort((x, y) => x.start.localeCompare(y.start))
    },
    move: async (b, scope, body) => {
      const there = zoneOf(b)
      if (scope === 'series') {
        const outcome = await ownerRoutes(api).rescheduleSeries(b.seriesId!, body)
        setNotice(seriesMovedWords(b.seriesRef ?? b.seriesId!, outcome.moved.length, body.start, there, locale))
      } else {
        const { booking } = await ownerRoutes(api).rescheduleBooking(b.id, body)
        setNotice(bookingMovedWords(b.ref, booking.start, there, locale))
      }
      await load()
    },
  }

  const card = (b: AdminBooking) => (
    <BookingCard
      key={b.id}
      booking={b}
      resourceName={byId.get(b.resourceId)?.name ?? 'Resource'}
      resourceZone={zoneOf(b)}
      ownerZone={ownerZone}
      locale={locale}
      now={now()}
      busy={busyId === b.id}
      error={cardError?.id === b.id ? cardError.message : undefined}
      onAction={(booking, action) => void act(booking, action)}
      loadMessages={loadMessages}
      onCancelSeries={cancelSeries}
      move={move}
    />
  )
  const dayGroups = (bookings: AdminBooking[]) =>
    groupByDay(bookings, zone).map(([date, items]) => (
      <section key={date} class="bk-day" aria-label={dayLabel(date, locale)}>
        <h3>{dayLabel(date, locale)}</h3>
        {items.map(card)}
      </section>
    ))

  const shown = list ?? []
  const selected = shown.find((b) => b.id === selectedId)
  const period = view === 'week' ? `Week of ${dayLabel(days[0]!, locale)}` : dayLabel(days[0]!, locale)

  return (
    <section aria-labelledby="bookings-title" class="bk">
      <div class="row" style={{ marginBottom: '8px' }}>
        <h2 id="bookings-title" class="grow">
          Bookings
        </h2>
        {!adding && (
          <button
            type="button"
            class="primary"
            ref={newButton}
            // The form offers the owner's resources: it waits for their list.
            disabled={!resources}
            onClick={() => setAdding(true)}
          >
            New booking
          </button>
        )}
      </div>
      {adding && resources && (
        <NewBookingForm
          api={api}
          resources={resources}
          resourceId={resourceId}
          locale={locale}
          now={now}
          onBooked={load}
          onClose={() => {
            setAdding(false)
            // The button comes back once the form is gone: the keyboard goes back to it.
            setTimeout(() => newButton.current?.focus())
          }}
        />
      )}
      <div class="bk-toolbar">
        <div class="bk-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'week'} onClick={() => setView('week')}>
            Week
          </button>
          <button type="button" aria-pressed={view === 'day'} onClick={() => setView('day')}>
            Day
          </button>
        </div>
        <div class="bk-nav" role="group" aria-label="Dates">
          <button
            type="button"
            aria-label={view === 'week' ? 'Previous week' : 'Previous day'}
            onClick={() => setAnchor(addDays(anchor, view === 'week' ? -7 : -1))}
          >
            ‹
          </button>
          <button type="button" onClick={() => setAnchor(todayIn(zone, new Date(now())))}>
            Today
          </button>
          <button
            type="button"
            aria-label={view === 'week' ? 'Next week' : 'Next day'}
            onClick={() => setAnchor(addDays(anchor, view === 'week' ? 7 : 1))}
          >
            ›
          </button>
          <label class="bk-date-field">
            <span class="sr-only">Go to date</span>
            <input
              type="date"
              value={anchor}
              onChange={(e) => {
                const value = (e.currentTarget as HTMLInputElement).value
                if (value) setAnchor(value)
              }}
            />
          </label>
        </div>
      </div>
      <div class="bk-toolbar">
        <label>
          Resource
          <select value={resourceId} onChange={(e) => setResourceId((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">All resources</option>
            {(resources ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as StatusFilter)}
          >
            {STATUS_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label class="bk-search">
          Search
          <input
            type="search"
            value={searchText}
            placeholder="Ref, name or email"
            maxLength={200}
            autoComplete="off"
            onInput={(e) => setSearchText((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="button" disabled={downloading} onClick={() => void downloadCsv()}>
          {downloading ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </div>
      <p class="muted bk-caption">
        {searching ? `Matches for “${q}” on any date` : period} · times in {cityOf(zone)} time
        {zone !== ownerZone ? ` (your clock: ${cityOf(ownerZone)})` : ''}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="ok" role="status">
        {notice}
      </p>
      {!list && !error && <p class="muted">Loading bookings…</p>}
      {list && shown.length === 0 && (
        <p class="muted">
          {searching
            ? 'No booking matches that ref, name or email.'
            : `No bookings this ${view}${status === 'open' ? ' (cancelled ones are hidden)' : ''}.`}
        </p>
      )}
      {truncated && (
        <p class="muted">Showing the first {shown.length}; narrow the filter or the search to see the rest.</p>
      )}
      {!searching && view === 'week' && !narrow ? (
        <>
          <WeekGrid
            layout={layoutWeek(shown, days, zone)}
            today={today}
            ownerZone={ownerZone}
            locale={locale}
            selectedId={selected?.id}
            zoneOf={zoneOf}
            onSelect={(b) => setSelectedId(b.id)}
          />
          <div ref={selectedCard}>
            {selected
              ? card(selected)
              : shown.length > 0 && (
                  <p class="muted">Choose a booking to see the guest, their notes and the actions.</p>
                )}
          </div>
        </>
      ) : (
        dayGroups(shown)
      )}
      {cancelling && (
        <CancelDialog
          booking={cancelling}
          when={timeLabelText(timeLabel(cancelling.start, cancelling.end, zoneOf(cancelling), ownerZone, locale))}
          locale={locale}
          onClose={() => setCancelling(undefined)}
          onConfirm={(body) => cancel(cancelling, body)}
        />
      )}
    </section>
  )
}

/** Whether a media query matches, following changes (a phone turned sideways). */
function useMediaQuery(query: string): boolean {
  const read = () => typeof matchMedia === 'function' && matchMedia(query).matches
  const [matches, setMatches] = useState(read)
  useEffect(() => {
    if (typeof matchMedia !== 'function') return undefined
    const list = matchMedia(query)
    const update = () => setMatches(list.matches)
    list.addEventListener('change', update)
    return () => list.removeEventListener('change', update)
  }, [query])
  return matches
}
