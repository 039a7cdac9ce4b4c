/**
 * Test-only apt archive signing: a generated archive key and clearsigned InRelease files with any Date,
 * Valid-Until, Suite and SHA256 list, for the cases the real fixtures lack (rollback, frozen, wrong suite...).
 *
 * Keys made here are test keys: never trust them outside tests.
 */
import { createHash } from 'node:crypto'
import { createCleartextMessage, generateKey, sign } from 'openpgp'
import type { PrivateKey } from 'openpgp'
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'

/** A generated archive key and a keyring pinning it with the `archive` role. */
export interface TestArchiveKey {
  readonly privateKey: PrivateKey
  readonly publicArmored: string
  readonly fingerprint: string
  readonly keyring: Keyring
}

/** Generates an ed25519 archive key created at `created` (epoch ms). */
export async function makeTestArchiveKey(
  name = 'Lifeline Test Archive Key',
  created = Date.parse('2025-01-01T00:00:00Z'),
): Promise<TestArchiveKey> {
  const { privateKey, publicKey } = await generateKey({
    type: 'curve25519',
    userIDs: [{ name, email: 'test-archive@lifeline.invalid' }],
    date: new Date(created),
    format: 'object',
  })
  const publicArmored = publicKey.armor()
  const fingerprint = publicKey.getFingerprint().toUpperCase()
  const keyring = await loadKeyring([{ data: publicArmored, role: 'archive', name, fingerprint }])
  return { privateKey, publicArmored, fingerprint, keyring }
}

/** Formats epoch ms the way apt writes Release dates: "Sat, 06 Jun 2026 17:46:54 UTC". */
export function releaseDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', 'UTC')
}

/** SHA-256 hex of bytes. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** What goes into a test Release. `files` maps paths under `dists/<suite>/` to their bytes. */
export interface TestReleaseSpec {
  readonly suite: string
  readonly codename?: string
  readonly date: number
  readonly validUntil?: number
  readonly acquireByHash?: boolean
  readonly components?: readonly string[]
  readonly architectures?: readonly string[]
  readonly files: Readonly<Record<string, Uint8Array>>
}

/** Builds the Release text (Debian repository format, "Release files"). */
export function buildRelease(spec: TestReleaseSpec): string {
  const lines = [
    'Origin: Lifeline-Test',
    'Label: Lifeline-Test',
    `Suite: ${spec.suite}`,
    `Codename: ${spec.codename ?? spec.suite.split('-')[0]}`,
    `Date: ${releaseDate(spec.date)}`,
  ]
  if (spec.validUntil !== undefined) lines.push(`Valid-Until: ${releaseDate(spec.validUntil)}`)
  lines.push(`Architectures: ${(spec.architectures ?? ['amd64']).join(' ')}`)
  lines.push(`Components: ${(spec.components ?? ['main']).join(' ')}`)
  if (spec.acquireByHash) lines.push('Acquire-By-Hash: yes')
  lines.push('Description: Lifeline test archive')
  lines.push('SHA256:')
  for (const [path, data] of Object.entries(spec.files)) {
    lines.push(` ${sha256(data)} ${String(data.length).padStart(16)} ${path}`)
  }
  return `${lines.join('\n')}\n`
}

/** Clearsigns `text` (an InRelease) with `key`, signature dated `at`. */
export async function clearsign(text: string, key: PrivateKey, at: number): Promise<string> {
  const message = await createCleartextMessage({ text })
  return sign({ message, signingKeys: key, date: new Date(at) })
}

/** Builds and clearsigns an InRelease; returns its bytes. */
export async function signedInRelease(spec: TestReleaseSpec, key: PrivateKey): Promise<Uint8Array> {
  return new TextEncoder().encode(await clearsign(buildRelease(spec), key, spec.date))
}

/** One binary package for `packagesIndex`. */
export interface TestPackage {
  readonly name: string
  readonly version: string
  readonly arch?: string
  readonly source?: string
}

/** A well-formed Packages index (every field the strict parser requires) listing `pkgs`. */
export function packagesIndex(pkgs: readonly TestPackage[]): Uint8Array {
  const stanzas = pkgs.map((p) => {
    const arch = p.arch ?? 'amd64'
    const src = p.source ?? p.name
    const file = `pool/main/${src.slice(0, 1)}/${src}/${p.name}_${p.version.replace(/^\d+:/, '')}_${arch}.deb`
    const lines = [`Package: ${p.name}`]
    if (p.source !== undefined) lines.push(`Source: ${p.source}`)
    lines.push(`Architecture: ${arch}`, `Version: ${p.version}`, `Filename: ${file}`, 'Size: 1234')
    lines.push(`SHA256: ${sha256(new TextEncoder().encode(file))}`)
    return lines.join('\n')
  })
  return new TextEncoder().encode(`${stanzas.join('\n\n')}\n`)
}
