/*
 * The manage page's script (dist/widget/manage.js): shows the booking named by the manage
 * link (`#ref=…&token=…`, a fragment, so the token never reaches a server log or a
 * Referer) in every [data-booking-manage] element. Kept apart from widget.js, which
 * every host page loads, because only this page needs it.
 */
import { emit } from './events'
import { findApiUrl, optionsFrom } from './host-options'
import { setCatalogueLoader, type Messages } from './i18n'
import { manage } from './sdk'

const script = document.currentScript as HTMLScriptElement | null

function start(): void {
  const apiUrl = findApiUrl(script)
  // Languages other than English come from sibling files, as for widget.js.
  setCatalogueLoader((language) =>
    import(/* @vite-ignore */ new URL(`locale-${language}.js`, script?.src || `${apiUrl}/manage.js`).href).then((m: { default: Messages }) => m.default),
  )
  const link = new URLSearchParams(location.hash.slice(1))
  document.querySelectorAll('[data-booking-manage]').forEach((el) => {
    try {
      manage(el, { ...optionsFrom(el, apiUrl), ref: link.get('ref') ?? '', token: link.get('token') ?? '' })
    } catch (error) {
      emit(el, 'booking:error', { code: 'invalid_request', message: error instanceof Error ? error.message : String(error) })
    }
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
