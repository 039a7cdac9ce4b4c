import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedCommand } from '../../../main/cli/commands/feed'
import { FEED_INDEX_NAME } from '../../../main/core/advisories/feed-index'
import type { CliIo } from '../../../main/cli/io'
import { makeTempDir, type TempDir } from '../../support/temp-dir'
import * as openpgp from 'openpgp'
import { KEY_DATE, NOW, makeTestKey, osvFeedFiles, type TestKey } from '../core/advisories/advisory-test-kit'

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
  await writeFile(join(dir.path, 'secret.asc'), key.armoredPrivate)
  await writeFile(join(dir.path, 'public.asc'), key.armoredPublic)
  await writeFile(join(dir.path, 'other.asc'), other.armoredPublic)
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
      expect(
        await feedCommand.run(
          ['build', '--key', 'secret.asc', '--from', 'src', '--out', 'pub', '--name', 'acme', ...nowArg],
          a,
        ),
      ).toBe(0)
      expect(a.out.join('')).toMatch(/^feed acme: serial 1, 6 files/)
      const b = io()
      expect(
        await feedCommand.run(
          ['build', '--key', 'secret.asc', '--from', 'src', '--out', 'pub', '--valid-for', '3', ...nowArg],
          b,
        ),
      ).toBe(0)
      expect(b.out.join('')).toMatch(/^feed acme: serial 2, 6 files, valid until Tue, 24 Nov 2026/)
      expect(await readFile(join(dir.path, 'pub', 'osv', 'USN-7000-1.json'))).toEqual(
        await readFile(join(dir.path, 'src', 'osv', 'USN-7000-1.json')),
      )
    })
  })

  describe('when verifying the built folder with the publisher key', () => {
    it('exits 0 and reports every file verified', async () => {
      const r = io()
      expect(
        await feedCommand.run(['verify', '--keyring', 'public.asc', '--json', ...nowArg, 'pub'], r),
      ).toBe(0)
      const json = JSON.parse(r.out.join('')) as {
        ok: boolean
        serial: number
        advisories: string[]
        signedBy: string
      }
      expect(json).toMatchObject({ ok: true, serial: 2, signedBy: key.fingerprint })
      expect(json.advisories).toHaveLength(6)
    })
  })

  describe('when verifying with another key', () => {
    it('exits 1 with PGP_UNKNOWN_SIGNER', async () => {
      const r = io()
      expect(await feedCommand.run(['verify', '--keyring', 'other.asc', ...nowArg, 'pub'], r)).toBe(1)
      expect(r.err.join('')).toMatch(/^lifeline feed: PGP_UNKNOWN_SIGNER/)
    })
  })

  describe('when the last accepted serial is higher', () => {
    it('exits 1 with ADV_FEED_ROLLBACK', async () => {
      const r = io()
      expect(
        await feedCommand.run(['verify', '--keyring', 'public.asc', '--serial', '3', ...nowArg, 'pub'], r),
      ).toBe(1)
      expect(r.err.join('')).toMatch(/^lifeline feed: ADV_FEED_ROLLBACK/)
    })
  })

  describe('when arguments are missing', () => {
    it('exits 2', async () => {
      expect(await feedCommand.run(['build', '--key', 'secret.asc'], io())).toBe(2)
      expect(await feedCommand.run(['verify', 'pub'], io())).toBe(2)
      expect(await feedCommand.run(['frobnicate'], io())).toBe(2)
    })
  })

  describe('when --key is the public key (the usual mistake)', () => {
    it('exits 2 saying so, without a stack trace, and writes nothing', async () => {
      const r = io()
      const args = ['build', '--key', 'public.asc', '--from', 'src', '--out', 'nokey', ...nowArg]
      expect(await feedCommand.run(args, r)).toBe(2)
      expect(r.err.join('')).toBe(
        'lifeline feed: --key public.asc is not an armored OpenPGP secret key (it is a public key; export the ' +
          'secret one with gpg --armor --export-secret-keys FINGERPRINT)\n',
      )
      await expect(readFile(join(dir.path, 'nokey', 'index.asc'))).rejects.toThrow()
    })
  })

  describe('when --key is passphrase-protected', () => {
    it('exits 2 asking for $LIFELINE_FEED_PASSPHRASE, then names a wrong one', async () => {
      const locked = await openpgp.generateKey({
        type: 'curve25519',
        userIDs: [{ name: 'Locked' }],
        date: KEY_DATE,
        passphrase: 'right',
        format: 'armored',
      })
      await writeFile(join(dir.path, 'locked.asc'), locked.privateKey)
      const args = ['build', '--key', 'locked.asc', '--from', 'src', '--out', 'locked', ...nowArg]
      const a = io()
      expect(await feedCommand.run(args, a)).toBe(2)
      expect(a.err.join('')).toBe(
        'lifeline feed: --key locked.asc is passphrase-protected: put the passphrase in $LIFELINE_FEED_PASSPHRASE\n',
      )
      const b = { ...io(), env: { LIFELINE_FEED_PASSPHRASE: 'wrong' } }
      expect(await feedCommand.run(args, b)).toBe(2)
      expect(b.err.join('')).toMatch(
        /^lifeline feed: cannot sign with --key locked\.asc: .*passphrase.* \(check \$LIFELINE_FEED_PASSPHRASE\)\n$/,
      )
    })
  })

  describe('when --now is before the key was made', () => {
    it('exits 2 with the reason in one line', async () => {
      const r = io()
      const args = ['build', '--key', 'secret.asc', '--from', 'src', '--out', 'early', '--now', '2025-06-01']
      expect(await feedCommand.run(args, r)).toBe(2)
      expect(r.err.join('')).toMatch(
        /^lifeline feed: cannot sign with --key secret\.asc: .*\(--now is before the key was made\)\n$/,
      )
    })
  })

  describe('when --from is missing or a file is not an advisory', () => {
    it('exits 2 naming the folder, then the file', async () => {
      const a = io()
      expect(
        await feedCommand.run(['build', '--key', 'secret.asc', '--from', 'nothere', '--out', 'x'], a),
      ).toBe(2)
      expect(a.err.join('')).toBe(`lifeline feed: --from ${join(dir.path, 'nothere')}: no such folder\n`)
      await mkdir(join(dir.path, 'bad', 'osv'), { recursive: true })
      await writeFile(join(dir.path, 'bad', 'osv', 'broken.json'), '{"id": "USN-1-1"}')
      const b = io()
      expect(
        await feedCommand.run(['build', '--key', 'secret.asc', '--from', 'bad', '--out', 'x', ...nowArg], b),
      ).toBe(2)
      expect(b.err.join('')).toMatch(/^lifeline feed: ADV_SCHEMA: osv\/broken\.json: /)
    })
  })

  describe('when an advisory file is over the size cap', () => {
    it('exits 2 naming the file, before signing anything', async () => {
      await mkdir(join(dir.path, 'huge', 'osv'), { recursive: true })
      const first = osvFeedFiles()[0]
      if (!first) throw new Error('the advisory kit has no files')
      await writeFile(join(dir.path, 'huge', first.path), first.data)
      // One byte over Limits.size.advisoryBytes (8 MiB): valid JSON text padded with spaces.
      await writeFile(join(dir.path, 'huge', 'osv', 'huge.json'), `{}${' '.repeat(8 * 1024 * 1024 - 1)}`)
      const r = io()
      const args = ['build', '--key', 'secret.asc', '--from', 'huge', '--out', 'huge-out', ...nowArg]
      expect(await feedCommand.run(args, r)).toBe(2)
      expect(r.err.join('')).toBe('lifeline feed: osv/huge.json is over the advisory size cap\n')
      await expect(readFile(join(dir.path, 'huge-out', FEED_INDEX_NAME))).rejects.toThrow(/ENOENT/)
    })
  })

  describe('when the feed name is not valid', () => {
    it('exits 2 with the naming rule before signing', async () => {
      const r = io()
      const args = [
        'build',
        '--key',
        'secret.asc',
        '--from',
        'src',
        '--out',
        'x',
        '--name',
        'Bad Name',
        ...nowArg,
      ]
      expect(await feedCommand.run(args, r)).toBe(2)
      expect(r.err.join('')).toBe(
        'lifeline feed: feed name "Bad Name" is not valid: give --name with 1-64 characters of a-z 0-9 . + -, ' +
          'starting with a letter or digit\n',
      )
    })
  })

  describe('when --keyring is not a key', () => {
    it('exits 2 (an input error), not 1 (a feed that failed)', async () => {
      await writeFile(join(dir.path, 'notakey.asc'), 'hello\n')
      const r = io()
      expect(await feedCommand.run(['verify', '--keyring', 'notakey.asc', ...nowArg, 'pub'], r)).toBe(2)
      expect(r.err.join('')).toMatch(/^lifeline feed: cannot load --keyring: .*notakey\.asc/)
    })
  })

  describe('when no subcommand is given', () => {
    it('exits 2 with the reason and the usage on stderr', async () => {
      const r = io()
      expect(await feedCommand.run([], r)).toBe(2)
      expect(r.out).toEqual([])
      expect(r.err.join('')).toMatch(/^lifeline feed: missing subcommand \(build or verify\)\n\nUsage:/)
    })
  })
})
