/**
 * Loopback mirrors built from the real fixtures, for the `lifeline check` / evidence tests.
 *
 * `startDebianSecurityMirror` serves the real, Debian-signed bookworm-security InRelease, its real amd64 Packages
 * index, its real `main/source/Sources` (decompressed from the fixture .xz: the uncompressed bytes are the ones the
 * InRelease signs) and the real source artifacts under `pool/updates/main/...`, as deb.debian.org lays them out.
 */
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { readKeys } from 'openpgp'
import { loadKeyring, type Keyring } from '../../main/core/pgp/keyring'
import type { MirrorConfig } from '../../main/core/model'
import { Limits } from '../../main/core/limits'
import { createDecompressor } from '../../main/node/decompress'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { type TestArchiveKey } from '../support/test-archive'
import { packagesIndex, sha256Hex, signedInRelease, type LabPackage } from '../../main/lab/archive'

/** Absolute path of a file under test/fixtures. */
export function fixturePath(rel: string): string {
  return resolve(import.meta.dirname, '../fixtures', rel)
}

/** Bytes of a fixture. */
export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(rel)))
}

/** The reference time at which the bookworm-security InRelease (Date 2026-11-20, Valid-Until 11-27) is fresh. */
export const BOOKWORM_NOW = Date.parse('2026-11-21T00:00:00Z')

/** Debian's key that signs bookworm-security (one of the two signatures; the other is AC530D52...). */
export const DEBIAN_SECURITY_FPR = 'AC530D520F2F3269F5E98313A48449044AAD5C5D'

/** Every key of the real Debian archive keyring, pinned as `archive`. */
export function debianKeyring(): Promise<Keyring> {
  return loadKeyring([
    {
      data: fixtureBytes('debian/debian-archive-keyring.gpg'),
      role: 'archive',
      name: 'Debian archive keyring',
    },
  ])
}

/** One key of the Debian keyring, armored (a config `keys` entry pins exactly one key per file). */
export async function debianKeyArmored(fingerprint: string): Promise<string> {
  const bytes = fixtureBytes('debian/debian-archive-keyring.gpg')
  // The keyring file is a concatenation of transferable public keys; readKeys splits them.
  const keys = await readKeys({ binaryKeys: bytes })
  const key = keys.find((k) => k.getFingerprint().toUpperCase() === fingerprint)
  if (!key) throw new Error(`no key ${fingerprint} in the Debian keyring`)
  return key.armor()
}

let sourcesCache: Uint8Array | undefined

/** The uncompressed bookworm-security main Sources (8 MB), as signed by the InRelease. */
export async function bookwormSources(): Promise<Uint8Array> {
  sourcesCache ??= await createDecompressor()(
    'xz',
    fixtureBytes('debian/source-evidence/bookworm-security_main_source_Sources.xz'),
    Limits.size.indexBytes,
  )
  return sourcesCache
}

/** The source artifacts of the fixtures: file name → pool directory. */
export const SOURCE_ARTIFACTS: Readonly<Record<string, string>> = {
  'sudo_1.9.13p3-1+deb12u2.debian.tar.xz': 'pool/updates/main/s/sudo',
  'curl_7.88.1-10+deb12u5.debian.tar.xz': 'pool/updates/main/c/curl',
  'libxml2_2.9.14+dfsg-1.3~deb12u4.debian.tar.xz': 'pool/updates/main/libx/libxml2',
  'tiff_4.5.0-6+deb12u4.debian.tar.xz': 'pool/updates/main/t/tiff',
}

/** Puts the real bookworm-security tree on `m` under `prefix` (by-hash names too, as Acquire-By-Hash: yes). */
export async function publishBookwormSecurity(m: MirrorServer, prefix = '/debian-security'): Promise<void> {
  const dist = `${prefix}/dists/bookworm-security`
  m.files.set(`${dist}/InRelease`, fixtureBytes('debian/bookworm-security_InRelease'))
  const packages = fixtureBytes('debian/bookworm-security_main_binary-amd64_Packages')
  m.files.set(`${dist}/main/binary-amd64/Packages`, packages)
  m.files.set(`${dist}/main/binary-amd64/by-hash/SHA256/${sha256Hex(packages)}`, packages)
  const sources = await bookwormSources()
  m.files.set(`${dist}/main/source/Sources`, sources)
  m.files.set(`${dist}/main/source/by-hash/SHA256/${sha256Hex(sources)}`, sources)
  for (const [name, dir] of Object.entries(SOURCE_ARTIFACTS)) {
    m.files.set(`${prefix}/${dir}/${name}`, fixtureBytes(`debian/source-evidence/${name}`))
  }
}

/** A loopback mirror serving the real bookworm-security tree, and its mirror config. */
export async function startDebianSecurityMirror(): Promise<{ server: MirrorServer; mirror: MirrorConfig }> {
  const server = await startMirrorServer()
  await publishBookwormSecurity(server)
  return {
    server,
    mirror: {
      id: 'debian-security',
      name: 'Debian security (loopback)',
      url: `${server.url}/debian-security`,
      suites: ['bookworm-security'],
      components: ['main'],
      architectures: ['amd64'],
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A jammy-security test archive signed with a generated key (fresh Dates), for the real jammy dpkg status.

/** The reference time of the jammy test archive (its Release is signed two hours before). */
export const JAMMY_NOW = Date.parse('2026-06-06T12:00:00Z')

/** Installed in the real jammy status: openssl and libssl3 3.0.2-0ubuntu1.6 (source openssl). */
export const OPENSSL_FIX = '3.0.2-0ubuntu1.7'

/** A 1.0-format `.diff.gz` whose debian/changelog names CVE-2022-3602 for the fix and CVE-2022-2097 before it. */
export function opensslDiffGz(): Uint8Array {
  const changelog = [
    `openssl (${OPENSSL_FIX}) jammy-security; urgency=medium`,
    '',
    '  * SECURITY UPDATE: X.509 email address buffer overflow',
    '    - CVE-2022-3602',
    '',
    ' -- Lifeline Test <test@lifeline.invalid>  Tue, 01 Nov 2022 10:00:00 +0000',
    '',
    'openssl (3.0.2-0ubuntu1.6) jammy-security; urgency=medium',
    '',
    '  * SECURITY UPDATE: AES OCB fails to encrypt some bytes',
    '    - CVE-2022-2097',
    '',
    ' -- Lifeline Test <test@lifeline.invalid>  Tue, 05 Jul 2022 10:00:00 +0000',
  ]
  const diff = [
    '--- openssl-3.0.2.orig/debian/changelog',
    '+++ openssl-3.0.2/debian/changelog',
    `@@ -0,0 +1,${changelog.length} @@`,
    ...changelog.map((l) => `+${l}`),
    '',
  ].join('\n')
  return new Uint8Array(gzipSync(Buffer.from(diff)))
}

/** Files of the jammy-security test archive, by path under the archive root. */
export async function jammyArchiveFiles(
  key: TestArchiveKey,
  opts: { readonly withFix?: boolean; readonly date?: number } = {},
): Promise<Map<string, Uint8Array>> {
  const withFix = opts.withFix ?? true
  const pkgs: LabPackage[] = [
    { name: 'bash', version: '5.1-6ubuntu1' },
    { name: 'lifeline-unrelated', version: '1.0-1' },
  ]
  if (withFix) {
    pkgs.push(
      { name: 'openssl', version: OPENSSL_FIX },
      { name: 'libssl3', version: OPENSSL_FIX, source: 'openssl' },
    )
  }
  const packages = packagesIndex(pkgs)
  const diff = opensslDiffGz()
  const sources = new TextEncoder().encode(
    [
      'Package: openssl',
      'Binary: openssl, libssl3',
      `Version: ${OPENSSL_FIX}`,
      'Format: 1.0',
      'Directory: pool/main/o/openssl',
      'Checksums-Sha256:',
      ` ${sha256Hex(diff)} ${diff.length} openssl_${OPENSSL_FIX}.diff.gz`,
      '',
    ].join('\n'),
  )
  const indexFiles = { 'main/binary-amd64/Packages': packages, 'main/source/Sources': sources }
  const inRelease = await signedInRelease(
    {
      suite: 'jammy-security',
      codename: 'jammy',
      date: opts.date ?? JAMMY_NOW - 2 * 3600_000,
      files: indexFiles,
    },
    key.privateKey,
  )
  const out = new Map<string, Uint8Array>()
  out.set('dists/jammy-security/InRelease', inRelease)
  for (const [p, b] of Object.entries(indexFiles)) out.set(`dists/jammy-security/${p}`, b)
  out.set(`pool/main/o/openssl/openssl_${OPENSSL_FIX}.diff.gz`, diff)
  return out
}

/** Writes the archive files under `dir` (for a `file:` mirror). */
export async function writeArchive(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  for (const [p, b] of files) {
    await mkdir(dirname(join(dir, p)), { recursive: true })
    await writeFile(join(dir, p), b)
  }
}

/** A synthetic root: etc/os-release, var/lib/dpkg/status and one sources.list line. */
export async function writeRoot(
  dir: string,
  opts: { readonly osRelease: string; readonly status: string; readonly sourcesList: string },
): Promise<void> {
  await mkdir(join(dir, 'etc/apt'), { recursive: true })
  await mkdir(join(dir, 'var/lib/dpkg'), { recursive: true })
  await writeFile(join(dir, 'etc/os-release'), opts.osRelease)
  await writeFile(join(dir, 'var/lib/dpkg/status'), opts.status)
  await writeFile(join(dir, 'etc/apt/sources.list'), opts.sourcesList)
}

/** A config file for one mirror, pinning one extra archive key file. */
export function configJson(
  mirror: MirrorConfig,
  key: { readonly file: string; readonly fingerprint: string; readonly name: string },
  channels: readonly unknown[] = [],
): string {
  return JSON.stringify(
    {
      pollIntervalMinutes: 60,
      mirrors: [mirror],
      channels,
      keys: [{ file: key.file, fingerprint: key.fingerprint, role: 'archive', name: key.name }],
    },
    null,
    2,
  )
}
