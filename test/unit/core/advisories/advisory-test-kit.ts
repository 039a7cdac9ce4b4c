/**
 * Test kit of the advisory tests: fixtures, test keys generated in the test (TEST-ONLY, never trust them),
 * clearsigning, signed feeds on disk, announcement emails in the ubuntu-security-announce format.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as openpgp from 'openpgp'
import { buildSignedFeed, type BuiltSignedFeed } from '../../../../main/core/advisories/signed-feed'
import { FEED_INDEX_NAME } from '../../../../main/core/advisories/feed-index'
import { loadKeyring, type Keyring } from '../../../../main/core/pgp/keyring'

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

/** A generated test key pair. */
export interface TestKey {
  readonly privateKey: string
  readonly publicKey: string
  readonly fingerprint: string
}

/** Generates an Ed25519 (v4) test key; `expiresInSeconds` for expiry tests. */
export async function makeTestKey(name: string, expiresInSeconds = 0): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name, email: 'test-only@example.invalid' }],
    date: KEY_DATE,
    keyExpirationTime: expiresInSeconds,
    format: 'armored',
  })
  const key = await openpgp.readKey({ armoredKey: publicKey })
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() }
}

/** A keyring pinning the given keys for the `advisory` role. */
export function advisoryKeyring(...keys: TestKey[]): Promise<Keyring> {
  return loadKeyring(
    keys.map((k, i) => ({
      data: k.publicKey,
      role: 'advisory' as const,
      name: `test advisory ${i}`,
      fingerprint: k.fingerprint,
    })),
  )
}

/** Clearsigns `text` with a test key at `date` (as `gpg --clearsign` would). */
export async function clearsign(text: string, key: TestKey, date = new Date(NOW - DAY)): Promise<string> {
  return openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey: key.privateKey }),
    date,
  })
}

/** The OSV fixtures as feed files (`osv/<name>`). */
export function osvFeedFiles(): { path: string; data: Uint8Array }[] {
  return OSV_FIXTURES.map((p) => ({ path: `osv/${p.split('/').pop() ?? ''}`, data: fixture(p) }))
}

/** Builds a signed feed of the OSV fixtures and writes it to `dir`. */
export async function writeSignedFeed(
  dir: string,
  key: TestKey,
  opts: { serial?: number; now?: number; validForMs?: number; feed?: string } = {},
): Promise<BuiltSignedFeed> {
  const files = osvFeedFiles()
  const built = await buildSignedFeed({
    feed: opts.feed ?? 'test-helpdesk',
    files,
    now: opts.now ?? NOW - DAY,
    validForMs: opts.validForMs ?? 7 * DAY,
    serial: opts.serial ?? 1,
    armoredPrivateKey: key.privateKey,
  })
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true })
    await writeFile(join(dir, f.path), f.data)
  }
  await writeFile(join(dir, FEED_INDEX_NAME), built.signedIndex)
  return built
}

/** The signed text of a USN announcement email in the ubuntu-security-announce format. */
export function usnEmailText(opts: { id?: string; jammyVersion?: string } = {}): string {
  const id = opts.id ?? 'USN-7000-1'
  const jammy = opts.jammyVersion ?? '2.4.7-1ubuntu0.4'
  return `==========================================================================
Ubuntu Security Notice ${id}
September 12, 2024

expat vulnerabilities
==========================================================================

A security issue affects these releases of Ubuntu and its derivatives:

- Ubuntu 24.04 LTS
- Ubuntu 22.04 LTS
- Ubuntu 14.04 LTS

Summary:

Several security issues were fixed in Expat.

Software Description:
- expat: XML parsing C library

Details:

Shang-Hung Wan discovered that Expat did not properly handle certain
function calls when a negative input length was provided. An attacker
could use this issue to cause a denial of service or possibly execute
arbitrary code. (CVE-2024-45490)

Update instructions:

The problem can be corrected by updating your system to the following
package versions:

Ubuntu 24.04 LTS:
  expat                           2.6.1-2ubuntu0.1
  libexpat1                       2.6.1-2ubuntu0.1

Ubuntu 22.04 LTS:
  expat                           ${jammy}
  libexpat1                       ${jammy}

Ubuntu 14.04 LTS:
  libexpat1                       2.1.0-4ubuntu1.4+esm9
                                  Available with Ubuntu Pro

In general, a standard system update will make all the necessary changes.

References:
  https://ubuntu.com/security/notices/${id}
  CVE-2024-45490, CVE-2024-45491, CVE-2024-45492

Package Information:
  https://launchpad.net/ubuntu/+source/expat/2.6.1-2ubuntu0.1
  https://launchpad.net/ubuntu/+source/expat/${jammy}
`
}

/** One mbox message (RFC 4155) with the given body. */
export function mboxMessage(
  body: string,
  messageId: string,
  subject = '[USN-7000-1] Expat vulnerabilities',
): string {
  return `From security@ubuntu.com  Thu Sep 12 10:00:00 2024
From: Test Security Team <security@example.invalid>
To: ubuntu-security-announce@lists.ubuntu.com
Subject: ${subject}
Date: Thu, 12 Sep 2024 10:00:00 +0000
Message-ID: <${messageId}>
Content-Type: text/plain; charset=utf-8

${body}
`
}
