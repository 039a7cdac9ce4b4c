/**
 * Review finding: when the lab's control port could not be listened on (busy), the targets already started stayed
 * open and the process never exited. A failed start now closes everything it opened and throws a coded error.
 * Ports are really occupied on 127.0.0.1 (no mocked listen).
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../main/core/errors'
import type { CoreError } from '../../../main/core/errors'
import { startLab } from '../../../main/lab/lab'
import { canConnect } from './can-connect'
import { LAB_TARGET_IDS } from '../../../main/lab/scenarios'

const TARGETS = LAB_TARGET_IDS.length
const held: Server[] = []

afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))))
})

/** Listens on `port` of 127.0.0.1 (0: any free one) and keeps it until the test ends. */
function occupy(port: number): Promise<Server | undefined> {
  const s = createServer()
  return new Promise((resolve) => {
    s.once('error', () => resolve(undefined))
    s.listen(port, '127.0.0.1', () => {
      held.push(s)
      resolve(s)
    })
  })
}

/** A port P whose P+1…P+TARGETS are free (checked by listening on them), with P itself occupied. */
async function busyControlPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const s = await occupy(0)
    if (!s) continue
    const p = (s.address() as AddressInfo).port
    if (p + TARGETS > 65_000) continue
    let free = true
    for (let k = 1; k <= TARGETS && free; k++) {
      const probe = createServer()
      free = await new Promise<boolean>((resolve) => {
        probe.once('error', () => resolve(false))
        probe.listen(p + k, '127.0.0.1', () => probe.close(() => resolve(true)))
      })
    }
    if (free) return p
  }
  throw new Error('no run of free ports found')
}

/** The CoreError `p` rejects with. */
async function rejection(p: Promise<unknown>): Promise<CoreError> {
  const e: unknown = await p.then(
    () => new Error('startLab resolved'),
    (err: unknown) => err,
  )
  expect(isCoreError(e), String(e)).toBe(true)
  return e as CoreError
}

describe('startLab', () => {
  describe('when the control port is busy', () => {
    it('throws LAB_PORT_BUSY naming the port, and closes every target it had started', async () => {
      const port = await busyControlPort()
      const e = await rejection(startLab({ scenario: 'calm', port }))
      expect(e.code).toBe('LAB_PORT_BUSY')
      expect(e.details).toMatchObject({ port, listener: 'control endpoint', errno: 'EADDRINUSE' })
      expect(e.message).toContain(`port ${port} on 127.0.0.1 is already in use`)
      for (let k = 1; k <= TARGETS; k++)
        expect(await canConnect(port + k), `target port ${port + k}`).toBe(false)
    })
  })

  describe('when a target port is busy', () => {
    it('throws LAB_PORT_BUSY for that target, and closes the targets started before it', async () => {
      const port = await busyControlPort()
      // Free the control port; occupy the fourth target's port instead.
      await new Promise<void>((r) => held.pop()?.close(() => r()))
      const busy = port + 4
      expect(await occupy(busy)).toBeDefined()
      const e = await rejection(startLab({ scenario: 'calm', port }))
      expect(e.code).toBe('LAB_PORT_BUSY')
      expect(e.details).toMatchObject({ port: busy, listener: `target ${LAB_TARGET_IDS[3] ?? ''}` })
      for (let k = 1; k < 4; k++) expect(await canConnect(port + k), `target port ${port + k}`).toBe(false)
      expect(await canConnect(port)).toBe(false)
    })
  })

  describe('when a process starts the lab on a busy control port and does nothing else', () => {
    it('exits by itself with the error code (nothing is left listening)', async () => {
      const port = await busyControlPort()
      const lab = join(__dirname, '../../../main/lab/lab.ts')
      const script =
        `import(${JSON.stringify(lab)}).then((m) => m.startLab({ scenario: 'calm', port: ${port} }))` +
        '.catch((e) => { process.stdout.write(String(e.code)); process.exitCode = 3 })'
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      const code = await new Promise<number | null | 'hung'>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve('hung')
        }, 20_000)
        child.on('exit', (c) => {
          clearTimeout(timer)
          resolve(c)
        })
      })
      expect(code).toBe(3)
      expect(out).toBe('LAB_PORT_BUSY')
    }, 30_000)
  })
})
