import type { Context } from 'hono'
import type { AppEnv } from '../app-env'

/**
 * Where this server is reached from outside: PUBLIC_URL (the base of the manage links in
 * messages) when the app was given one, else the origin the request came to.
 */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.var.deps.notifiers?.links.publicUrl
  return (configured ?? new URL(c.req.url).origin).replace(/\/+$/, '')
}

/** The feed's absolute address; the token is base64url, safe in a path as is. */
export function feedUrl(c: Context<AppEnv>, token: string): string {
  return `${publicOrigin(c)}/v1/feeds/${token}.ics`
}
