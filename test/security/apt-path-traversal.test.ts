/**
 * Attack: signed-but-hostile metadata (a compromised or malicious repository) names paths that climb out of the
 * archive when joined to a mirror URL or a cache directory: `../` in a Release SHA256 entry, a Packages
 * Filename, a Sources Directory or file name. Each is refused with APT_BAD_FIELD.
 */
import { describe, expect, it } from 'vitest'
import { parsePackages, parseSources } from '../../main/core/apt/indexes'
import { parseRelease } from '../../main/core/apt/release'
import { codeOfSync } from '../unit/core/apt/apt-fixtures'

const H = 'c'.repeat(64)

describe('attack: path traversal in signed metadata', () => {
  describe('when a path climbs out of the archive', () => {
    it.each([
      [
        'Release SHA256 entry',
        () => parseRelease(`Date: Sat, 21 Nov 2026 12:00:00 UTC\nSHA256:\n ${H} 1 main/../../x\n`),
      ],
      [
        'Packages Filename',
        () =>
          parsePackages(
            `Package: a\nVersion: 1\nArchitecture: all\nFilename: ../a.deb\nSize: 1\nSHA256: ${H}\n`,
          ),
      ],
      [
        'Sources Directory',
        () =>
          parseSources(`Package: a\nVersion: 1\nDirectory: pool/../..\nChecksums-Sha256:\n ${H} 1 a.dsc\n`),
      ],
      [
        'Sources file name',
        () =>
          parseSources(`Package: a\nVersion: 1\nDirectory: pool/a\nChecksums-Sha256:\n ${H} 1 ../a.dsc\n`),
      ],
    ])('throws APT_BAD_FIELD for a %s', (_where, fn) => {
      expect(codeOfSync(fn)).toBe('APT_BAD_FIELD')
    })
  })
})
