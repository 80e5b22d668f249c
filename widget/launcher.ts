import { loadMessages, pickLocale } from './i18n'
import type { ViewOptions } from './sdk'
import { applyStyles } from './styles'

/**
 * A floating "Book now" button in the page's corner, in its own shadow root so the page's
 * CSS cannot reach it. Plain DOM: it must cost nothing until it is pressed.
 */
export function addFloatingButton(label: string | null, options: ViewOptions, onPress: () => void): HTMLElement {
  const host = document.createElement('div')
  host.setAttribute('data-booking-launcher', '')
  const shadow = host.attachShadow({ mode: 'open' })
  applyStyles(shadow)
  const root = document.createElement('div')
  root.className = 'root'
  root.setAttribute('data-theme', options.theme ?? 'light')
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'primary fab'
  button.addEventListener('click', onPress)
  root.append(button)
  shadow.append(root)
  // Shown once its label is known in the page's language, so it never flashes in English.
  const { language } = pickLocale([options.locale, document.documentElement.lang, ...navigator.languages])
  void loadMessages(language).then((t) => {
    button.textContent = label || t.bookNow
    document.body.append(host)
  })
  return host
}
