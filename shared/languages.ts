/*
 * The languages the product speaks: the guest's messages (emails, SMS) and the widget are
 * written in the same ones. Zod-free, so every bundle may import it.
 */

export const LANGUAGES = ['en', 'de', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

/** The primary language subtag of a BCP 47 tag, lowercased: `de-AT` → `de`. */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? ''
}

export function isLanguage(language: string): language is Language {
  return (LANGUAGES as readonly string[]).includes(language)
}

/** The language for a requested tag: its language when spoken, else English. */
export function languageOf(tag: string | null | undefined): Language {
  const language = primaryLanguage(tag ?? '')
  return isLanguage(language) ? language : 'en'
}
