import { randomBytes } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname, resolve, sep } from 'node:path'
import { Channels, EventNames } from '../../../preload/contract/channels'
import { Limits } from '../../core/limits'
import type { Backend } from '../backend'
import { invokeHandler } from '../handlers'
import { loopbackPeerUid } from './peer-uid'
import {
  checkApiRequest,
  checkHostAndOrigin,
  timingSafeEqualStrings,
  type HostRefusal,
  type HostRequestFacts,
} from './sender-policy'

/** The running loopback host. */
export interface LoopbackHost {
  /**
   * The URL to print for the user, session token in the fragment (never sent to the server, never logged by
   * proxies). Never put it on a command line: use `issueBootstrapUrl()` for a browser started by Lifeline.
   */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
  /**
   * A URL with a fresh one-time code instead of the session token, for a browser's command line (readable by every
   * local user in /proc/PID/cmdline). The page exchanges the code once at `POST /session`; the code is then dead,
   * and it dies anyway after `Limits.host.bootstrapCodeTtlMs`.
   */
  issueBootstrapUrl(): string
  /** Tells every open page that the host is stopping (so an app window can close), then closes. */
  close(): Promise<void>
}

/** Options of startLoopbackHost. */
export interface HostOptions {
  readonly backend: Backend
  /** The built renderer (`out/renderer`). */
  readonly rendererDir: string
  /** 0 (default) picks a random free port. */
  readonly port?: number
  /** Fixed token for tests; random 32 bytes otherwise. */
  readonly token?: string
  /** Clock for the bootstrap codes' lifetime (tests); `Date.now` otherwise. */
  readonly now?: () => number
}

// A pasted text of up to Limits.size.pastedTextBytes UTF-16 units may take 3 bytes each in UTF-8, plus JSON escaping.
const MAX_BODY_BYTES = 4 * Limits.size.pastedTextBytes + 64 * 1024
/** Open event streams at most (Limits.host). */
export const MAX_EVENT_STREAMS = Limits.host.maxEventStreams
const MAX_STREAM_BUFFER_BYTES = Limits.host.maxStreamBufferBytes
const TOKEN_HEADER = 'x-lifeline-token'
const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/**
 * Paths of the API: requests are `POST /api/<method>`, the event stream is `GET /api/events`, and `POST /session`
 * exchanges a one-time bootstrap code for the session token.
 */
export const HostPaths = { api: '/api/', events: '/api/events', session: '/session' } as const

/**
 * The page's Content-Security-Policy. `renderer/index.html` carries the same policy in a `<meta>` tag (a unit test
 * keeps the two equal); the header also covers what a meta tag cannot (it applies before any byte is parsed, and to
 * every response, not just the HTML).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"

/**
 * Events the host itself sends on the stream, beside the contract's: `host:hello` (with the heartbeat period, so the
 * page knows how long silence may last) and `host:stopping` (the server is shutting down on purpose).
 */
export const HostEvents = { hello: 'host:hello', stopping: 'host:stopping' } as const

/** Why a bootstrap code was refused (`POST /session`). */
export type BootstrapRefusal = 'unknown-code' | 'expired-code' | 'other-user' | 'unknown-user'

/**
 * Serves the built renderer and the typed API on 127.0.0.1 only (browser mode).
 *
 * Every API request needs the per-run token and this listener's Host/Origin; static files need the Host check
 * only (they are the public build output).
 */
export async function startLoopbackHost(opts: HostOptions): Promise<LoopbackHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const now = opts.now ?? Date.now
  const rendererDir = await realpath(resolve(opts.rendererDir))
  const streams = new Set<ServerResponse>()
  // One-time codes → when they stop working. A used code is deleted, so it is refused like one never issued.
  const codes = new Map<string, number>()
  let port = 0
  // Only the user running Lifeline may exchange a code or call the API: another local user can read the code on
  // Chromium's command line and race the window for it (peer-uid.ts). Linux only: elsewhere there is no /proc/net.
  const ownUid = process.platform === 'linux' ? process.getuid?.() : undefined
  const peerUids = new WeakMap<Socket, Promise<number | undefined>>()
  async function peerRefusal(req: IncomingMessage): Promise<'other-user' | 'unknown-user' | undefined> {
    if (ownUid === undefined) return undefined
    let uid = peerUids.get(req.socket)
    if (uid === undefined) {
      uid = loopbackPeerUid(req.socket.remotePort ?? -1, port)
      peerUids.set(req.socket, uid)
    }
    const peer = await uid
    if (peer === undefined) return 'unknown-user'
    return peer === ownUid ? undefined : 'other-user'
  }
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': ping\n\n')
  }, Limits.host.heartbeatMs)
  heartbeat.unref()

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error')
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const facts = requestFacts(req)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === HostPaths.session) return exchangeCode(req, res, facts)
    if (url.pathname.startsWith(HostPaths.api)) {
      const refusal: HostRefusal | undefined = checkApiRequest(facts, port, token) ?? (await peerRefusal(req))
      if (refusal)
        return send(
          res,
          403,
          'application/json',
          JSON.stringify({ ok: false, code: 'API_FORBIDDEN', message: refusal }),
        )
      if (url.pathname === HostPaths.events && req.method === 'GET') return openEventStream(res)
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed')
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, 'text/plain', 'expected application/json')
      }
      const body = await readBody(req)
      if (body === undefined) return send(res, 413, 'text/plain', 'body too large')
      let args: unknown
      try {
        const parsed: unknown = JSON.parse(body)
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object')
        args = (parsed as { args?: unknown }).args ?? []
      } catch {
        return send(
          res,
          400,
          'application/json',
          JSON.stringify({ ok: false, code: 'API_BAD_ARGUMENT', message: 'invalid JSON' }),
        )
      }
      const method = decodePath(url.pathname.slice(HostPaths.api.length))
      if (method === undefined) return send(res, 400, 'text/plain', 'malformed %-encoding in the path')
      const result = await invokeHandler(opts.backend.handlers, method, args)
      return send(res, 200, 'application/json', JSON.stringify(result))
    }
    const refusal = checkHostAndOrigin(facts, port)
    if (refusal) return send(res, 403, 'text/plain', `forbidden: ${refusal}`)
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed')
    return serveStatic(url.pathname, res)
  }

  async function exchangeCode(
    req: IncomingMessage,
    res: ServerResponse,
    facts: HostRequestFacts,
  ): Promise<void> {
    const refusal = checkHostAndOrigin(facts, port)
    if (refusal) return send(res, 403, 'text/plain', `forbidden: ${refusal}`)
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed')
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, 'text/plain', 'expected application/json')
    }
    // Before the code is looked at, so another user's attempt neither succeeds nor uses up the window's code.
    const notOwner = await peerRefusal(req)
    const body = await readBody(req, 1024)
    let code: unknown
    try {
      code = (JSON.parse(body ?? '') as { code?: unknown }).code
    } catch {
      code = undefined
    }
    const why = notOwner ?? (typeof code === 'string' ? redeem(code) : 'unknown-code')
    if (why === undefined) return send(res, 200, 'application/json', JSON.stringify({ ok: true, token }))
    return send(
      res,
      403,
      'application/json',
      JSON.stringify({
        ok: false,
        code: 'BOOTSTRAP_REFUSED',
        message: bootstrapMessage(why),
        reason: why,
      }),
    )
  }

  /** Uses up a code: undefined when it was valid (it is now dead), the refusal otherwise. */
  function redeem(code: string): BootstrapRefusal | undefined {
    const t = now()
    let found: string | undefined
    for (const [c, until] of codes) {
      if (until <= t && c !== code) codes.delete(c)
      // Compare every candidate in constant time; the map lookup alone would leak timing on the code's hash.
      if (timingSafeEqualStrings(c, code)) found = c
    }
    if (found === undefined) return 'unknown-code'
    const until = codes.get(found) ?? 0
    codes.delete(found)
    return until > t ? undefined : 'expired-code'
  }

  function openEventStream(res: ServerResponse): void {
    // A page needs one stream; a handful covers reloads racing their own close. More is a misbehaving client.
    if (streams.size >= MAX_EVENT_STREAMS) return send(res, 503, 'text/plain', 'too many event streams')
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    })
    res.write(
      `event: ${HostEvents.hello}\ndata: ${JSON.stringify({ heartbeatMs: Limits.host.heartbeatMs })}\n\n`,
    )
    streams.add(res)
    const unsubscribes = EventNames.map((event) =>
      opts.backend.on(event, (payload) => {
        // A client that stops reading must not make the app buffer without bound.
        if (res.writableLength > MAX_STREAM_BUFFER_BYTES) return void res.destroy()
        res.write(`event: ${Channels[event]}\ndata: ${JSON.stringify(payload)}\n\n`)
      }),
    )
    res.on('close', () => {
      for (const u of unsubscribes) u()
      streams.delete(res)
    })
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const decoded = decodePath(pathname)
    if (decoded === undefined) return send(res, 400, 'text/plain', 'malformed %-encoding in the path')
    const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
    const file = resolve(rendererDir, rel)
    if (file !== rendererDir && !file.startsWith(rendererDir + sep))
      return send(res, 404, 'text/plain', 'not found')
    let data: Buffer
    try {
      const real = await realpath(file)
      if (!real.startsWith(rendererDir + sep)) return send(res, 404, 'text/plain', 'not found')
      data = await readFile(real)
    } catch {
      return send(res, 404, 'text/plain', 'not found')
    }
    send(res, 200, MIME[extname(file)] ?? 'application/octet-stream', data)
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    issueBootstrapUrl() {
      const t = now()
      for (const [c, until] of codes) if (until <= t) codes.delete(c)
      // Bounded: the oldest outstanding code goes first.
      while (codes.size >= Limits.host.maxBootstrapCodes) {
        const oldest = codes.keys().next().value
        if (oldest === undefined) break
        codes.delete(oldest)
      }
      const code = randomBytes(24).toString('base64url')
      codes.set(code, t + Limits.host.bootstrapCodeTtlMs)
      return `${origin}/#code=${code}`
    },
    async close() {
      clearInterval(heartbeat)
      codes.clear()
      // Say goodbye on every stream and let it flush (briefly) before the sockets are cut.
      const flushed = [...streams].map(
        (s) =>
          new Promise<void>((ok) => {
            s.end(`event: ${HostEvents.stopping}\ndata: {}\n\n`, () => ok())
            setTimeout(ok, 250).unref()
          }),
      )
      await Promise.all(flushed)
      await new Promise<void>((ok) => {
        server.close(() => ok())
        server.closeAllConnections()
      })
    },
  }
}

function bootstrapMessage(why: BootstrapRefusal): string {
  switch (why) {
    case 'expired-code':
      return 'This link has expired: it works only in the first minute after Lifeline opens it.'
    case 'unknown-code':
      return 'This link was already used, or it is not from this run of Lifeline.'
    case 'other-user':
      return 'This link belongs to the user running Lifeline; it does not work from another user account.'
    case 'unknown-user':
      return 'Lifeline could not tell which user opened this link, so it does not trust it.'
  }
}

function requestFacts(req: IncomingMessage): HostRequestFacts {
  const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)
  return {
    host: one(req.headers.host),
    origin: one(req.headers.origin),
    token: one(req.headers[TOKEN_HEADER]),
    secFetchSite: one(req.headers['sec-fetch-site']),
  }
}

/** `decodeURIComponent`, or undefined for a malformed `%`-sequence (a client error, answered 400, not a crash). */
function decodePath(p: string): string | undefined {
  try {
    return decodeURIComponent(p)
  } catch {
    return undefined
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  })
  res.end(body)
}

function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        ok(undefined)
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}
