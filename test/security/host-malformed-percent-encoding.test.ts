/**
 * Attack: crash the loopback host's request handling with a malformed `%`-sequence in the path.
 *
 * `decodeURIComponent('%E0%A4%A')` throws; the host answered 500 ("internal error"), i.e. a client could make the
 * server take its error path at will. A malformed path is the client's fault: 400, and the host keeps serving.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLoopbackHost, type LoopbackHost } from '../../main/node/host/server'
import { backendWith, mirrorStatus } from '../support/backend'
import { makeTempDir, type TempDir } from '../support/temp-dir'

function call(host: LoopbackHost, path: string, method: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method,
        headers: { host: `127.0.0.1:${host.port}`, ...headers },
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', fail)
    req.end(method === 'POST' ? '{"args":[]}' : undefined)
  })
}

describe('attack: malformed percent-encoding in a request path', () => {
  let tmp: TempDir
  let host: LoopbackHost
  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-host-pct-')
    await mkdir(join(tmp.path, 'r'))
    await writeFile(join(tmp.path, 'r', 'index.html'), '<!doctype html><title>t</title>')
    host = await startLoopbackHost({
      backend: await backendWith(async () => [mirrorStatus()]),
      rendererDir: join(tmp.path, 'r'),
    })
  })
  afterAll(async () => {
    await host.close()
    await tmp.cleanup()
  })

  it('answers 400 for a static path, not 500', async () => {
    for (const p of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%C0%AF']) {
      const r = await call(host, p, 'GET')
      expect(r.status, p).toBe(400)
      expect(r.body).toBe('malformed %-encoding in the path')
    }
  })

  it('answers 400 for an API method name, not 500', async () => {
    const r = await call(host, '/api/get%E0Status', 'POST', {
      'content-type': 'application/json',
      'x-lifeline-token': host.token,
    })
    expect(r.status).toBe(400)
  })

  it('keeps serving afterwards', async () => {
    expect((await call(host, '/', 'GET')).status).toBe(200)
  })
})
