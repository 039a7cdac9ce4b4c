/**
 * The mirror poller end to end on real Ubuntu metadata: Canonical-signed InRelease files and the Packages indexes
 * they list, served by loopback HTTP mirrors and as `file:` trees, verified with the real archive keys.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { MirrorsState } from '../../main/core/apt/mirror-state'
import { asMirrorsState, MIRRORS_STATE_NAME, suiteKey } from '../../main/core/apt/mirror-state'
import { availableVersions, createMemoryIndexStore } from '../../main/core/apt/mirror-store'
import { pollMirrors } from '../../main/core/apt/poller'
import type { MirrorConfig } from '../../main/core/model'
import { loadKeyring, mergeKeyrings } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { createFileStateStore } from '../../main/node/file-state-store'
import { createFetcher } from '../../main/node/http-fetcher'
import { createDecompressor } from '../../main/node/decompress'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { makeTempDir } from '../support/temp-dir'
import type { TempDir } from '../support/temp-dir'
import { makeTestArchiveKey } from '../support/test-archive'
import { sha256Hex, signedInRelease } from '../../main/lab/archive'

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)))

const UBUNTU_2018 = 'F6ECB3762474EDA9D21B7022871920D1991BC93C'
const UBUNTU_2012 = '790BC7277767219C42C86F933B4FE6ACC0B21F32'
const NOBLE_DATE = Date.parse('2026-06-06T17:46:54Z')
const JAMMY_DATE = Date.parse('2022-10-09T09:14:54Z')
const HOUR = 3600_000
const DIR = 'multiverse/binary-amd64'

const NOBLE_INRELEASE = fixture('ubuntu/apt/noble-security_InRelease')
const NOBLE_PACKAGES = fixture('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
const JAMMY_INRELEASE = fixture('ubuntu/apt/jammy-security_InRelease.2022-10-09')
const JAMMY_PACKAGES = fixture('ubuntu/apt/jammy-security_multiverse_binary-amd64_Packages.2022-10-09')

/**
 * A mirror tree for one suite: InRelease plus the uncompressed index under its name and its by-hash name. The
 * .gz/.xz listed in the Release are Canonical's own compressed files, which the fixtures do not hold (a local
 * recompression would not match their signed hashes), so the mirror answers 404 for them, as a partial mirror would.
 */
function tree(suite: string, inRelease: Uint8Array, packages: Uint8Array): [string, Uint8Array][] {
  const dist = `/ubuntu/dists/${suite}`
  return [
    [`${dist}/InRelease`, inRelease],
    [`${dist}/${DIR}/Packages`, packages],
    [`${dist}/${DIR}/by-hash/SHA256/${sha256Hex(packages)}`, packages],
  ]
}

function mirrorConfig(id: string, url: string, suites: string[]): MirrorConfig {
  return { id, name: `Mirror ${id}`, url, suites, components: ['multiverse'], architectures: ['amd64'] }
}

const fetcher = createFetcher({ minBytesPerSecond: 4096, minRateWindowMs: 400 })
// One piece store for the file, as the app keeps one for its data folder.
const ports = { fetcher, decompressor: createDecompressor(), indexes: createMemoryIndexStore() }
let ubuntu: Keyring
let httpMirror: MirrorServer
let tmp: TempDir

beforeAll(async () => {
  ubuntu = await loadKeyring([
    {
      data: fixture('ubuntu/keys/ubuntu-keyring-2018-archive.gpg'),
      role: 'archive',
      name: 'Ubuntu Archive Automatic Signing Key (2018)',
      fingerprint: UBUNTU_2018,
    },
    {
      data: fixture('ubuntu/keys/ubuntu-keyring-2012-archive.gpg'),
      role: 'archive',
      name: 'Ubuntu Archive Automatic Signing Key (2012)',
      fingerprint: UBUNTU_2012,
    },
  ])
  httpMirror = await startMirrorServer([
    ...tree('noble-security', NOBLE_INRELEASE, NOBLE_PACKAGES),
    ...tree('jammy-security', JAMMY_INRELEASE, JAMMY_PACKAGES),
  ])
  tmp = await makeTempDir()
  for (const [path, data] of [
    ...tree('noble-security', NOBLE_INRELEASE, NOBLE_PACKAGES),
    ...tree('jammy-security', JAMMY_INRELEASE, JAMMY_PACKAGES),
  ]) {
    const file = join(tmp.path, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, data)
  }
})
afterAll(async () => {
  await httpMirror.close()
  await tmp.cleanup()
})
beforeEach(() => {
  httpMirror.faults.clear()
  httpMirror.resetStats()
})

describe('pollMirrors on real Ubuntu metadata', () => {
  describe('when a loopback http mirror serves noble-security', () => {
    it('verifies the Canonical signature and keeps the real versions', async () => {
      const r = await pollMirrors({
        mirrors: [mirrorConfig('http', `${httpMirror.url}/ubuntu`, ['noble-security'])],
        keyring: ubuntu,
        now: NOBLE_DATE + HOUR,
        previous: undefined,
        ports,
      })
      const s = r.statuses[0]
      expect(s?.state).toBe('ok')
      expect(s?.signedBy).toBe(UBUNTU_2018)
      expect(s?.releaseDate).toBe(NOBLE_DATE)
      const rec = r.state.suites[suiteKey('http', 'noble-security')]
      expect(rec?.indexes[DIR]?.sha256).toBe(
        '8c9b63e487b87fd7ed4257e9af2a9b8795b61c94d7154aa1309a7d87f70f896f',
      )
      expect(rec?.indexes[DIR]?.fetchedPath).toBe(`${DIR}/Packages`)
      expect(
        (await availableVersions(r.state, r.indexes, 'xserver-xorg-video-nvidia-595', 'amd64')).map(
          (v) => v.version,
        ),
      ).toEqual(['595.71.05-0ubuntu0.24.04.1'])
      expect((await availableVersions(r.state, r.indexes, 'clamav-testfiles-rar', 'amd64'))[0]).toMatchObject(
        {
          version: '1.3.1-0ubuntu0.24.04.1',
          arch: 'all',
          source: 'libclamunrar',
        },
      )
    })
  })

  describe('when the mirror is unchanged on the second poll', () => {
    it('costs one conditional request of at most 1.5 KB per suite', async () => {
      const mirrors = [mirrorConfig('http', `${httpMirror.url}/ubuntu`, ['noble-security'])]
      const first = await pollMirrors({
        mirrors,
        keyring: ubuntu,
        now: NOBLE_DATE + HOUR,
        previous: undefined,
        ports,
      })
      const firstWire = httpMirror.wireBytes()
      httpMirror.resetStats()
      const second = await pollMirrors({
        mirrors,
        keyring: ubuntu,
        now: NOBLE_DATE + 2 * HOUR,
        previous: first.state,
        ports,
      })
      const wire = httpMirror.wireBytes()
      // The figure for the report: wire bytes (request + response headers) of one unchanged poll of one suite.
      console.info(
        `[poller] first poll: ${firstWire.read + firstWire.written} wire bytes (${first.bytesTransferred} body); ` +
          `unchanged poll: ${wire.read + wire.written} wire bytes (${wire.written} response, ${wire.read} request), ` +
          `${second.bytesTransferred} body bytes, ${httpMirror.requests.length} request(s)`,
      )
      expect(httpMirror.requests).toHaveLength(1)
      expect(second.statuses[0]?.state).toBe('ok')
      expect(second.statuses[0]?.notModified).toBe(true)
      expect(wire.read + wire.written).toBeLessThanOrEqual(1536)
    })
  })

  describe('when the mirror is a file: tree', () => {
    it('verifies noble-security read from disk, then skips the unchanged file', async () => {
      const url = pathToFileURL(join(tmp.path, 'ubuntu')).href
      const noble = await pollMirrors({
        mirrors: [mirrorConfig('usb', url, ['noble-security'])],
        keyring: ubuntu,
        now: NOBLE_DATE + HOUR,
        previous: undefined,
        ports,
      })
      expect(noble.statuses[0]?.state).toBe('ok')
      expect(noble.statuses[0]?.url).toBe(`${url}/dists/noble-security/InRelease`)
      const again = await pollMirrors({
        mirrors: [mirrorConfig('usb', url, ['noble-security'])],
        keyring: ubuntu,
        now: NOBLE_DATE + 2 * HOUR,
        previous: noble.state,
        ports,
      })
      expect(again.statuses[0]?.notModified).toBe(true)
      expect(again.bytesTransferred).toBe(0)
    })

    it('verifies jammy-security as published on 2022-10-09 (Date with a one-digit hour)', async () => {
      const url = pathToFileURL(join(tmp.path, 'ubuntu')).href
      const jammy = await pollMirrors({
        mirrors: [mirrorConfig('usb', url, ['jammy-security'])],
        keyring: ubuntu,
        now: JAMMY_DATE + HOUR,
        previous: undefined,
        ports,
      })
      expect(jammy.statuses[0]).toMatchObject({ state: 'ok', signedBy: UBUNTU_2018, releaseDate: JAMMY_DATE })
      expect(jammy.state.suites[suiteKey('usb', 'jammy-security')]?.indexes[DIR]?.entries).toBeGreaterThan(0)
    })
  })

  describe('when an old, genuinely signed Release is replayed after a newer one', () => {
    it('reports rolled-back across a restart, with the high-water mark read back from disk', async () => {
      // A newer noble-security Release (signed by a test archive key pinned beside Ubuntu's) is accepted first;
      // then the mirror serves Canonical's real, older InRelease: authentic, but a rollback.
      const testKey = await makeTestArchiveKey()
      const keyring = mergeKeyrings(ubuntu, testKey.keyring)
      const newer = await signedInRelease(
        {
          suite: 'noble-security',
          codename: 'noble',
          date: NOBLE_DATE + 6 * HOUR,
          components: ['multiverse'],
          files: { [`${DIR}/Packages`]: NOBLE_PACKAGES },
        },
        testKey.privateKey,
      )
      const replay = await startMirrorServer(tree('noble-security', newer, NOBLE_PACKAGES))
      const dataDir = await makeTempDir()
      try {
        const mirrors = [mirrorConfig('r', `${replay.url}/ubuntu`, ['noble-security'])]
        const first = await pollMirrors({
          mirrors,
          keyring,
          now: NOBLE_DATE + 7 * HOUR,
          previous: undefined,
          ports,
        })
        expect(first.statuses[0]?.state).toBe('ok')
        await createFileStateStore(dataDir.path).write(MIRRORS_STATE_NAME, first.state)

        replay.files.set('/ubuntu/dists/noble-security/InRelease', NOBLE_INRELEASE)
        const restored = asMirrorsState(
          await createFileStateStore(dataDir.path).read<MirrorsState>(MIRRORS_STATE_NAME),
        )
        expect(restored).toBeDefined()
        const second = await pollMirrors({
          mirrors,
          keyring,
          now: NOBLE_DATE + 8 * HOUR,
          previous: restored,
          ports,
        })
        expect(second.statuses[0]).toMatchObject({
          state: 'rolled-back',
          code: 'APT_ROLLBACK',
          releaseDate: NOBLE_DATE,
          signedBy: UBUNTU_2018,
        })
        expect(second.state.suites[suiteKey('r', 'noble-security')]?.highWater).toBe(NOBLE_DATE + 6 * HOUR)
      } finally {
        await replay.close()
        await dataDir.cleanup()
      }
    })
  })

  describe('when one mirror stalls mid-index', () => {
    it('reports it too-slow while the other stays ok', async () => {
      const stalling = await startMirrorServer(tree('noble-security', NOBLE_INRELEASE, NOBLE_PACKAGES))
      stalling.faults.set(`/ubuntu/dists/noble-security/${DIR}/by-hash/`, 'stall')
      try {
        // The stalling mirror is polled first with a fresh piece store, so its index has to be fetched; the
        // good mirror then fetches its own copy.
        const r = await pollMirrors({
          mirrors: [
            mirrorConfig('slow', `${stalling.url}/ubuntu`, ['noble-security']),
            mirrorConfig('good', `${httpMirror.url}/ubuntu`, ['noble-security']),
          ],
          keyring: ubuntu,
          now: NOBLE_DATE + HOUR,
          previous: undefined,
          ports: { ...ports, indexes: createMemoryIndexStore() },
          concurrency: 1,
        })
        expect(r.statuses.map((s) => [s.mirrorId, s.state, s.code])).toEqual([
          ['slow', 'too-slow', 'NET_TOO_SLOW'],
          ['good', 'ok', undefined],
        ])
        expect(r.statuses[0]?.url).toContain('/by-hash/SHA256/')
        // The Release itself verified, so the high-water mark moved even though its index failed.
        expect(r.state.suites[suiteKey('slow', 'noble-security')]?.highWater).toBe(NOBLE_DATE)
      } finally {
        await stalling.close()
      }
    })

    it('costs nothing when another mirror already verified the same index: it is stored once, by its signed hash', async () => {
      const stalling = await startMirrorServer(tree('noble-security', NOBLE_INRELEASE, NOBLE_PACKAGES))
      stalling.faults.set(`/ubuntu/dists/noble-security/${DIR}/by-hash/`, 'stall')
      const indexes = createMemoryIndexStore()
      try {
        const r = await pollMirrors({
          mirrors: [
            mirrorConfig('good', `${httpMirror.url}/ubuntu`, ['noble-security']),
            mirrorConfig('slow', `${stalling.url}/ubuntu`, ['noble-security']),
          ],
          keyring: ubuntu,
          now: NOBLE_DATE + HOUR,
          previous: undefined,
          ports: { ...ports, indexes },
          concurrency: 1,
        })
        expect(r.statuses.map((s) => [s.mirrorId, s.state])).toEqual([
          ['good', 'ok'],
          ['slow', 'ok'],
        ])
        // Only the signed InRelease came from the second mirror; its index is the piece the first one stored.
        expect(stalling.requests.map((q) => q.path)).toEqual(['/ubuntu/dists/noble-security/InRelease'])
        const good = r.state.suites[suiteKey('good', 'noble-security')]?.indexes[DIR]
        const slow = r.state.suites[suiteKey('slow', 'noble-security')]?.indexes[DIR]
        expect(slow?.sha256).toBe(good?.sha256)
        expect(slow?.compactSha256).toBe(good?.compactSha256)
        expect(
          (await availableVersions(r.state, indexes, 'xserver-xorg-video-nvidia-595', 'amd64')).map(
            (v) => v.mirrorId,
          ),
        ).toEqual(['good', 'slow'])
      } finally {
        await stalling.close()
      }
    })
  })
})
