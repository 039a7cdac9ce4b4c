/** Attack: a mirror answers with an endless body (no Content-Length) to exhaust memory or disk. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../main/core/errors'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer } from '../support/loopback-server'
import type { LoopbackServer } from '../support/loopback-server'

let server: LoopbackServer
beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/lying') {
      res.writeHead(200, { 'content-length': 50 * 1024 * 1024 * 1024 })
      res.write(Buffer.alloc(1024))
      return
    }
    res.writeHead(200)
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) {
        /* fill */
      }
      if (!res.destroyed) res.once('drain', pump)
    }
    pump()
  })
})
afterAll(() => server.close())

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e.code
    throw e
  }
  throw new Error('expected a CoreError')
}

describe('endless body attack', () => {
  describe('when the body never ends', () => {
    it('is cut at the cap with NET_TOO_LARGE', async () => {
      const req = {
        url: `${server.url}/InRelease`,
        maxBytes: 4 * 1024 * 1024,
        timeoutMs: 10_000,
        allowHttp: false,
      }
      expect(await codeOf(createFetcher()(req))).toBe('NET_TOO_LARGE')
    })
  })
  describe('when Content-Length announces 50 GB', () => {
    it('is refused up front with NET_TOO_LARGE', async () => {
      const req = {
        url: `${server.url}/lying`,
        maxBytes: 4 * 1024 * 1024,
        timeoutMs: 10_000,
        allowHttp: false,
      }
      expect(await codeOf(createFetcher()(req))).toBe('NET_TOO_LARGE')
    })
  })
})
