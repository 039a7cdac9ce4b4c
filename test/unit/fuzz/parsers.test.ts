/**
 * The parsers that read untrusted input, fuzzed on generated and mutated real inputs: they never throw anything
 * but CoreError, never hang (a per-case time bound), and stay within memory bounds (main/core/README.md: parsers throw nothing but CoreError).
 *
 * Seeded from FUZZ_SEED when set (a failure prints its seed and path so it can be replayed).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFeedIndex, formatFeedIndex } from '../../../main/core/advisories/feed-index'
import { parseMbox, parseUsnAnnouncement, readMboxChannel } from '../../../main/core/advisories/mbox'
import { parseOsvUsn } from '../../../main/core/advisories/osv'
import { parseUsnApiPage } from '../../../main/core/advisories/usn-api'
import { parseChangelog } from '../../../main/core/apt/changelog'
import { parsePackages, parseSources } from '../../../main/core/apt/indexes'
import { parseRelease } from '../../../main/core/apt/release'
import { compareDebianVersions } from '../../../main/core/apt/version'
import { inspectText } from '../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../main/core/inspect/shell-parser'
import { verifyCleartext } from '../../../main/core/pgp/verify'
import { loadKeyring } from '../../../main/core/pgp/keyring'
import type { Keyring } from '../../../main/core/pgp/keyring'
import { parseDpkgStatus } from '../../../main/core/system/dpkg-status'
import { parseDeb822Sources, parseSourcesList } from '../../../main/core/system/sources'
import { EXPAT_SOURCE, packagesIndex, NOBLE_SECURITY_PACKAGES } from '../../../main/lab/archive'
import { FAKE_FIX_POST } from '../../../main/lab/content'
import { usnAnnouncementText } from '../../../main/lab/advisory-documents'
import { loadShellParser } from '../../../main/node/shell-parser'
import { fixtureText, fuzz, fuzzTotals, mutationsOf } from './fuzz-kit'

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500)
const heapStart = process.memoryUsage().heapUsed
const started = Date.now()

const inRelease = fixtureText('ubuntu/apt/noble-security_InRelease')
const releaseText = inRelease
  .slice(inRelease.indexOf('\n\n') + 2, inRelease.indexOf('-----BEGIN PGP SIGNATURE-----'))
  .slice(0, 6000)
const packages = fixtureText('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages', 12_000)
const packagesCut = packages.slice(0, packages.lastIndexOf('\n\n') + 1)
const sources = [
  `Package: expat\nBinary: expat\nVersion: ${EXPAT_SOURCE.version}\nDirectory: pool/main/e/expat\nChecksums-Sha256:\n ${'a'.repeat(64)} 1234 expat_${EXPAT_SOURCE.version}.dsc\n`,
].join('\n')
const dpkg = fixtureText('ubuntu/dpkg_status.jammy-2022-10-09', 15_000)
const deb822 = fixtureText('systems/jammy-kernel/etc/apt/sources.list.d/ubuntu-esm.sources')
const oneLine = fixtureText('systems/jammy-kernel/etc/apt/sources.list')
const osv = fixtureText('ubuntu/osv-usn/USN-7000-1.json')
const osvOther = fixtureText('ubuntu/osv-other/UBUNTU-CVE-2024-51988.json')
const apiPage = fixtureText('ubuntu/notices-api/notices_offset0_limit20.json')
const announcement = usnAnnouncementText()
const mbox = `From security@ubuntu.com  Thu Sep 12 10:00:00 2024\nFrom: a@b\nSubject: USN\nMessage-ID: <x@y>\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${announcement}-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n\nFrom x  Thu Sep 12 10:00:00 2024\nSubject: fake\n\n${FAKE_FIX_POST}`
const feedIndex = formatFeedIndex({
  feed: 'fuzz-feed',
  description: 'fuzz',
  date: Date.parse('2026-11-20T00:00:00Z'),
  validUntil: Date.parse('2026-11-27T00:00:00Z'),
  serial: 7,
  files: [
    { path: 'osv/USN-7000-1.json', size: 15466, sha256: 'b'.repeat(64) },
    { path: 'osv/USN-7500-1.json', size: 3805, sha256: 'c'.repeat(64) },
  ],
})
const instructions = [
  FAKE_FIX_POST,
  fixtureText('instructions/reddit-curl-pipe-sudo-bash.txt'),
  fixtureText('instructions/benign-only-upgrade-openssl.txt'),
  fixtureText('instructions/base64-pipe-bash.txt'),
]

let parser: ShellParser
let ubuntuKeys: Keyring
beforeAll(async () => {
  parser = await loadShellParser()
  ubuntuKeys = await loadKeyring([
    {
      data: fixtureText('ubuntu/keys/ubuntu-keyring-2018-archive.asc'),
      role: 'archive',
      name: 'Ubuntu 2018',
      fingerprint: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
    },
  ])
})
afterAll(() => {
  const heapMb = (process.memoryUsage().heapUsed - heapStart) / 1048576
  console.log(
    `[fuzz] ${fuzzTotals.cases} cases run in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${fuzzTotals.coreErrors} ended in a CoreError, none in anything else); heap growth ${heapMb.toFixed(1)} MB`,
  )
  // Memory bound: the whole suite must not retain more than this (a parser that grows without bound fails here).
  expect(heapMb).toBeLessThan(256)
})

describe('the fuzz runner', () => {
  describe('when a parser throws something other than a CoreError', () => {
    it('fails the property', async () => {
      await expect(fuzz(fc.string(), () => JSON.parse('{'), 5)).rejects.toThrow()
    })
  })
})

describe('untrusted-input parsers', () => {
  describe('when fed mutated and random Release/InRelease text', () => {
    it('parseRelease returns or throws a CoreError', () => fuzz(mutationsOf(releaseText), parseRelease, RUNS))
    it('verifyCleartext on a mutated real InRelease only throws CoreError', () =>
      fuzz(
        mutationsOf(
          inRelease.slice(0, 3000) + inRelease.slice(inRelease.indexOf('-----BEGIN PGP SIGNATURE-----')),
        ),
        (t) => verifyCleartext(t, ubuntuKeys, { role: 'archive', now: Date.parse('2026-06-07T00:00:00Z') }),
        Math.ceil(RUNS / 6),
      ))
  })
  describe('when fed mutated Packages and Sources stanzas', () => {
    it('parsePackages returns or throws a CoreError', () =>
      fuzz(
        mutationsOf(packagesCut, new TextDecoder().decode(packagesIndex(NOBLE_SECURITY_PACKAGES))),
        parsePackages,
        RUNS,
      ))
    it('parseSources returns or throws a CoreError', () => fuzz(mutationsOf(sources), parseSources, RUNS))
    it('parseChangelog returns or throws a CoreError', () =>
      fuzz(mutationsOf(EXPAT_SOURCE.changelog), parseChangelog, RUNS))
    it('compareDebianVersions on arbitrary strings returns or throws a CoreError', () =>
      fuzz(
        fc.tuple(fc.string({ maxLength: 40 }), mutationsOf('2.6.1-2ubuntu0.1', '1:3.0.13-0ubuntu3.1~24.04')),
        ([a, b]) => compareDebianVersions(a, b),
        RUNS,
      ))
  })
  describe('when fed mutated apt sources and dpkg status', () => {
    it('parseDeb822Sources returns or throws a CoreError', () =>
      fuzz(mutationsOf(deb822), (t) => parseDeb822Sources(t, 'fuzz.sources'), RUNS))
    it('parseSourcesList returns or throws a CoreError', () =>
      fuzz(mutationsOf(oneLine), (t) => parseSourcesList(t, 'fuzz.list'), RUNS))
    it('parseDpkgStatus returns or throws a CoreError', () => fuzz(mutationsOf(dpkg), parseDpkgStatus, RUNS))
  })
  describe('when fed mutated advisories', () => {
    it('parseOsvUsn returns or throws a CoreError', () =>
      fuzz(mutationsOf(osv, osvOther), (t) => parseOsvUsn(t), RUNS))
    it('parseOsvUsn on generated JSON values returns or throws a CoreError', () =>
      fuzz(fc.jsonValue({ maxDepth: 4 }), (v) => parseOsvUsn({ json: v }), RUNS))
    it('parseUsnApiPage returns or throws a CoreError', () =>
      fuzz(mutationsOf(apiPage), (t) => parseUsnApiPage(t), RUNS))
    it('parseMbox and parseUsnAnnouncement return or throw a CoreError', () =>
      fuzz(
        mutationsOf(mbox),
        (t) =>
          parseMbox(t).map((m) => {
            try {
              return parseUsnAnnouncement(m.body)
            } catch (e) {
              if (e instanceof Error && e.name === 'CoreError') return undefined
              throw e
            }
          }),
        RUNS,
      ))
    it('readMboxChannel with the real verifier never throws but CoreError', () =>
      fuzz(
        mutationsOf(mbox),
        (t) =>
          readMboxChannel(t, {
            keyring: ubuntuKeys,
            now: Date.now(),
            channelId: 'fuzz',
            url: 'file:///fuzz.mbox',
          }),
        Math.ceil(RUNS / 6),
      ))
    it('parseUsnAnnouncement on mutated signed text returns or throws a CoreError', () =>
      fuzz(mutationsOf(announcement), (t) => parseUsnAnnouncement(t), RUNS))
    it('parseFeedIndex returns or throws a CoreError', () =>
      fuzz(mutationsOf(feedIndex), parseFeedIndex, RUNS))
  })
  describe('when fed mutated instructions', () => {
    it('inspectText returns or throws a CoreError', () =>
      fuzz(mutationsOf(...instructions), (t) => inspectText(t, { parser }), Math.ceil(RUNS / 3)))
  })
})
