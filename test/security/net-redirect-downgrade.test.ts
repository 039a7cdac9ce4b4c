/** Attack: an https mirror (or a spoofed one) redirects to plain http or to a local file to strip integrity. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../main/core/errors'
import { checkRedirect, createFetcher } from '../../main/node/http-fetcher'
import { startLoopbackServer } from '../support/loopback-server'
import type { LoopbackServer } from '../support/loopback-server'
import { makeSelfSignedCert } from '../support/tls-cert'

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e.code
    throw e
  }
  throw new Error('expected a CoreError')
}

const tls = makeSelfSignedCert()
let plain: LoopbackServer
let secure: LoopbackServer | undefined
beforeAll(async () => {
  plain = await startLoopbackServer((req, res) => {
    if (req.url === '/to-file') res.writeHead(302, { location: 'file:///etc/passwd' }).end()
    else res.writeHead(200, { 'content-length': 2 }).end('ok')
  })
  if ('key' in tls) {
    secure = await startLoopbackServer(
      (_req, res) => res.writeHead(301, { location: `${plain.url}/InRelease` }).end(),
      { tls },
    )
  }
})
afterAll(async () => {
  await plain.close()
  await secure?.close()
})

describe('redirect downgrade attack', () => {
  describe('when an https URL redirects to http (pure policy)', () => {
    it('is refused with NET_REDIRECT_DOWNGRADE even where http is allowed', () => {
      expect(
        checkRedirect(
          new URL('https://mirror.example/ubuntu/'),
          new URL('http://mirror.example/ubuntu/'),
          true,
        ),
      ).toBe('NET_REDIRECT_DOWNGRADE')
    })
  })
  describe.skipIf(!('key' in tls))(
    `when a real https server redirects to http${'skip' in tls ? ` (${tls.skip})` : ''}`,
    () => {
      it('is refused with NET_REDIRECT_DOWNGRADE', async () => {
        const f = createFetcher({ ca: 'cert' in tls ? tls.cert : [] })
        const req = {
          url: `${secure?.url}/ubuntu/dists/noble/InRelease`,
          maxBytes: 1000,
          timeoutMs: 5000,
          allowHttp: true,
        }
        expect(await codeOf(f(req))).toBe('NET_REDIRECT_DOWNGRADE')
      })
    },
  )
  describe('when an http server redirects to a file: URL', () => {
    it('is refused with NET_REDIRECT_DOWNGRADE', async () => {
      const req = { url: `${plain.url}/to-file`, maxBytes: 1000, timeoutMs: 5000, allowHttp: true }
      expect(await codeOf(createFetcher()(req))).toBe('NET_REDIRECT_DOWNGRADE')
    })
  })
})
