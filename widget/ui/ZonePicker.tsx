import type { BookingState } from '../state'

const zoneName = (zone: string) => zone.replace(/_/g, ' ')

/** Every zone the browser knows, the likely ones first; just those where it cannot list them. */
function zoneChoices(...first: string[]): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [...new Set([...first, ...all])]
}

/** Which zone the times are shown in, and where the resource itself is when that differs. */
export function ZonePicker({ state }: { state: BookingState }) {
  const { t } = state
  const zone = state.zone.value
  const resource = state.resource.value
  return (
    <div class="bar">
      <label class="inline">
        <span class="muted">{t.timeZone}</span>
        <select value={zone} onChange={(event) => void state.chooseZone((event.currentTarget as HTMLSelectElement).value)}>
          {zoneChoices(zone, state.viewerZone, resource?.timezone ?? zone).map((option) => (
            <option key={option} value={option}>
              {zoneName(option)}
            </option>
          ))}
        </select>
      </label>
      {resource && resource.timezone !== zone && <p class="muted">{t.resourceZone(resource.name, zoneName(resource.timezone))}</p>}
    </div>
  )
}
