import { describeError } from '../errors'
import { processOutbox, type OutboxWorkerDeps } from './outbox-sender'

export interface OutboxKicker {
  /** Asks for a send soon; calls within the delay share one run. */
  kick(): void
  /** Cancels a pending kick and waits for a run in progress to finish (never cut off). */
  stop(): Promise<void>
}

/**
 * Sends the outbox shortly after a request wrote to it, so a guest's confirmation arrives in
 * moments rather than at the next minute sweep. Runs never overlap: each waits for the last.
 */
export function createOutboxKicker(deps: OutboxWorkerDeps, delayMs = 200): OutboxKicker {
  let timer: ReturnType<typeof setTimeout> | undefined
  let sending: Promise<unknown> = Promise.resolve()
  return {
    kick() {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        sending = sending
          .then(() => processOutbox(deps))
          .catch((error: unknown) => deps.logger.error('outbox run failed', describeError(error)))
      }, delayMs)
    },
    async stop() {
      if (timer) clearTimeout(timer)
      timer = undefined
      await sending
    },
  }
}
