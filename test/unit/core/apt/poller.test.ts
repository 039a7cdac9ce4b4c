import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { createMessage, sign } from 'openpgp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { MirrorsState } from '../../../../main/core/apt/mirror-state'
import { suiteKey } from '../../../../main/core/apt/mirror-state'
import { availableVersions, createMemoryIndexStore } from '../../../../main/core/apt/mirror-store'
import { pollMirrors } from '../../../../main/core/apt/poller'
import { describeDuration } from '../../../../main/core/time-format'
import type { PollInput } from '../../../../main/core/apt/poller'
import type { MirrorConfig } from '../../../../main/core/model'
import { CoreError } from '../../../../main/core/errors'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { createDecompressor } from '../../../../main/node/decompress'
import { startMirrorServer } from '../../../support/mirror-server'
import type { MirrorServer } from '../../../support/mirror-server'
import { makeTestArchiveKey } from '../../../support/test-archive'
import { releaseText, sha256Hex, signedInRelease } from '../../../../main/lab/archive'
import type { TestArchiveKey } from '../../../support/test-archive'
import type { ReleaseSpec } from '../../../../main/lab/archive'

const PACKAGES = new Uint8Array(
  readFileSync(
    new URL('../../../fixtures/ubuntu/apt/noble-security_multiverse_binary-amd64_Packages', import.meta.url),
  ),
)
const PACKAGES_GZ = new Uint8Array(gzipSync(PACKAGES))
const PACKAGES_XZ = (() => {
  try {
    return new Uint8Array(execFileSync('xz', ['-c', '-6'], { input: PACKAGES }))
  } catch {
    return undefined // no xz binary: the .xz path is then not offered
  }
})()

const DATE = Date.parse('2026-06-06T17:46:54Z')
const NOW = DATE + 3600_000
const HOUR = 3600_000
const SUITE = 'noble-security'
const DIR = 'multiverse/binary-amd64'

const fetcher = createFetcher({ minBytesPerSecond: 2000, minRateWindowMs: 300 })
let key: TestArchiveKey
let other: TestArchiveKey

function indexFiles(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    [`${DIR}/Packages`]: PACKAGES,
    [`${DIR}/Packages.gz`]: PACKAGES_GZ,
  }
  if (PACKAGES_XZ) files[`${DIR}/Packages.xz`] = PACKAGES_XZ
  return files
}

function spec(over: Partial<ReleaseSpec> = {}): ReleaseSpec {
  return {
    origin: 'Lifeline-Test',
    suite: SUITE,
    date: DATE,
    acquireByHash: true,
    components: ['multiverse'],
    files: indexFiles(),
    ...over,
  }
}

/** Publishes a signed InRelease and its indexes (plain names and by-hash) under /ubuntu on `m`. */
async function publish(m: MirrorServer, s: ReleaseSpec, signer = key): Promise<void> {
  const dist = `/ubuntu/dists/${s.suite}`
  m.files.set(`${dist}/InRelease`, await signedInRelease(s, signer.privateKey))
  for (const [path, data] of Object.entries(s.files)) {
    m.files.set(`${dist}/${path}`, data)
    const dir = path.slice(0, path.lastIndexOf('/'))
    m.files.set(`${dist}/${dir}/by-hash/SHA256/${sha256Hex(data)}`, data)
  }
}

function mirror(m: MirrorServer, id = 'm1', name = 'Mirror one'): MirrorConfig {
  return {
    id,
    name,
    url: `${m.url}/ubuntu`,
    suites: [SUITE],
    components: ['multiverse'],
    architectures: ['amd64'],
  }
}

function input(
  mirrors: MirrorConfig[],
  previous: MirrorsState | undefined,
  over: Partial<PollInput> = {},
): PollInput {
  return {
    mirrors,
    keyring: key.keyring,
    now: NOW,
    previous,
    ports: { fetcher, decompressor: createDecompressor(), indexes },
    ...over,
  }
}

let m1: MirrorServer
let m2: MirrorServer
// The piece store the polls of one test share, as the app keeps one for its data folder.
let indexes = createMemoryIndexStore()

beforeAll(async () => {
  key = await makeTestArchiveKey()
  other = await makeTestArchiveKey('Someone Else')
  m1 = await startMirrorServer()
  m2 = await startMirrorServer()
})
afterAll(async () => {
  await m1.close()
  await m2.close()
})
beforeEach(() => {
  indexes = createMemoryIndexStore()
  m1.files.clear()
  m1.faults.clear()
  m2.files.clear()
  m2.faults.clear()
  m1.resetStats()
  m2.resetStats()
})

describe('pollMirrors', () => {
  describe('when the mirror is healthy', () => {
    it('verifies the Release, fetches the best index by hash and keeps its versions', async () => {
      await publish(m1, spec())
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses).toHaveLength(1)
      const s = r.statuses[0]
      expect(s?.state).toBe('ok')
      expect(s?.signedBy).toBe(key.fingerprint)
      expect(s?.releaseDate).toBe(DATE)
      const best = PACKAGES_XZ ?? PACKAGES_GZ
      expect(m1.requests.map((q) => q.path)).toEqual([
        `/ubuntu/dists/${SUITE}/InRelease`,
        `/ubuntu/dists/${SUITE}/${DIR}/by-hash/SHA256/${sha256Hex(best)}`,
      ])
      const rec = r.state.suites[suiteKey('m1', SUITE)]
      expect(rec?.highWater).toBe(DATE)
      expect(rec?.indexes[DIR]?.sha256).toBe(sha256Hex(PACKAGES))
      expect(rec?.indexes[DIR]?.entries).toBe(192)
      const v = await availableVersions(r.state, r.indexes, 'xserver-xorg-video-nvidia-595', 'amd64')
      expect(v).toEqual([
        expect.objectContaining({
          mirrorId: 'm1',
          suite: SUITE,
          component: 'multiverse',
          version: '595.71.05-0ubuntu0.24.04.1',
          source: 'nvidia-graphics-drivers-595',
          releaseDate: DATE,
        }),
      ])
      expect(
        (await availableVersions(r.state, r.indexes, 'libnvidia-common-550-server', 'amd64')).map(
          (x) => x.version,
        ),
      ).toContain('550.163.01-0ubuntu0.24.04.1')
      expect(await availableVersions(r.state, r.indexes, 'xserver-xorg-video-nvidia-595', 'arm64')).toEqual(
        [],
      )
    })

    it('falls back to the uncompressed index when the compressed ones are missing', async () => {
      await publish(m1, spec({ acquireByHash: false }))
      m1.files.delete(`/ubuntu/dists/${SUITE}/${DIR}/Packages.xz`)
      m1.files.delete(`/ubuntu/dists/${SUITE}/${DIR}/Packages.gz`)
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('ok')
      expect(r.state.suites[suiteKey('m1', SUITE)]?.indexes[DIR]?.fetchedPath).toBe(`${DIR}/Packages`)
    })

    it('verifies Release + Release.gpg when there is no InRelease', async () => {
      const text = releaseText(spec())
      const sig = await sign({
        message: await createMessage({ binary: new TextEncoder().encode(text) }),
        signingKeys: key.privateKey,
        detached: true,
        date: new Date(DATE),
      })
      await publish(m1, spec())
      m1.files.delete(`/ubuntu/dists/${SUITE}/InRelease`)
      m1.files.set(`/ubuntu/dists/${SUITE}/Release`, new TextEncoder().encode(text))
      m1.files.set(`/ubuntu/dists/${SUITE}/Release.gpg`, new TextEncoder().encode(sig))
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('ok')
      expect(r.state.suites[suiteKey('m1', SUITE)]?.verified?.file).toBe('Release')
    })
  })

  describe('when nothing changed since the last poll', () => {
    it('makes one conditional request and re-uses the verified data', async () => {
      await publish(m1, spec())
      const first = await pollMirrors(input([mirror(m1)], undefined))
      m1.resetStats()
      const second = await pollMirrors(input([mirror(m1)], first.state, { now: NOW + HOUR }))
      expect(m1.requests).toHaveLength(1)
      expect(m1.requests[0]?.headers['if-none-match']).toBeDefined()
      expect(second.statuses[0]?.state).toBe('ok')
      expect(second.statuses[0]?.notModified).toBe(true)
      expect(second.bytesTransferred).toBe(0)
      const wire = m1.wireBytes()
      expect(wire.read + wire.written).toBeLessThanOrEqual(1536)
      expect(
        await availableVersions(second.state, second.indexes, 'xserver-xorg-video-nvidia-595', 'amd64'),
      ).toHaveLength(1)
    })

    it('still reports stale when the unchanged Release grows too old', async () => {
      await publish(m1, spec())
      const first = await pollMirrors(input([mirror(m1)], undefined))
      const later = await pollMirrors(input([mirror(m1)], first.state, { now: DATE + 8 * 24 * HOUR }))
      expect(later.statuses[0]?.state).toBe('stale')
      expect(later.statuses[0]?.code).toBe('APT_STALE')
    })
  })

  describe('when the server answers 304 to a request without validators', () => {
    it('refuses to keep unrequested data: unreachable with NET_HTTP_STATUS', async () => {
      await publish(m1, spec())
      const first = await pollMirrors(input([mirror(m1)], undefined))
      m1.faults.set(`/ubuntu/dists/${SUITE}/InRelease`, 'always-304')
      // A new architecture makes the stored data incomplete, so no validators are sent.
      const wider = { ...mirror(m1), architectures: ['amd64', 'arm64'] }
      const r = await pollMirrors(input([wider], first.state))
      expect(m1.requests.at(-1)?.headers['if-none-match']).toBeUndefined()
      expect(r.statuses[0]?.state).toBe('unreachable')
      expect(r.statuses[0]?.code).toBe('NET_HTTP_STATUS')
    })
  })

  describe('when only the Release changed', () => {
    it('does not fetch an index whose signed hash is unchanged', async () => {
      await publish(m1, spec())
      const first = await pollMirrors(input([mirror(m1)], undefined))
      await publish(m1, spec({ date: DATE + HOUR }))
      m1.resetStats()
      const second = await pollMirrors(input([mirror(m1)], first.state, { now: NOW + HOUR }))
      expect(second.statuses[0]?.state).toBe('ok')
      expect(m1.requests.map((q) => q.path)).toEqual([`/ubuntu/dists/${SUITE}/InRelease`])
      expect(second.state.suites[suiteKey('m1', SUITE)]?.highWater).toBe(DATE + HOUR)
    })
  })

  describe('when the mirror serves an older Release than already accepted', () => {
    it('reports rolled-back with APT_ROLLBACK and keeps the newer verified data', async () => {
      await publish(m1, spec({ date: DATE }))
      const first = await pollMirrors(input([mirror(m1)], undefined))
      await publish(m1, spec({ date: DATE - 6 * HOUR }))
      const second = await pollMirrors(input([mirror(m1)], first.state, { now: NOW + HOUR }))
      const s = second.statuses[0]
      expect(s?.state).toBe('rolled-back')
      expect(s?.code).toBe('APT_ROLLBACK')
      expect(s?.releaseDate).toBe(DATE - 6 * HOUR)
      expect(s?.dataAgeMs).toBe(HOUR)
      const rec = second.state.suites[suiteKey('m1', SUITE)]
      expect(rec?.highWater).toBe(DATE)
      expect(rec?.verified?.date).toBe(DATE)
      expect(
        await availableVersions(second.state, second.indexes, 'xserver-xorg-video-nvidia-595', 'amd64'),
      ).toHaveLength(1)
    })
  })

  describe('when the Release is for another suite', () => {
    it('reports wrong-suite with APT_WRONG_SUITE', async () => {
      const s = spec({ suite: 'jammy-security' })
      m1.files.set(`/ubuntu/dists/${SUITE}/InRelease`, await signedInRelease(s, key.privateKey))
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('wrong-suite')
      expect(r.statuses[0]?.code).toBe('APT_WRONG_SUITE')
    })
  })

  describe('when Valid-Until has passed', () => {
    it('reports frozen with APT_FROZEN', async () => {
      await publish(m1, spec({ validUntil: NOW - 60_000 }))
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('frozen')
      expect(r.statuses[0]?.code).toBe('APT_FROZEN')
    })
  })

  describe('when the Release is older than the maximum age', () => {
    it('reports stale with APT_STALE', async () => {
      await publish(m1, spec())
      const r = await pollMirrors(input([mirror(m1)], undefined, { now: DATE + 7 * 24 * HOUR + HOUR }))
      expect(r.statuses[0]?.state).toBe('stale')
      expect(r.statuses[0]?.code).toBe('APT_STALE')
    })
  })

  describe('when the signature is not from a pinned archive key', () => {
    it('reports bad-signature with PGP_UNKNOWN_SIGNER', async () => {
      await publish(m1, spec(), other)
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('bad-signature')
      expect(r.statuses[0]?.code).toBe('PGP_UNKNOWN_SIGNER')
      expect(r.state.suites[suiteKey('m1', SUITE)]?.verified).toBeUndefined()
    })
    it('reports bad-signature with PGP_BAD_SIGNATURE for a tampered Release', async () => {
      await publish(m1, spec())
      const path = `/ubuntu/dists/${SUITE}/InRelease`
      const text = new TextDecoder()
        .decode(m1.files.get(path))
        .replace('Label: Lifeline-Test', 'Label: Lifeline-Tost')
      m1.files.set(path, new TextEncoder().encode(text))
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('bad-signature')
      expect(r.statuses[0]?.code).toBe('PGP_BAD_SIGNATURE')
    })
  })

  describe('when an index does not match its signed hash', () => {
    it('reports hash-mismatch with APT_HASH_MISMATCH before parsing it', async () => {
      await publish(m1, spec({ files: { [`${DIR}/Packages`]: PACKAGES } }))
      const bad = new Uint8Array(PACKAGES)
      bad[100] = (bad[100] ?? 0) ^ 1
      m1.files.set(`/ubuntu/dists/${SUITE}/${DIR}/by-hash/SHA256/${sha256Hex(PACKAGES)}`, bad)
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('hash-mismatch')
      expect(r.statuses[0]?.code).toBe('APT_HASH_MISMATCH')
      expect(r.statuses[0]?.url).toContain('/by-hash/SHA256/')
      // The authentic Release still raises the high-water mark; no unverified versions are kept.
      expect(r.state.suites[suiteKey('m1', SUITE)]?.highWater).toBe(DATE)
      expect(await availableVersions(r.state, r.indexes, 'xserver-xorg-video-nvidia-595', 'amd64')).toEqual(
        [],
      )
    })
    it('retries the index on the next poll instead of trusting the 304', async () => {
      await publish(m1, spec({ files: { [`${DIR}/Packages`]: PACKAGES } }))
      const byHash = `/ubuntu/dists/${SUITE}/${DIR}/by-hash/SHA256/${sha256Hex(PACKAGES)}`
      m1.files.set(byHash, new Uint8Array(10))
      const first = await pollMirrors(input([mirror(m1)], undefined))
      expect(first.statuses[0]?.state).toBe('hash-mismatch')
      m1.files.set(byHash, PACKAGES)
      const second = await pollMirrors(input([mirror(m1)], first.state))
      expect(second.statuses[0]?.state).toBe('ok')
    })
  })

  describe('when the package lists cannot be saved (a full or read-only disk)', () => {
    it('reports that suite with the store’s code instead of failing the whole poll', async () => {
      await publish(m1, spec())
      const full = {
        ...createMemoryIndexStore(),
        put: () =>
          Promise.reject(new CoreError('STATE_WRITE_FAILED', 'could not save a package list: ENOSPC')),
      }
      const r = await pollMirrors(
        input([mirror(m1)], undefined, {
          ports: { fetcher, decompressor: createDecompressor(), indexes: full },
        }),
      )
      expect(r.statuses[0]).toMatchObject({ state: 'unreachable', code: 'STATE_WRITE_FAILED' })
      expect(r.statuses[0]?.detail).toMatch(/could not save this mirror's .* package lists on this computer/)
      expect(r.state.suites[suiteKey('m1', SUITE)]?.highWater).toBe(DATE)
    })
  })

  describe('when another mirror has a newer Release', () => {
    it('reports lagging with how far behind', async () => {
      await publish(m1, spec({ date: DATE }))
      await publish(m2, spec({ date: DATE - 5 * HOUR }))
      const r = await pollMirrors(input([mirror(m1), mirror(m2, 'm2', 'Mirror two')], undefined))
      expect(r.statuses.map((s) => s.state)).toEqual(['ok', 'lagging'])
      expect(r.statuses[1]?.lagMs).toBe(5 * HOUR)
      expect(r.statuses[1]?.detail).toContain('5 hours behind Mirror one')
    })
  })

  describe('when the mirror fails at the network level', () => {
    it('reports unreachable and keeps the last verified data with its age', async () => {
      await publish(m1, spec())
      const first = await pollMirrors(input([mirror(m1)], undefined))
      m1.faults.set('/ubuntu', 'down')
      const second = await pollMirrors(input([mirror(m1)], first.state, { now: NOW + 2 * HOUR }))
      expect(second.statuses[0]?.state).toBe('unreachable')
      expect(second.statuses[0]?.code).toBe('NET_UNREACHABLE')
      expect(second.statuses[0]?.dataAgeMs).toBe(2 * HOUR)
      expect(second.statuses[0]?.detail).toContain('verified 2 hours ago')
      expect(
        await availableVersions(second.state, second.indexes, 'xserver-xorg-video-nvidia-595', 'amd64'),
      ).toHaveLength(1)
    })
    it('reports too-large for an endless InRelease', async () => {
      m1.faults.set(`/ubuntu/dists/${SUITE}/InRelease`, 'endless')
      const r = await pollMirrors(input([mirror(m1)], undefined))
      expect(r.statuses[0]?.state).toBe('too-large')
      expect(r.statuses[0]?.code).toBe('NET_TOO_LARGE')
    })
    it('reports too-slow for a stalled mirror while the other stays ok', async () => {
      await publish(m1, spec())
      await publish(m2, spec())
      m2.faults.set(`/ubuntu/dists/${SUITE}/InRelease`, 'stall')
      const r = await pollMirrors(input([mirror(m1), mirror(m2, 'm2', 'Mirror two')], undefined))
      expect(r.statuses.map((s) => [s.mirrorId, s.state, s.code])).toEqual([
        ['m1', 'ok', undefined],
        ['m2', 'too-slow', 'NET_TOO_SLOW'],
      ])
    })
  })

  describe('when many mirrors are polled', () => {
    it('reports progress for each mirror × suite and respects the concurrency bound', async () => {
      await publish(m1, spec())
      const ids = ['a', 'b', 'c', 'd', 'e', 'f']
      const progress: number[] = []
      let inFlight = 0
      let peak = 0
      const counting: PollInput['ports']['fetcher'] = async (req) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        try {
          return await fetcher(req)
        } finally {
          inFlight--
        }
      }
      const r = await pollMirrors(
        input(
          ids.map((id) => mirror(m1, id, id)),
          undefined,
          {
            concurrency: 2,
            onProgress: (p) => progress.push(p.done),
            ports: { fetcher: counting, decompressor: createDecompressor() },
          },
        ),
      )
      expect(r.statuses.every((s) => s.state === 'ok')).toBe(true)
      expect(progress).toEqual([1, 2, 3, 4, 5, 6])
      expect(peak).toBeLessThanOrEqual(2)
    })
  })
})

describe('describeDuration', () => {
  it('uses the largest sensible unit', () => {
    expect(describeDuration(30_000)).toBe('30 seconds')
    expect(describeDuration(5 * HOUR)).toBe('5 hours')
    expect(describeDuration(3 * 24 * HOUR)).toBe('3 days')
  })
})
