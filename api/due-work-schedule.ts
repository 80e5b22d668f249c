import { runDueWork } from './due-work'
import { describeError } from './errors'

type DueWorkDeps = Parameters<typeof runDueWork>[0]

export interface DueWorkSchedule {
  /** No new runs from now; resolves once a run in progress has finished (a claimed batch is never cut off). */
  stop(): Promise<void>
}

/**
 * Runs the due work every minute in this process. Standalone (`npm run due-work`, the
 * process's only job) it runs at once, logs every run and keeps the process alive; beside
 * the API (`npm start`) the first run waits a minute and only runs that did something are
 * logged, so an idle server stays quiet.
 */
export function scheduleDueWork(
  deps: DueWorkDeps,
  options: { standalone: boolean; everyMs?: number },
): DueWorkSchedule {
  const { logger } = deps
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const run = () => {
    running = runDueWork(deps).then(
      (done) => {
        const didSomething =
          done.expired > 0 ||
          done.payments?.released ||
          done.payments?.lapsed ||
          done.notifications?.sent ||
          done.notifications?.failed ||
          done.webhooks.delivered ||
          done.webhooks.retrying ||
          done.webhooks.failed ||
          done.busyCalendars.changed ||
          done.busyCalendars.failed ||
          done.waitlist?.offered ||
          done.waitlist?.lapsed ||
          done.waitlist?.expired ||
          done.waitlistMessages?.sent ||
          done.waitlistMessages?.failed
        if (options.standalone || didSomething) logger.info('due work done', done)
      },
      (error: unknown) => logger.error('due work failed', describeError(error)),
    )
  }
  if (options.standalone) run()
  const timer = setInterval(() => !stopped && run(), options.everyMs ?? 60_000)
  if (!options.standalone) timer.unref()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
