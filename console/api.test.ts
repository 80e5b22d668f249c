import { afterEach, describe, expect, it, vi } from 'vitest'
import { AdminApiError, createAdminApi, ownerRoutes } from './api'

/* The pool routes as the browser sends them: method, path, key and JSON body. */

afterEach(() => vi.unstubAllGlobals())

function stubFetch(answer: () => Response) {
  const requests: { url: string; method: string; auth: string; body: unknown }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = (init?.headers ?? {}) as Record<string, string>
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        auth: headers.Authorization ?? '',
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      })
      return answer()
    }),
  )
  return requests
}

const pool = { id: 'p-1', slug: 'physios', members: [] }

describe('the pool routes', () => {
  it('list, read, create, change, deactivate and replace the members under /v1/admin/pools', async () => {
    const requests = stubFetch(() => Response.json({ pool, pools: [pool] }))
    const routes = ownerRoutes(createAdminApi('bka_key', 'https://book.example.com'))
    await routes.listPools()
    await routes.getPool('p-1')
    await routes.createPool({ slug: 'physios', type: 'specialist', name: 'Any physio', timezone: 'UTC' })
    await routes.updatePool('p-1', { strategy: 'weighted' })
    await routes.deactivatePool('p-1')
    const answer = await routes.replacePoolMembers('p-1', {
      members: [{ resourceId: 'b', weight: 2 }, { resourceId: 'a' }],
    })
    expect(answer.pool.slug).toBe('physios')
    expect(requests.map((r) => [r.method, r.url.replace('https://book.example.com', ''), r.body])).toEqual([
      ['GET', '/v1/admin/pools', undefined],
      ['GET', '/v1/admin/pools/p-1', undefined],
      ['POST', '/v1/admin/pools', { slug: 'physios', type: 'specialist', name: 'Any physio', timezone: 'UTC' }],
      ['PATCH', '/v1/admin/pools/p-1', { strategy: 'weighted' }],
      ['DELETE', '/v1/admin/pools/p-1', undefined],
      ['PUT', '/v1/admin/pools/p-1/members', { members: [{ resourceId: 'b', weight: 2 }, { resourceId: 'a' }] }],
    ])
    expect(new Set(requests.map((r) => r.auth))).toEqual(new Set(['Bearer bka_key']))
  })

  it('turns a refusal into an AdminApiError with the details to put beside the fields', async () => {
    stubFetch(() =>
      Response.json(
        {
          error: {
            code: 'invalid_request',
            message: 'Another pool already uses this slug.',
            details: [{ path: 'slug', code: 'invalid', message: 'already used by another pool' }],
          },
        },
        { status: 400 },
      ),
    )
    const refused = await ownerRoutes(createAdminApi('bka_key'))
      .createPool({ slug: 'physios', type: 'specialist', name: 'Any physio', timezone: 'UTC' })
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AdminApiError)
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request', details: [{ path: 'slug' }] })
  })
})
