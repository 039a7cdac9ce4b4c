import { randomBytes } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, resolve, sep } from 'node:path'
import { Channels, EventNames } from '../../../preload/contract/channels'
import { Limits } from '../../core/limits'
import type { Backend } from '../backend'
import { invokeHandler } from '../handlers'
import { checkApiRequest, checkHostAndOrigin, type HostRequestFacts } from './sender-policy'

/** The running loopback host. */
export interface LoopbackHost {
  /** The URL to open, token included in the fragment (never sent to the server, never logged by proxies). */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
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

/** Paths of the API: requests are `POST /api/<method>`, the event stream is `GET /api/events`. */
export const HostPaths = { api: '/api/', events: '/api/events' } as const

/**
 * Serves the built renderer and the typed API on 127.0.0.1 only (browser mode).
 *
 * Every API request needs the per-run token and this listener's Host/Origin; static files need the Host check
 * only (they are the public build output).
 */
export async function startLoopbackHost(opts: HostOptions): Promise<LoopbackHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const rendererDir = await realpath(resolve(opts.rendererDir))
  const streams = new Set<ServerResponse>()
  let port = 0

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error')
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const facts = requestFacts(req)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname.startsWith(HostPaths.api)) {
      const refusal = checkApiRequest(facts, port, token)
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
      const method = decodeURIComponent(url.pathname.slice(HostPaths.api.length))
      const result = await invokeHandler(opts.backend.handlers, method, args)
      return send(res, 200, 'application/json', JSON.stringify(result))
    }
    const refusal = checkHostAndOrigin(facts, port)
    if (refusal) return send(res, 403, 'text/plain', `forbidden: ${refusal}`)
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed')
    return serveStatic(url.pathname, res)
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
    res.write(': connected\n\n')
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
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '')
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
    close: () =>
      new Promise<void>((ok) => {
        for (const s of streams) s.end()
        server.close(() => ok())
        server.closeAllConnections()
      }),
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

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
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
