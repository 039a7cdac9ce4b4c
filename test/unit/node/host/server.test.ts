import { request, type ClientRequest } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Limits } from '../../../../main/core/limits'
import { MAX_EVENT_STREAMS } from '../../../../main/node/host/event-streams'
import { startLoopbackHost, type LoopbackHost } from '../../../../main/node/host/server'
import { backendWith, mirrorStatus } from '../../../support/backend'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'

interface Reply {
  status: number
  body: string
}

function call(
  host: LoopbackHost,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', fail)
    req.end(opts.body)
  })
}

const apiPost = (host: LoopbackHost, method: string, args: unknown, headers: Record<string, string> = {}) =>
  call(host, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lifeline-token': host.token, ...headers },
    body: JSON.stringify({ args }),
  })

describe('loopback host', () => {
  let dir: TempDir
  let host: LoopbackHost
  let polls = 0

  beforeAll(async () => {
    dir = await makeTempDir()
    const renderer = join(dir.path, 'renderer')
    await mkdir(join(renderer, 'assets'), { recursive: true })
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>')
    await writeFile(join(renderer, 'assets', 'a.js'), 'console.log(1)')
    await writeFile(join(dir.path, 'secret.txt'), 'outside')
    const backend = await backendWith(async () => {
      polls++
      return [mirrorStatus({ state: 'unreachable' })]
    })
    host = await startLoopbackHost({ backend, rendererDir: join(dir.path, 'renderer') })
  })
  afterAll(async () => {
    await host.close()
    await dir.cleanup()
  })

  describe('when it starts', () => {
    it('listens on 127.0.0.1 only and puts the token in the URL fragment', () => {
      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/)
    })
  })

  describe('when serving the page', () => {
    it('serves index.html and assets with nosniff', async () => {
      expect((await call(host, '/')).status).toBe(200)
      expect((await call(host, '/assets/a.js')).body).toBe('console.log(1)')
    })
    it('refuses paths outside the renderer folder', async () => {
      expect((await call(host, '/../secret.txt')).status).toBe(404)
      expect((await call(host, '/%2e%2e/secret.txt')).status).toBe(404)
    })
    it('refuses a foreign Host header (DNS rebinding)', async () => {
      const r = await call(host, '/', { headers: { host: `evil.example:${host.port}` } })
      expect(r.status).toBe(403)
    })
  })

  describe('when calling the API', () => {
    it('answers with the right token, Host and Origin', async () => {
      const r = await apiPost(host, 'getStatus', [], { origin: `http://127.0.0.1:${host.port}` })
      expect(r.status).toBe(200)
      expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { revision: expect.any(Number) } })
    })
    it('refuses a request without the token', async () => {
      const r = await call(host, '/api/getStatus', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"args":[]}',
      })
      expect(r.status).toBe(403)
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'API_FORBIDDEN', message: 'missing-token' })
    })
    it('refuses a wrong token', async () => {
      const r = await apiPost(host, 'getStatus', [], { 'x-lifeline-token': 'x'.repeat(43) })
      expect(r.status).toBe(403)
      expect(JSON.parse(r.body).message).toBe('bad-token')
    })
    it('refuses a foreign Host header even with the token', async () => {
      const r = await apiPost(host, 'getStatus', [], { host: `localhost.evil.example:${host.port}` })
      expect(r.status).toBe(403)
      expect(JSON.parse(r.body).message).toBe('bad-host')
    })
    it('refuses a foreign Origin even with the token', async () => {
      const r = await apiPost(host, 'getStatus', [], { origin: 'http://evil.example' })
      expect(JSON.parse(r.body).message).toBe('bad-origin')
    })
    it('refuses a cross-site fetch', async () => {
      const r = await apiPost(host, 'getStatus', [], { 'sec-fetch-site': 'cross-site' })
      expect(JSON.parse(r.body).message).toBe('cross-site')
    })
    it('returns API_UNKNOWN_METHOD for a method not in the contract', async () => {
      const r = await apiPost(host, 'constructor', [])
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'API_UNKNOWN_METHOD' })
    })
    it('returns API_BAD_ARGUMENT for unexpected arguments', async () => {
      expect(JSON.parse((await apiPost(host, 'checkNow', ['https://evil.example'])).body)).toMatchObject({
        ok: false,
        code: 'API_BAD_ARGUMENT',
      })
      expect(JSON.parse((await apiPost(host, 'checkNow', 'not-an-array')).body).code).toBe('API_BAD_ARGUMENT')
    })
    it('returns API_BAD_ARGUMENT, not a 500, for a JSON body that is not an object', async () => {
      for (const body of ['null', '[]', '42']) {
        const r = await call(host, '/api/getStatus', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lifeline-token': host.token },
          body,
        })
        expect(r.status).toBe(400)
        expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'API_BAD_ARGUMENT' })
      }
    })
    it(`refuses more than MAX_EVENT_STREAMS open event streams`, async () => {
      const open: ClientRequest[] = []
      const statuses: number[] = []
      for (let i = 0; i < MAX_EVENT_STREAMS + 2; i++) {
        statuses.push(
          await new Promise<number>((resolve, reject) => {
            const req = request(
              {
                host: '127.0.0.1',
                port: host.port,
                path: '/api/events',
                headers: { host: `127.0.0.1:${host.port}`, 'x-lifeline-token': host.token },
              },
              (res) => resolve(res.statusCode ?? 0),
            )
            req.on('error', reject)
            req.end()
            open.push(req)
          }),
        )
      }
      for (const r of open) r.destroy()
      expect(statuses.filter((s) => s === 200)).toHaveLength(MAX_EVENT_STREAMS)
      expect(statuses.slice(-2)).toEqual([503, 503])
      await new Promise((r) => setTimeout(r, 100))
    })
    it('refuses a non-JSON content type (no simple cross-site form posts)', async () => {
      const r = await call(host, '/api/checkNow', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-lifeline-token': host.token },
        body: '{"args":[]}',
      })
      expect(r.status).toBe(415)
    })
  })

  describe('when a check runs', () => {
    it('streams the state changes to an event-stream subscriber', async () => {
      const events: string[] = []
      const done = new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: '/api/events',
            headers: { host: `127.0.0.1:${host.port}`, 'x-lifeline-token': host.token },
          },
          (res) => {
            expect(res.headers['content-type']).toBe('text/event-stream')
            res.on('data', (c: Buffer) => {
              events.push(c.toString())
              if (events.join('').includes('"kind":"no-source"')) {
                req.destroy()
                resolve()
              }
            })
          },
        )
        req.on('error', (e) => (events.join('').includes('no-source') ? resolve() : reject(e)))
        req.end()
      })
      await new Promise((r) => setTimeout(r, 50))
      const before = polls
      const r = JSON.parse((await apiPost(host, 'checkNow', [])).body)
      await done
      expect(polls).toBe(before + 1)
      expect(r).toMatchObject({ ok: true, value: { kind: 'no-source' } })
      expect(events.join('')).toContain('event: app:status-changed')
      expect(events.join('')).toContain('"kind":"checking"')
    })
  })

  describe('when a page opens the event stream', () => {
    it('first says hello with the heartbeat period, so the page can tell silence from a stopped host', async () => {
      const first = await new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: '/api/events',
            headers: { host: `127.0.0.1:${host.port}`, 'x-lifeline-token': host.token },
          },
          (res) =>
            res.once('data', (c: Buffer) => {
              req.destroy()
              resolve(c.toString())
            }),
        )
        req.on('error', reject)
        req.end()
      })
      expect(first).toBe(`event: host:hello\ndata: {"heartbeatMs":${Limits.host.heartbeatMs}}\n\n`)
    })
  })
})

describe('loopback host, when it stops', () => {
  it('tells every open page "host:stopping" before closing, so an app window can close itself', async () => {
    const dir = await makeTempDir()
    await writeFile(join(dir.path, 'index.html'), '<!doctype html><title>t</title>')
    const host = await startLoopbackHost({
      backend: await backendWith(async () => [mirrorStatus()]),
      rendererDir: dir.path,
    })
    let text = ''
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${host.port}`, 'x-lifeline-token': host.token },
        },
        (res) => {
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => resolve())
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    await host.close()
    await ended
    expect(text.endsWith('event: host:stopping\ndata: {}\n\n')).toBe(true)
    await dir.cleanup()
  })
})
