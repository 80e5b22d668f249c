import type { PublicBookingPart } from '../../shared/types'
import type { Messages } from '../i18n'

/** The names of what a combined booking takes, its lead first and the further parts in the service's order. */
export function partNames(lead: string | undefined, parts: readonly PublicBookingPart[] | undefined): string[] {
  const further = [...(parts ?? [])].sort((a, b) => a.position - b.position).map((part) => part.name)
  return (lead ? [lead, ...further] : further).filter((name) => name !== '')
}

/**
 * For a service: the resources the hold or booking takes, "With Anna · Treatment room 2". The
 * lead's name is looked up apart from the parts (the hold names only the further ones), so
 * until it arrives the parts are shown alone.
 */
export function ServiceParts(props: {
  t: Messages
  lead: string | undefined
  parts: readonly PublicBookingPart[] | undefined
}) {
  const names = partNames(props.lead, props.parts)
  if (names.length === 0) return null
  return <p class="assigned">{props.t.withParts(names)}</p>
}
