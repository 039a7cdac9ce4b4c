/**
 * Attack: read browser mode's session token from the browser's command line.
 *
 * `/proc/PID/cmdline` is readable by every local user. When `serve --open` started Chromium with
 * `--app=…#token=…`, any local user could copy the token and drive the API (silence notifications, read the report).
 * Now the command line carries a one-time bootstrap code: the page exchanges it once for the token, after which
 * (and after Limits.host.bootstrapCodeTtlMs) it is worth nothing.
 *
 * The real `lifeline serve --open` runs as a child with a stand-in browser (a shell script that records its PID and
 * waits), so the test reads the very command line a real Chromium would get.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Limits } from '../../main/core/limits'
import { startLoopbackHost } from '../../main/node/host/server'
import { backendWith, mirrorStatus } from '../support/backend'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Reply {
  readonly status: number
  readonly body: string
}

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

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('attack: reading the session token from the browser command line', () => {
  let tmp: TempDir
  let child: ChildProcess
  let out = ''
  let token = ''
  let port = 0
  let browserPid = 0
  let argv: string[] = []
  const dataDir = (): string => join(tmp.path, 'data')

  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-token-cmdline-')
    const renderer = join(tmp.path, 'renderer')
    await mkdir(renderer)
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>')
    await mkdir(join(tmp.path, 'root', 'etc'), { recursive: true })
    await writeFile(join(tmp.path, 'root', 'etc', 'os-release'), 'ID=ubuntu\nVERSION_CODENAME=noble\n')
    await writeFile(
      join(tmp.path, 'config.json'),
      JSON.stringify({
        pollIntervalMinutes: 60,
        mirrors: [
          {
            id: 'nowhere',
            name: 'Closed port',
            url: 'http://127.0.0.1:9/ubuntu',
            suites: ['noble-security'],
            components: ['main'],
            architectures: ['amd64'],
          },
        ],
      }),
    )
    // The stand-in browser: records its PID, then waits like a browser window would (sh stays the process).
    const browser = join(tmp.path, 'browser.sh')
    await writeFile(browser, `#!/bin/sh\necho $$ > "${join(tmp.path, 'browser.pid')}"\nsleep 60\n`)
    await chmod(browser, 0o755)
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'lifeline.mjs'),
        'serve',
        '--open',
        '--config',
        join(tmp.path, 'config.json'),
        '--data-dir',
        dataDir(),
        '--root',
        join(tmp.path, 'root'),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CHROMIUM: browser, DISPLAY: ':99', LIFELINE_RENDERER_DIR: renderer },
      },
    )
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
    const url = await waitFor(
      'the printed URL',
      async () => /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out)?.[1],
    )
    token = new URL(url).hash.replace('#token=', '')
    port = Number(new URL(url).port)
    browserPid = await waitFor('the stand-in browser', async () => {
      const pid = Number((await readFile(join(tmp.path, 'browser.pid'), 'utf8').catch(() => '')).trim())
      return pid > 0 ? pid : undefined
    })
    argv = (await readFile(`/proc/${browserPid}/cmdline`, 'utf8')).split('\0').filter((a) => a !== '')
  }, 60_000)

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
    }
    if (browserPid && alive(browserPid)) process.kill(browserPid, 'SIGKILL')
    await tmp?.cleanup()
  })

  it('puts no session token on the browser command line, only a one-time code', () => {
    expect(token.length).toBeGreaterThanOrEqual(40)
    expect(argv.join(' ')).not.toContain(token)
    const app = argv.find((a) => a.startsWith('--app='))
    expect(app).toMatch(new RegExp(`^--app=http://127\\.0\\.0\\.1:${port}/#code=[\\w-]{32}$`))
  })

  it("keeps the browser profile inside Lifeline's data folder", () => {
    expect(argv).toContain(`--user-data-dir=${join(dataDir(), 'chromium-profile')}`)
  })

  it('the code from the command line is useless as a token', async () => {
    const code = new URL(argv.find((a) => a.startsWith('--app='))?.slice(6) ?? '').hash.replace('#code=', '')
    const r = await post(port, '/api/getAppInfo', { args: [] }, { 'x-lifeline-token': code })
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body)).toMatchObject({ code: 'API_FORBIDDEN', message: 'bad-token' })
  })

  it('the code works once (for the window), then an attacker replaying it is refused', async () => {
    const code = new URL(argv.find((a) => a.startsWith('--app='))?.slice(6) ?? '').hash.replace('#code=', '')
    const first = await post(port, '/session', { code })
    expect(first.status).toBe(200)
    expect(JSON.parse(first.body)).toEqual({ ok: true, token })
    const again = await post(port, '/session', { code })
    expect(again.status).toBe(403)
    expect(JSON.parse(again.body)).toMatchObject({ code: 'BOOTSTRAP_REFUSED', reason: 'unknown-code' })
    expect(again.body).not.toContain(token)
  })

  it('a stopped server closes the browser window it opened (Ctrl+C under npm start: SIGINT twice)', async () => {
    expect(alive(browserPid)).toBe(true)
    child.kill('SIGINT')
    // The second arrives while Lifeline is shutting down (waiting for the window to close itself).
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r))
    expect(child.exitCode).toBe(0)
    await waitFor('the browser to end', async () => (alive(browserPid) ? undefined : true), 10_000)
  }, 20_000)
})

describe('attack: using a bootstrap code read from /proc after its time ran out', () => {
  it('refuses an expired code with BOOTSTRAP_REFUSED (expired-code), even unused', async () => {
    const tmp = await makeTempDir('lifeline-token-expiry-')
    let now = 1_000_000
    const backend = await backendWith(async () => [mirrorStatus()])
    await writeFile(join(tmp.path, 'index.html'), '<!doctype html><title>t</title>')
    const host = await startLoopbackHost({ backend, rendererDir: tmp.path, now: () => now })
    try {
      const fresh = new URL(host.issueBootstrapUrl()).hash.replace('#code=', '')
      const stale = new URL(host.issueBootstrapUrl()).hash.replace('#code=', '')
      now += Limits.host.bootstrapCodeTtlMs - 1
      const ok = await post(host.port, '/session', { code: fresh })
      expect(JSON.parse(ok.body)).toEqual({ ok: true, token: host.token })
      now += 2
      const late = await post(host.port, '/session', { code: stale })
      expect(late.status).toBe(403)
      expect(JSON.parse(late.body)).toMatchObject({ code: 'BOOTSTRAP_REFUSED', reason: 'expired-code' })
      expect(late.body).not.toContain(host.token)
    } finally {
      await host.close()
      await tmp.cleanup()
    }
  })
})
