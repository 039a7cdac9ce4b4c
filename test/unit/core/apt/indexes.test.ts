import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  forEachPackage,
  indexCandidates,
  parsePackages,
  parseSources,
  sha256Hex,
  verifyIndexBytes,
} from '../../../../main/core/apt/indexes'
import { parseRelease } from '../../../../main/core/apt/release'
import { codeOf, codeOfSync, fixtureBytes, fixtureText, PACKAGES_FIXTURES, releaseText } from './apt-fixtures'

const noble = parseRelease(releaseText('ubuntu/apt/noble-security_InRelease'))
const debian = parseRelease(releaseText('debian/bookworm-security_InRelease'))
const H = 'ab'.repeat(32)

describe('verifyIndexBytes', () => {
  describe('when every fixture Packages index is checked against its InRelease', () => {
    it.each(PACKAGES_FIXTURES.map((f) => [f.packages, f] as const))('verifies %s', async (_rel, f) => {
      const release = parseRelease(releaseText(f.inRelease))
      const [best] = indexCandidates(release, f.component, 'amd64')
      expect(best?.uncompressed).toBeDefined()
      await verifyIndexBytes(fixtureBytes(f.packages), best?.uncompressed ?? { size: -1, sha256: '' })
    })
  })

  describe('when the bytes differ from the signed entry', () => {
    const bytes = fixtureBytes('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
    const signed = noble.sha256.get('multiverse/binary-amd64/Packages') ?? { size: 0, sha256: '' }

    it('throws APT_SIZE_MISMATCH for one byte more', async () => {
      const longer = new Uint8Array(bytes.byteLength + 1)
      longer.set(bytes)
      expect(await codeOf(() => verifyIndexBytes(longer, signed))).toBe('APT_SIZE_MISMATCH')
    })

    it('throws APT_HASH_MISMATCH for one flipped bit', async () => {
      const flipped = bytes.slice()
      const mid = flipped.length >> 1
      flipped[mid] = (flipped[mid] ?? 0) ^ 1
      expect(await codeOf(() => verifyIndexBytes(flipped, signed))).toBe('APT_HASH_MISMATCH')
    })
  })

  describe('when hashing', () => {
    it('matches the known SHA256 of the empty string', async () => {
      expect(await sha256Hex(new Uint8Array(0))).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      )
    })
  })
})

describe('indexCandidates', () => {
  describe('when the Release lists .xz, .gz and plain forms with Acquire-By-Hash', () => {
    it('prefers xz, then gz, then plain, each with the uncompressed hash and a by-hash path', () => {
      const c = indexCandidates(noble, 'multiverse', 'amd64')
      expect(c.map((x) => x.compression)).toEqual(['xz', 'gz', 'none'])
      expect(c[0]).toEqual({
        compression: 'xz',
        path: 'multiverse/binary-amd64/Packages.xz',
        url: 'dists/noble-security/multiverse/binary-amd64/Packages.xz',
        byHashUrl:
          'dists/noble-security/multiverse/binary-amd64/by-hash/SHA256/ec2c2ed8fc5d7ea41647169a3cf3e8da235950c7a4836c24d4f67a6e166c3363',
        expected: { size: 39252, sha256: 'ec2c2ed8fc5d7ea41647169a3cf3e8da235950c7a4836c24d4f67a6e166c3363' },
        uncompressed: {
          size: 334674,
          sha256: '8c9b63e487b87fd7ed4257e9af2a9b8795b61c94d7154aa1309a7d87f70f896f',
        },
      })
    })

    it('uses the directory the Release came from and finds Sources for "source"', () => {
      const c = indexCandidates(debian, 'main', 'source', 'bookworm-security')
      expect(c.map((x) => x.url)).toEqual([
        'dists/bookworm-security/main/source/Sources.xz',
        'dists/bookworm-security/main/source/Sources',
      ])
      expect(c[0]?.byHashUrl).toBe(
        'dists/bookworm-security/main/source/by-hash/SHA256/9bd2705772a65ca300e3682cccd133a8f8d1eef18823283ec476d819986b1550',
      )
      expect(c[0]?.uncompressed?.sha256).toBe(
        '447e6b4d6593d0c30695503bf00ef7d50964562b090bf5e67834fce7c2069f8d',
      )
    })
  })

  describe('when Acquire-By-Hash is absent', () => {
    it('gives no by-hash path', () => {
      const c = indexCandidates({ ...noble, acquireByHash: false }, 'main', 'amd64')
      expect(c.every((x) => x.byHashUrl === undefined)).toBe(true)
    })
  })

  describe('when the Release does not list the index', () => {
    it('throws APT_NOT_IN_RELEASE', () => {
      expect(codeOfSync(() => indexCandidates(noble, 'main', 'sparc'))).toBe('APT_NOT_IN_RELEASE')
      expect(codeOfSync(() => indexCandidates(noble, '..', 'amd64'))).toBe('APT_NOT_IN_RELEASE')
    })
  })
})

describe('parsePackages', () => {
  describe('when given real Packages indexes', () => {
    it.each(PACKAGES_FIXTURES.map((f) => [f.packages, f.count] as const))(
      'reads all %s entries',
      (rel, n) => {
        const list = parsePackages(fixtureText(rel))
        expect(list).toHaveLength(n)
        for (const p of list) {
          expect(p.filename.startsWith('pool/')).toBe(true)
          expect(p.sha256).toMatch(/^[0-9a-f]{64}$/)
          expect(p.size).toBeGreaterThan(0)
        }
      },
    )

    it('reads the binary fields and the source version of a binNMU-style "Source: name (version)"', () => {
      const list = parsePackages(fixtureText('debian/bookworm-security_main_binary-amd64_Packages'))
      const sudo = list.find((p) => p.package === 'sudo')
      expect(sudo).toMatchObject({ package: 'sudo', architecture: 'amd64', source: 'sudo' })
      expect(sudo?.filename).toMatch(/^pool\/updates\/main\/s\/sudo\/sudo_.*_amd64\.deb$/)
      const withVersion = list.filter((p) => p.sourceVersion !== p.version)
      expect(withVersion.length).toBeGreaterThan(0)
      for (const p of list) if (p.source === p.package) expect(p.sourceVersion).toBeTruthy()
    })

    it('streams the same entries through forEachPackage', () => {
      const text = fixtureText('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
      const seen: string[] = []
      forEachPackage(text, (p) => seen.push(`${p.package}=${p.version}`))
      expect(seen).toEqual(parsePackages(text).map((p) => `${p.package}=${p.version}`))
    })
  })

  describe('when a stanza is malformed', () => {
    const ok = `Package: a\nVersion: 1.0-1\nArchitecture: amd64\nFilename: pool/a.deb\nSize: 10\nSHA256: ${H}\n`
    it.each([
      ['no SHA256', ok.replace(/SHA256.*\n/, ''), 'APT_MISSING_FIELD'],
      ['no Filename', ok.replace(/Filename.*\n/, ''), 'APT_MISSING_FIELD'],
      ['an invalid version', ok.replace('1.0-1', 'x y'), 'APT_BAD_FIELD'],
      ['a Filename escaping the archive', ok.replace('pool/a.deb', 'pool/../../a.deb'), 'APT_BAD_FIELD'],
      ['a negative size', ok.replace('Size: 10', 'Size: -10'), 'APT_BAD_FIELD'],
      ['a short hash', ok.replace(H, 'abc'), 'APT_BAD_FIELD'],
      ['a malformed Source', ok + 'Source: b 1.0\n', 'APT_BAD_FIELD'],
      ['a duplicate Version', ok + 'version: 2\n', 'APT_PARSE'],
      ['a multi-line Version', ok.replace('Version: 1.0-1', 'Version: 1.0-1\n 2'), 'APT_BAD_FIELD'],
      ['garbage', ok + 'not a field\n', 'APT_PARSE'],
    ])('rejects %s', (_what, text, code) => {
      expect(codeOfSync(() => parsePackages(text))).toBe(code)
    })

    it('accepts the same stanza when well-formed, upper-case hash normalised', () => {
      const [p] = parsePackages(ok.replace(H, H.toUpperCase()) + 'Source: b (2:1.0)\n')
      expect(p).toEqual({
        package: 'a',
        version: '1.0-1',
        architecture: 'amd64',
        source: 'b',
        sourceVersion: '2:1.0',
        filename: 'pool/a.deb',
        size: 10,
        sha256: H,
      })
    })
  })
})

describe('parseSources', () => {
  describe('when a stanza is well-formed', () => {
    it('reads Package, Version, Directory and Checksums-Sha256', () => {
      const text = `Package: hello\nBinary: hello\nVersion: 2.10-3\nDirectory: pool/main/h/hello\nFiles:\n 00 1 hello.dsc\nChecksums-Sha256:\n ${H} 1234 hello_2.10-3.dsc\n ${H} 99 hello_2.10-3.debian.tar.xz\n`
      expect(parseSources(text)).toEqual([
        {
          package: 'hello',
          version: '2.10-3',
          directory: 'pool/main/h/hello',
          files: [
            { name: 'hello_2.10-3.dsc', size: 1234, sha256: H },
            { name: 'hello_2.10-3.debian.tar.xz', size: 99, sha256: H },
          ],
        },
      ])
    })
  })

  describe('when a stanza is malformed', () => {
    const ok = `Package: a\nVersion: 1\nDirectory: pool/a\nChecksums-Sha256:\n ${H} 1 a.dsc\n`
    it.each([
      ['no Checksums-Sha256', ok.replace(/Checksums[^]*/, ''), 'APT_MISSING_FIELD'],
      ['a file name with a slash', ok.replace('a.dsc', '../a.dsc'), 'APT_BAD_FIELD'],
      ['a checksum line with two words', ok.replace(` 1 a.dsc`, ` a.dsc`), 'APT_BAD_FIELD'],
      ['an unsafe Directory', ok.replace('pool/a', '/pool/a'), 'APT_BAD_FIELD'],
    ])('rejects %s', (_what, text, code) => {
      expect(codeOfSync(() => parseSources(text))).toBe(code)
    })
  })
})

describe('index parsers on arbitrary input', () => {
  describe('when a real stanza is randomly mutated', () => {
    it('throw only CoreErrors', () => {
      const stanza = fixtureText('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages').slice(0, 2000)
      const src = `Package: a\nVersion: 1\nDirectory: pool/a\nChecksums-Sha256:\n ${H} 1 a.dsc\n`
      const unit = fc.constantFrom(':', ' ', '\n', '\r', '(', ')', '/', '..', 'a', '1', '~', '-', '#', '\t')
      fc.assert(
        fc.property(fc.nat(stanza.length), fc.nat(200), fc.string({ unit, maxLength: 6 }), (at, len, ins) => {
          const p = stanza.slice(0, at) + ins + stanza.slice(at + (len % 5))
          const q = src.slice(0, at % src.length) + ins + src.slice((at % src.length) + (len % 3))
          expect(codeOfSync(() => parsePackages(p))).toMatch(/^(no error|APT_[A-Z_]+)$/)
          expect(codeOfSync(() => parseSources(q))).toMatch(/^(no error|APT_[A-Z_]+)$/)
        }),
        { numRuns: 1500 },
      )
    })
  })
})
