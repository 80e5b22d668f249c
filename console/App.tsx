import { useState } from 'preact/hooks'
import { AdminApiError, createAdminApi, type AdminApi } from './api'
import { BookingsView } from './BookingsView'
import { ResourcesView } from './ResourcesView'

const STORAGE_KEY = 'booking-admin-key'

/** Sign-in, then the two areas of the console. The key lives in sessionStorage only. */
export function App() {
  const [api, setApi] = useState<AdminApi | undefined>(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY)
    return saved ? createAdminApi(saved) : undefined
  })
  const [tab, setTab] = useState<'resources' | 'bookings'>('resources')
  if (!api) return <SignIn onSignedIn={setApi} />
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY)
    setApi(undefined)
  }
  return (
    <>
      <header>
        <h1>Bookings console</h1>
        <nav aria-label="Console">
          <button type="button" aria-current={tab === 'resources' ? 'page' : undefined} onClick={() => setTab('resources')}>
            Resources
          </button>
          <button type="button" aria-current={tab === 'bookings' ? 'page' : undefined} onClick={() => setTab('bookings')}>
            Bookings
          </button>
        </nav>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{tab === 'resources' ? <ResourcesView api={api} /> : <BookingsView api={api} />}</main>
    </>
  )
}

function SignIn({ onSignedIn }: { onSignedIn: (api: AdminApi) => void }) {
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const key = String(new FormData(event.currentTarget as HTMLFormElement).get('key') ?? '').trim()
    setBusy(true)
    setError(undefined)
    const api = createAdminApi(key)
    try {
      await api.call('GET', '/resources')
      sessionStorage.setItem(STORAGE_KEY, key)
      onSignedIn(api)
    } catch (e) {
      setError(e instanceof AdminApiError && e.status === 401 ? 'That key is not valid (or was revoked).' : String((e as Error).message))
    } finally {
      setBusy(false)
    }
  }
  return (
    <main>
      <section>
        <h2>Sign in</h2>
        <form onSubmit={submit} class="row">
          <label class="grow">
            Admin key
            <input name="key" type="password" autoComplete="off" required placeholder="bka_…" />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </form>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="muted">
          Make a key with <code>npm run admin:key -- --name "front desk"</code>. It is kept in this tab only.
        </p>
      </section>
    </main>
  )
}
