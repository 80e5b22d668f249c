import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { AdminApiError, createAdminApi, ownerRoutes, type AdminApi } from './api'
import { BookingsView } from './BookingsView'
import { PoolsView } from './PoolsView'
import { WebhooksView } from './WebhooksView'
import { WaitlistView } from './WaitlistView'
import { ServicesView } from './ServicesView'
import { forgetFragment, NewKeyPanel, readSetupToken, redeemSetupToken, type CreatedKey } from './FirstRun'
import { ResourcesView } from './ResourcesView'

const STORAGE_KEY = 'booking-admin-key'

/** Where the first-run link (`#setup=<token>`) stands, when the page was opened with one. */
type Setup =
  | { phase: 'none' }
  | { phase: 'redeeming'; token: string }
  | { phase: 'created'; created: CreatedKey }
  | { phase: 'refused' }
  | { phase: 'failed'; token: string; message: string }

const REFUSED = 'This sign-in link was already used or has expired. Sign in with your key below.'

/**
 * Sign-in, then the two areas of the console. The key lives in sessionStorage only. Opened
 * from the first-run link, the page trades its token for the first key and signs in with it.
 */
export function App() {
  const [api, setApi] = useState<AdminApi | undefined>(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY)
    return saved ? createAdminApi(saved) : undefined
  })
  const [tab, setTab] = useState<'resources' | 'pools' | 'services' | 'bookings' | 'waitlist' | 'webhooks'>('resources')
  const [setup, setSetup] = useState<Setup>(() => {
    const token = readSetupToken(location.hash)
    return token ? { phase: 'redeeming', token } : { phase: 'none' }
  })

  useEffect(() => {
    // The link pasted into a console tab already open changes only the fragment.
    const onHashChange = () => {
      const token = readSetupToken(location.hash)
      if (token) setSetup({ phase: 'redeeming', token })
    }
    addEventListener('hashchange', onHashChange)
    return () => removeEventListener('hashchange', onHashChange)
  }, [])
  useEffect(() => {
    if (setup.phase !== 'redeeming') return
    const { token } = setup
    redeemSetupToken(token).then(
      (created) => {
        forgetFragment()
        // Kept exactly as a key typed into the sign-in form is kept.
        sessionStorage.setItem(STORAGE_KEY, created.key)
        setApi(createAdminApi(created.key))
        setTab('resources')
        setSetup({ phase: 'created', created })
      },
      (e: unknown) => {
        // A dead link stays dead: out of the address bar, so a reload does not ask again.
        if (e instanceof AdminApiError && (e.status === 401 || e.status === 400)) {
          forgetFragment()
          setSetup({ phase: 'refused' })
        } else setSetup({ phase: 'failed', token, message: (e as Error).message })
      },
    )
  }, [setup])

  if (setup.phase === 'redeeming') {
    return (
      <main>
        <section aria-labelledby="setup-title">
          <h2 id="setup-title">Signing you in</h2>
          <p role="status">Creating your owner key…</p>
        </section>
      </main>
    )
  }
  const setupProblem =
    setup.phase === 'refused' ? (
      <p class="error" role="alert">
        {REFUSED}
      </p>
    ) : setup.phase === 'failed' ? (
      <p class="error" role="alert">
        The sign-in link could not be used: {setup.message}{' '}
        <button type="button" onClick={() => setSetup({ phase: 'redeeming', token: setup.token })}>
          Try again
        </button>
      </p>
    ) : null
  if (!api) return <SignIn onSignedIn={setApi} problem={setupProblem} />
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY)
    setSetup({ phase: 'none' })
    setApi(undefined)
  }
  return (
    <>
      <header>
        <h1>Bookings console</h1>
        <nav aria-label="Console">
          <button
            type="button"
            aria-current={tab === 'resources' ? 'page' : undefined}
            onClick={() => setTab('resources')}
          >
            Resources
          </button>
          <button type="button" aria-current={tab === 'pools' ? 'page' : undefined} onClick={() => setTab('pools')}>
            Pools
          </button>
          <button
            type="button"
            aria-current={tab === 'services' ? 'page' : undefined}
            onClick={() => setTab('services')}
          >
            Services
          </button>
          <button
            type="button"
            aria-current={tab === 'bookings' ? 'page' : undefined}
            onClick={() => setTab('bookings')}
          >
            Bookings
          </button>
          <button
            type="button"
            aria-current={tab === 'waitlist' ? 'page' : undefined}
            onClick={() => setTab('waitlist')}
          >
            Waitlist
          </button>
          <button
            type="button"
            aria-current={tab === 'webhooks' ? 'page' : undefined}
            onClick={() => setTab('webhooks')}
          >
            Webhooks
          </button>
        </nav>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {setup.phase === 'created' && (
          <NewKeyPanel created={setup.created} onDone={() => setSetup({ phase: 'none' })} />
        )}
        {setup.phase !== 'created' && setupProblem}
        {tab === 'resources' ? (
          <ResourcesView api={api} />
        ) : tab === 'pools' ? (
          <PoolsView api={api} />
        ) : tab === 'services' ? (
          <ServicesView api={api} />
        ) : tab === 'waitlist' ? (
          <WaitlistView api={api} />
        ) : tab === 'webhooks' ? (
          <WebhooksView api={api} />
        ) : (
          <BookingsView api={api} />
        )}
      </main>
    </>
  )
}

function SignIn({ onSignedIn, problem }: { onSignedIn: (api: AdminApi) => void; problem: ComponentChildren }) {
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const key = typed.trim()
    setBusy(true)
    setError(undefined)
    const api = createAdminApi(key)
    try {
      await ownerRoutes(api).listResources()
      sessionStorage.setItem(STORAGE_KEY, key)
      onSignedIn(api)
    } catch (e) {
      setError(
        e instanceof AdminApiError && e.status === 401
          ? 'That key is not valid (or was revoked).'
          : String((e as Error).message),
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <main>
      <section>
        <h2>Sign in</h2>
        {problem}
        <form onSubmit={submit} class="row">
          <label class="grow">
            Admin key
            <input
              name="key"
              type="password"
              autoComplete="off"
              required
              placeholder="bka_…"
              value={typed}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'sign-in-error' : undefined}
              onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </form>
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        <p class="muted">
          The first time, open the sign-in link <code>npm start</code> printed. Later keys:{' '}
          <code>npm run admin:key -- --name "front desk"</code>. The key is kept in this tab only.
        </p>
      </section>
    </main>
  )
}
