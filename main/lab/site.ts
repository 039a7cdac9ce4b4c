/**
 * One lab "host": an HTTP server on 127.0.0.1 with its own port, serving a target's content through its current
 * fault. Transport faults (down, refused, slow, stalled, oversized, endless, redirects) are applied here; content
 * faults are the content function's business.
 *
 * Loopback only (main/lab/README.md): the listener is bound to 127.0.0.1, never to all interfaces.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Fault } from './faults'
import { closeServer, listenOnLoopback, trackSockets } from './loopback'

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

/**
 * Writes filler bytes to `res` as fast as the reader takes them: `bytes` of them, then ends it, or (Infinity) without
 * end, until the connection is cut.
 */
export function sendFiller(res: ServerResponse, bytes: number): void {
  let left = bytes
  const step = (): void => {
    while (!res.destroyed && left > 0) {
      left -= ENDLESS_CHUNK.length
      if (!res.write(ENDLESS_CHUNK)) {
        res.once('drain', step)
        return
      }
    }
    if (!res.destroyed) res.end()
  }
  step()
}

/** Timers of a host's slow answers, cleared on close so a closed lab leaves nothing pending. */
interface Timers {
  later(ms: number, fn: () => void): void
  clear(): void
}

function createTimers(): Timers {
  const pending = new Set<ReturnType<typeof setTimeout>>()
  return {
    later(ms, fn) {
      const timer = setTimeout(() => {
        pending.delete(timer)
        fn()
      }, ms)
      pending.add(timer)
    },
    clear() {
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
    },
  }
}

/**
 * Reads a POST body up to SITE_MAX_REQUEST_BYTES and hands it to `serve`; a larger one gets 413 and the connection
 * is cut. Other methods are served at once with an empty body.
 */
function withRequestBody(req: IncomingMessage, res: ServerResponse, serve: (body: Uint8Array) => void): void {
  if (req.method !== 'POST') {
    serve(new Uint8Array(0))
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > SITE_MAX_REQUEST_BYTES) {
      res.writeHead(413, { 'content-length': 0, connection: 'close' }).end()
      req.destroy()
      return
    }
    chunks.push(chunk)
  })
  req.on('end', () => {
    if (size <= SITE_MAX_REQUEST_BYTES) serve(new Uint8Array(Buffer.concat(chunks)))
  })
  req.on('error', () => res.destroy())
}

/** Answers a transport fault that needs no content (down, redirects, oversized, endless); false for the others. */
function answeredByTransportFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): boolean {
  switch (fault.name) {
    case 'down':
      req.socket.destroy()
      return true
    case 'redirect-loop':
      res.writeHead(302, { location: url.pathname + url.search, 'content-length': 0 }).end()
      return true
    case 'redirect-to-http':
      res
        .writeHead(302, {
          location: `${NON_LOOPBACK_HTTP_ORIGIN}${url.pathname}${url.search}`,
          'content-length': 0,
        })
        .end()
      return true
    case 'oversized':
      res.writeHead(200, { 'content-length': OVERSIZED_BYTES, 'content-type': 'application/octet-stream' })
      sendFiller(res, OVERSIZED_BYTES)
      return true
    case 'endless':
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      sendFiller(res, Number.POSITIVE_INFINITY)
      return true
    default:
      return false
  }
}

/** Sends the content's answer as the fault shapes it: half then silence (stalled), trickled (slow), or whole. */
function sendAnswer(res: ServerResponse, answer: SiteResponse, fault: Fault, timers: Timers): void {
  const body = answer.body ?? new Uint8Array(0)
  res.writeHead(answer.status, {
    'content-length': body.length,
    'content-type': answer.contentType ?? 'application/octet-stream',
  })
  if (fault.name === 'stalled') {
    // Half the body, then nothing: only the client's minimum-rate check or deadline can end it.
    res.write(body.subarray(0, Math.floor(body.length / 2)))
    return
  }
  if (fault.name === 'slow') {
    const tick = 100
    const perTick = Math.max(1, Math.floor(((fault.bytesPerSecond ?? 512) * tick) / 1000))
    let offset = 0
    const step = (): void => {
      if (res.destroyed) return
      res.write(body.subarray(offset, offset + perTick))
      offset += perTick
      if (offset >= body.length) res.end()
      else timers.later(tick, step)
    }
    step()
    return
  }
  res.end(body)
}

/** Starts a lab host. `port` 0 (default) picks a free port. */
export async function startSite(opts: {
  readonly port?: number
  readonly content: SiteContent
}): Promise<Site> {
  let fault: Fault = { name: 'none' }
  let requests = 0
  let closed = false
  const timers = createTimers()

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
    const current = fault
    if (answeredByTransportFault(current, req, res, url)) return
    const request = { method: req.method ?? 'GET', body: requestBody }
    sendAnswer(res, opts.content(path, url.searchParams, current, request), current, timers)
  }

  const server: Server = createServer((req, res) =>
    withRequestBody(req, res, (body) => serve(req, res, body)),
  )
  const sockets = trackSockets(server)
  await listenOnLoopback(server, opts.port ?? 0)
  const port = (server.address() as AddressInfo).port

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    fault: () => fault,
    async setFault(next) {
      const wasRefused = fault.name === 'refused'
      fault = next
      // Connections in flight under the old fault (a stall, an endless body) are cut so the switch is immediate.
      for (const socket of sockets) socket.destroy()
      if (next.name === 'refused' && !wasRefused) await closeServer(server, sockets)
      else if (next.name !== 'refused' && wasRefused && !closed) await listenOnLoopback(server, port)
    },
    requestCount: () => requests,
    async close() {
      closed = true
      timers.clear()
      await closeServer(server, sockets)
    },
  }
}
