/**
 * One lab "host": an HTTP server on 127.0.0.1 with its own port, serving a target's content through its current
 * fault. Transport faults (down, refused, slow, stalled, oversized, endless, redirects) are applied here; content
 * faults are the content function's business.
 *
 * Loopback only (main/lab/README.md): the listener is bound to 127.0.0.1, never to all interfaces.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Fault } from './faults'

/** What a content function answers. */
export interface SiteResponse {
  readonly status: number
  readonly body?: Uint8Array | undefined
  readonly contentType?: string | undefined
}

/** The method and body of a request (a body is read only for POST, up to SITE_MAX_REQUEST_BYTES). */
export interface SiteRequest {
  readonly method: string
  readonly body: Uint8Array
}

/** Largest POST body a lab host reads (an OSV querybatch of 1,000 queries is about 100 KB); larger gets 413. */
export const SITE_MAX_REQUEST_BYTES = 2 * 1024 * 1024

/** Resolves a request path (and query) to content, given the target's current fault. */
export type SiteContent = (
  path: string,
  query: URLSearchParams,
  fault: Fault,
  request: SiteRequest,
) => SiteResponse

/** A running lab host. */
export interface Site {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  readonly port: number
  fault(): Fault
  /** Switches the fault; `refused` closes the listener, leaving it re-listens on the same port. */
  setFault(fault: Fault): Promise<void>
  /** Requests answered since start. */
  requestCount(): number
  close(): Promise<void>
}

/** A documentation address (RFC 5737 TEST-NET-3): never routable, so a followed redirect fails fast. */
export const NON_LOOPBACK_HTTP_ORIGIN = 'http://203.0.113.7'

const ENDLESS_CHUNK = new Uint8Array(64 * 1024).fill(0x41)
/** Content-Length announced by `oversized`: 1 GiB, over every cap in Limits.size. */
const OVERSIZED_BYTES = 1024 * 1024 * 1024

function pump(res: ServerResponse, budget: { left: number }): void {
  const step = (): void => {
    while (!res.destroyed && budget.left > 0) {
      budget.left -= ENDLESS_CHUNK.length
      if (!res.write(ENDLESS_CHUNK)) {
        res.once('drain', step)
        return
      }
    }
    if (!res.destroyed) res.end()
  }
  step()
}

/** Starts a lab host. `port` 0 (default) picks a free port. */
export async function startSite(opts: {
  readonly port?: number
  readonly content: SiteContent
}): Promise<Site> {
  let fault: Fault = { name: 'none' }
  let requests = 0
  let closed = false
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') {
      serve(req, res, new Uint8Array(0))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > SITE_MAX_REQUEST_BYTES) {
        res.writeHead(413, { 'content-length': 0, connection: 'close' }).end()
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      if (size <= SITE_MAX_REQUEST_BYTES) serve(req, res, new Uint8Array(Buffer.concat(chunks)))
    })
    req.on('error', () => res.destroy())
  }

  const serve = (req: IncomingMessage, res: ServerResponse, requestBody: Uint8Array): void => {
    requests++
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      res.writeHead(400, { 'content-length': 0 }).end()
      return
    }
    const f = fault
    switch (f.name) {
      case 'down':
        req.socket.destroy()
        return
      case 'redirect-loop':
        res.writeHead(302, { location: url.pathname + url.search, 'content-length': 0 }).end()
        return
      case 'redirect-to-http':
        res
          .writeHead(302, {
            location: `${NON_LOOPBACK_HTTP_ORIGIN}${url.pathname}${url.search}`,
            'content-length': 0,
          })
          .end()
        return
      case 'oversized':
        res.writeHead(200, { 'content-length': OVERSIZED_BYTES, 'content-type': 'application/octet-stream' })
        pump(res, { left: OVERSIZED_BYTES })
        return
      case 'endless':
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        pump(res, { left: Number.POSITIVE_INFINITY })
        return
      default:
        break
    }
    const answer = opts.content(path, url.searchParams, f, { method: req.method ?? 'GET', body: requestBody })
    const body = answer.body ?? new Uint8Array(0)
    const headers = {
      'content-length': body.length,
      'content-type': answer.contentType ?? 'application/octet-stream',
    }
    if (f.name === 'stalled') {
      res.writeHead(answer.status, headers)
      // Half the body, then nothing: only the client's minimum-rate check or deadline can end it.
      res.write(body.subarray(0, Math.floor(body.length / 2)))
      return
    }
    if (f.name === 'slow') {
      res.writeHead(answer.status, headers)
      const tick = 100
      const per = Math.max(1, Math.floor(((f.bytesPerSecond ?? 512) * tick) / 1000))
      let off = 0
      const step = (): void => {
        if (res.destroyed || closed) return
        res.write(body.subarray(off, off + per))
        off += per
        if (off >= body.length) res.end()
        else later(tick, step)
      }
      step()
      return
    }
    res.writeHead(answer.status, headers)
    res.end(body)
  }

  const server: Server = createServer(handle)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  await listen(opts.port ?? 0)
  const port = (server.address() as AddressInfo).port

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    fault: () => fault,
    async setFault(next) {
      const wasRefused = fault.name === 'refused'
      fault = next
      // Connections in flight under the old fault (a stall, an endless body) are cut so the switch is immediate.
      for (const s of sockets) s.destroy()
      if (next.name === 'refused' && !wasRefused) await stopListening()
      else if (next.name !== 'refused' && wasRefused && !closed) await listen(port)
    },
    requestCount: () => requests,
    async close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      if (server.listening) await stopListening()
    },
  }
}
