import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { buildSignedFeed, feedIndexUrl, readSignedFeed, sha256Hex } from '../../../../main/core/advisories/signed-feed'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'
import { startLoopbackServer, type LoopbackServer } from '../../../support/loopback-server'
import type { Keyring } from '../../../../main/core/pgp/keyring'
import { DAY, NOW, OSV_FIXTURES, advisoryKeyring, fixture, makeTestKey, writeSignedFeed, type TestKey } from './advisory-test-kit'

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
        armoredPrivateKey: key.privateKey,
      })
      expect(built.fingerprint).toBe(key.fingerprint)
      expect(built.signedIndex.replace(/\r\n/g, '\n')).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\n(Hash: SHA\d+\n)?\nFormat: lifeline-feed\/1\n/)
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
          armoredPrivateKey: key.privateKey,
        }),
      ).rejects.toMatchObject({ code: 'ADV_NOT_JSON' })
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
        expect(a.provenance[0]).toMatchObject({ channelId: 'helpdesk', channelType: 'signed-feed', signedBy: key.fingerprint })
      }
      expect(r.highWater).toEqual({ serial: 3, date: NOW - DAY })
    })
  })

  describe('when the feed is served over loopback HTTP', () => {
    it('reads the same feed, one request per file plus the index', async () => {
      server.resetStats()
      const r = await readSignedFeed(`${server.url}/feed/`, { fetcher, keyring, now: NOW, previous: { serial: 2, date: NOW - 2 * DAY } })
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
        const r = await readSignedFeed(pathToFileURL(`${other.path}/index.asc`).href, { fetcher, keyring, now: NOW })
        expect(r.advisories).toHaveLength(OSV_FIXTURES.length - 1)
        expect(r.issues).toEqual([expect.objectContaining({ record: 'osv/USN-7500-1.json', code: 'NET_NOT_FOUND' })])
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
