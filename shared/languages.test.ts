import { describe, expect, it } from 'vitest'
import { languageOf, primaryLanguage } from './languages'

describe('languages', () => {
  it('takes the language of a tag when it is spoken, else English', () => {
    expect(languageOf('de-AT')).toBe('de')
    expect(languageOf('ES_mx')).toBe('es')
    expect(languageOf('fr')).toBe('en')
    expect(languageOf('')).toBe('en')
    expect(languageOf(undefined)).toBe('en')
    expect(languageOf(null)).toBe('en')
  })

  it('reads the primary subtag in lower case', () => {
    expect(primaryLanguage('pt-BR')).toBe('pt')
    expect(primaryLanguage('EN_gb')).toBe('en')
  })
})
