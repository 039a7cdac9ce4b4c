import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import {
  changelogFromDebianTar,
  changelogFromDiff,
  cvesFixedSince,
  parseChangelog,
} from '../../../../main/core/apt/changelog'
import { createDecompressor } from '../../../../main/node/decompress'
import { codeOfSync, fixtureBytes } from './apt-fixtures'

async function changelogOf(file: string): Promise<string> {
  const t = await createDecompressor()(
    'xz',
    fixtureBytes(`debian/source-evidence/${file}.debian.tar.xz`),
    1 << 24,
  )
  return changelogFromDebianTar(t)
}

describe('parseChangelog', () => {
  describe('when given the real changelogs of the source evidence', () => {
    it.each([
      ['sudo_1.9.13p3-1+deb12u2', 'sudo', 'high', ['CVE-2025-32462']],
      ['curl_7.88.1-10+deb12u5', 'curl', 'high', ['CVE-2023-46218', 'CVE-2023-46219']],
      ['libxml2_2.9.14+dfsg-1.3~deb12u4', 'libxml2', 'high', ['CVE-2025-7425']],
      ['tiff_4.5.0-6+deb12u4', 'tiff', 'medium', ['CVE-2026-4775']],
    ])('parses every entry of %s', async (file, source, urgency, cves) => {
      const entries = parseChangelog(await changelogOf(file))
      expect(entries.length).toBeGreaterThan(100)
      expect(entries[0]).toMatchObject({
        source,
        version: file.slice(file.indexOf('_') + 1),
        distribution: 'bookworm-security',
        urgency,
        cves,
        line: 1,
      })
      // Old entries may carry an earlier source name (libxml, libtiff3): only the dates are checked.
      expect(entries.filter((e) => e.date === null)).toEqual([])
    })

    it('reads the trailer date with its offset', async () => {
      const [first] = parseChangelog(await changelogOf('sudo_1.9.13p3-1+deb12u2'))
      expect(first?.date).toBe(Date.parse('2025-06-24T07:29:50Z'))
    })
  })

  describe('when the text is not a changelog', () => {
    it('throws APT_BAD_CHANGELOG', () => {
      expect(codeOfSync(() => parseChangelog('hello\n'))).toBe('APT_BAD_CHANGELOG')
      expect(codeOfSync(() => parseChangelog('pkg (not a version!) unstable; urgency=low\n'))).toBe(
        'APT_BAD_CHANGELOG',
      )
    })

    it('stops at trailing non-entry text and keeps a malformed trailer date as null', () => {
      const t =
        'p (2) unstable; urgency=low\n\n  * CVE-2024-1234 and CVE-2024-1234 again, CVE-2024-12345.\n\n -- A <a@b>  not a date\n\n' +
        'Local variables:\nmode: debian-changelog\n'
      expect(parseChangelog(t)).toEqual([
        {
          source: 'p',
          version: '2',
          distribution: 'unstable',
          urgency: 'low',
          cves: ['CVE-2024-1234', 'CVE-2024-12345'],
          date: null,
          line: 1,
        },
      ])
    })
  })
})

describe('cvesFixedSince', () => {
  describe('when asked for the uploads after the previous version', () => {
    it('returns CVE-2025-32462 for sudo after 1.9.13p3-1+deb12u1', async () => {
      expect(cvesFixedSince(await changelogOf('sudo_1.9.13p3-1+deb12u2'), '1.9.13p3-1+deb12u1')).toEqual([
        { version: '1.9.13p3-1+deb12u2', cves: ['CVE-2025-32462'] },
      ])
    })

    it('returns nothing after the current version and several entries after an old one', async () => {
      const cl = await changelogOf('curl_7.88.1-10+deb12u5')
      expect(cvesFixedSince(cl, '7.88.1-10+deb12u5')).toEqual([])
      const since = cvesFixedSince(cl, '7.88.1-10')
      expect(since.map((e) => e.version)).toEqual([
        '7.88.1-10+deb12u5',
        '7.88.1-10+deb12u4',
        '7.88.1-10+deb12u3',
        '7.88.1-10+deb12u2',
        '7.88.1-10+deb12u1',
      ])
      expect(since.flatMap((e) => e.cves)).toContain('CVE-2023-46218')
    })
  })
})

describe('changelogFromDiff', () => {
  describe('when a 1.0-format .diff.gz adds debian/changelog', () => {
    it('returns the whole changelog, so the same CVE evidence follows', async () => {
      const cl = await changelogOf('sudo_1.9.13p3-1+deb12u2')
      const body = cl.replace(/\n$/, '').split('\n')
      const diff =
        '--- sudo-1.9.13p3.orig/debian/control\n+++ sudo-1.9.13p3/debian/control\n@@ -0,0 +1,1 @@\n+Source: sudo\n' +
        `--- sudo-1.9.13p3.orig/debian/changelog\n+++ sudo-1.9.13p3/debian/changelog\n@@ -0,0 +1,${body.length} @@\n` +
        body.map((l) => `+${l}`).join('\n') +
        '\n--- sudo-1.9.13p3.orig/debian/rules\n+++ sudo-1.9.13p3/debian/rules\n@@ -0,0 +1 @@\n+#!/usr/bin/make -f\n'
      const text = new TextDecoder().decode(await createDecompressor()('gz', gzipSync(diff), 1 << 24))
      expect(changelogFromDiff(text)).toBe(cl)
      expect(cvesFixedSince(changelogFromDiff(text), '1.9.13p3-1+deb12u1')[0]?.cves).toEqual([
        'CVE-2025-32462',
      ])
    })
  })

  describe('when the diff modifies an existing changelog', () => {
    it('returns the context and added lines, without the removed ones', () => {
      const diff = [
        '--- p-1.orig/debian/changelog',
        '+++ p-1/debian/changelog',
        '@@ -1,3 +1,5 @@',
        '+p (2) unstable; urgency=high',
        '+',
        ' p (1) unstable; urgency=low',
        '-  * old line',
        '+  * new line',
        ' ',
        '',
      ].join('\n')
      expect(changelogFromDiff(diff)).toBe(
        'p (2) unstable; urgency=high\n\np (1) unstable; urgency=low\n  * new line\n\n',
      )
    })
  })

  describe('when the diff does not touch debian/changelog', () => {
    it('throws APT_TAR_MEMBER_NOT_FOUND', () => {
      expect(
        codeOfSync(() => changelogFromDiff('--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+debian/changelog\n')),
      ).toBe('APT_TAR_MEMBER_NOT_FOUND')
    })
  })
})

describe('changelog parsers on arbitrary input', () => {
  describe('when fed random text', () => {
    it('throw only CoreErrors', () => {
      const unit = fc.constantFrom(
        'p',
        ' ',
        '(',
        ')',
        '1',
        ';',
        '\n',
        '-',
        'CVE-2024-1234',
        ' -- ',
        '@@ -0,0 +1 @@',
        '+',
        '+++ a/debian/changelog',
      )
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 60 }), (s) => {
          for (const f of [() => parseChangelog(s), () => changelogFromDiff(s)]) {
            expect(codeOfSync(f)).toMatch(/^(no error|APT_[A-Z_]+)$/)
          }
        }),
        { numRuns: 2000 },
      )
    })
  })
})
