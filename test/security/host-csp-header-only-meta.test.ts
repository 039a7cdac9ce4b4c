/**
 * Attack surface: a Content-Security-Policy only in a `<meta>` tag.
 *
 * A meta CSP applies only once the parser reaches it, not to anything before it, and not to responses that are not
 * that HTML page. The loopback host sends the policy as a header on every response, and it must be exactly the
 * policy of renderer/index.html (the Electron window reads the meta tag), so the two shells cannot drift apart.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../main/node/host/responses'
import { startLoopbackHost, type LoopbackHost } from '../../main/node/host/server'
import { backendWith, mirrorStatus } from '../support/backend'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const INDEX = fileURLToPath(new URL('../../renderer/index.html', import.meta.url))

function head(host: LoopbackHost, path: string, method = 'GET') {
  return new Promise<{ status: number; csp: string | undefined }>((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method, headers: { host: `127.0.0.1:${host.port}` } },
      (res) => {
        res.resume()
        res.on('end', () => {
          const h = res.headers['content-security-policy']
          ok({ status: res.statusCode ?? 0, csp: Array.isArray(h) ? h.join(',') : h })
        })
      },
    )
    req.on('error', fail)
    req.end()
  })
}

describe('attack surface: CSP only as a meta tag', () => {
  let tmp: TempDir
  let host: LoopbackHost
  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-host-csp-')
    await writeFile(join(tmp.path, 'index.html'), await readFile(INDEX))
    host = await startLoopbackHost({
      backend: await backendWith(async () => [mirrorStatus()]),
      rendererDir: tmp.path,
    })
  })
  afterAll(async () => {
    await host.close()
    await tmp.cleanup()
  })

  it('the header carries the same policy as the meta tag of renderer/index.html', async () => {
    const html = await readFile(INDEX, 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY)
  })

  it('sends the policy as a header on the page, on errors and on refused API calls', async () => {
    expect(await head(host, '/')).toEqual({ status: 200, csp: CONTENT_SECURITY_POLICY })
    expect(await head(host, '/missing.js')).toEqual({ status: 404, csp: CONTENT_SECURITY_POLICY })
    expect(await head(host, '/api/getStatus', 'POST')).toEqual({ status: 403, csp: CONTENT_SECURITY_POLICY })
  })
})
