import {
  HOUR_PX,
  STATUS_LABELS,
  dayLabel,
  timeLabel,
  timeLabelText,
  type AdminBooking,
  type WeekLayout,
} from './bookings-model'

export interface WeekGridProps {
  layout: WeekLayout
  /** The date it is today in the grid's zone, marked in its column header. */
  today: string
  ownerZone: string
  locale?: string
  selectedId?: string
  zoneOf: (booking: AdminBooking) => string
  onSelect: (booking: AdminBooking) => void
}

const twoDigits = (n: number) => String(n).padStart(2, '0')

/**
 * The week as a calendar: a column per day, a row per hour, each booking a block from its
 * start to its end in the grid's zone, bookings that overlap side by side. A block is a
 * button: choosing it shows the booking's card below the grid.
 */
export function WeekGrid({ layout, today, ownerZone, locale, selectedId, zoneOf, onSelect }: WeekGridProps) {
  const hours = Array.from({ length: layout.lastHour - layout.firstHour }, (_, i) => layout.firstHour + i)
  const height = hours.length * HOUR_PX
  const columns = { gridTemplateColumns: `3rem repeat(${layout.days.length}, minmax(0, 1fr))` }
  return (
    <div class="bk-grid" data-zone={layout.zone}>
      <div class="bk-grid-head" style={columns}>
        <span />
        {layout.days.map((day) => (
          <span key={day} class="bk-grid-day" aria-current={day === today ? 'date' : undefined}>
            {dayLabel(day, locale, 'short')}
          </span>
        ))}
      </div>
      <div class="bk-grid-body" style={columns}>
        <div class="bk-gutter" aria-hidden="true" style={{ height: `${height}px` }}>
          {hours.map((h) => (
            <span key={h} style={{ top: `${(h - layout.firstHour) * HOUR_PX}px` }}>
              {twoDigits(h)}:00
            </span>
          ))}
        </div>
        {layout.days.map((day, column) => (
          <div
            key={day}
            class="bk-column"
            role="group"
            aria-label={dayLabel(day, locale)}
            style={{ height: `${height}px`, backgroundSize: `100% ${HOUR_PX}px` }}
          >
            {layout.blocks
              .filter((b) => b.column === column)
              .map((block) => {
                const b = block.booking
                const label = timeLabelText(timeLabel(b.start, b.end, zoneOf(b), ownerZone, locale))
                const who = b.seats !== undefined && b.seats > 1 ? `${b.guest.name} (${b.seats} places)` : b.guest.name
                return (
                  <button
                    key={`${b.id}-${column}`}
                    type="button"
                    class={`bk-block ${b.status}`}
                    data-ref={b.ref}
                    aria-pressed={selectedId === b.id}
                    aria-label={`${label}, ${who}, ${STATUS_LABELS[b.status]}`}
                    title={`${label}, ${who}`}
                    style={{
                      top: `${block.top}px`,
                      height: `${block.height}px`,
                      left: `${block.left}%`,
                      width: `${block.width}%`,
                    }}
                    onClick={() => onSelect(b)}
                  >
                    <span class="bk-block-time">
                      {block.continuesBefore ? '…' : ''}
                      {twoDigits(Math.floor(block.startMinute / 60))}:{twoDigits(block.startMinute % 60)}
                    </span>{' '}
                    <span class="bk-block-name">{who}</span>
                  </button>
                )
              })}
          </div>
        ))}
      </div>
    </div>
  )
}
