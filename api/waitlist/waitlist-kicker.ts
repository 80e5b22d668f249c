import { describeError } from '../errors'
import type { Notifiers } from '../due-work'
import { runWaitlistOffers, type WaitlistDeps } from './offer-times'
import { processWaitlistMessages } from './send-waitlist-messages'

export interface WaitlistKicker {
  /** Asks for an offer run soon; calls within the delay share one run. */
  kick(): void
  /** Cancels a pending kick and waits for a run in progress to finish. */
  stop(): Promise<void>
}

/**
 * Offers freed times moments after a request may have freed one (a cancellation, a move, a
 * released hold, an owner's edit), and sends the offers' messages, instead of at the next
 * minute's run. Runs never overlap: each waits for the last.
 */
export function createWaitlistKicker(
  deps: WaitlistDeps & { notifiers: Notifiers | undefined },
  delayMs = 200,
): WaitlistKicker {
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<unknown> = Promise.resolve()
  const run = async () => {
    await runWaitlistOffers(deps)
    if (deps.notifiers) await processWaitlistMessages({ ...deps, ...deps.notifiers })
  }
  return {
    kick() {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        running = running
          .then(run)
          .catch((error: unknown) => deps.logger.error('waitlist run failed', describeError(error)))
      }, delayMs)
    },
    async stop() {
      if (timer) clearTimeout(timer)
      timer = undefined
      await running
    },
  }
}
