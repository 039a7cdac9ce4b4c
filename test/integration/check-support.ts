/**
 * Loopback mirrors built from the real fixtures, for the `lifeline check` / evidence tests.
 *
 * `startDebianSecurityMirror` serves the real, Debian-signed bookworm-security InRelease, its real amd64 Packages
 * index, its real `main/source/Sources` (decompressed from the fixture .xz: the uncompressed bytes are the ones the
 * InRelease signs) and the real source artifacts under `pool/updates/main/...`, as deb.debian.org lays them out.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { readKeys } from 'openpgp'
import { loadKeyring, type Keyring } from '../../main/core/pgp/keyring'
import type { MirrorConfig } from '../../main/core/model'
import { Limits } from '../../main/core/limits'
import { createDecompressor } from '../../main/node/decompress'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { sha256 } from '../support/test-archive'

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
    { data: fixtureBytes('debian/debian-archive-keyring.gpg'), role: 'archive', name: 'Debian archive keyring' },
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
  m.files.set(`${dist}/main/binary-amd64/by-hash/SHA256/${sha256(packages)}`, packages)
  const sources = await bookwormSources()
  m.files.set(`${dist}/main/source/Sources`, sources)
  m.files.set(`${dist}/main/source/by-hash/SHA256/${sha256(sources)}`, sources)
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
