import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labCommand, portBusy } from '../../../main/cli/commands/lab'
import { chromiumFlags, openInChromium, openMessage, serveCommand } from '../../../main/cli/commands/serve'
import type { CliIo } from '../../../main/cli/io'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

let tmp: TempDir
let busy: Server
let busyPort: number

function fakeIo(env: Record<string, string | undefined> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new Uint8Array(),
    env,
    cwd: tmp.path,
  }
}

beforeAll(async () => {
  tmp = await makeTempDir('lifeline-cli-serve-')
  await mkdir(join(tmp.path, 'renderer'))
  await writeFile(join(tmp.path, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
  busy = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()))
  busyPort = (busy.address() as { port: number }).port
})
afterAll(async () => {
  await new Promise<void>((r) => busy.close(() => r()))
  await tmp.cleanup()
})

describe('openInChromium', () => {
  describe('when there is no display', () => {
    it('does not start a browser and says why', () => {
      let issued = 0
      const launch = openInChromium(
        () => `http://127.0.0.1:1/#code=${++issued}`,
        { CHROMIUM: '/bin/true' },
        tmp.path,
      )
      expect(launch.result).toBe('no-display')
      // No browser, so no one-time code was issued for nothing.
      expect(issued).toBe(0)
      expect(openMessage('no-display')).toBe(
        'No display ($DISPLAY or $WAYLAND_DISPLAY): open the URL above in a browser.',
      )
    })
  })
})

describe('chromiumFlags', () => {
  const facts = { uid: 1000, userNamespaces: true, suidSandbox: false }
  describe('when the sandbox can run (a normal user with user namespaces)', () => {
    it('keeps the sandbox, keeps infobars out, and puts the profile where it is told', () => {
      const flags = chromiumFlags('http://127.0.0.1:5/#code=c', '/data/chromium-profile', facts)
      expect(flags).not.toContain('--no-sandbox')
      expect(flags).toContain('--test-type')
      expect(flags).toContain('--user-data-dir=/data/chromium-profile')
      expect(flags[0]).toBe('--app=http://127.0.0.1:5/#code=c')
    })
  })
  describe('when running as root', () => {
    it('adds --no-sandbox (Chromium refuses to start sandboxed as root)', () => {
      expect(chromiumFlags('u', 'p', { ...facts, uid: 0 })).toContain('--no-sandbox')
    })
  })
  describe('when neither user namespaces nor a setuid helper are available', () => {
    it('adds --no-sandbox; with a setuid helper it does not', () => {
      expect(chromiumFlags('u', 'p', { ...facts, userNamespaces: false })).toContain('--no-sandbox')
      expect(chromiumFlags('u', 'p', { ...facts, userNamespaces: false, suidSandbox: true })).not.toContain(
        '--no-sandbox',
      )
    })
  })
})

describe('lifeline serve', () => {
  describe('when --port is already in use', () => {
    it('exits 64 with one line naming the port', async () => {
      const io = fakeIo({ LIFELINE_RENDERER_DIR: join(tmp.path, 'renderer') })
      const args = ['--port', String(busyPort), '--data-dir', join(tmp.path, 'data'), '--root', tmp.path]
      expect(await serveCommand.run(args, io)).toBe(64)
      expect(
        io.err
          .join('')
          .split('\n')
          .filter((l) => !l.startsWith('warning: ')),
      ).toEqual([
        `lifeline serve: port ${busyPort} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one`,
        '',
      ])
      expect(io.out).toEqual([])
    })
  })
})

describe('lifeline lab', () => {
  describe('when the control port is already in use', () => {
    it('exits 64 before starting any target', async () => {
      expect(await portBusy(busyPort)).toMatch(/already in use/)
      const io = fakeIo()
      expect(await labCommand.run(['--port', String(busyPort)], io)).toBe(64)
      expect(io.err.join('')).toBe(
        `lifeline lab: port ${busyPort} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one\n`,
      )
    })
  })
  describe('when the port is free', () => {
    it('portBusy gives undefined and leaves it free', async () => {
      const s = createServer()
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
      const port = (s.address() as { port: number }).port
      await new Promise<void>((r) => s.close(() => r()))
      expect(await portBusy(port)).toBeUndefined()
      expect(await portBusy(port)).toBeUndefined()
    })
  })
})
