/**
 * The advisory documents the lab builds, and the tests with it: a signed feed folder (main/core/advisories/
 * signed-feed.ts format: `index.asc` and the OSV files it lists), the text of a USN announcement in the
 * ubuntu-security-announce format, and an mbox message (RFC 4155) carrying one.
 *
 * Everything here is signed with generated keys (TEST ONLY) and dated by the caller.
 */
import { FEED_INDEX_NAME } from '../core/advisories/feed-index'
import { buildSignedFeed } from '../core/advisories/signed-feed'
import type { BuiltSignedFeed } from '../core/advisories/signed-feed'
import type { LabKey } from './archive'
import { EXPAT_FIXED } from './archive'

const enc = new TextEncoder()

/** One file of a feed: its path in the feed folder (`osv/<name>`) and bytes. */
export interface FeedFile {
  readonly path: string
  readonly data: Uint8Array
}

/** The feed file of an OSV document read from `fixturePath`: `osv/` and the fixture's file name. */
export function osvFeedFile(fixturePath: string, data: Uint8Array): FeedFile {
  return { path: `osv/${fixturePath.split('/').pop() ?? fixturePath}`, data }
}

/** A signed feed folder: what `buildSignedFeed` made, and every file by its path (`index.asc` included). */
export interface SignedFeedFolder {
  readonly built: BuiltSignedFeed
  readonly files: ReadonlyMap<string, Uint8Array>
}

/** Builds and signs a feed of `files` with `key`, dated `now` and valid `validForMs`, with serial `serial`. */
export async function signedFeedFolder(opts: {
  readonly key: LabKey
  readonly feed: string
  readonly description?: string | undefined
  readonly files: readonly FeedFile[]
  readonly now: number
  readonly validForMs: number
  readonly serial: number
}): Promise<SignedFeedFolder> {
  const built = await buildSignedFeed({
    feed: opts.feed,
    description: opts.description,
    files: opts.files,
    now: opts.now,
    validForMs: opts.validForMs,
    serial: opts.serial,
    armoredPrivateKey: opts.key.armoredPrivate,
  })
  return {
    built,
    files: new Map<string, Uint8Array>([
      [FEED_INDEX_NAME, enc.encode(built.signedIndex)],
      ...opts.files.map((f): [string, Uint8Array] => [f.path, f.data]),
    ]),
  }
}

/** One binary package line of an announcement's update instructions. */
export interface AnnouncedPackage {
  readonly name: string
  readonly version: string
  /** A line under the version (e.g. "Available with Ubuntu Pro"); such a release gets no Launchpad link. */
  readonly note?: string | undefined
}

/** One release's section of an announcement's update instructions. */
export interface AnnouncedRelease {
  /** As the notice names it: `Ubuntu 24.04 LTS`. */
  readonly release: string
  readonly packages: readonly AnnouncedPackage[]
}

/** noble's expat fix, as USN-7000-1 lists it, at `version`. */
export function nobleExpatRelease(version: string = EXPAT_FIXED): AnnouncedRelease {
  return {
    release: 'Ubuntu 24.04 LTS',
    packages: [
      { name: 'expat', version },
      { name: 'libexpat1', version },
    ],
  }
}

function packageLines(pkg: AnnouncedPackage): string {
  const line = `  ${pkg.name.padEnd(32)}${pkg.version}`
  return pkg.note === undefined ? line : `${line}\n${' '.repeat(34)}${pkg.note}`
}

/**
 * The signed text of an expat announcement (the real USN-7000-1, ubuntu-security-announce format) under `id`, fixing
 * the given releases (default: noble at the fixed version).
 */
export function usnAnnouncementText(
  opts: { readonly id?: string; readonly releases?: readonly AnnouncedRelease[] } = {},
): string {
  const id = opts.id ?? 'USN-7000-1'
  const releases = opts.releases ?? [nobleExpatRelease()]
  const instructions = releases
    .map((r) => `${r.release}:\n${r.packages.map(packageLines).join('\n')}`)
    .join('\n\n')
  const launchpad = releases
    .filter((r) => r.packages.every((pkg) => pkg.note === undefined))
    .map((r) => `  https://launchpad.net/ubuntu/+source/expat/${r.packages[0]?.version ?? ''}`)
  return `==========================================================================
Ubuntu Security Notice ${id}
September 12, 2024

expat vulnerabilities
==========================================================================

A security issue affects these releases of Ubuntu and its derivatives:

${releases.map((r) => `- ${r.release}`).join('\n')}

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

${instructions}

In general, a standard system update will make all the necessary changes.

References:
  https://ubuntu.com/security/notices/${id}
  CVE-2024-45490, CVE-2024-45491, CVE-2024-45492

Package Information:
${launchpad.join('\n')}
`
}

/** One mbox message (RFC 4155) from the security list, sent at `date` (epoch ms) by `sender`. */
export function mboxMessage(opts: {
  readonly body: string
  readonly messageId: string
  readonly subject: string
  readonly date: number
  /** Default: the lab's security team. */
  readonly sender?: string | undefined
}): string {
  const date = new Date(opts.date).toUTCString()
  return `From security@ubuntu.com  ${date}
From: ${opts.sender ?? 'Lifeline Lab Security Team <security@lifeline.invalid>'}
To: ubuntu-security-announce@lists.ubuntu.com
Subject: ${opts.subject}
Date: ${date}
Message-ID: <${opts.messageId}>
Content-Type: text/plain; charset=utf-8

${opts.body}
`
}
