import { useMemo, useRef, useState } from 'preact/hooks'
import type { BookingState } from '../state'
import { cityOf } from '../../shared/calendar-labels'
import { allZones, describeZone, matchZones, type ZoneChoice } from '../zone-choices'

/**
 * Which zone the times are shown in, as a searchable list: the guest's own zone and the
 * resource's first, then every region zone by city, each with its name in the guest's
 * language and its offset now ("Berlin · Central European Time · GMT+1").
 */
export function ZonePicker({ state }: { state: BookingState }) {
  const { t, locale } = state
  const zone = state.zone.value
  const resource = state.resource.value
  const [open, setOpen] = useState(false)
  const now = state.now()
  const current = useMemo(() => describeZone(zone, locale, now), [zone, locale])
  const toggle = useRef<HTMLButtonElement>(null)

  const choose = (id: string) => {
    setOpen(false)
    toggle.current?.focus()
    void state.chooseZone(id)
  }
  return (
    <div class="zone">
      <div class="bar">
        <span class="muted" id="booking-zone-label">
          {t.timeZone}
        </span>
        <button
          type="button"
          class="zone-toggle"
          ref={toggle}
          aria-expanded={open ? 'true' : 'false'}
          aria-controls="booking-zone-search"
          aria-label={`${t.zoneChange}: ${label(current)}`}
          onClick={() => setOpen(!open)}
        >
          {label(current)}
        </button>
      </div>
      {resource && resource.timezone !== zone && (
        <p class="muted">{t.resourceZone(resource.name, cityOf(resource.timezone))}</p>
      )}
      {open && (
        <ZoneSearch
          state={state}
          first={[...new Set([state.viewerZone, resource?.timezone ?? state.viewerZone])]}
          onChoose={choose}
          onClose={() => {
            setOpen(false)
            toggle.current?.focus()
          }}
        />
      )}
    </div>
  )
}

const label = (zone: ZoneChoice) => `${zone.city} · ${zone.name} (${zone.offset})`

function ZoneSearch({
  state,
  first,
  onChoose,
  onClose,
}: {
  state: BookingState
  first: string[]
  onChoose: (id: string) => void
  onClose: () => void
}) {
  const { t, locale } = state
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const now = state.now()
  const zones = useMemo(() => allZones(locale, now), [locale])
  const pinned = useMemo(() => first.map((id) => describeZone(id, locale, now)), [first.join(), locale])
  const list = query.trim()
    ? matchZones(zones, query)
    : [...pinned, ...zones.filter((z) => !first.includes(z.id))].slice(0, 50)
  const pick = list[Math.min(active, list.length - 1)]

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      setActive((i) => Math.max(0, Math.min(list.length - 1, i + (event.key === 'ArrowDown' ? 1 : -1))))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (pick) onChoose(pick.id)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation() // Esc closes this list, not a popup around the widget
      onClose()
    }
  }
  return (
    <div class="zone-search" id="booking-zone-search">
      <input
        type="search"
        role="combobox"
        list={undefined}
        aria-label={t.zoneSearch}
        placeholder={t.zoneSearch}
        aria-expanded="true"
        aria-controls="booking-zone-list"
        aria-autocomplete="list"
        aria-activedescendant={pick ? `booking-zone-${pick.id}` : undefined}
        autoFocus
        value={query}
        onInput={(event) => {
          setQuery((event.currentTarget as HTMLInputElement).value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul role="listbox" id="booking-zone-list" aria-label={t.timeZone}>
        {list.length === 0 && <li class="muted">{t.zoneNoMatch}</li>}
        {list.map((zone) => (
          <li
            role="option"
            key={zone.id}
            id={`booking-zone-${zone.id}`}
            aria-selected={zone === pick ? 'true' : 'false'}
            onClick={() => onChoose(zone.id)}
          >
            <span>{zone.city}</span>{' '}
            <span class="muted">
              {zone.id === state.viewerZone
                ? `${t.zoneYours} · `
                : zone.id === state.resource.value?.timezone
                  ? `${t.zoneResource} · `
                  : ''}
              {zone.name} ({zone.offset})
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
