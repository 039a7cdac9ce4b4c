/**
 * Fixture access for the apt tests. Reads only test/fixtures (a fresh clone tests itself).
 *
 * `releaseText` extracts the Release part of a clearsigned InRelease naively (between the armor headers).
 * Signature verification is main/core/pgp's job and is tested there; these tests need only the signed text.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** Absolute path of a file under test/fixtures. */
export function fixturePath(rel: string): string {
  return resolve(import.meta.dirname, '../../../fixtures', rel)
}

/** Bytes of a fixture. */
export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(rel)))
}

/** Text of a fixture (UTF-8). */
export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8')
}

/** The cleartext of a clearsigned document: after the armor header block, before the signature (RFC 9580 §7). */
export function releaseText(inReleaseRel: string): string {
  const t = fixtureText(inReleaseRel)
  const start = t.indexOf('\n\n', t.indexOf('-----BEGIN PGP SIGNED MESSAGE-----'))
  const end = t.indexOf('\n-----BEGIN PGP SIGNATURE-----')
  if (start < 0 || end < 0) throw new Error(`${inReleaseRel} is not clearsigned`)
  // Dash-escaped lines ("- -...") lose their "- " prefix (RFC 9580 §7.2); Release files have none, but be exact.
  return t
    .slice(start + 2, end)
    .split('\n')
    .map((l) => (l.startsWith('- ') ? l.slice(2) : l))
    .join('\n')
}

/** Each fixture Packages index with the InRelease (and the path in it) that signs it. */
export const PACKAGES_FIXTURES = [
  {
    packages: 'ubuntu/apt/noble-security_multiverse_binary-amd64_Packages',
    inRelease: 'ubuntu/apt/noble-security_InRelease',
    component: 'multiverse',
    suite: 'noble-security',
    count: 192,
  },
  {
    packages: 'ubuntu/apt/jammy-backports_main_binary-amd64_Packages.2022-10-09',
    inRelease: 'ubuntu/apt/jammy-backports_InRelease.2022-10-09',
    component: 'main',
    suite: 'jammy-backports',
    count: 10,
  },
  {
    packages: 'ubuntu/apt/jammy-backports_universe_binary-amd64_Packages.2022-10-09',
    inRelease: 'ubuntu/apt/jammy-backports_InRelease.2022-10-09',
    component: 'universe',
    suite: 'jammy-backports',
    count: 21,
  },
  {
    packages: 'ubuntu/apt/jammy-security_multiverse_binary-amd64_Packages.2022-10-09',
    inRelease: 'ubuntu/apt/jammy-security_InRelease.2022-10-09',
    component: 'multiverse',
    suite: 'jammy-security',
    count: 19,
  },
  {
    packages: 'debian/bookworm-security_main_binary-amd64_Packages',
    inRelease: 'debian/bookworm-security_InRelease',
    component: 'main',
    suite: 'bookworm-security',
    count: 3006,
  },
] as const

/** Every fixture InRelease. */
export const IN_RELEASES = [
  'ubuntu/apt/noble_InRelease',
  'ubuntu/apt/noble-security_InRelease',
  'ubuntu/apt/jammy-backports_InRelease.2022-10-09',
  'ubuntu/apt/jammy-security_InRelease.2022-10-09',
  'debian/bookworm-security_InRelease',
] as const

/** The CoreError code `fn` throws (sync or async), or a marker when it throws something else / nothing. */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn()
  } catch (e) {
    const code = (e as { code?: unknown; name?: unknown }).code
    return (e as { name?: unknown }).name === 'CoreError' && typeof code === 'string'
      ? code
      : `non-CoreError: ${String(e)}`
  }
  return 'no error'
}

/** Synchronous codeOf. */
export function codeOfSync(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return (e as { name?: unknown }).name === 'CoreError' && typeof code === 'string'
      ? code
      : `non-CoreError: ${String(e)}`
  }
  return 'no error'
}
