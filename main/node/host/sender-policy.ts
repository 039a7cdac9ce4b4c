/**
 * Who may talk to the loopback host: the same policy as the Electron IPC sender check, for browser mode.
 *
 * A request is accepted only when its Host header names this very listener (DNS-rebinding defence: a page on
 * evil.example resolving to 127.0.0.1 still sends `Host: evil.example`), its Origin, when present, is this
 * listener's origin, and — for the API — it carries the per-run token.
 */

/** What the policy needs to know about one request. */
export interface HostRequestFacts {
  readonly host: string | undefined
  readonly origin: string | undefined
  readonly token: string | undefined
  readonly secFetchSite: string | undefined
}

/** Why a request was refused; `undefined` means accepted. */
export type HostRefusal =
  | 'bad-host'
  | 'bad-origin'
  | 'missing-token'
  | 'bad-token'
  | 'cross-site'
  /** The client's socket belongs to another local user (server.ts, peer-uid.ts). */
  | 'other-user'
  /** The client's socket could not be found in /proc/net: who it is cannot be told, so it is refused. */
  | 'unknown-user'

/** The origins this listener answers to. */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** Checks the Host and Origin headers (for every request, static files included). */
export function checkHostAndOrigin(req: HostRequestFacts, port: number): HostRefusal | undefined {
  const hosts = allowedHosts(port)
  if (req.host === undefined || !hosts.includes(req.host.toLowerCase())) return 'bad-host'
  if (req.origin !== undefined && !hosts.map((h) => `http://${h}`).includes(req.origin.toLowerCase())) {
    return 'bad-origin'
  }
  if (req.secFetchSite !== undefined && !['same-origin', 'none'].includes(req.secFetchSite))
    return 'cross-site'
  return undefined
}

/** Checks an API request: Host/Origin, then the token (compared in constant time). */
export function checkApiRequest(req: HostRequestFacts, port: number, token: string): HostRefusal | undefined {
  const hostRefusal = checkHostAndOrigin(req, port)
  if (hostRefusal) return hostRefusal
  if (req.token === undefined || req.token === '') return 'missing-token'
  return timingSafeEqualStrings(req.token, token) ? undefined : 'bad-token'
}

/** Compares two strings without an early exit on the first differing character. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0)
  return diff === 0
}
