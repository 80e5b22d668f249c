import { beforeEach, describe, expect, it, vi } from 'vitest'

// The module keeps what it loaded; each test starts from a fresh copy.
beforeEach(() => vi.resetModules())
const fresh = () => import('./i18n')

describe('pickLocale', () => {
  it.each([
    [['de-AT', 'en'], { tag: 'de-AT', language: 'de' }],
    [[undefined, 'fr-FR', 'es_MX'], { tag: 'es-MX', language: 'es' }],
    [['fr', 'it'], { tag: 'en', language: 'en' }],
    [[null, ''], { tag: 'en', language: 'en' }],
    // A page that says only "en" takes the reader's region for dates and times…
    [[undefined, 'en', 'en-GB', 'de-DE'], { tag: 'en-GB', language: 'en' }],
    [['de', 'en-US', 'de-AT'], { tag: 'de-AT', language: 'de' }],
    // …but never another language's region, and a regional page tag is kept as written.
    [['en', 'de-DE'], { tag: 'en', language: 'en' }],
    [['en-US', 'en-GB'], { tag: 'en-US', language: 'en' }],
  ])('picks the first spoken language of %j', async (requested, expected) => {
    expect((await fresh()).pickLocale(requested)).toEqual(expected)
  })
})

describe('loadMessages', () => {
  it('has English at hand and fetches German and Spanish once each, through the loader', async () => {
    const { loadMessages, setCatalogueLoader, en } = await fresh()
    const loader = vi.fn(async (language: 'de' | 'es') => (await import(`./locales/${language}.ts`)).default)
    setCatalogueLoader(loader)
    expect(await loadMessages('en')).toBe(en)
    expect((await loadMessages('de')).timeZone).toBe('Zeitzone')
    expect((await loadMessages('de')).timeZone).toBe('Zeitzone')
    expect((await loadMessages('es')).timeZone).toBe('Zona horaria')
    expect(loader.mock.calls.map(([language]) => language)).toEqual(['de', 'es'])
  })

  it.each([
    ['rejects', async () => Promise.reject(new Error('offline'))],
    [
      'throws at once',
      () => {
        throw new TypeError('Invalid URL')
      },
    ],
  ])('falls back to English when the loader %s', async (_how, loader) => {
    const { loadMessages, setCatalogueLoader, en } = await fresh()
    setCatalogueLoader(loader as never)
    expect(await loadMessages('es')).toBe(en)
  })
})
