/**
 * A loopback apt mirror for tests: serves a path → bytes map with strong ETags, Last-Modified and 304 answers, and
 * lets a test swap files or inject a fault per path at any time.
 */
import type { ServerResponse } from 'node:http'
import { sha256Hex } from '../../main/lab/archive'
import { sendFiller } from '../../main/lab/site'
import { sleep, startLoopbackServer } from './loopback-server'
import type { LoopbackServer } from './loopback-server'

/** A fault for one path. `stall` sends headers and part of the body, then nothing. */
export type MirrorFault = 'down' | 'stall' | 'trickle' | 'endless' | 'status-500' | 'always-304'

/** A running test mirror. */
export interface MirrorServer extends LoopbackServer {
  /** Files by URL path (e.g. `/ubuntu/dists/noble-security/InRelease`). Mutate freely. */
  readonly files: Map<string, Uint8Array>
  /** Faults by URL path prefix. */
  readonly faults: Map<string, MirrorFault>
}

const LAST_MODIFIED = 'Sat, 06 Jun 2026 17:50:00 GMT'

function etagOf(body: Uint8Array): string {
  return `"${sha256Hex(body).slice(0, 16)}"`
}

async function applyFault(fault: MirrorFault, res: ServerResponse): Promise<void> {
  switch (fault) {
    case 'down':
      res.socket?.destroy()
      return
    case 'always-304':
      res.writeHead(304).end()
      return
    case 'status-500':
      res.writeHead(500).end()
      return
    case 'stall':
      // No Content-Length, so no size cap can end it early: only the minimum-rate check can.
      res.writeHead(200)
      res.write(Buffer.alloc(100, 0x20))
      return
    case 'trickle':
      res.writeHead(200)
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(' ')
        await sleep(50)
      }
      res.end()
      return
    case 'endless':
      res.writeHead(200)
      sendFiller(res, Number.POSITIVE_INFINITY)
      return
  }
}

/** Starts a mirror serving `files`. */
export async function startMirrorServer(files: Iterable<[string, Uint8Array]> = []): Promise<MirrorServer> {
  const map = new Map(files)
  const faults = new Map<string, MirrorFault>()
  const server = await startLoopbackServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    for (const [prefix, fault] of faults) {
      if (path.startsWith(prefix)) return applyFault(fault, res)
    }
    const body = map.get(path)
    if (!body) {
      res.writeHead(404, { 'content-length': 0 }).end()
      return
    }
    const etag = etagOf(body)
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end()
      return
    }
    res.writeHead(200, { 'content-length': body.length, etag, 'last-modified': LAST_MODIFIED })
    res.end(body)
  })
  return Object.assign(server, { files: map, faults })
}
