import en from './en'
import de from './de'
import es from './es'

/** Every catalogue at once, for tests and tools; the widget itself loads them one by one. */
export const CATALOGUES = { en, de, es }
