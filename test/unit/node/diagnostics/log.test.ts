import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRotatingLog, readRecentProblems } from '../../../../main/node/diagnostics/log'
import { redact, redactValue } from '../../../../main/node/diagnostics/redact'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'

const CTX = { home: '/home/alice', user: 'alice', hostname: 'alice-laptop.corp.example' }

describe('redact', () => {
  describe('when text names the user, the home folder or the host', () => {
    it('replaces them', () => {
      expect(redact('read /home/alice/.local/share/lifeline/state as alice on alice-laptop', CTX)).toBe(
        'read ~/.local/share/lifeline/state as <user> on <host>',
      )
      expect(redact('/home/bob/x and /Users/carol/y', CTX)).toBe('/home/<user>/x and /Users/<user>/y')
      expect(redact('host alice-laptop.corp.example down', CTX)).toBe('host <host> down')
    })
    it('leaves generic names alone', () => {
      expect(redact('root-owned file', { user: 'root', home: '/root', hostname: 'localhost' })).toBe(
        'root-owned file',
      )
    })
  })

  describe('when text carries key material, long data or URL credentials', () => {
    it('removes them and keeps fingerprints and hashes', () => {
      const block =
        '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGZ...\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----'
      expect(redact(`key: ${block} done`, CTX)).toBe('key: [PGP block removed] done')
      expect(redact(`blob ${'QUJD'.repeat(30)} end`, CTX)).toBe('blob [data removed] end')
      expect(redact('https://bob:s3cret@mirror.example.org/ubuntu', CTX)).toBe(
        'https://<credentials>@mirror.example.org/ubuntu',
      )
      const fpr = 'F6ECB3762474EDA9D21B7022871920D1991BC93C'
      const sha = 'a'.repeat(64)
      expect(redact(`${fpr} ${sha}`, CTX)).toBe(`${fpr} ${sha}`)
    })
  })

  describe('redactValue', () => {
    it('redacts strings at every depth and keeps the shape', () => {
      expect(redactValue({ a: ['/home/alice/x', 3, { b: 'alice' }], n: null }, CTX)).toEqual({
        a: ['~/x', 3, { b: '<user>' }],
        n: null,
      })
    })
  })
})

describe('createRotatingLog', () => {
  let tmp: TempDir
  beforeEach(async () => {
    tmp = await makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  describe('when more is written than one file holds', () => {
    it('rotates into at most maxFiles files, each under the cap', async () => {
      const log = createRotatingLog({
        dir: tmp.path,
        maxBytes: 1000,
        maxFiles: 3,
        redaction: CTX,
        now: () => 0,
      })
      for (let i = 0; i < 100; i++) log.info(`message number ${i}`)
      await log.flush()
      expect((await readdir(tmp.path)).sort()).toEqual(['lifeline.log', 'lifeline.log.1', 'lifeline.log.2'])
      for (const f of await readdir(tmp.path)) {
        expect((await readFile(join(tmp.path, f))).length).toBeLessThanOrEqual(1000)
      }
      const newest = await readFile(join(tmp.path, 'lifeline.log'), 'utf8')
      expect(newest.trimEnd().split('\n').at(-1)).toBe(
        '{"t":"1970-01-01T00:00:00.000Z","level":"info","msg":"message number 99"}',
      )
      const oldest = await readFile(join(tmp.path, 'lifeline.log.2'), 'utf8')
      expect(oldest).not.toContain('"message number 0"')
    })
  })

  describe('when a message or field is a whole document or a key', () => {
    it('cuts it and redacts it', async () => {
      const log = createRotatingLog({ dir: tmp.path, maxEntryChars: 50, redaction: CTX })
      log.scoped('poller').error('fetch failed for /home/alice/x', {
        body: 'x '.repeat(1000),
        key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----',
      })
      await log.flush()
      const entry = JSON.parse(await readFile(join(tmp.path, 'lifeline.log'), 'utf8')) as {
        scope: string
        msg: string
        fields: { body: string; key: string }
      }
      expect(entry.scope).toBe('poller')
      expect(entry.msg).toBe('fetch failed for ~/x')
      expect(entry.fields.body).toBe(`${'x '.repeat(25)}… [1950 more characters cut]`)
      expect(entry.fields.key).toBe('[PGP block removed]')
    })
  })

  describe('readRecentProblems', () => {
    it('returns the newest warnings and errors across files, oldest first, skipping bad lines', async () => {
      let t = 0
      const log = createRotatingLog({
        dir: tmp.path,
        maxBytes: 300,
        maxFiles: 4,
        redaction: CTX,
        now: () => ++t * 1000,
      })
      for (let i = 0; i < 12; i++) (i % 3 === 0 ? log.info : log.warn)(`event ${i}`)
      await log.flush()
      await writeFile(join(tmp.path, 'lifeline.log'), 'not json\n', { flag: 'a' })
      const recent = await readRecentProblems(tmp.path, 4)
      expect(recent.map((e) => e.msg)).toEqual(['event 7', 'event 8', 'event 10', 'event 11'])
    })
  })
})
