/** Attack: a mirror serves a modified Packages index (e.g. a fake "fixed" version) under a genuine Release. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableVersions } from '../../main/core/apt/mirror-store'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { pollOne, publishTree } from '../support/poll-harness'
import { makeTestArchiveKey } from '../support/test-archive'
import { packagesIndex, sha256Hex, signedInRelease } from '../../main/lab/archive'
import type { TestArchiveKey } from '../support/test-archive'

const PACKAGES = packagesIndex([
  { name: 'openssl', version: '3.0.13-0ubuntu3.5' },
  { name: 'libssl3t64', source: 'openssl', version: '3.0.13-0ubuntu3.5' },
])
const T = Date.parse('2026-06-06T12:00:00Z')
let key: TestArchiveKey
let m: MirrorServer
beforeAll(async () => {
  key = await makeTestArchiveKey()
  m = await startMirrorServer()
})
afterAll(() => m.close())

describe('tampered index attack', () => {
  describe('when the index bytes differ from the signed SHA256 (same size)', () => {
    it('is refused with APT_HASH_MISMATCH and no version from it is kept', async () => {
      const files = { 'main/binary-amd64/Packages': PACKAGES }
      publishTree(
        m,
        'noble-security',
        await signedInRelease(
          { suite: 'noble-security', date: T, acquireByHash: true, files },
          key.privateKey,
        ),
        files,
      )
      const forged = new TextEncoder().encode(new TextDecoder().decode(PACKAGES).replaceAll('3.5', '9.9'))
      expect(forged.length).toBe(PACKAGES.length)
      m.files.set(
        '/ubuntu/dists/noble-security/main/binary-amd64/by-hash/SHA256/' + sha256Hex(PACKAGES),
        forged,
      )
      const r = await pollOne(m, 'noble-security', key.keyring, T + 60_000)
      expect(r.statuses[0]?.state).toBe('hash-mismatch')
      expect(r.statuses[0]?.code).toBe('APT_HASH_MISMATCH')
      expect(await availableVersions(r.state, r.indexes, 'openssl', 'amd64')).toEqual([])
    })
  })
  describe('when the index is longer than its signed size', () => {
    // An endless body ends at the signed size; being over it is a mismatch with the signed Release (apt: "File has
    // unexpected size"), so it is reported as hash-mismatch (mirror-index-longer-than-signed.test.ts).
    it('stops the download at the signed size with APT_SIZE_MISMATCH', async () => {
      const files = { 'main/binary-amd64/Packages': PACKAGES }
      publishTree(
        m,
        'noble-updates',
        await signedInRelease({ suite: 'noble-updates', date: T, files }, key.privateKey),
        files,
      )
      m.faults.set('/ubuntu/dists/noble-updates/main/binary-amd64/', 'endless')
      const r = await pollOne(m, 'noble-updates', key.keyring, T + 60_000)
      expect(r.statuses[0]?.state).toBe('hash-mismatch')
      expect(r.statuses[0]?.code).toBe('APT_SIZE_MISMATCH')
    })
  })
})
