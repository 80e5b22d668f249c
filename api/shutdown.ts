import { describeError } from './errors'
import type { Logger } from './logger'

/** Stops starting runs and resolves once a run in progress has finished. */
export interface Stoppable {
  stop(): Promise<void>
}

export interface ShutdownPlan {
  /** Stops taking new work and resolves once the listener is closed (the HTTP server); absent in the due-work process. */
  stopAccepting?: (() => Promise<void>) | undefined
  /** Requests still being handled: a handler may outlive its client's connection. */
  inFlight?: (() => number) | undefined
  /** Timed work (the due-work schedule): stopped first, so no run starts while requests drain; a run in progress is awaited. */
  schedules: Stoppable[]
  /** Work that requests hand on (the outbox kick): stopped once they are done, its batch in progress awaited. */
  handedOn: Stoppable[]
  /** Closed in order once nothing runs any more: providers, hold store bridge and database, then the folder lock. */
  close: Array<() => Promise<unknown> | void>
}

/**
 * The one shutdown routine of the Node processes: stop accepting, let in-flight requests
 * finish, finish the running due work and outbox batch, then close what they were using.
 * Nothing is cut off midway unless it takes longer than `graceMs`, which exits with 1.
 */
export async function shutDown(
  plan: ShutdownPlan,
  logger: Logger,
  options: { graceMs?: number; exit?: (code: number) => void } = {},
): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  setTimeout(() => exit(1), options.graceMs ?? 10_000).unref()
  const schedulesDone = Promise.all(plan.schedules.map((schedule) => schedule.stop()))
  await plan.stopAccepting?.()
  while ((plan.inFlight?.() ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 20))
  await schedulesDone
  // A request that just finished may have asked for an outbox send: that batch is finished too.
  for (const work of plan.handedOn) await work.stop()
  for (const close of plan.close) {
    try {
      await close()
    } catch (error) {
      logger.error('shutdown: closing failed', describeError(error))
    }
  }
  exit(0)
}

/** SIGINT and SIGTERM both run the same shutdown, once. */
export function shutDownOnSignals(plan: ShutdownPlan, logger: Logger): void {
  let started = false
  const onSignal = () => {
    if (started) return
    started = true
    void shutDown(plan, logger)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
}
