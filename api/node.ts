import { channelUrl } from './admin/local-channel'
import { createSetupToken, hasActiveAdminKey } from './admin/setup'
import { createApp } from './app'
import { systemClock } from './clock'
import { compression } from './compression'
import { buildDeps, type CoreDeps } from './composition'
import { loadConfig, type AppConfig } from './config'
import { randomToken } from './crypto'
import { scheduleDueWork } from './due-work-schedule'
import { describeError } from './errors'
import { startHttpServer } from './http-server'
import { createLogger, type Logger } from './logger'
import { metricsAccessFrom } from './metrics'
import { openNodeRuntime } from './node-runtime'
import { createWaitlistKicker } from './waitlist/waitlist-kicker'
import { createOutboxKicker } from './notify/outbox-kicker'
import { shutDownOnSignals } from './shutdown'
import { loadStaticAssets } from './static-assets'
import { exitOnStartupFailure, listenFailure } from './startup-errors'
import { listActiveResources, paymentModeOf } from './store/resources'

/** Node entry (`npm start`): config → database (+ pending migrations, under a lock on a server) → demo seed → HTTP. */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const runtime = await openNodeRuntime(config, logger, 'server')
  const { deps } = buildDeps(config, runtime.parts)
  if (!config.cronSecret)
    logger.info('cron: CRON_SECRET not set, POST /v1/internal/cron is closed (the in-process sweep still runs)')
  await logPayments(config, deps, logger)

  // Messages a request wrote go out moments later; the minute sweep catches anything else.
  const outboxKicker = createOutboxKicker({ db: deps.db, clock: systemClock, logger, ...runtime.notifiers })
  const waitlistKicker = createWaitlistKicker({ ...deps, notifiers: runtime.notifiers })
  const assets = await loadStaticAssets()
  if (!assets.widgetScript) logger.info('widget not built: /widget.js answers 503 until `npm run build` runs')
  // While no key can sign in, a one-time link creates the first one (printed once listening).
  const setup = (await hasActiveAdminKey(deps.db)) ? undefined : await createSetupToken(deps.db, systemClock.now())
  // `npm run admin:key` reaches the embedded database through this server, with this secret.
  const localSecret = runtime.lock ? randomToken(32) : undefined

  const app = createApp({
    ...deps,
    localSecret,
    assets,
    kickOutbox: outboxKicker.kick,
    kickWaitlist: waitlistKicker.kick,
    metricsAccess: metricsAccessFrom(config),
    // Node compresses its own dynamic responses; the Worker leaves that to the platform.
    compression: compression(),
  })

  // Unpaid pending bookings past their window are cancelled here every minute (inserts also
  // release them lazily, so a stopped sweep never leaves a slot stuck), with the payment work
  // that comes due: abandoned intents, lapsing authorizations, settlements to retry.
  const dueWork = scheduleDueWork(deps, { standalone: false })
  // Counted so shutdown can wait for handlers whose client already hung up.
  let inFlight = 0
  const fetch: typeof app.fetch = async (request, env, ctx) => {
    inFlight++
    try {
      return await app.fetch(request, env, ctx)
    } finally {
      inFlight--
    }
  }
  // Production timeouts and a connection cap: slow or greedy clients cannot pin the process.
  const server = startHttpServer({ fetch, port: config.port, hostname: config.host }, (info) => {
    const url = (config.publicUrl ?? `http://localhost:${info.port}`).replace(/\/+$/, '')
    const announce = () => {
      console.log(`Booking demo running at ${url}  (API: ${url}/v1/resources)`)
      if (setup)
        console.log(`Open ${url}/admin#setup=${setup.token} to create your owner key (valid 30 minutes, once).`)
    }
    // The channel is written before "running at": a CLI started after that line finds it.
    if (runtime.lock && localSecret) {
      runtime.lock.publish(channelUrl(info.address, info.port), localSecret).then(announce, (error: unknown) => {
        logger.error('could not write the embedded database lock file', describeError(error))
        announce()
      })
    } else announce()
  })
  // A port in use (or not ours to take) is a start-up failure like the others: one line.
  server.once('error', (error) => exitOnStartupFailure(listenFailure(error, config.port, config.host) ?? error))

  shutDownOnSignals(
    {
      stopAccepting: () => new Promise<void>((resolve) => server.close(() => resolve())),
      inFlight: () => inFlight,
      schedules: [dueWork],
      handedOn: [outboxKicker, waitlistKicker],
      // Only once the database is closed may another process open the folder.
      close: [() => runtime.close(), () => runtime.lock?.release()],
    },
    logger,
  )
}

/** What guests will meet, by resource: card at booking, pay on site, or not offered. */
async function logPayments(config: AppConfig, deps: CoreDeps, logger: Logger): Promise<void> {
  const bySlug = { online: [] as string[], on_site: [] as string[] }
  for (const resource of await listActiveResources(deps.db)) {
    const mode = paymentModeOf(resource.config)
    if (mode !== 'free') bySlug[mode].push(resource.slug)
  }
  logger.info(
    deps.payments
      ? `payments: Stripe${config.stripe?.apiBase ? ` at ${config.stripe.apiBase}` : ''}, webhook at /v1/webhooks/stripe; resources with payment "full" or "deposit" take the card when booking, priced ones with payment "none" are paid on site`
      : 'payments: off (no STRIPE_SECRET_KEY); resources with payment "full" or "deposit" are shown as not bookable (payment_unavailable), priced ones with payment "none" are booked and paid on site',
    { payOnline: bySlug.online, payOnSite: bySlug.on_site },
  )
}

// Every start-up failure is one line on stderr (what failed, what to do) and exit 1; only an
// unexpected error (a bug) adds its stack.
main().catch(exitOnStartupFailure)
