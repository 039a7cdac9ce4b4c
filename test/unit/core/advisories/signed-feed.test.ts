import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as openpgp from 'openpgp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import {
  buildSignedFeed,
  feedIndexUrl,
  readSignedFeed,
  sha256Hex,
} from '../../../../main/core/advisories/signed-feed'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'
import { startLoopbackServer, type LoopbackServer } from '../../../support/loopback-server'
import type { Keyring } from '../../../../main/core/pgp/keyring'
import {
  DAY,
  KEY_DATE,
  NOW,
  OSV_FIXTURES,
  advisoryKeyring,
  fixture,
  makeTestKey,
  writeSignedFeed,
  type TestKey,
} from './advisory-test-kit'

const fetcher = createFetcher()
let dir: TempDir
let key: TestKey
let keyring: Keyring
let server: LoopbackServer

beforeAll(async () => {
  dir = await makeTempDir('lifeline-feed-')
  key = await makeTestKey('Test Helpdesk Advisory Key')
  keyring = await advisoryKeyring(key)
  await writeSignedFeed(dir.path, key, { serial: 3 })
  server = await startLoopbackServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/feed\//, '')
    try {
      const body = await readFile(join(dir.path, rel))
      res.writeHead(200, { 'content-length': body.byteLength })
      res.end(body)
    } catch {
      res.writeHead(404)
      res.end()
    }
  })
})
afterAll(async () => {
  await server.close()
  await dir.cleanup()
})

describe('buildSignedFeed', () => {
  describe('when given the OSV fixtures', () => {
    it('lists each file with its size and SHA256, sorted, and signs with the key', async () => {
      const files = OSV_FIXTURES.map((p) => ({ path: `osv/${p.split('/').pop() ?? ''}`, data: fixture(p) }))
      const built = await buildSignedFeed({
        feed: 'test-helpdesk',
        files,
        now: NOW,
        validForMs: 7 * DAY,
        serial: 1,
        armoredPrivateKey: key.armoredPrivate,
      })
      expect(built.fingerprint).toBe(key.fingerprint)
      expect(built.signedIndex.replace(/\r\n/g, '\n')).toMatch(
        /^-----BEGIN PGP SIGNED MESSAGE-----\n(Hash: SHA\d+\n)?\nFormat: lifeline-feed\/1\n/,
      )
      expect(built.index.files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort())
      const first = built.index.files.find((f) => f.path === 'osv/USN-7000-1.json')
      expect(first?.size).toBe(fixture('ubuntu/osv-usn/USN-7000-1.json').byteLength)
      expect(first?.sha256).toBe(await sha256Hex(fixture('ubuntu/osv-usn/USN-7000-1.json')))
    })
  })

  describe('when a file is not a valid OSV advisory', () => {
    it('refuses to publish it with ADV_NOT_JSON', async () => {
      await expect(
        buildSignedFeed({
          feed: 'x',
          files: [{ path: 'osv/bad.json', data: new TextEncoder().encode('nope') }],
          now: NOW,
          validForMs: DAY,
          serial: 1,
          armoredPrivateKey: key.armoredPrivate,
        }),
      ).rejects.toMatchObject({ code: 'ADV_NOT_JSON' })
    })
  })
})

describe('buildSignedFeed with a key that cannot sign', () => {
  const files = [{ path: 'osv/USN-7000-1.json', data: fixture('ubuntu/osv-usn/USN-7000-1.json') }]
  const build = (armoredPrivateKey: string, extra: { now?: number; passphrase?: string } = {}) =>
    buildSignedFeed({ feed: 'x', files, now: NOW, validForMs: DAY, serial: 1, armoredPrivateKey, ...extra })
  /** The error `p` rejects with, checked to be a CoreError (never openpgp's plain Error). */
  const codeOf = async (p: Promise<unknown>): Promise<{ code: string; message: string; details: object }> => {
    const e: unknown = await p.then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(isCoreError(e), String(e)).toBe(true)
    return e as { code: string; message: string; details: object }
  }

  describe('when the public key is given as the signing key', () => {
    it('throws ADV_FEED_KEY_NOT_PRIVATE', async () => {
      const e = await codeOf(build(key.armoredPublic))
      expect(e.code).toBe('ADV_FEED_KEY_NOT_PRIVATE')
      expect(e.message).toMatch(/public key/)
    })
  })

  describe('when the key text is not a key at all', () => {
    it('throws ADV_FEED_KEY_UNREADABLE', async () => {
      expect((await codeOf(build('not a key'))).code).toBe('ADV_FEED_KEY_UNREADABLE')
      const damaged = key.armoredPrivate.replace(/\n([A-Za-z0-9+/]{20})/, '\n!!!!')
      expect((await codeOf(build(damaged))).code).toBe('ADV_FEED_KEY_UNREADABLE')
    })
  })

  describe('when the key is passphrase-protected', () => {
    let locked: string
    beforeAll(async () => {
      locked = (
        await openpgp.generateKey({
          type: 'curve25519',
          userIDs: [{ name: 'Locked' }],
          date: KEY_DATE,
          passphrase: 'right',
          format: 'armored',
        })
      ).privateKey
    })

    it('throws PGP_KEY_LOCKED without a passphrase', async () => {
      expect((await codeOf(build(locked))).code).toBe('PGP_KEY_LOCKED')
    })

    it('throws ADV_FEED_BAD_PASSPHRASE with a wrong one', async () => {
      const e = await codeOf(build(locked, { passphrase: 'wrong' }))
      expect(e.code).toBe('ADV_FEED_BAD_PASSPHRASE')
      expect(e.message).toMatch(/passphrase/)
    })

    it('signs with the right one', async () => {
      const built = await build(locked, { passphrase: 'right' })
      expect(built.signedIndex).toContain('-----BEGIN PGP SIGNATURE-----')
    })
  })

  describe('when the index date is before the key was created', () => {
    it('throws ADV_FEED_KEY_NOT_YET_VALID naming both dates', async () => {
      const e = await codeOf(build(key.armoredPrivate, { now: KEY_DATE.getTime() - DAY }))
      expect(e.code).toBe('ADV_FEED_KEY_NOT_YET_VALID')
      expect(e.message).toContain(KEY_DATE.toISOString())
      expect(e.details).toMatchObject({ fingerprint: key.fingerprint, created: KEY_DATE.getTime() })
    })
  })

  describe('when the key has expired at the index date', () => {
    it('throws ADV_FEED_KEY_CANNOT_SIGN', async () => {
      const short = await makeTestKey('Expired Publisher', 3600)
      const e = await codeOf(build(short.armoredPrivate))
      expect(e.code).toBe('ADV_FEED_KEY_CANNOT_SIGN')
      expect(e.details).toMatchObject({ fingerprint: short.fingerprint })
    })
  })

  describe('when the key is revoked', () => {
    it('throws ADV_FEED_KEY_CANNOT_SIGN', async () => {
      const { privateKey } = await openpgp.generateKey({
        type: 'curve25519',
        userIDs: [{ name: 'Revoked Publisher' }],
        date: KEY_DATE,
        format: 'object',
      })
      const { privateKey: revoked } = await openpgp.revokeKey({
        key: privateKey,
        date: new Date(KEY_DATE.getTime() + DAY),
        format: 'armored',
      })
      expect((await codeOf(build(revoked))).code).toBe('ADV_FEED_KEY_CANNOT_SIGN')
    })
  })
})

describe('readSignedFeed', () => {
  describe('when the feed is a file: folder', () => {
    it('verifies the index, every file, and returns signed advisories', async () => {
      const url = pathToFileURL(`${dir.path}/`).href
      const r = await readSignedFeed(url, { fetcher, keyring, now: NOW, channelId: 'helpdesk' })
      expect(r.signedBy).toBe(key.fingerprint)
      expect(r.issues).toEqual([])
      expect(r.advisories.map((a) => a.id).sort()).toEqual([
        'UBUNTU-CVE-2024-51988',
        'USN-2169-2',
        'USN-6100-1',
        'USN-7000-1',
        'USN-7095-1',
        'USN-7500-1',
      ])
      for (const a of r.advisories) {
        expect(a.trust).toBe('signed')
        expect(a.provenance[0]).toMatchObject({
          channelId: 'helpdesk',
          channelType: 'signed-feed',
          signedBy: key.fingerprint,
        })
      }
      expect(r.highWater).toEqual({ serial: 3, date: NOW - DAY })
    })
  })

  describe('when the feed is served over loopback HTTP', () => {
    it('reads the same feed, one request per file plus the index', async () => {
      server.resetStats()
      const r = await readSignedFeed(`${server.url}/feed/`, {
        fetcher,
        keyring,
        now: NOW,
        previous: { serial: 2, date: NOW - 2 * DAY },
      })
      expect(r.advisories).toHaveLength(OSV_FIXTURES.length)
      expect(r.issues).toEqual([])
      expect(server.requests.map((q) => q.path).sort()[0]).toBe('/feed/index.asc')
      expect(server.requests).toHaveLength(OSV_FIXTURES.length + 1)
    })
  })

  describe('when a listed file is missing', () => {
    it('reports it as an issue with the NET code and keeps the rest', async () => {
      const other = await makeTempDir('lifeline-feed-missing-')
      try {
        await writeSignedFeed(other.path, key)
        await writeFile(join(other.path, 'osv', 'USN-7500-1.json'), '')
        const { rm } = await import('node:fs/promises')
        await rm(join(other.path, 'osv', 'USN-7500-1.json'))
        const r = await readSignedFeed(pathToFileURL(`${other.path}/index.asc`).href, {
          fetcher,
          keyring,
          now: NOW,
        })
        expect(r.advisories).toHaveLength(OSV_FIXTURES.length - 1)
        expect(r.issues).toEqual([
          expect.objectContaining({ record: 'osv/USN-7500-1.json', code: 'NET_NOT_FOUND' }),
        ])
      } finally {
        await other.cleanup()
      }
    })
  })

  describe('when the index is not there', () => {
    it('throws the fetcher code', async () => {
      await expect(
        readSignedFeed(pathToFileURL('/nonexistent/feed/').href, { fetcher, keyring, now: NOW }),
      ).rejects.toSatisfy((e: unknown) => isCoreError(e, 'NET_NOT_FOUND'))
    })
  })
})

describe('feedIndexUrl', () => {
  describe('when given a folder or an index URL', () => {
    it('points at index.asc', () => {
      expect(feedIndexUrl('https://h.example/feed')).toBe('https://h.example/feed/index.asc')
      expect(feedIndexUrl('https://h.example/feed/')).toBe('https://h.example/feed/index.asc')
      expect(feedIndexUrl('https://h.example/feed/custom.asc')).toBe('https://h.example/feed/custom.asc')
    })
  })
})
