/**
 * The lab's archive builder is the one the lab, the bench and the tests sign their archives with: what it writes must
 * be what the engine's own parser and verifier read, field for field.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRelease } from '../../../main/core/apt/release'
import { verifyInRelease } from '../../../main/core/apt/signed-release'
import { isCoreError } from '../../../main/core/errors'
import { loadKeyring } from '../../../main/core/pgp/keyring'
import type { LabKey, ReleaseSpec } from '../../../main/lab/archive'
import {
  generateLabKey,
  packagesIndex,
  pinnedKeyEntry,
  releaseText,
  sha256Hex,
  signedInRelease,
} from '../../../main/lab/archive'

const NOW = Date.parse('2026-12-04T12:00:00Z')
const HOUR = 3600_000
const PACKAGES = packagesIndex([{ name: 'expat', version: '2.6.1-2ubuntu0.1' }])
const SPEC: ReleaseSpec = {
  suite: 'noble-security',
  version: '24.04',
  date: NOW - HOUR,
  validUntil: NOW + 7 * 24 * HOUR,
  components: ['main', 'universe'],
  acquireByHash: true,
  files: { 'main/binary-amd64/Packages': PACKAGES },
}

let key: LabKey
let stranger: LabKey
beforeAll(async () => {
  ;[key, stranger] = await Promise.all([
    generateLabKey({
      role: 'archive',
      name: 'Archive builder test key (TEST ONLY)',
      created: NOW - 30 * 24 * HOUR,
    }),
    generateLabKey({ role: 'archive', name: 'Not pinned (TEST ONLY)', created: NOW - 30 * 24 * HOUR }),
  ])
})

describe('releaseText', () => {
  describe('when given every field', () => {
    it('writes a Release the engine parses back field for field', () => {
      const release = parseRelease(releaseText(SPEC))
      expect(release).toMatchObject({
        origin: 'Lifeline-Lab',
        label: 'Lifeline-Lab',
        suite: 'noble-security',
        codename: 'noble',
        version: '24.04',
        date: NOW - HOUR,
        validUntil: NOW + 7 * 24 * HOUR,
        architectures: ['amd64'],
        components: ['main', 'universe'],
        acquireByHash: true,
      })
      expect(release.sha256.get('main/binary-amd64/Packages')).toEqual({
        size: PACKAGES.length,
        sha256: sha256Hex(PACKAGES),
      })
    })
  })

  describe('when the optional fields are left out', () => {
    it('writes no Version, Valid-Until or Acquire-By-Hash, and takes the origin given', () => {
      const text = releaseText({ origin: 'Lifeline-Test', suite: 'noble', date: NOW, files: {} })
      expect(text).not.toMatch(/^(Version|Valid-Until|Acquire-By-Hash):/m)
      expect(parseRelease(text)).toMatchObject({
        origin: 'Lifeline-Test',
        suite: 'noble',
        acquireByHash: false,
      })
    })
  })
})

describe('signedInRelease', () => {
  describe('when verified with a keyring pinning its key (pinnedKeyEntry)', () => {
    it('verifies, and the signed text is exactly the Release text', async () => {
      const keyring = await loadKeyring([pinnedKeyEntry(key)])
      const verified = await verifyInRelease(await signedInRelease(SPEC, key.privateKey), keyring, NOW)
      expect(verified.signedText.trimEnd()).toBe(releaseText(SPEC).trimEnd())
      expect(verified.signers.map((s) => s.fingerprint)).toEqual([key.fingerprint])
    })
  })

  describe('when signed by a key the keyring does not pin', () => {
    it('throws PGP_UNKNOWN_SIGNER', async () => {
      const keyring = await loadKeyring([pinnedKeyEntry(key)])
      const error: unknown = await verifyInRelease(
        await signedInRelease(SPEC, stranger.privateKey),
        keyring,
        NOW,
      ).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isCoreError(error) ? error.code : String(error)).toBe('PGP_UNKNOWN_SIGNER')
    })
  })
})
