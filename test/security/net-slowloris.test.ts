/** Attack: a mirror trickles bytes (or stalls mid-body) to hold the check forever (slow-loris in reverse). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../main/core/errors'
import { createFetcher } from '../../main/node/http-fetcher'
import { sleep, startLoopbackServer } from '../support/loopback-server'
import type { LoopbackServer } from '../support/loopback-server'

let server: LoopbackServer
beforeAll(async () => {
  server = await startLoopbackServer(async (req, res) => {
    res.writeHead(200)
    if (req.url === '/stall') {
      res.write(Buffer.alloc(10_000))
      return
    }
    // One byte every 20 ms, each on time: never idle long enough for an idle timeout, far below the minimum rate.
    for (let i = 0; i < 1000 && !res.destroyed; i++) {
      res.write('x')
      await sleep(20)
    }
    res.end()
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

const fetcher = createFetcher({ minBytesPerSecond: 1024, minRateWindowMs: 400 })
const req = (path: string) => ({
  url: `${server.url}${path}`,
  maxBytes: 1 << 20,
  timeoutMs: 30_000,
  allowHttp: false,
})

describe('slow-loris attack', () => {
  describe('when bytes trickle below the minimum rate', () => {
    it('is cut off with NET_TOO_SLOW long before the total deadline', async () => {
      const t0 = Date.now()
      expect(await codeOf(fetcher(req('/trickle')))).toBe('NET_TOO_SLOW')
      expect(Date.now() - t0).toBeLessThan(2000)
    })
  })
  describe('when the body stalls midway', () => {
    it('is cut off with NET_TOO_SLOW', async () => {
      expect(await codeOf(fetcher(req('/stall')))).toBe('NET_TOO_SLOW')
    })
  })
})
