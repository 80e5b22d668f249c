import { buildDeps } from './composition'
import { ConfigError, loadConfig } from './config'
import { scheduleDueWork } from './due-work-schedule'
import { createLogger } from './logger'
import { openNodeRuntime } from './node-runtime'
import { shutDownOnSignals } from './shutdown'

/**
 * `npm run due-work` (also `npm run worker`): the due work (expiring unpaid bookings,
 * payment sweeps, the outbox) every minute in its own process, beside any number of API
 * processes. Rows are claimed with SKIP LOCKED, so it can run alongside the sweep inside
 * `npm start`.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const runtime = await openNodeRuntime(config, logger, 'due-work')
  const { deps } = buildDeps(config, runtime.parts)
  logger.info('due-work process started')
  const dueWork = scheduleDueWork(deps, { standalone: true })
  shutDownOnSignals({ schedules: [dueWork], handedOn: [], close: [() => runtime.close()] }, logger)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
