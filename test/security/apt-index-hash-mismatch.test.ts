/**
 * Attack: a mirror serves a tampered Packages index of the right size (a planted version, a swapped .deb hash).
 * The index's SHA256 differs from the one in the signed Release, so it is refused before a byte is parsed.
 */
import { describe, expect, it } from 'vitest'
import { indexCandidates, verifyIndexBytes } from '../../main/core/apt/indexes'
import { parseRelease } from '../../main/core/apt/release'
import { codeOf, fixtureBytes, releaseText } from '../unit/core/apt/apt-fixtures'

describe('attack: tampered index, same size', () => {
  describe('when one version string in the Packages index is changed', () => {
    it('throws APT_HASH_MISMATCH', async () => {
      const release = parseRelease(releaseText('ubuntu/apt/noble-security_InRelease'))
      const signed = indexCandidates(release, 'multiverse', 'amd64')[0]?.uncompressed ?? {
        size: 0,
        sha256: '',
      }
      const bytes = fixtureBytes('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
      await verifyIndexBytes(bytes, signed)
      const text = new TextDecoder().decode(bytes)
      const at = text.indexOf('\nVersion: ') + 10
      const tampered = bytes.slice()
      tampered[at] = tampered[at] === 0x39 ? 0x38 : 0x39
      expect(tampered.byteLength).toBe(signed.size)
      expect(await codeOf(() => verifyIndexBytes(tampered, signed))).toBe('APT_HASH_MISMATCH')
    })
  })
})
