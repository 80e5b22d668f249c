export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const LEVELS = { silent: 0, error: 1, info: 2, debug: 3 } as const

/** One JSON line per event on stderr/stdout; callers never pass request bodies or SQL (PII). */
export function createLogger(level: keyof typeof LEVELS = 'info'): Logger {
  const at = LEVELS[level]
  return {
    info(message, fields) {
      if (at >= LEVELS.info) console.log(JSON.stringify({ level: 'info', message, ...fields }))
    },
    error(message, fields) {
      if (at >= LEVELS.error) console.error(JSON.stringify({ level: 'error', message, ...fields }))
    },
  }
}

export const silentLogger: Logger = { info() {}, error() {} }
