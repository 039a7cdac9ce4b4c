import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  checkRelease,
  maxAgeFor,
  parseHashList,
  parseRelease,
  parseRfc2822Date,
} from '../../../../main/core/apt/release'
import type { ReleaseInfo } from '../../../../main/core/apt/release'
import { Limits } from '../../../../main/core/limits'
import { codeOfSync, IN_RELEASES, releaseText } from './apt-fixtures'

const HOUR = 3600_000

describe('parseRelease', () => {
  describe('when given the signed text of every real InRelease', () => {
    it.each(IN_RELEASES)('parses %s', (rel) => {
      const info = parseRelease(releaseText(rel))
      expect(info.sha256.size).toBeGreaterThan(50)
      expect(info.acquireByHash).toBe(true)
      expect(info.architectures).toContain('amd64')
      expect(Number.isFinite(info.date)).toBe(true)
      for (const [path, h] of info.sha256) {
        expect(path).not.toMatch(/^\/|\.\.|\s/)
        expect(h.sha256).toMatch(/^[0-9a-f]{64}$/)
      }
    })

    it('reads the Ubuntu noble-security fields', () => {
      const info = parseRelease(releaseText('ubuntu/apt/noble-security_InRelease'))
      expect(info).toMatchObject({
        origin: 'Ubuntu',
        label: 'Ubuntu',
        suite: 'noble-security',
        codename: 'noble',
        version: '24.04',
        date: Date.parse('2026-06-06T17:46:54Z'),
        validUntil: undefined,
        components: ['main', 'restricted', 'universe', 'multiverse'],
      })
      expect(info.sha256.get('multiverse/binary-amd64/Packages')).toEqual({
        size: 334674,
        sha256: '8c9b63e487b87fd7ed4257e9af2a9b8795b61c94d7154aa1309a7d87f70f896f',
      })
    })

    it('reads the Debian bookworm-security fields, Valid-Until included', () => {
      const info = parseRelease(releaseText('debian/bookworm-security_InRelease'))
      expect(info).toMatchObject({
        origin: 'Debian',
        suite: 'oldstable-security',
        codename: 'bookworm-security',
        date: Date.parse('2026-11-20T00:12:41Z'),
        validUntil: Date.parse('2026-11-27T00:12:41Z'),
      })
      expect(info.sha256.get('main/source/Sources')).toEqual({
        size: 8020069,
        sha256: '447e6b4d6593d0c30695503bf00ef7d50964562b090bf5e67834fce7c2069f8d',
      })
    })

    it('reads the space-padded hour Ubuntu wrote in 2022', () => {
      const info = parseRelease(releaseText('ubuntu/apt/jammy-security_InRelease.2022-10-09'))
      expect(info.date).toBe(Date.parse('2022-10-09T09:14:54Z'))
    })
  })

  describe('when a required field is missing or malformed', () => {
    const base = 'Suite: s\nDate: Sat, 21 Nov 2026 12:00:00 UTC\nSHA256:\n ' + 'a'.repeat(64) + ' 1 main/x\n'
    it.each([
      ['no Date', base.replace(/Date:.*\n/, ''), 'APT_MISSING_FIELD'],
      ['no SHA256 (MD5Sum only)', base.replace('SHA256:', 'MD5Sum:'), 'APT_MISSING_FIELD'],
      ['a lenient date', base.replace('Sat, 21 Nov 2026 12:00:00 UTC', '2026-11-21'), 'APT_BAD_DATE'],
      ['a short hash', base.replace('a'.repeat(64), 'a'.repeat(40)), 'APT_BAD_FIELD'],
      ['a path escaping the suite', base.replace('main/x', '../../etc/passwd'), 'APT_BAD_FIELD'],
      ['an absolute path', base.replace('main/x', '/etc/passwd'), 'APT_BAD_FIELD'],
      ['a path listed twice', base + ' ' + 'b'.repeat(64) + ' 2 main/x\n', 'APT_BAD_FIELD'],
      ['a non-numeric size', base.replace(' 1 main', ' 1e3 main'), 'APT_BAD_FIELD'],
      ['Acquire-By-Hash neither yes nor no', base + 'Acquire-By-Hash: maybe\n', 'APT_BAD_FIELD'],
      ['two stanzas', base + '\nSuite: t\n', 'APT_PARSE'],
      ['duplicate Suite fields', 'Suite: x\n' + base, 'APT_PARSE'],
    ])('rejects %s', (_what, text, code) => {
      expect(codeOfSync(() => parseRelease(text))).toBe(code)
    })

    it('rejects a path listed twice in the SHA256 list with APT_BAD_FIELD', () => {
      const v = `\n${'a'.repeat(64)} 1 main/x\n${'b'.repeat(64)} 2 main/x`
      expect(codeOfSync(() => parseHashList(v, 10, 'SHA256'))).toBe('APT_BAD_FIELD')
    })
  })
})

describe('parseRfc2822Date', () => {
  describe('when the date is in a form apt or dpkg writes', () => {
    it.each([
      ['Sat, 21 Nov 2026 12:00:00 UTC', '2026-11-21T12:00:00Z'],
      ['21 Nov 2026 12:00:00 GMT', '2026-11-21T12:00:00Z'],
      ['Sun, 09 Oct 2022  9:15:35 UTC', '2022-10-09T09:15:35Z'],
      ['Tue, 24 Jun 2025 09:29:50 +0200', '2025-06-24T07:29:50Z'],
      ['Mon, 1 Jan 2024 00:00:00 -0130', '2024-01-01T01:30:00Z'],
      ['Thu, 29 Feb 2024 23:59:59 +0000', '2024-02-29T23:59:59Z'],
    ])('parses "%s"', (text, iso) => {
      expect(parseRfc2822Date(text)).toBe(Date.parse(iso))
    })
  })

  describe('when the date is anything else', () => {
    it.each([
      ['2026-11-21T12:00:00Z'],
      ['Sat, 21 Nov 2026'],
      ['Sat, 21 Nov 2026 12:00:00'],
      ['Fri, 21 Nov 2026 12:00:00 UTC'],
      ['Sat, 31 Feb 2026 12:00:00 UTC'],
      ['Sat, 21 Nov 2026 24:00:00 UTC'],
      ['Sat, 21 Nov 2026 12:60:00 UTC'],
      ['Sat, 21 nov 2026 12:00:00 UTC'],
      ['Sat, 21 Nov 0050 12:00:00 UTC'],
      ['Sat, 21 Nov 2026 12:00:00 EST'],
      ['Sat, 21 Nov 2026 12:00:00 UTC trailing'],
    ])('throws APT_BAD_DATE for "%s"', (text) => {
      expect(codeOfSync(() => parseRfc2822Date(text))).toBe('APT_BAD_DATE')
    })

    it('refuses a non-UTC offset in a Release', () => {
      expect(codeOfSync(() => parseRfc2822Date('Tue, 24 Jun 2025 09:29:50 +0200', 'Date', true))).toBe(
        'APT_BAD_DATE',
      )
      expect(parseRfc2822Date('Tue, 24 Jun 2025 09:29:50 +0000', 'Date', true)).toBe(
        Date.parse('2025-06-24T09:29:50Z'),
      )
    })
  })
})

describe('checkRelease', () => {
  const noble = parseRelease(releaseText('ubuntu/apt/noble-security_InRelease'))
  const debian = parseRelease(releaseText('debian/bookworm-security_InRelease'))

  describe('when the Release is fresh and for the suite asked', () => {
    it('accepts it by Suite or by Codename and reports its age', () => {
      expect(checkRelease(noble, { expectedSuite: 'noble-security', now: noble.date + HOUR })).toEqual({
        ageMs: HOUR,
      })
      expect(
        checkRelease(debian, { expectedSuite: 'bookworm-security', now: debian.date + HOUR }).ageMs,
      ).toBe(HOUR)
      expect(
        checkRelease(debian, { expectedSuite: 'oldstable-security', now: debian.date + HOUR }).ageMs,
      ).toBe(HOUR)
    })

    it('accepts a Date within the clock-skew allowance and equal to the high-water mark', () => {
      const now = noble.date - Limits.time.clockSkewMs + 1
      expect(
        checkRelease(noble, { expectedSuite: 'noble-security', now, highWaterDate: noble.date }).ageMs,
      ).toBeLessThan(0)
    })
  })

  describe('when a freshness rule fails', () => {
    const at =
      (info: ReleaseInfo, now: number, extra: object = {}) =>
      () =>
        checkRelease(info, { expectedSuite: info.suite ?? '', now, ...extra })
    it.each([
      ['APT_WRONG_SUITE', () => checkRelease(noble, { expectedSuite: 'noble-updates', now: noble.date })],
      ['APT_DATE_IN_FUTURE', at(noble, noble.date - Limits.time.clockSkewMs - 1)],
      ['APT_FROZEN', at(debian, Date.parse('2026-11-27T00:12:42Z'), { maxAgeMs: 30 * 24 * HOUR })],
      ['APT_ROLLBACK', at(noble, noble.date + HOUR, { highWaterDate: noble.date + 1000 })],
      ['APT_STALE', at(noble, noble.date + 7 * 24 * HOUR + 1)],
      ['APT_STALE', at(noble, noble.date + 2 * HOUR, { maxAgeMs: HOUR })],
    ])('throws %s', (code, fn) => {
      expect(codeOfSync(fn)).toBe(code)
    })

    it('refuses the release pocket served in place of the security pocket (APT_WRONG_SUITE)', () => {
      const release = parseRelease(releaseText('ubuntu/apt/noble_InRelease'))
      expect(
        codeOfSync(() => checkRelease(release, { expectedSuite: 'noble-security', now: release.date })),
      ).toBe('APT_WRONG_SUITE')
    })

    it('reports Valid-Until before staleness (frozen Debian mirror a week later)', () => {
      expect(codeOfSync(at(debian, debian.date + 8 * 24 * HOUR))).toBe('APT_FROZEN')
    })
  })
})

describe('maxAgeFor', () => {
  describe('when the suite is a security pocket', () => {
    it('is seven days, like every other pocket but the release pocket', () => {
      expect(maxAgeFor('noble-security')).toBe(7 * 24 * HOUR)
      expect(maxAgeFor('bookworm-security')).toBe(7 * 24 * HOUR)
      expect(maxAgeFor('noble-updates')).toBe(7 * 24 * HOUR)
      expect(maxAgeFor('noble-backports')).toBe(7 * 24 * HOUR)
      // The release pocket is frozen at release by design (real noble InRelease: 2024-04-25); no maximum age.
      expect(maxAgeFor('noble')).toBe(Number.POSITIVE_INFINITY)
    })
  })
})

describe('parseRelease on arbitrary input', () => {
  describe('when the head of a real Release is randomly mutated', () => {
    it('throws only CoreErrors', () => {
      const head = releaseText('debian/bookworm-security_InRelease').slice(0, 1500)
      const unit = fc.constantFrom(':', ' ', '\n', 'UTC', '0', '9', '/', '..', 'a', '-', 'Sat, ', '\t', 'yes')
      fc.assert(
        fc.property(fc.nat(head.length), fc.nat(10), fc.string({ unit, maxLength: 5 }), (at, del, ins) => {
          const t = head.slice(0, at) + ins + head.slice(at + del)
          expect(codeOfSync(() => parseRelease(t))).toMatch(/^(no error|APT_[A-Z_]+)$/)
        }),
        { numRuns: 1500 },
      )
    })
  })
})
