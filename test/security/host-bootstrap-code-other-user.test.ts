/**
 * Attack: another local user races the app window for the one-time bootstrap code.
 *
 * `serve --open` puts `#code=…` on Chromium's command line, which every local user reads in `/proc/PID/cmdline`.
 * The code is single-use, but single-use only decides who comes *first*: a program of another user that polls
 * `/proc` posts the code to `POST /session` before Chromium has even loaded the page (Chromium takes a second or
 * more), and the host handed it the session token — full API access for the whole run. The window only said "Open
 * Lifeline from its link" afterwards.
 *
 * Now the host asks the kernel who owns the client's socket (`/proc/net/tcp`, main/node/host/peer-uid.ts): another
 * user is refused (BOOTSTRAP_REFUSED, reason `other-user`) without using up the window's code, and a token that
 * leaked anyway does not open the API to another user either (API_FORBIDDEN, `other-user`).
 *
 * The other user is real: the attacking client runs as `nobody` (uid 65534), so this part needs root to run.
 */
import { execFile } from 'node:child_process'
import { request } from 'node:http'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopbackPeerUid } from '../../main/node/host/peer-uid'
import { startLoopbackHost, type LoopbackHost } from '../../main/node/host/server'
import { backendWith, mirrorStatus } from '../support/backend'
import { makeTempDir, type TempDir } from '../support/temp-dir'

interface Reply {
  readonly status: number
  readonly body: string
}

const NOBODY = 65534
const isRoot = process.getuid?.() === 0

function post(
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', fail)
    req.end(JSON.stringify(body))
  })
}

/** The same POST, made by a Node process running as another user (what the attacker runs). */
function postAs(
  uid: number,
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const script = `
    const http = require('node:http')
    const [port, path, body, headers] = JSON.parse(process.argv[1])
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST',
      headers: { host: '127.0.0.1:' + port, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => process.stdout.write(JSON.stringify({ status: res.statusCode, body: text })))
    })
    req.end(JSON.stringify(body))`
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      ['-e', script, JSON.stringify([port, path, body, headers])],
      { uid, gid: uid, cwd: '/', timeout: 20_000 },
      (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout) as Reply)),
    )
  })
}

const codeOf = (url: string): string => new URL(url).hash.replace('#code=', '')

describe('attack: another local user exchanges the bootstrap code read from /proc first', () => {
  let tmp: TempDir
  let host: LoopbackHost

  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-code-race-')
    await writeFile(join(tmp.path, 'index.html'), '<!doctype html><title>t</title>')
    host = await startLoopbackHost({
      backend: await backendWith(async () => [mirrorStatus()]),
      rendererDir: tmp.path,
    })
  })
  afterAll(async () => {
    await host.close()
    await tmp.cleanup()
  })

  it.skipIf(!isRoot)('refuses the other user (other-user) and leaves the code to the window', async () => {
    const code = codeOf(host.issueBootstrapUrl())
    const stolen = await postAs(NOBODY, host.port, '/session', { code })
    expect(stolen.status).toBe(403)
    expect(JSON.parse(stolen.body)).toMatchObject({ code: 'BOOTSTRAP_REFUSED', reason: 'other-user' })
    expect(stolen.body).not.toContain(host.token)
    // The window (this user) still gets its key with the same code.
    const window = await post(host.port, '/session', { code })
    expect(window.status).toBe(200)
    expect(JSON.parse(window.body)).toEqual({ ok: true, token: host.token })
  })

  it.skipIf(!isRoot)('refuses the API to another user even with the real session token', async () => {
    const r = await postAs(
      NOBODY,
      host.port,
      '/api/getAppInfo',
      { args: [] },
      { 'x-lifeline-token': host.token },
    )
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body)).toMatchObject({ code: 'API_FORBIDDEN', message: 'other-user' })
    const own = await post(host.port, '/api/getAppInfo', { args: [] }, { 'x-lifeline-token': host.token })
    expect(own.status).toBe(200)
  })
})

describe('who is on the other end of a loopback connection (/proc/net/tcp)', () => {
  it('names the user of a real connection to a real listener', async () => {
    const tmp = await makeTempDir('lifeline-peer-uid-')
    await writeFile(join(tmp.path, 'index.html'), '<!doctype html><title>t</title>')
    const host = await startLoopbackHost({
      backend: await backendWith(async () => [mirrorStatus()]),
      rendererDir: tmp.path,
    })
    try {
      // A whole exchange from this process succeeds, so its socket was found and found to be ours.
      const r = await post(host.port, '/session', { code: codeOf(host.issueBootstrapUrl()) })
      expect(r.status).toBe(200)
    } finally {
      await host.close()
      await tmp.cleanup()
    }
  })

  const table = (rows: readonly string[]): string =>
    [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      ...rows,
    ].join('\n')
  const row = (local: string, remote: string, st: string, uid: number): string =>
    `   0: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 1 1 0 20 4 30 10 -1`
  const read =
    (tcp: string, tcp6 = table([])) =>
    async (p: string) =>
      p.endsWith('6') ? tcp6 : tcp

  it('reads the client end, not the server end or a dead TIME_WAIT socket', async () => {
    const tcp = table([
      row('0100007F:1F90', '0100007F:C350', '01', 0), // the server's end (port 8080 → client 50000): root
      row('0100007F:C350', '0100007F:1F90', '06', 0), // an old connection with the same ports, owned by no one
      row('0100007F:C350', '0100007F:1F90', '01', 1000), // the client's end
    ])
    expect(await loopbackPeerUid(50000, 8080, read(tcp))).toBe(1000)
  })

  it('reads a v4-mapped client in tcp6', async () => {
    const tcp6 = table([
      row('0000000000000000FFFF00000100007F:C350', '0000000000000000FFFF00000100007F:1F90', '01', 1001),
    ])
    expect(await loopbackPeerUid(50000, 8080, read(table([]), tcp6))).toBe(1001)
  })

  it('cannot tell (undefined) when no socket or two sockets match, or the address is not loopback', async () => {
    expect(await loopbackPeerUid(50000, 8080, read(table([])))).toBeUndefined()
    const two = table([
      row('0100007F:C350', '0100007F:1F90', '01', 1000),
      row('0100007F:C350', '0100007F:1F90', '01', 1001),
    ])
    expect(await loopbackPeerUid(50000, 8080, read(two))).toBeUndefined()
    const remote = table([row('0500000A:C350', '0100007F:1F90', '01', 1000)])
    expect(await loopbackPeerUid(50000, 8080, read(remote))).toBeUndefined()
  })
})
