/**
 * The whole signed chain of docs/trust.md, "5. The archive itself is evidence", on real Debian data: InRelease → Sources (hash) →
 * source package .debian.tar.xz (hash) → debian/changelog → "1.9.13p3-1+deb12u2 fixes CVE-2025-32462".
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { cvesFixedSince, changelogFromDebianTar } from '../../../../main/core/apt/changelog'
import { indexCandidates, parseSources, verifyIndexBytes } from '../../../../main/core/apt/indexes'
import { parseRelease } from '../../../../main/core/apt/release'
import { Limits } from '../../../../main/core/limits'
import { createDecompressor } from '../../../../main/node/decompress'
import { codeOf, fixtureBytes, releaseText } from './apt-fixtures'

let sourcesText = ''
beforeAll(async () => {
  const bytes = await createDecompressor()(
    'xz',
    fixtureBytes('debian/source-evidence/bookworm-security_main_source_Sources.xz'),
    Limits.size.indexBytes,
  )
  sourcesText = new TextDecoder().decode(bytes)
})

describe('source evidence chain', () => {
  describe('when following bookworm-security from the InRelease to the sudo changelog', () => {
    it('proves that sudo 1.9.13p3-1+deb12u2 fixes CVE-2025-32462, every hop hash-checked', async () => {
      const release = parseRelease(releaseText('debian/bookworm-security_InRelease'))
      const [xz] = indexCandidates(release, 'main', 'source', 'bookworm-security')
      const signed = xz?.uncompressed
      expect(signed?.sha256.startsWith('447e6b4d')).toBe(true)
      const decompress = createDecompressor()
      const bytes = await decompress(
        'xz',
        fixtureBytes('debian/source-evidence/bookworm-security_main_source_Sources.xz'),
        Limits.size.indexBytes,
      )
      await verifyIndexBytes(bytes, signed ?? { size: 0, sha256: '' })
      const sources = parseSources(new TextDecoder().decode(bytes))
      expect(sources).toHaveLength(696)

      const sudo = sources.find((s) => s.package === 'sudo' && s.version === '1.9.13p3-1+deb12u2')
      expect(sudo?.directory).toBe('pool/updates/main/s/sudo')
      const debianTar = sudo?.files.find((f) => f.name === 'sudo_1.9.13p3-1+deb12u2.debian.tar.xz')
      expect(debianTar).toBeDefined()

      const artifact = fixtureBytes('debian/source-evidence/sudo_1.9.13p3-1+deb12u2.debian.tar.xz')
      await verifyIndexBytes(artifact, debianTar ?? { size: 0, sha256: '' })
      const changelog = changelogFromDebianTar(
        await decompress('xz', artifact, Limits.size.sourceArtifactBytes),
      )
      const fixed = cvesFixedSince(changelog, '1.9.13p3-1+deb12u1')
      expect(fixed.flatMap((e) => e.cves)).toContain('CVE-2025-32462')
    })

    it.each([
      ['curl', '7.88.1-10+deb12u5'],
      ['libxml2', '2.9.14+dfsg-1.3~deb12u4'],
      ['tiff', '4.5.0-6+deb12u4'],
    ])('finds the signed hash of %s %s and the fixture matches it', async (pkg, version) => {
      const src = parseSources(sourcesText).find((s) => s.package === pkg && s.version === version)
      const file = src?.files.find((f) => f.name === `${pkg}_${version}.debian.tar.xz`)
      const artifact = fixtureBytes(`debian/source-evidence/${pkg}_${version}.debian.tar.xz`)
      await verifyIndexBytes(artifact, file ?? { size: 0, sha256: '' })
    })
  })

  describe('when the source artifact was swapped for another one', () => {
    it('throws APT_SIZE_MISMATCH before reading its changelog', async () => {
      const sudo = parseSources(sourcesText).find((s) => s.version === '1.9.13p3-1+deb12u2')
      const signed = sudo?.files.find((f) => f.name.endsWith('.debian.tar.xz')) ?? { size: 0, sha256: '' }
      const other = fixtureBytes('debian/source-evidence/tiff_4.5.0-6+deb12u4.debian.tar.xz')
      expect(await codeOf(() => verifyIndexBytes(other, signed))).toBe('APT_SIZE_MISMATCH')
    })
  })
})
