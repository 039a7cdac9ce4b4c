import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedCommand } from '../../../main/cli/commands/feed'
import type { CliIo } from '../../../main/cli/io'
import { makeTempDir, type TempDir } from '../../support/temp-dir'
import { NOW, makeTestKey, osvFeedFiles, type TestKey } from '../core/advisories/advisory-test-kit'

let dir: TempDir
let key: TestKey
let other: TestKey

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: () => Promise.resolve(new Uint8Array()),
    env: {},
    cwd: dir.path,
  }
}

const nowArg = ['--now', new Date(NOW).toISOString().replace('.000Z', 'Z')]

beforeAll(async () => {
  dir = await makeTempDir('lifeline-cli-feed-')
  key = await makeTestKey('CLI publisher')
  other = await makeTestKey('Someone else')
  await writeFile(join(dir.path, 'secret.asc'), key.privateKey)
  await writeFile(join(dir.path, 'public.asc'), key.publicKey)
  await writeFile(join(dir.path, 'other.asc'), other.publicKey)
  for (const f of osvFeedFiles()) {
    await mkdir(join(dir.path, 'src', 'osv'), { recursive: true })
    await writeFile(join(dir.path, 'src', f.path), f.data)
  }
})
afterAll(() => dir.cleanup())

describe('lifeline feed', () => {
  describe('when building into an empty folder, then again', () => {
    it('writes a signed feed with serial 1, then 2', async () => {
      const a = io()
      expect(await feedCommand.run(['build', '--key', 'secret.asc', '--from', 'src', '--out', 'pub', '--name', 'acme', ...nowArg], a)).toBe(0)
      expect(a.out.join('')).toMatch(/^feed acme: serial 1, 6 files/)
      const b = io()
      expect(await feedCommand.run(['build', '--key', 'secret.asc', '--from', 'src', '--out', 'pub', '--valid-for', '3', ...nowArg], b)).toBe(0)
      expect(b.out.join('')).toMatch(/^feed acme: serial 2, 6 files, valid until Tue, 24 Nov 2026/)
      expect(await readFile(join(dir.path, 'pub', 'osv', 'USN-7000-1.json'))).toEqual(
        await readFile(join(dir.path, 'src', 'osv', 'USN-7000-1.json')),
      )
    })
  })

  describe('when verifying the built folder with the publisher key', () => {
    it('exits 0 and reports every file verified', async () => {
      const r = io()
      expect(await feedCommand.run(['verify', '--keyring', 'public.asc', '--json', ...nowArg, 'pub'], r)).toBe(0)
      const json = JSON.parse(r.out.join('')) as { ok: boolean; serial: number; advisories: string[]; signedBy: string }
      expect(json).toMatchObject({ ok: true, serial: 2, signedBy: key.fingerprint })
      expect(json.advisories).toHaveLength(6)
    })
  })

  describe('when verifying with another key', () => {
    it('exits 1 with PGP_UNKNOWN_SIGNER', async () => {
      const r = io()
      expect(await feedCommand.run(['verify', '--keyring', 'other.asc', ...nowArg, 'pub'], r)).toBe(1)
      expect(r.err.join('')).toMatch(/^PGP_UNKNOWN_SIGNER/)
    })
  })

  describe('when the last accepted serial is higher', () => {
    it('exits 1 with ADV_FEED_ROLLBACK', async () => {
      const r = io()
      expect(await feedCommand.run(['verify', '--keyring', 'public.asc', '--serial', '3', ...nowArg, 'pub'], r)).toBe(1)
      expect(r.err.join('')).toMatch(/^ADV_FEED_ROLLBACK/)
    })
  })

  describe('when arguments are missing', () => {
    it('exits 2', async () => {
      expect(await feedCommand.run(['build', '--key', 'secret.asc'], io())).toBe(2)
      expect(await feedCommand.run(['verify', 'pub'], io())).toBe(2)
      expect(await feedCommand.run(['frobnicate'], io())).toBe(2)
    })
  })
})
