/**
 * The `Fetcher` port on Node's own `http`/`https` modules, plus `file:` URLs (apt's air-gapped form).
 *
 * Global `fetch` is not used: it gives no connect timeout distinct from the total deadline, no view of the socket
 * to destroy on a size-cap breach, and no way to tell a stalled body from a slow one. Every request here has a
 * connect timeout, a total deadline, a minimum transfer rate, a size cap and a redirect policy (main/core/README.md, "A download").
 */
import { open, stat } from 'node:fs/promises'
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { CoreError } from '../core/errors'
import type { NetErrorCode } from '../core/errors'
import { Limits } from '../core/limits'
import type { FetchRequest, FetchResponse, Fetcher } from '../core/ports'

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

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
])

function netError(
  code: NetErrorCode,
  message: string,
  url: string,
  extra: Record<string, string | number> = {},
) {
  return new CoreError<NetErrorCode>(code, message, { url, ...extra })
}

function toNetError(e: unknown, url: string): CoreError {
  if (e instanceof CoreError) return e
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  const message = e instanceof Error ? e.message : String(e)
  if (UNREACHABLE_CODES.has(code) || message === 'socket hang up') {
    return netError('NET_UNREACHABLE', `cannot reach ${url}: ${code || message}`, url, {
      cause: code || message,
    })
  }
  // TLS failures (bad certificate, handshake) also leave the mirror unreachable for us.
  return netError('NET_UNREACHABLE', `request to ${url} failed: ${message}`, url, { cause: code || message })
}

interface Hop {
  readonly kind: 'redirect'
  readonly location: string
}
interface Done {
  readonly kind: 'done'
  readonly notModified: boolean
  readonly body: Uint8Array
  readonly etag: string | undefined
  readonly lastModified: string | undefined
}

interface Shared {
  received: number
}

/** Creates the production `Fetcher`. */
export function createFetcher(opts: FetcherOptions = {}): Fetcher {
  const cfg = {
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    connectTimeoutMs: opts.connectTimeoutMs ?? Limits.net.connectTimeoutMs,
    minBytesPerSecond: opts.minBytesPerSecond ?? Limits.net.minBytesPerSecond,
    minRateWindowMs: opts.minRateWindowMs ?? Limits.net.minRateWindowMs,
    maxRedirects: opts.maxRedirects ?? Limits.net.maxRedirects,
    ca: opts.ca === undefined ? undefined : typeof opts.ca === 'string' ? [opts.ca] : [...opts.ca],
  }

  return async (req: FetchRequest): Promise<FetchResponse> => {
    let url: URL
    try {
      url = new URL(req.url)
    } catch {
      throw netError('NET_BAD_URL', `not a URL: ${req.url}`, req.url)
    }
    const refused = checkUrlAllowed(url, req.allowHttp)
    if (refused) throw netError(refused, `refusing ${url.protocol} URL ${req.url}`, req.url)
    if (req.signal?.aborted) throw netError('NET_ABORTED', `aborted before start: ${req.url}`, req.url)
    if (url.protocol === 'file:') {
      if (req.method === 'POST')
        throw netError('NET_BAD_URL', `cannot POST to a file: URL ${req.url}`, req.url)
      return readFileUrl(url, req)
    }

    // One deadline for the whole request chain, redirects included.
    const deadlineAt = Date.now() + req.timeoutMs
    const shared: Shared = { received: 0 }
    const seen = new Set<string>([url.href])
    let current = url
    for (let hops = 0; ; hops++) {
      const step = await requestOnce(current, req, cfg, deadlineAt, shared)
      if (step.kind === 'done') {
        return {
          url: req.url,
          finalUrl: current.href,
          notModified: step.notModified,
          body: step.body,
          etag: step.etag ?? (step.notModified ? req.etag : undefined),
          lastModified: step.lastModified ?? (step.notModified ? req.lastModified : undefined),
          bytesTransferred: shared.received,
        }
      }
      let next: URL
      try {
        next = new URL(step.location, current)
      } catch {
        throw netError('NET_BAD_URL', `bad redirect target from ${current.href}`, req.url)
      }
      const bad = checkRedirect(current, next, req.allowHttp)
      if (bad) {
        throw netError(bad, `refusing redirect from ${current.href} to ${next.href}`, req.url, {
          from: current.href,
          to: next.href,
        })
      }
      if (hops + 1 > cfg.maxRedirects || seen.has(next.href)) {
        throw netError('NET_REDIRECT_LIMIT', `too many redirects (or a loop) from ${req.url}`, req.url, {
          hops: hops + 1,
          to: next.href,
        })
      }
      seen.add(next.href)
      current = next
    }
  }
}

function requestOnce(
  url: URL,
  req: FetchRequest,
  cfg: {
    userAgent: string
    connectTimeoutMs: number
    minBytesPerSecond: number
    minRateWindowMs: number
    ca: string[] | undefined
  },
  deadlineAt: number,
  shared: Shared,
): Promise<Hop | Done> {
  return new Promise<Hop | Done>((resolve, reject) => {
    const headers: OutgoingHttpHeaders = {
      'user-agent': cfg.userAgent,
      // The Release hashes cover the bytes as served; a transparent content-encoding would change them.
      'accept-encoding': 'identity',
      connection: 'close',
    }
    const post = req.method === 'POST'
    if (post) {
      headers['content-type'] = req.contentType ?? 'application/octet-stream'
      headers['content-length'] = req.body?.length ?? 0
    }
    if (req.etag) headers['if-none-match'] = req.etag
    if (req.lastModified) headers['if-modified-since'] = req.lastModified

    let settled = false
    let creq: ClientRequest | undefined
    let res: IncomingMessage | undefined
    const timers: ReturnType<typeof setTimeout>[] = []
    let rateTimer: ReturnType<typeof setInterval> | undefined

    const cleanup = () => {
      for (const t of timers) clearTimeout(t)
      if (rateTimer) clearInterval(rateTimer)
      req.signal?.removeEventListener('abort', onAbort)
    }
    const fail = (e: CoreError) => {
      if (settled) return
      settled = true
      cleanup()
      res?.destroy()
      creq?.destroy()
      reject(e)
    }
    const succeed = (v: Hop | Done) => {
      if (settled) return
      settled = true
      cleanup()
      // Settle first: destroying emits 'aborted'/'error', which must not turn a result into a failure.
      res?.destroy()
      creq?.destroy()
      resolve(v)
    }
    const onAbort = () => fail(netError('NET_ABORTED', `aborted: ${url.href}`, req.url))
    req.signal?.addEventListener('abort', onAbort, { once: true })

    const remaining = deadlineAt - Date.now()
    if (remaining <= 0) {
      fail(netError('NET_TIMEOUT', `deadline passed before ${url.href}`, req.url))
      return
    }
    timers.push(
      setTimeout(() => fail(netError('NET_TIMEOUT', `deadline passed for ${url.href}`, req.url)), remaining),
    )

    const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest
    try {
      creq = requestFn(url, {
        method: post ? 'POST' : 'GET',
        headers,
        // A fresh socket per request, closed after it: nothing is left open between polls.
        agent: false,
        ...(url.protocol === 'https:' && cfg.ca ? { ca: cfg.ca } : {}),
      })
    } catch (e) {
      fail(toNetError(e, req.url))
      return
    }
    creq.on('error', (e) => fail(toNetError(e, req.url)))

    const connectTimer = setTimeout(
      () => fail(netError('NET_TIMEOUT', `connect timeout to ${url.host}`, req.url, { phase: 'connect' })),
      cfg.connectTimeoutMs,
    )
    timers.push(connectTimer)

    // Minimum transfer rate: every window, the bytes received in it must reach minBytesPerSecond × window.
    // A server that accepts the connection and then trickles or stalls (a slow-loris mirror) is cut off.
    let windowStart = 0
    const startRate = () => {
      windowStart = shared.received
      rateTimer = setInterval(() => {
        const got = shared.received - windowStart
        const need = (cfg.minBytesPerSecond * cfg.minRateWindowMs) / 1000
        if (got < need) {
          fail(
            netError(
              'NET_TOO_SLOW',
              `transfer from ${url.host} below ${cfg.minBytesPerSecond} B/s`,
              req.url,
              {
                bytesInWindow: got,
                windowMs: cfg.minRateWindowMs,
              },
            ),
          )
        }
        windowStart = shared.received
      }, cfg.minRateWindowMs)
    }

    creq.on('socket', (sock: Socket) => {
      const connected = () => {
        clearTimeout(connectTimer)
        startRate()
      }
      if (!sock.connecting) connected()
      else sock.once('connect', connected)
    })

    creq.on('response', (r) => {
      res = r
      r.on('error', (e) => fail(toNetError(e, req.url)))
      r.on('aborted', () =>
        fail(netError('NET_UNREACHABLE', `connection closed mid-body: ${url.href}`, req.url)),
      )
      const status = r.statusCode ?? 0
      const header = (name: string) => {
        const v = r.headers[name]
        return typeof v === 'string' ? v : undefined
      }
      if ([301, 302, 303, 307, 308].includes(status)) {
        if (post) {
          // The body was meant for this host only: never resent elsewhere, never turned into a GET.
          fail(netError('NET_HTTP_STATUS', `redirect refused for a POST to ${url.href}`, req.url, { status }))
          return
        }
        const location = header('location')
        if (!location) {
          fail(netError('NET_HTTP_STATUS', `redirect without Location from ${url.href}`, req.url, { status }))
          return
        }
        succeed({ kind: 'redirect', location })
        return
      }
      if (status === 304) {
        succeed({
          kind: 'done',
          notModified: true,
          body: new Uint8Array(0),
          etag: header('etag'),
          lastModified: header('last-modified'),
        })
        return
      }
      if (status === 404 || status === 410) {
        fail(netError('NET_NOT_FOUND', `not found: ${url.href}`, req.url, { status }))
        return
      }
      if (status !== 200) {
        fail(netError('NET_HTTP_STATUS', `HTTP ${status} from ${url.href}`, req.url, { status }))
        return
      }
      const lenHeader = header('content-length')
      const declared = lenHeader !== undefined && /^\d+$/.test(lenHeader) ? Number(lenHeader) : undefined
      if (declared !== undefined && declared > req.maxBytes) {
        fail(
          netError('NET_TOO_LARGE', `${url.href} is ${declared} bytes, cap ${req.maxBytes}`, req.url, {
            declared,
            maxBytes: req.maxBytes,
          }),
        )
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      r.on('data', (chunk: Buffer) => {
        if (settled) return
        size += chunk.length
        shared.received += chunk.length
        if (size > req.maxBytes) {
          fail(
            netError('NET_TOO_LARGE', `${url.href} exceeded the cap of ${req.maxBytes} bytes`, req.url, {
              maxBytes: req.maxBytes,
            }),
          )
          return
        }
        chunks.push(chunk)
        req.onProgress?.(size, declared)
      })
      r.on('end', () => {
        if (declared !== undefined && size !== declared) {
          fail(netError('NET_UNREACHABLE', `truncated body from ${url.href}`, req.url, { declared, size }))
          return
        }
        const body = new Uint8Array(Buffer.concat(chunks, size))
        succeed({
          kind: 'done',
          notModified: false,
          body,
          etag: header('etag'),
          lastModified: header('last-modified'),
        })
      })
    })
    if (post && req.body) creq.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length))
    else creq.end()
  })
}

/**
 * Reads a `file:` URL with the request's size cap.
 *
 * The file's mtime acts as Last-Modified, so an unchanged USB mirror also costs no read on a second poll.
 */
async function readFileUrl(url: URL, req: FetchRequest): Promise<FetchResponse> {
  let path: string
  try {
    path = fileURLToPath(url)
  } catch {
    throw netError('NET_BAD_URL', `bad file URL: ${req.url}`, req.url)
  }
  let st
  try {
    st = await stat(path)
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : ''
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw netError('NET_NOT_FOUND', `no such file: ${path}`, req.url)
    throw netError('NET_UNREACHABLE', `cannot read ${path}: ${code}`, req.url, { cause: code })
  }
  if (!st.isFile()) throw netError('NET_NOT_FOUND', `not a regular file: ${path}`, req.url)
  const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString()
  if (req.lastModified !== undefined && req.lastModified === lastModified) {
    return {
      url: req.url,
      finalUrl: url.href,
      notModified: true,
      body: new Uint8Array(0),
      lastModified,
      bytesTransferred: 0,
    }
  }
  if (st.size > req.maxBytes) {
    throw netError('NET_TOO_LARGE', `${path} is ${st.size} bytes, cap ${req.maxBytes}`, req.url, {
      declared: st.size,
      maxBytes: req.maxBytes,
    })
  }
  const fh = await open(path, 'r')
  try {
    // Read one byte past the cap: the file may have grown since stat.
    const buf = Buffer.alloc(Math.min(req.maxBytes + 1, st.size + 1))
    let size = 0
    for (;;) {
      if (req.signal?.aborted) throw netError('NET_ABORTED', `aborted: ${req.url}`, req.url)
      const { bytesRead } = await fh.read(buf, size, buf.length - size, size)
      if (bytesRead === 0) break
      size += bytesRead
      req.onProgress?.(size, st.size)
      if (size >= buf.length) break
    }
    if (size > req.maxBytes) {
      throw netError('NET_TOO_LARGE', `${path} exceeded the cap of ${req.maxBytes} bytes`, req.url, {
        maxBytes: req.maxBytes,
      })
    }
    return {
      url: req.url,
      finalUrl: url.href,
      notModified: false,
      body: new Uint8Array(buf.buffer, buf.byteOffset, size),
      lastModified,
      bytesTransferred: size,
    }
  } finally {
    await fh.close()
  }
}
