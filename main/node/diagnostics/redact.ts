/**
 * Redaction for logs and diagnostic reports handed to a helpdesk.
 *
 * A report leaves the machine, so it must not carry key material, whole documents, the user's name, home folder or
 * the machine's host name (docs/cli.md, "lifeline report"). Fingerprints, hashes, URLs of public mirrors and error codes stay: they are
 * what a helpdesk needs and are public.
 */
import { homedir, hostname, userInfo } from 'node:os'

/** What identifies this user and machine. */
export interface RedactionContext {
  readonly home?: string | undefined
  readonly user?: string | undefined
  readonly hostname?: string | undefined
}

/** This process's user, home and host name (each left out when it cannot be read). */
export function currentRedactionContext(): RedactionContext {
  const safe = <T>(f: () => T): T | undefined => {
    try {
      return f()
    } catch {
      return undefined
    }
  }
  return { home: safe(homedir), user: safe(() => userInfo().username), hostname: safe(hostname) }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Names too generic to redact without mangling ordinary words ("root-owned", "localhost").
const TOO_GENERIC = new Set(['root', 'localhost', 'ubuntu', 'user', 'admin', 'lifeline'])

/** Removes key material, long encoded data, credentials in URLs, home paths, the user name and the host name. */
export function redact(text: string, ctx: RedactionContext): string {
  let out = text
    .replace(/-----BEGIN PGP [A-Z ]+-----[\s\S]*?(?:-----END PGP [A-Z ]+-----|$)/g, '[PGP block removed]')
    .replace(/[A-Za-z0-9+/=_-]{80,}/g, '[data removed]')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1<credentials>@')
  if (ctx.home && ctx.home.length > 1) out = out.split(ctx.home).join('~')
  out = out.replace(/\/(home|Users)\/[^/\s"']+/g, '/$1/<user>')
  // Longest first, so "alice-laptop" becomes <host> before "alice" could turn it into "<user>-laptop".
  const names: [string | undefined, string][] = [
    [ctx.hostname, '<host>'],
    [ctx.hostname?.split('.')[0], '<host>'],
    [ctx.user, '<user>'],
  ]
  names.sort((a, b) => (b[0]?.length ?? 0) - (a[0]?.length ?? 0))
  for (const [name, placeholder] of names) {
    if (!name || name.length < 3 || TOO_GENERIC.has(name.toLowerCase())) continue
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRe(name)}(?![A-Za-z0-9])`, 'gi'), placeholder)
  }
  return out
}

/** Redacts every string inside a JSON-like value (keys included), leaving its shape alone. */
export function redactValue<T>(value: T, ctx: RedactionContext): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, ctx)
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k, ctx), walk(x)]))
    }
    return v
  }
  return walk(value) as T
}
