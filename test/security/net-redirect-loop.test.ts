/** Attack: a mirror redirects in a loop, or through an endless chain, to keep the client busy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../main/core/errors'
import { createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer } from '../support/loopback-server'
import type { LoopbackServer } from '../support/loopback-server'

let server: LoopbackServer
beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    const url = req.url ?? '/'
    if (url === '/a') res.writeHead(302, { location: '/b' }).end()
    else if (url === '/b') res.writeHead(302, { location: '/a' }).end()
    else res.writeHead(302, { location: `/chain/${Math.random()}` }).end()
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

describe('redirect loop attack', () => {
  it.each(['/a', '/chain/0'])('stops %s with NET_REDIRECT_LIMIT', async (path) => {
    server.resetStats()
    const req = { url: `${server.url}${path}`, maxBytes: 1000, timeoutMs: 5000, allowHttp: false }
    expect(await codeOf(createFetcher()(req))).toBe('NET_REDIRECT_LIMIT')
    // The first request plus at most maxRedirects (5) followed hops, and not one more.
    expect(server.requests.length).toBeLessThanOrEqual(6)
  })
})
