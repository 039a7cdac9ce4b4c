/**
 * The `Fetcher` port on Node's own `http`/`https` modules, plus `file:` URLs (apt's air-gapped form).
 *
 * Global `fetch` is not used: it gives no connect timeout distinct from the total deadline, no view of the socket
 * to destroy on a size-cap breach, and no way to tell a stalled body from a slow one. Every request here has a
 * connect timeout, a total deadline, a minimum transfer rate, a size cap and a redirect policy (main/core/README.md, "A download").
 *
 * This file holds the URL and redirect policy and follows the redirect chain; one request and its answer is
 * `main/node/http-exchange.ts`, a `file:` URL `main/node/file-url-fetch.ts`.
 */
import type { NetErrorCode } from '../core/errors'
import { Limits } from '../core/limits'
import type { FetchRequest, FetchResponse, Fetcher } from '../core/ports'
import { readFileUrl } from './file-url-fetch'
import { exchangeOnce, type ChainProgress, type ExchangeSettings } from './http-exchange'
import { netError } from './net-error'

/** Options of `createFetcher`. Limits default to `Limits.net`; tests shorten them. */
export interface FetcherOptions {
  readonly userAgent?: string
  readonly connectTimeoutMs?: number
  readonly minBytesPerSecond?: number
  readonly minRateWindowMs?: number
  readonly maxRedirects?: number
  /** Extra trusted CA certificates (PEM) for https, e.g. a test's self-signed certificate. */
  readonly ca?: string | readonly string[]
}

const DEFAULT_USER_AGENT = 'Lifeline/0.1 (+apt metadata verifier)'

/** True when `hostname` (as `URL.hostname` spells it) is a loopback address: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase()
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * Whether a request to `url` may be made, for a request that does or does not allow plain http.
 *
 * Returns the error code that refuses it, or undefined. `http:` is only for signature-checked content (apt
 * mirrors: Debian repository format, the Release signature covers every index) or loopback (tests, outage lab).
 */
export function checkUrlAllowed(url: URL, allowHttp: boolean): NetErrorCode | undefined {
  if (url.protocol === 'https:' || url.protocol === 'file:') return undefined
  if (url.protocol === 'http:') return allowHttp || isLoopbackHost(url.hostname) ? undefined : 'NET_BAD_URL'
  return 'NET_BAD_URL'
}

/**
 * Decides whether a redirect from `from` to `to` may be followed; returns the refusing code or undefined.
 *
 * A redirect may never leave https (a downgrade would strip transport integrity) nor switch to another scheme
 * (`file:` from a server would read the local disk); otherwise the target must pass `checkUrlAllowed`.
 */
export function checkRedirect(from: URL, to: URL, allowHttp: boolean): NetErrorCode | undefined {
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return 'NET_REDIRECT_DOWNGRADE'
  if (from.protocol === 'https:' && to.protocol !== 'https:') return 'NET_REDIRECT_DOWNGRADE'
  return checkUrlAllowed(to, allowHttp)
}

/** The start URL of a request, once it is known to be a URL this request may fetch and not already aborted. */
function startUrl(req: FetchRequest): URL {
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    throw netError('NET_BAD_URL', `not a URL: ${req.url}`, req.url)
  }
  const refused = checkUrlAllowed(url, req.allowHttp)
  if (refused) throw netError(refused, `refusing ${url.protocol} URL ${req.url}`, req.url)
  if (req.signal?.aborted) throw netError('NET_ABORTED', `aborted before start: ${req.url}`, req.url)
  if (url.protocol === 'file:' && req.method === 'POST')
    throw netError('NET_BAD_URL', `cannot POST to a file: URL ${req.url}`, req.url)
  return url
}

/** Where a redirect from `from` leads, if `checkRedirect` lets the request follow it; throws the refusal otherwise. */
function redirectTarget(from: URL, location: string, req: FetchRequest): URL {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw netError('NET_BAD_URL', `bad redirect target from ${from.href}`, req.url)
  }
  const bad = checkRedirect(from, next, req.allowHttp)
  if (bad) {
    throw netError(bad, `refusing redirect from ${from.href} to ${next.href}`, req.url, {
      from: from.href,
      to: next.href,
    })
  }
  return next
}

/** Follows the redirect chain from `url`, one exchange per hop, under one deadline for the whole chain. */
async function followChain(
  url: URL,
  req: FetchRequest,
  settings: ExchangeSettings,
  maxRedirects: number,
): Promise<FetchResponse> {
  const chain: ChainProgress = { deadlineAt: Date.now() + req.timeoutMs, received: 0 }
  const seen = new Set<string>([url.href])
  let current = url
  for (let hops = 0; ; hops++) {
    const step = await exchangeOnce(current, req, settings, chain)
    if (step.kind === 'done') {
      return {
        url: req.url,
        finalUrl: current.href,
        notModified: step.notModified,
        body: step.body,
        etag: step.etag ?? (step.notModified ? req.etag : undefined),
        lastModified: step.lastModified ?? (step.notModified ? req.lastModified : undefined),
        bytesTransferred: chain.received,
      }
    }
    const next = redirectTarget(current, step.location, req)
    if (hops + 1 > maxRedirects || seen.has(next.href)) {
      throw netError('NET_REDIRECT_LIMIT', `too many redirects (or a loop) from ${req.url}`, req.url, {
        hops: hops + 1,
        to: next.href,
      })
    }
    seen.add(next.href)
    current = next
  }
}

/** Creates the production `Fetcher`. */
export function createFetcher(opts: FetcherOptions = {}): Fetcher {
  const settings: ExchangeSettings = {
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    connectTimeoutMs: opts.connectTimeoutMs ?? Limits.net.connectTimeoutMs,
    minBytesPerSecond: opts.minBytesPerSecond ?? Limits.net.minBytesPerSecond,
    minRateWindowMs: opts.minRateWindowMs ?? Limits.net.minRateWindowMs,
    ca: opts.ca === undefined ? undefined : typeof opts.ca === 'string' ? [opts.ca] : [...opts.ca],
  }
  const maxRedirects = opts.maxRedirects ?? Limits.net.maxRedirects
  return async (req: FetchRequest): Promise<FetchResponse> => {
    const url = startUrl(req)
    if (url.protocol === 'file:') return readFileUrl(url, req)
    return followChain(url, req, settings, maxRedirects)
  }
}
