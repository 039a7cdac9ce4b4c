/**
 * The archive-confirmed evidence chain on real Debian data, over a real loopback HTTP mirror:
 * Debian-signed bookworm-security InRelease → Sources (signed hash) → sudo .debian.tar.xz (Sources hash)
 * → debian/changelog → CVE-2025-32462.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  archiveConfirmedCves,
  asSourceEvidenceState,
  evidenceSince,
  gatherArchiveEvidence,
  type EvidencePorts,
  type EvidenceTarget,
  type SourceEvidenceState,
} from '../../../../main/core/apt/evidence'
import type { MirrorsState } from '../../../../main/core/apt/mirror-state'
import { pollMirrors } from '../../../../main/core/apt/poller'
import type { Advisory } from '../../../../main/core/advisories/model'
import type { Keyring } from '../../../../main/core/pgp/keyring'
import { createDecompressor } from '../../../../main/node/decompress'
import { createFetcher } from '../../../../main/node/http-fetcher'
import type { MirrorConfig } from '../../../../main/core/model'
import type { MirrorServer } from '../../../support/mirror-server'
import { BOOKWORM_NOW, debianKeyring, startDebianSecurityMirror } from '../../../integration/check-support'

let server: MirrorServer
let mirror: MirrorConfig
let keyring: Keyring
let state: MirrorsState
let ports: EvidencePorts

const SUDO: EvidenceTarget = {
  source: 'sudo',
  version: '1.9.13p3-1+deb12u2',
  sinceVersion: '1.9.13p3-1+deb12u1',
  mirrorId: 'debian-security',
  suite: 'bookworm-security',
  component: 'main',
}

beforeAll(async () => {
  ;({ server, mirror } = await startDebianSecurityMirror())
  keyring = await debianKeyring()
  const decompressor = createDecompressor()
  const fetcher = createFetcher()
  const polled = await pollMirrors({
    mirrors: [mirror],
    keyring,
    now: BOOKWORM_NOW,
    previous: undefined,
    ports: { fetcher, decompressor },
  })
  expect(polled.statuses[0]?.state).toBe('ok')
  state = polled.state
  ports = { fetcher, decompressor, keyring, now: BOOKWORM_NOW }
})

afterAll(async () => {
  await server.close()
})

describe('gatherArchiveEvidence', () => {
  describe('when the verified bookworm-security archive offers sudo 1.9.13p3-1+deb12u2', () => {
    it('returns CVE-2025-32462 for the uploads after 1.9.13p3-1+deb12u1, every hop hash-checked', async () => {
      const r = await gatherArchiveEvidence({ targets: [SUDO], mirrors: state, cache: undefined, ports })
      expect(r.problems).toEqual([])
      expect(r.fetched).toBe(1)
      expect(r.evidence).toEqual([
        { source: 'sudo', version: '1.9.13p3-1+deb12u2', cves: ['CVE-2025-32462'] },
      ])
      const rec = r.state.records['sudo\u00001.9.13p3-1+deb12u2']
      expect(rec?.file).toBe('sudo_1.9.13p3-1+deb12u2.debian.tar.xz')
      expect(rec?.sha256).toMatch(/^[0-9a-f]{64}$/)
      // The requests followed the chain: InRelease, the Sources index, the artifact in the pool.
      const paths = server.requests.map((q) => q.path)
      expect(paths.some((p) => p.endsWith('/dists/bookworm-security/InRelease'))).toBe(true)
      expect(paths.some((p) => p.includes('/main/source/'))).toBe(true)
      expect(paths).toContain(
        '/debian-security/pool/updates/main/s/sudo/sudo_1.9.13p3-1+deb12u2.debian.tar.xz',
      )
    })

    it('names more CVEs when the installed version is older', async () => {
      const r = await gatherArchiveEvidence({
        targets: [{ ...SUDO, sinceVersion: '1.9.12p2-1' }],
        mirrors: state,
        cache: undefined,
        ports,
      })
      expect(r.evidence[0]?.cves).toContain('CVE-2025-32462')
      // 1.9.13p3-1 names CVE-2023-27320; 1.9.12p2-1's own CVE-2023-22809 is not after the installed version.
      expect(r.evidence[0]?.cves).toEqual(['CVE-2023-27320', 'CVE-2025-32462'])
    })
  })

  describe('when the evidence is already cached', () => {
    it('answers from the cache without a single request', async () => {
      const first = await gatherArchiveEvidence({ targets: [SUDO], mirrors: state, cache: undefined, ports })
      const cache = asSourceEvidenceState(JSON.parse(JSON.stringify(first.state)))
      server.resetStats()
      const again = await gatherArchiveEvidence({ targets: [SUDO], mirrors: state, cache, ports })
      expect(server.requests).toEqual([])
      expect(again.fetched).toBe(0)
      expect(again.evidence).toEqual(first.evidence)
    })
  })

  describe('when several source packages are wanted', () => {
    it('reads the Release and the Sources index once for all of them', async () => {
      server.resetStats()
      const r = await gatherArchiveEvidence({
        targets: [
          SUDO,
          { ...SUDO, source: 'tiff', version: '4.5.0-6+deb12u4', sinceVersion: '4.5.0-6+deb12u3' },
          { ...SUDO, source: 'curl', version: '7.88.1-10+deb12u5', sinceVersion: '7.88.1-10+deb12u4' },
        ],
        mirrors: state,
        cache: undefined,
        ports,
      })
      expect(r.problems).toEqual([])
      expect(r.evidence.map((e) => e.source).sort()).toEqual(['curl', 'sudo', 'tiff'])
      expect(r.evidence.find((e) => e.source === 'tiff')?.cves).toContain('CVE-2026-4775')
      expect(server.requests.filter((q) => q.path.endsWith('/InRelease'))).toHaveLength(1)
      expect(
        server.requests.filter((q) => q.path.includes('/source/') && !q.path.includes('by-hash/SHA256/4')),
      ).not.toHaveLength(0)
    })
  })

  describe('when the per-check budget is smaller than the work', () => {
    it('fetches advisory-named sources first and defers the rest', async () => {
      const r = await gatherArchiveEvidence({
        targets: [
          { ...SUDO, source: 'curl', version: '7.88.1-10+deb12u5' },
          { ...SUDO, advisory: true },
        ],
        mirrors: state,
        cache: undefined,
        ports,
        maxFetches: 1,
      })
      expect(r.fetched).toBe(1)
      expect(r.deferred).toBe(1)
      expect(r.evidence.map((e) => e.source)).toEqual(['sudo'])
    })
  })

  describe('when a source keeps failing', () => {
    it('rotates it behind never-tried sources, so it cannot starve them', async () => {
      const bad = { ...SUDO, source: 'curl', version: '7.88.1-10+deb12u99' }
      const first = await gatherArchiveEvidence({
        targets: [bad, SUDO],
        mirrors: state,
        cache: undefined,
        ports,
        maxFetches: 1,
      })
      expect(first.problems.map((p) => [p.source, p.code])).toEqual([['curl', 'EVIDENCE_SOURCE_NOT_FOUND']])
      const second = await gatherArchiveEvidence({
        targets: [bad, SUDO],
        mirrors: state,
        cache: first.state,
        ports,
        maxFetches: 1,
      })
      expect(second.problems).toEqual([])
      expect(second.evidence.map((e) => e.source)).toEqual(['sudo'])
    })
  })

  describe("when the binary's component is not the source's (a binary in contrib built from a main source)", () => {
    it("finds the source in the other components the signed Release lists, and records the source's component", async () => {
      const r = await gatherArchiveEvidence({
        targets: [{ ...SUDO, component: 'contrib' }],
        mirrors: state,
        cache: undefined,
        ports,
      })
      expect(r.problems.map((p) => [p.code, p.message])).toEqual([])
      expect(r.evidence).toEqual([
        { source: 'sudo', version: '1.9.13p3-1+deb12u2', cves: ['CVE-2025-32462'] },
      ])
      expect(Object.values(r.state.records)[0]?.component).toBe('main')
    })
  })

  describe('when the source version is not in the signed Sources index', () => {
    it('reports EVIDENCE_SOURCE_NOT_FOUND and caches nothing', async () => {
      const r = await gatherArchiveEvidence({
        targets: [{ ...SUDO, version: '1.9.13p3-1+deb12u99' }],
        mirrors: state,
        cache: undefined,
        ports,
      })
      expect(r.problems.map((p) => p.code)).toEqual(['EVIDENCE_SOURCE_NOT_FOUND'])
      expect(r.evidence).toEqual([])
      expect(Object.keys(r.state.records)).toEqual([])
    })
  })

  describe('when the mirror × suite was never verified', () => {
    it('reports EVIDENCE_NO_VERIFIED_RELEASE without fetching', async () => {
      server.resetStats()
      const r = await gatherArchiveEvidence({ targets: [SUDO], mirrors: undefined, cache: undefined, ports })
      expect(r.problems.map((p) => p.code)).toEqual(['EVIDENCE_NO_VERIFIED_RELEASE'])
      expect(server.requests).toEqual([])
    })
  })

  describe('when the mirror now serves a Release signed by no pinned key', () => {
    it('reports the PGP code and uses nothing', async () => {
      const other = await import('../../../../main/core/pgp/keyring').then((k) => k.createKeyring([]))
      const r = await gatherArchiveEvidence({
        targets: [SUDO],
        mirrors: state,
        cache: undefined,
        ports: { ...ports, keyring: other },
      })
      expect(r.evidence).toEqual([])
      expect(r.problems[0]?.code).toMatch(/^PGP_/)
    })
  })
})

describe('evidenceSince', () => {
  const rec = {
    source: 'x',
    version: '1.0-3',
    sha256: '0'.repeat(64),
    file: 'x_1.0-3.debian.tar.xz',
    mirrorId: 'm',
    suite: 's',
    component: 'main',
    at: 0,
    entries: [
      { version: '1.0-4', cves: ['CVE-2026-0004'] },
      { version: '1.0-3', cves: ['CVE-2026-0003'] },
      { version: '1.0-2', cves: ['CVE-2026-0002'] },
    ],
  }
  describe('when given an installed version', () => {
    it('keeps only entries after it and not after the record version', () => {
      expect(evidenceSince(rec, '1.0-2').cves).toEqual(['CVE-2026-0003'])
      expect(evidenceSince(rec, undefined).cves).toEqual(['CVE-2026-0002', 'CVE-2026-0003'])
    })
  })
})

describe('asSourceEvidenceState', () => {
  describe('when a cached record is malformed', () => {
    it('drops it (a cached CVE is later shown as archive-confirmed)', () => {
      const s = asSourceEvidenceState({
        version: 1,
        records: {
          'x\u00001.0': {
            source: 'x',
            version: '1.0',
            sha256: 'a',
            file: 'f',
            mirrorId: 'm',
            suite: 's',
            component: 'c',
            at: 1,
            entries: [{ version: '1.0', cves: ['not-a-cve'] }],
          },
          'y\u00002.0': {
            source: 'y',
            version: '2.0',
            sha256: 'a',
            file: 'f',
            mirrorId: 'm',
            suite: 's',
            component: 'c',
            at: 1,
            entries: [{ version: '2.0', cves: ['CVE-2026-1234'] }],
          },
        },
      })
      expect(Object.keys(s?.records ?? {})).toEqual(['y\u00002.0'])
      expect(asSourceEvidenceState({ version: 2, records: {} })).toBeUndefined()
    })
  })
})

describe('archiveConfirmedCves', () => {
  const cache: SourceEvidenceState = {
    version: 1,
    records: {
      'sudo\u00001.9.13p3-1+deb12u2': {
        source: 'sudo',
        version: '1.9.13p3-1+deb12u2',
        sha256: '0'.repeat(64),
        file: 'f',
        mirrorId: 'm',
        suite: 'bookworm-security',
        component: 'main',
        at: 0,
        entries: [{ version: '1.9.13p3-1+deb12u2', cves: ['CVE-2025-32462'] }],
      },
    },
  }
  const advisory = (fixedVersion: string, cves = ['CVE-2025-32462']): Advisory => ({
    id: 'DSA-0000-1',
    aliases: [],
    cves,
    title: 'sudo security update',
    summary: '',
    details: '',
    releases: [{ codename: 'bookworm', pro: false, sources: [{ name: 'sudo', fixedVersion }], binaries: [] }],
    mitigations: [],
    references: [],
    provenance: [],
    trust: 'single-source',
    conflicts: [],
  })
  describe('when the changelog of the fixed version names the advisory CVE', () => {
    it('confirms it', () => {
      expect(archiveConfirmedCves(advisory('1.9.13p3-1+deb12u2'), 'bookworm', cache)).toEqual([
        'CVE-2025-32462',
      ])
    })
  })
  describe('when the advisory claims an earlier fixed version than the changelog shows', () => {
    it('confirms nothing', () => {
      expect(archiveConfirmedCves(advisory('1.9.13p3-1+deb12u1'), 'bookworm', cache)).toEqual([])
    })
  })
  describe('when the CVE is not in the changelog or the release differs', () => {
    it('confirms nothing', () => {
      expect(
        archiveConfirmedCves(advisory('1.9.13p3-1+deb12u2', ['CVE-2099-0001']), 'bookworm', cache),
      ).toEqual([])
      expect(archiveConfirmedCves(advisory('1.9.13p3-1+deb12u2'), 'trixie', cache)).toEqual([])
    })
  })
})
