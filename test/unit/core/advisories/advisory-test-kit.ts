/**
 * Test kit of the advisory tests: the fixtures they read, their reference time, and their defaults (key names and
 * dates, the releases of their announcement email, their feed's name) for the lab's builders, which make every key,
 * signature, signed feed and email here (main/lab/archive.ts, main/lab/advisory-documents.ts). Keys are generated
 * in the test: TEST ONLY, never trust them.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BuiltSignedFeed } from '../../../../main/core/advisories/signed-feed'
import { loadKeyring, type Keyring } from '../../../../main/core/pgp/keyring'
import {
  mboxMessage as labMboxMessage,
  nobleExpatRelease,
  osvFeedFile,
  signedFeedFolder,
  usnAnnouncementText,
  type FeedFile,
} from '../../../../main/lab/advisory-documents'
import { clearsignText, generateLabKey, pinnedKeyEntry, type LabKey } from '../../../../main/lab/archive'

/** Reads a committed fixture under test/fixtures. */
export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../fixtures/${path}`, import.meta.url)))
}

/** The OSV fixtures, by feed path. */
export const OSV_FIXTURES = [
  'ubuntu/osv-usn/USN-2169-2.json',
  'ubuntu/osv-usn/USN-6100-1.json',
  'ubuntu/osv-usn/USN-7000-1.json',
  'ubuntu/osv-usn/USN-7095-1.json',
  'ubuntu/osv-usn/USN-7500-1.json',
  'ubuntu/osv-other/UBUNTU-CVE-2024-51988.json',
] as const

/** Key creation time of every test key: well before the test "now". */
export const KEY_DATE = new Date('2026-01-01T00:00:00Z')
/** The reference time of the tests (the outage). */
export const NOW = Date.parse('2026-11-21T10:00:00Z')
export const DAY = 24 * 3600_000

/** A generated test key (armoredPrivate, armoredPublic, fingerprint, the openpgp private key). */
export type TestKey = LabKey

/** Generates an Ed25519 advisory test key created at KEY_DATE; `expiresInSeconds` for expiry tests. */
export function makeTestKey(name: string, expiresInSeconds = 0): Promise<TestKey> {
  return generateLabKey({
    role: 'advisory',
    name,
    created: KEY_DATE.getTime(),
    email: 'test-only@example.invalid',
    expiresInSeconds,
  })
}

/** A keyring pinning the given keys for the `advisory` role. */
export function advisoryKeyring(...keys: TestKey[]): Promise<Keyring> {
  return loadKeyring(keys.map(pinnedKeyEntry))
}

/** Clearsigns `text` with a test key at `date` (as `gpg --clearsign` would). */
export function clearsign(text: string, key: TestKey, date = new Date(NOW - DAY)): Promise<string> {
  return clearsignText(text, key.privateKey, date.getTime())
}

/** The OSV fixtures as feed files (`osv/<name>`). */
export function osvFeedFiles(): FeedFile[] {
  return OSV_FIXTURES.map((p) => osvFeedFile(p, fixture(p)))
}

/** Builds a signed feed of the OSV fixtures and writes it to `dir`. */
export async function writeSignedFeed(
  dir: string,
  key: TestKey,
  opts: { serial?: number; now?: number; validForMs?: number; feed?: string } = {},
): Promise<BuiltSignedFeed> {
  const folder = await signedFeedFolder({
    key,
    feed: opts.feed ?? 'test-helpdesk',
    files: osvFeedFiles(),
    now: opts.now ?? NOW - DAY,
    validForMs: opts.validForMs ?? 7 * DAY,
    serial: opts.serial ?? 1,
  })
  for (const [path, data] of folder.files) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), data)
  }
  return folder.built
}

/** The signed text of USN-7000-1's email (or `id`'s), listing 24.04, 22.04 (at `jammyVersion`) and 14.04 (Pro). */
export function usnEmailText(opts: { id?: string; jammyVersion?: string } = {}): string {
  const jammy = opts.jammyVersion ?? '2.4.7-1ubuntu0.4'
  return usnAnnouncementText({
    id: opts.id,
    releases: [
      nobleExpatRelease('2.6.1-2ubuntu0.1'),
      {
        release: 'Ubuntu 22.04 LTS',
        packages: [
          { name: 'expat', version: jammy },
          { name: 'libexpat1', version: jammy },
        ],
      },
      {
        release: 'Ubuntu 14.04 LTS',
        packages: [
          { name: 'libexpat1', version: '2.1.0-4ubuntu1.4+esm9', note: 'Available with Ubuntu Pro' },
        ],
      },
    ],
  })
}

/** One mbox message (RFC 4155) with the given body, sent on USN-7000-1's day. */
export function mboxMessage(
  body: string,
  messageId: string,
  subject = '[USN-7000-1] Expat vulnerabilities',
): string {
  return labMboxMessage({
    body,
    messageId,
    subject,
    date: Date.parse('2024-09-12T10:00:00Z'),
    sender: 'Test Security Team <security@example.invalid>',
  })
}
