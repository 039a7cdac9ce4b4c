/**
 * One HTTP(S) request and its answer, for `createFetcher` (`main/node/http-fetcher.ts`), which follows redirects.
 *
 * Every exchange has a connect timeout, the chain's total deadline, a minimum transfer rate and the request's size
 * cap (main/core/README.md, "A download"). The pieces below are named for what each one guards; they share one
 * `Exchange`, whose `outcome` settles once and, when it does, releases every timer and socket the exchange holds.
 */
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import type { CoreError, NetErrorCode } from '../core/errors'
import type { FetchRequest } from '../core/ports'
import { netError, toNetError } from './net-error'

/** The answer of one exchange: a redirect to follow, or the final response. */
export type ExchangeStep =
  | { readonly kind: 'redirect'; readonly location: string }
  | {
      readonly kind: 'done'
      readonly notModified: boolean
      readonly body: Uint8Array
      readonly etag: string | undefined
      readonly lastModified: string | undefined
    }

/** The limits and settings of every exchange (`FetcherOptions` resolved against `Limits.net`). */
export interface ExchangeSettings {
  readonly userAgent: string
  readonly connectTimeoutMs: number
  readonly minBytesPerSecond: number
  readonly minRateWindowMs: number
  readonly ca: readonly string[] | undefined
}

/** What the exchanges of one redirect chain share: one deadline, and the bytes received so far. */
export interface ChainProgress {
  /** Epoch ms by which the whole chain, redirects included, must be done. */
  readonly deadlineAt: number
  received: number
}

/** The single outcome of an exchange: the first `fail` or `succeed` wins, later ones are ignored. */
interface Outcome {
  readonly settled: () => boolean
  fail(e: CoreError): void
  succeed(step: ExchangeStep): void
  /** Runs `release` when the outcome settles (at once when it already has): clears a timer, drops a listener. */
  onRelease(release: () => void): void
  /** The request and response to destroy when the outcome settles. */
  hold(request: ClientRequest | undefined, response?: IncomingMessage): void
}

/** One exchange: what was asked, under which limits, and its outcome. */
interface Exchange {
  readonly url: URL
  readonly req: FetchRequest
  readonly settings: ExchangeSettings
  readonly chain: ChainProgress
  readonly outcome: Outcome
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** Makes one request to `url` and reads its answer within the chain's deadline and the request's size cap. */
export function exchangeOnce(
  url: URL,
  req: FetchRequest,
  settings: ExchangeSettings,
  chain: ChainProgress,
): Promise<ExchangeStep> {
  return new Promise<ExchangeStep>((resolve, reject) => {
    const x: Exchange = { url, req, settings, chain, outcome: createOutcome(resolve, reject) }
    watchAbort(x)
    if (!armDeadline(x)) return
    const request = openRequest(x)
    if (request === undefined) return
    watchConnect(x, request)
    request.on('response', (response) => {
      x.outcome.hold(request, response)
      answer(x, response)
    })
    const post = req.method === 'POST'
    if (post && req.body) request.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length))
    else request.end()
  })
}

function createOutcome(resolve: (step: ExchangeStep) => void, reject: (e: CoreError) => void): Outcome {
  let settled = false
  const releases: (() => void)[] = []
  let request: ClientRequest | undefined
  let response: IncomingMessage | undefined
  const settle = (finish: () => void) => {
    if (settled) return
    settled = true
    for (const release of releases) release()
    // Settle first: destroying emits 'aborted'/'error', which must not turn a result into a failure.
    response?.destroy()
    request?.destroy()
    finish()
  }
  return {
    settled: () => settled,
    fail: (e) => settle(() => reject(e)),
    succeed: (step) => settle(() => resolve(step)),
    onRelease(release) {
      if (settled) release()
      else releases.push(release)
    },
    hold(req, res) {
      request = req
      response = res
    },
  }
}

/** The caller's abort signal fails the exchange (NET_ABORTED). */
function watchAbort(x: Exchange): void {
  const signal = x.req.signal
  if (!signal) return
  const onAbort = () => x.outcome.fail(netError('NET_ABORTED', `aborted: ${x.url.href}`, x.req.url))
  signal.addEventListener('abort', onAbort, { once: true })
  x.outcome.onRelease(() => signal.removeEventListener('abort', onAbort))
}

/** Arms the chain's total deadline (NET_TIMEOUT); false when it has already passed. */
function armDeadline(x: Exchange): boolean {
  const remaining = x.chain.deadlineAt - Date.now()
  if (remaining <= 0) {
    x.outcome.fail(netError('NET_TIMEOUT', `deadline passed before ${x.url.href}`, x.req.url))
    return false
  }
  const timer = setTimeout(
    () => x.outcome.fail(netError('NET_TIMEOUT', `deadline passed for ${x.url.href}`, x.req.url)),
    remaining,
  )
  x.outcome.onRelease(() => clearTimeout(timer))
  return true
}

function requestHeaders(req: FetchRequest, userAgent: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'user-agent': userAgent,
    // The Release hashes cover the bytes as served; a transparent content-encoding would change them.
    'accept-encoding': 'identity',
    connection: 'close',
  }
  if (req.method === 'POST') {
    headers['content-type'] = req.contentType ?? 'application/octet-stream'
    headers['content-length'] = req.body?.length ?? 0
  }
  if (req.etag) headers['if-none-match'] = req.etag
  if (req.lastModified) headers['if-modified-since'] = req.lastModified
  return headers
}

/** Opens the request on a fresh socket; undefined (the exchange failed) when Node refuses to start it. */
function openRequest(x: Exchange): ClientRequest | undefined {
  const https = x.url.protocol === 'https:'
  const requestFn = https ? httpsRequest : httpRequest
  let request: ClientRequest
  try {
    request = requestFn(x.url, {
      method: x.req.method === 'POST' ? 'POST' : 'GET',
      headers: requestHeaders(x.req, x.settings.userAgent),
      // A fresh socket per request, closed after it: nothing is left open between polls.
      agent: false,
      ...(https && x.settings.ca ? { ca: [...x.settings.ca] } : {}),
    })
  } catch (e) {
    x.outcome.fail(toNetError(e, x.req.url))
    return undefined
  }
  x.outcome.hold(request)
  request.on('error', (e) => x.outcome.fail(toNetError(e, x.req.url)))
  return request
}

/** The connect timeout (NET_TIMEOUT, phase connect); once connected, the minimum transfer rate takes over. */
function watchConnect(x: Exchange, request: ClientRequest): void {
  const connectTimer = setTimeout(
    () =>
      x.outcome.fail(
        netError('NET_TIMEOUT', `connect timeout to ${x.url.host}`, x.req.url, { phase: 'connect' }),
      ),
    x.settings.connectTimeoutMs,
  )
  x.outcome.onRelease(() => clearTimeout(connectTimer))
  request.on('socket', (socket: Socket) => {
    const connected = () => {
      clearTimeout(connectTimer)
      guardTransferRate(x)
    }
    if (!socket.connecting) connected()
    else socket.once('connect', connected)
  })
}

/**
 * Minimum transfer rate: every window, the bytes received in it must reach minBytesPerSecond × window
 * (NET_TOO_SLOW). A server that accepts the connection and then trickles or stalls (a slow-loris mirror) is cut off.
 */
function guardTransferRate(x: Exchange): void {
  const { minBytesPerSecond, minRateWindowMs } = x.settings
  const need = (minBytesPerSecond * minRateWindowMs) / 1000
  let windowStart = x.chain.received
  const timer = setInterval(() => {
    const got = x.chain.received - windowStart
    if (got < need) {
      x.outcome.fail(
        netError('NET_TOO_SLOW', `transfer from ${x.url.host} below ${minBytesPerSecond} B/s`, x.req.url, {
          bytesInWindow: got,
          windowMs: minRateWindowMs,
        }),
      )
    }
    windowStart = x.chain.received
  }, minRateWindowMs)
  x.outcome.onRelease(() => clearInterval(timer))
}

/** What to do with a response, decided from its status line and headers alone. */
type ResponsePlan =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'read-body'; readonly declared: number | undefined }
  | {
      readonly kind: 'refuse'
      readonly code: NetErrorCode
      readonly message: string
      readonly details: Record<string, number>
    }

/**
 * Decides what a response means: a redirect to hand back to the chain, 304, an error status, or a body to read
 * (NET_TOO_LARGE already when its Content-Length is over the cap).
 */
function planResponse(
  status: number,
  header: (name: string) => string | undefined,
  x: Pick<Exchange, 'url' | 'req'>,
): ResponsePlan {
  const href = x.url.href
  if (REDIRECT_STATUSES.has(status)) {
    // The body was meant for this host only: never resent elsewhere, never turned into a GET.
    if (x.req.method === 'POST')
      return refuse('NET_HTTP_STATUS', `redirect refused for a POST to ${href}`, { status })
    const location = header('location')
    if (!location) return refuse('NET_HTTP_STATUS', `redirect without Location from ${href}`, { status })
    return { kind: 'redirect', location }
  }
  if (status === 304) return { kind: 'not-modified' }
  if (status === 404 || status === 410) return refuse('NET_NOT_FOUND', `not found: ${href}`, { status })
  if (status !== 200) return refuse('NET_HTTP_STATUS', `HTTP ${status} from ${href}`, { status })
  const lengthHeader = header('content-length')
  const declared = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined
  const maxBytes = x.req.maxBytes
  if (declared !== undefined && declared > maxBytes)
    return refuse('NET_TOO_LARGE', `${href} is ${declared} bytes, cap ${maxBytes}`, { declared, maxBytes })
  return { kind: 'read-body', declared }
}

function refuse(code: NetErrorCode, message: string, details: Record<string, number>): ResponsePlan {
  return { kind: 'refuse', code, message, details }
}

/** Acts on a response as `planResponse` decides. */
function answer(x: Exchange, response: IncomingMessage): void {
  response.on('error', (e) => x.outcome.fail(toNetError(e, x.req.url)))
  response.on('aborted', () =>
    x.outcome.fail(netError('NET_UNREACHABLE', `connection closed mid-body: ${x.url.href}`, x.req.url)),
  )
  const header = (name: string) => {
    const value = response.headers[name]
    return typeof value === 'string' ? value : undefined
  }
  const plan = planResponse(response.statusCode ?? 0, header, x)
  switch (plan.kind) {
    case 'redirect':
      return x.outcome.succeed({ kind: 'redirect', location: plan.location })
    case 'not-modified':
      return x.outcome.succeed({
        kind: 'done',
        notModified: true,
        body: new Uint8Array(0),
        etag: header('etag'),
        lastModified: header('last-modified'),
      })
    case 'refuse':
      return x.outcome.fail(netError(plan.code, plan.message, x.req.url, plan.details))
    case 'read-body':
      return readBody(x, response, plan.declared, header)
  }
}

/**
 * Where a body's bytes go as they arrive. With a declared length they are copied into one array of that size (at
 * most the cap: `planResponse` refused more), so a 25 MB index is held once instead of as its chunks, then their
 * join, then a copy of the join; a large zeroed array is mapped lazily, so its pages count as they are written.
 * Without a declared length the chunks are kept and joined once at the end. Either way the result owns its whole
 * ArrayBuffer (offset 0), never a view into Node's shared buffer pool.
 */
export class BodyBuffer {
  private readonly whole: Uint8Array | undefined
  private readonly chunks: Uint8Array[] = []
  private filled = 0

  constructor(declared: number | undefined) {
    this.whole = declared === undefined ? undefined : new Uint8Array(declared)
  }

  /** Bytes taken so far. */
  get size(): number {
    return this.filled
  }

  /** Takes a chunk; false (nothing taken) when it would run past the declared length. */
  add(chunk: Uint8Array): boolean {
    if (this.whole) {
      if (this.filled + chunk.byteLength > this.whole.byteLength) return false
      this.whole.set(chunk, this.filled)
    } else {
      this.chunks.push(chunk)
    }
    this.filled += chunk.byteLength
    return true
  }

  /** The body: exactly the bytes taken, in order. */
  bytes(): Uint8Array {
    if (this.whole)
      return this.filled === this.whole.byteLength ? this.whole : this.whole.slice(0, this.filled)
    const out = new Uint8Array(this.filled)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.byteLength
    }
    this.chunks.length = 0
    return out
  }
}

/**
 * Reads the body under the size cap (NET_TOO_LARGE the moment it is passed, whatever Content-Length said) and
 * checks that a declared length arrived whole (NET_UNREACHABLE for a truncated body, or one longer than declared).
 */
function readBody(
  x: Exchange,
  response: IncomingMessage,
  declared: number | undefined,
  header: (name: string) => string | undefined,
): void {
  const { req, url } = x
  const body = new BodyBuffer(declared)
  response.on('data', (chunk: Buffer) => {
    if (x.outcome.settled()) return
    x.chain.received += chunk.length
    if (body.size + chunk.length > req.maxBytes) {
      x.outcome.fail(
        netError('NET_TOO_LARGE', `${url.href} exceeded the cap of ${req.maxBytes} bytes`, req.url, {
          maxBytes: req.maxBytes,
        }),
      )
      return
    }
    // Node's HTTP parser stops a body at its Content-Length; this guard keeps the copy in bounds regardless.
    if (!body.add(chunk)) {
      x.outcome.fail(
        netError('NET_UNREACHABLE', `body from ${url.href} is longer than its Content-Length`, req.url, {
          declared: declared ?? 0,
        }),
      )
      return
    }
    req.onProgress?.(body.size, declared)
  })
  response.on('end', () => {
    if (x.outcome.settled()) return
    if (declared !== undefined && body.size !== declared) {
      x.outcome.fail(
        netError('NET_UNREACHABLE', `truncated body from ${url.href}`, req.url, {
          declared,
          size: body.size,
        }),
      )
      return
    }
    x.outcome.succeed({
      kind: 'done',
      notModified: false,
      body: body.bytes(),
      etag: header('etag'),
      lastModified: header('last-modified'),
    })
  })
}
