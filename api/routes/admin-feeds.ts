import { Hono, type Context } from 'hono'
import type { ResourceRow } from '../../drizzle/schema'
import type { AdminCalendarFeedResponse } from '../../shared/api-contract'
import type { AppEnv } from '../app-env'
import { feedUrl } from '../feeds/feed-address'
import { setFeedToken } from '../feeds/feed-store'
import { getResource } from '../store/admin'

function feedView(c: Context<AppEnv>, row: ResourceRow): AdminCalendarFeedResponse {
  return {
    feed: {
      url: row.feedToken ? feedUrl(c, row.feedToken) : null,
      includeGuestNames: row.config.feedGuestNames === true,
    },
  }
}

/**
 * A resource's calendar feed, mounted under `/resources/:id/feed` behind the admin key.
 * POST makes a new secret address whether or not one exists (the old one answers 404 from
 * that moment); DELETE turns the feed off. Whether guest names show is resource config.
 *
 * @example
 * POST /v1/admin/resources/<id>/feed  Authorization: Bearer bka_…
 * → 200 {"feed":{"url":"https://book.example.com/v1/feeds/9hX…Q.ics","includeGuestNames":false}}
 */
export const adminFeedRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(feedView(c, await getResource(c.var.deps.db, c.req.param('id') ?? ''))))
  .post('/', async (c) => c.json(feedView(c, await setFeedToken(c.var.deps.db, c.req.param('id') ?? '', true))))
  .delete('/', async (c) => c.json(feedView(c, await setFeedToken(c.var.deps.db, c.req.param('id') ?? '', false))))
