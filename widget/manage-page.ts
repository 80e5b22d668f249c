/*
 * The manage page's script (dist/widget/manage.js): shows the booking named by the manage
 * link (`#ref=…&token=…&lang=de&theme=dark`, a fragment, so the token never reaches a
 * server log or a Referer) in every [data-booking-manage] element, in the link's language
 * and theme unless the element sets its own data-locale / data-theme. Kept apart from
 * widget.js, which every host page loads, because only this page needs it.
 */
import { emit } from './events'
import { findApiUrl, optionsFrom } from './host-options'
import { setCatalogueLoader, type Messages } from './i18n'
import { manage, type ManageOptions, type Theme } from './sdk'

const script = document.currentScript as HTMLScriptElement | null

const THEMES: readonly string[] = ['light', 'dark', 'auto'] satisfies Theme[]

/** What the link itself says about the view; a theme it does not know is ignored, not an error. */
function fromLink(link: URLSearchParams): Pick<ManageOptions, 'ref' | 'token' | 'locale' | 'theme'> {
  const options: Pick<ManageOptions, 'ref' | 'token' | 'locale' | 'theme'> = { ref: link.get('ref') ?? '', token: link.get('token') ?? '' }
  const lang = link.get('lang')
  const theme = link.get('theme')
  if (lang) options.locale = lang
  if (theme && THEMES.includes(theme)) options.theme = theme as Theme
  return options
}

function start(): void {
  const apiUrl = findApiUrl(script)
  // Languages other than English come from sibling files, as for widget.js.
  setCatalogueLoader((language) =>
    import(/* @vite-ignore */ new URL(`locale-${language}.js`, script?.src || `${apiUrl}/manage.js`).href).then((m: { default: Messages }) => m.default),
  )
  const link = new URLSearchParams(location.hash.slice(1))
  document.querySelectorAll('[data-booking-manage]').forEach((el) => {
    try {
      // The element's own data-locale / data-theme win over the link's.
      manage(el, { ...fromLink(link), ...optionsFrom(el, apiUrl) })
    } catch (error) {
      emit(el, 'booking:error', { code: 'invalid_request', message: error instanceof Error ? error.message : String(error) })
    }
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
