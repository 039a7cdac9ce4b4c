/**
 * Real HTTP(S) servers on 127.0.0.1, port 0, for tests (never a mocked fetch).
 *
 * The server records each request and the bytes each socket carried (headers included), and `close()` destroys
 * every open socket so a test never leaks a handle.
 */
import { createServer as createHttpServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
}

/** A running loopback server. */
export interface LoopbackServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  readonly port: number
  readonly requests: RecordedRequest[]
  /** Wire bytes (headers + bodies) read and written by the server over all sockets, closed or open. */
  wireBytes(): { read: number; written: number }
  /** Zeroes `requests` and the wire-byte counters. */
  resetStats(): void
  close(): Promise<void>
}

/** A request handler; may be async. */
export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse) => unknown

/** Starts a server on 127.0.0.1:0. Pass `tls` (PEM key + cert) for https. */
export async function startLoopbackServer(
  handler: LoopbackHandler,
  opts: { tls?: { key: string; cert: string } } = {},
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let closedRead = 0
  let closedWritten = 0
  const wrapped = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers })
    Promise.resolve(handler(req, res)).catch(() => res.destroy())
  }
  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, wrapped)
    : createHttpServer(wrapped)
  const connectionEvent = opts.tls ? 'secureConnection' : 'connection'
  server.on(connectionEvent, (s: Socket) => {
    sockets.add(s)
    s.on('close', () => {
      closedRead += s.bytesRead
      closedWritten += s.bytesWritten
      sockets.delete(s)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    wireBytes() {
      let read = closedRead
      let written = closedWritten
      for (const s of sockets) {
        read += s.bytesRead
        written += s.bytesWritten
      }
      return { read, written }
    },
    resetStats() {
      requests.length = 0
      closedRead = 0
      closedWritten = 0
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Resolves after `ms` milliseconds (for handlers that trickle or stall). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
