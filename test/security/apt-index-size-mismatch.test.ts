/**
 * Attack: a mirror appends stanzas to a Packages index (or truncates it) — the body no longer has the signed
 * size. The size is compared before hashing, so a padded or endless index is refused cheaply.
 */
import { describe, expect, it } from 'vitest'
import { indexCandidates, verifyIndexBytes } from '../../main/core/apt/indexes'
import { parseRelease } from '../../main/core/apt/release'
import { codeOf, fixtureBytes, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: index with extra or missing bytes', () => {
  const release = parseRelease(releaseText('debian/bookworm-security_InRelease'))
  const signed = indexCandidates(release, 'main', 'amd64')[0]?.uncompressed ?? { size: 0, sha256: '' }
  const bytes = fixtureBytes('debian/bookworm-security_main_binary-amd64_Packages')

  describe('when a planted stanza is appended', () => {
    it('throws APT_SIZE_MISMATCH', async () => {
      const planted = new TextEncoder().encode('\nPackage: sudo\nVersion: 9:9.9\n')
      const padded = new Uint8Array(bytes.byteLength + planted.byteLength)
      padded.set(bytes)
      padded.set(planted, bytes.byteLength)
      expect(await codeOf(() => verifyIndexBytes(padded, signed))).toBe('APT_SIZE_MISMATCH')
    })
  })

  describe('when the index is truncated to hide a security update', () => {
    it('throws APT_SIZE_MISMATCH', async () => {
      expect(await codeOf(() => verifyIndexBytes(bytes.subarray(0, bytes.byteLength >> 1), signed))).toBe(
        'APT_SIZE_MISMATCH',
      )
    })
  })
})
