/**
 * Attack: a mirror serves a source package's .debian.tar.xz whose bytes differ from the Checksums-Sha256 entry of
 * the signed Sources index (a changelog edited to claim, or hide, a CVE fix). docs/trust.md, point 5: the artifact is
 * refused before a byte of it is decompressed, and nothing is cached as archive evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gatherArchiveEvidence, type EvidencePorts } from '../../main/core/apt/evidence'
import type { MirrorsState } from '../../main/core/apt/mirror-state'
import { pollMirrors } from '../../main/core/apt/poller'
import { createDecompressor } from '../../main/node/decompress'
import { createFetcher } from '../../main/node/http-fetcher'
import type { MirrorServer } from '../support/mirror-server'
import {
  BOOKWORM_NOW,
  debianKeyring,
  fixtureBytes,
  startDebianSecurityMirror,
} from '../integration/check-support'

const ARTIFACT = '/debian-security/pool/updates/main/s/sudo/sudo_1.9.13p3-1+deb12u2.debian.tar.xz'
const TARGET = {
  source: 'sudo',
  version: '1.9.13p3-1+deb12u2',
  sinceVersion: '1.9.13p3-1+deb12u1',
  mirrorId: 'debian-security',
  suite: 'bookworm-security',
  component: 'main',
}

let server: MirrorServer
let state: MirrorsState
let ports: EvidencePorts

beforeAll(async () => {
  const started = await startDebianSecurityMirror()
  server = started.server
  const keyring = await debianKeyring()
  ports = { fetcher: createFetcher(), decompressor: createDecompressor(), keyring, now: BOOKWORM_NOW }
  state = (
    await pollMirrors({ mirrors: [started.mirror], keyring, now: BOOKWORM_NOW, previous: undefined, ports })
  ).state
})

afterAll(async () => {
  await server.close()
})

describe('evidence: tampered source artifact', () => {
  describe('when one byte of the .debian.tar.xz differs from the signed Sources entry', () => {
    it('refuses it with APT_HASH_MISMATCH and caches nothing', async () => {
      const bytes = fixtureBytes('debian/source-evidence/sudo_1.9.13p3-1+deb12u2.debian.tar.xz')
      bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x01
      server.files.set(ARTIFACT, bytes)
      const r = await gatherArchiveEvidence({ targets: [TARGET], mirrors: state, cache: undefined, ports })
      expect(r.problems.map((p) => p.code)).toEqual(['APT_HASH_MISMATCH'])
      expect(r.evidence).toEqual([])
      expect(r.state.records).toEqual({})
    })
  })

  describe('when another package artifact is served in its place', () => {
    it('refuses it with APT_SIZE_MISMATCH', async () => {
      server.files.set(ARTIFACT, fixtureBytes('debian/source-evidence/tiff_4.5.0-6+deb12u4.debian.tar.xz'))
      const r = await gatherArchiveEvidence({ targets: [TARGET], mirrors: state, cache: undefined, ports })
      expect(r.problems.map((p) => p.code)).toEqual(['APT_SIZE_MISMATCH'])
      expect(r.evidence).toEqual([])
    })
  })

  describe('when the Sources index was altered', () => {
    it('refuses it with APT_HASH_MISMATCH before reading any artifact', async () => {
      server.files.set(ARTIFACT, fixtureBytes('debian/source-evidence/sudo_1.9.13p3-1+deb12u2.debian.tar.xz'))
      for (const [path, body] of server.files) {
        if (!path.includes('/main/source/')) continue
        const copy = new Uint8Array(body)
        copy[10] = (copy[10] ?? 0) ^ 0x20
        server.files.set(path, copy)
      }
      server.resetStats()
      const r = await gatherArchiveEvidence({ targets: [TARGET], mirrors: state, cache: undefined, ports })
      expect(r.problems.map((p) => p.code)).toEqual(['APT_HASH_MISMATCH'])
      expect(server.requests.some((q) => q.path === ARTIFACT)).toBe(false)
    })
  })
})
