/**
 * `lifeline mirrors`: in-process against a loopback mirror signed with a generated key, plus the pure table and
 * exit-code helpers.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mirrorsCommand, mirrorsExitCode, renderMirrorsTable } from '../../../main/cli/commands/mirrors'
import type { CliIo } from '../../../main/cli/io'
import type { MirrorSuiteStatus } from '../../../main/core/model'
import { startMirrorServer, type MirrorServer } from '../../support/mirror-server'
import { makeTempDir, type TempDir } from '../../support/temp-dir'
import { makeTestArchiveKey, type TestArchiveKey } from '../../support/test-archive'
import { configJson, jammyArchiveFiles, JAMMY_NOW } from '../../integration/check-support'

function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readStdin: async () => new Uint8Array(),
    env: { ...process.env, LIFELINE_DATA_DIR: undefined },
    cwd: process.cwd(),
  }
  return io
}

const status = (
  state: MirrorSuiteStatus['state'],
  extra: Partial<MirrorSuiteStatus> = {},
): MirrorSuiteStatus => ({
  mirrorId: 'm',
  mirrorName: 'Mirror',
  url: 'http://127.0.0.1:1/ubuntu',
  suite: 'jammy-security',
  state,
  detail: '',
  checkedAt: 0,
  ...extra,
})

describe('mirrorsExitCode', () => {
  describe('when every mirror is ok', () => {
    it('returns 0', () => expect(mirrorsExitCode([status('ok'), status('ok')])).toBe(0))
  })
  describe('when one is lagging or failed', () => {
    it('returns 1', () => {
      expect(mirrorsExitCode([status('ok'), status('lagging')])).toBe(1)
      expect(mirrorsExitCode([status('ok'), status('frozen')])).toBe(1)
    })
  })
  describe('when none verified', () => {
    it('returns 3', () => expect(mirrorsExitCode([status('unreachable'), status('bad-signature')])).toBe(3))
  })
  describe('when the only verified mirror is stale (reached, but old)', () => {
    it('returns 1, not 3: it was reached and verified', () =>
      expect(mirrorsExitCode([status('stale'), status('unreachable')])).toBe(1))
  })
})

describe('renderMirrorsTable', () => {
  describe('when given statuses', () => {
    it('prints mirror, suite, status, Release date, lag, signer and detail columns', () => {
      const t = renderMirrorsTable([
        status('lagging', {
          releaseDate: Date.parse('2026-06-06T10:00:00Z'),
          lagMs: 3 * 3600_000,
          signedBy: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
          detail: 'Verified, but 3 hours behind.',
        }),
      ])
      const [head, row] = t.split('\n')
      expect(head).toMatch(/^MIRROR\s+SUITE\s+STATUS\s+RELEASE DATE\s+LAG\s+SIGNER\s+DETAIL$/)
      expect(row).toContain('jammy-security')
      expect(row).toContain('2026-06-06T10:00:00Z')
      expect(row).toContain('3 hours')
      expect(row).toContain('871920D1991BC93C')
      expect(row).toContain('Verified, but 3 hours behind.')
    })
  })
})

describe('mirrorsCommand', () => {
  let tmp: TempDir
  let key: TestArchiveKey
  let server: MirrorServer
  let args: string[]

  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-mirrors-')
    key = await makeTestArchiveKey()
    const keyFile = join(tmp.path, 'key.asc')
    await writeFile(keyFile, key.armoredPublic)
    server = await startMirrorServer()
    for (const [p, b] of await jammyArchiveFiles(key)) server.files.set(`/ubuntu/${p}`, b)
    const mirror = {
      id: 'test-archive',
      name: 'Test archive',
      url: `${server.url}/ubuntu`,
      suites: ['jammy-security'],
      components: ['main'],
      architectures: ['amd64'],
    }
    await writeFile(
      join(tmp.path, 'config.json'),
      configJson(mirror, { file: keyFile, fingerprint: key.fingerprint, name: 'Test key' }),
    )
    args = [
      '--config',
      join(tmp.path, 'config.json'),
      '--data-dir',
      join(tmp.path, 'data'),
      '--root',
      tmp.path,
    ]
  })

  afterAll(async () => {
    await server.close()
    await tmp.cleanup()
  })

  describe('when the mirror verifies', () => {
    it('prints the table and exits 0', async () => {
      const io = fakeIo()
      expect(await mirrorsCommand.run([...args, '--now', new Date(JAMMY_NOW).toISOString()], io)).toBe(0)
      expect(io.out).toContain('Test archive')
      expect(io.out).toMatch(/jammy-security\s+ok\s+2026-06-06T10:00:00Z/)
      expect(io.out).toContain(key.fingerprint.slice(-16))
    })
  })

  describe('when --json is given', () => {
    it('prints the lifeline.mirrors/1 report', async () => {
      const io = fakeIo()
      expect(
        await mirrorsCommand.run([...args, '--json', '--now', new Date(JAMMY_NOW).toISOString()], io),
      ).toBe(0)
      const r = JSON.parse(io.out) as { schema: string; exitCode: number; mirrors: Record<string, unknown>[] }
      expect(r.schema).toBe('lifeline.mirrors/1')
      expect(r.mirrors[0]).toMatchObject({
        suite: 'jammy-security',
        status: 'ok',
        signedBy: key.fingerprint,
        signerName: 'Test key',
      })
    })
  })

  describe('when the Release is older than the freshness rule allows (the same rule as check)', () => {
    it('reports it stale, "reached and verified, but old", and exits 1 (not 3: it was reached)', async () => {
      const io = fakeIo()
      const later = new Date(JAMMY_NOW + 8 * 24 * 3600_000).toISOString()
      expect(await mirrorsCommand.run([...args, '--now', later], io)).toBe(1)
      expect(io.out).toMatch(/jammy-security\s+stale/)
      expect(io.out).toContain('Reached and verified')
    })
  })

  describe('when the mirror later serves an older signed Release', () => {
    it('reports rolled-back (the high-water mark was kept in the data dir) and exits 3', async () => {
      for (const [p, b] of await jammyArchiveFiles(key, { date: JAMMY_NOW - 30 * 3600_000 }))
        server.files.set(`/ubuntu/${p}`, b)
      const io = fakeIo()
      expect(await mirrorsCommand.run([...args, '--now', new Date(JAMMY_NOW).toISOString()], io)).toBe(3)
      expect(io.out).toMatch(/jammy-security\s+rolled-back/)
    })
  })

  describe('when --now is not a date', () => {
    it('exits 64', async () => {
      const io = fakeIo()
      expect(await mirrorsCommand.run([...args, '--now', 'yesterday'], io)).toBe(64)
      expect(io.err).toContain('--now must be an ISO-8601 date')
    })
  })
})
