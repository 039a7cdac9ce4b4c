/**
 * Shared helpers of the OpenPGP tests: committed fixtures (real keys and InRelease files, TEST-ONLY keys) and
 * signing with test keys.
 */
import { readFileSync } from 'node:fs'
import * as openpgp from 'openpgp'
import type { KeyRole } from '../../../../main/core/model'
import { loadKeyring } from '../../../../main/core/pgp/keyring'
import type { Keyring } from '../../../../main/core/pgp/keyring'

/** Full fingerprint of the Ubuntu Archive Automatic Signing Key (2012). */
export const UBUNTU_2012 = '790BC7277767219C42C86F933B4FE6ACC0B21F32'
/** Full fingerprint of the Ubuntu Archive Automatic Signing Key (2018). */
export const UBUNTU_2018 = 'F6ECB3762474EDA9D21B7022871920D1991BC93C'
/** Debian Security Archive Automatic Signing Keys (11/bullseye, 12/bookworm): the bookworm-security signers. */
export const DEBIAN_SECURITY_11 = 'AC530D520F2F3269F5E98313A48449044AAD5C5D'
export const DEBIAN_SECURITY_12 = '05AB90340C0C5E797F44A8C8254CF3B5AEC0A8F0'

/** Reads a committed fixture under test/fixtures. */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../fixtures/${path}`, import.meta.url)))
}

/** Reads a committed text fixture under test/fixtures. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(`../../../fixtures/${path}`, import.meta.url), 'utf8')
}

/** A real InRelease fixture and a `now` at which its key is valid and its signature is not in the future. */
export interface RealInRelease {
  readonly file: string
  readonly distro: 'ubuntu' | 'debian'
  readonly now: number
  readonly signers: readonly string[]
}

/** Every real InRelease in the fixtures (shared PROVENANCE: gpgv OK with these primary keys). */
export const REAL_INRELEASES: readonly RealInRelease[] = [
  { file: 'ubuntu/apt/noble_InRelease', distro: 'ubuntu', now: Date.UTC(2024, 4, 1), signers: [UBUNTU_2018] },
  {
    file: 'ubuntu/apt/noble-security_InRelease',
    distro: 'ubuntu',
    now: Date.UTC(2026, 5, 7),
    signers: [UBUNTU_2018],
  },
  {
    file: 'ubuntu/apt/jammy-security_InRelease.2022-10-09',
    distro: 'ubuntu',
    now: Date.UTC(2022, 9, 10),
    signers: [UBUNTU_2018],
  },
  {
    file: 'ubuntu/apt/jammy-backports_InRelease.2022-10-09',
    distro: 'ubuntu',
    now: Date.UTC(2022, 9, 10),
    signers: [UBUNTU_2018],
  },
  {
    file: 'debian/bookworm-security_InRelease',
    distro: 'debian',
    now: Date.UTC(2026, 10, 21),
    signers: [DEBIAN_SECURITY_11, DEBIAN_SECURITY_12],
  },
]

/** The real Ubuntu archive keys (2012 armored, 2018 binary: both forms are exercised), pinned by fingerprint. */
export function ubuntuKeyring(role: KeyRole = 'archive'): Promise<Keyring> {
  return loadKeyring([
    {
      data: fixtureText('ubuntu/keys/ubuntu-keyring-2012-archive.asc'),
      role,
      name: 'Ubuntu 2012',
      fingerprint: UBUNTU_2012,
    },
    {
      data: fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.gpg'),
      role,
      name: 'Ubuntu 2018',
      fingerprint: UBUNTU_2018,
    },
  ])
}

/** The real Debian archive keyring (nine keys, binary). */
export function debianKeyring(role: KeyRole = 'archive'): Promise<Keyring> {
  return loadKeyring([
    { data: fixtureBytes('debian/debian-archive-keyring.gpg'), role, name: 'Debian archive keyring' },
  ])
}

/** Names of the generated TEST-ONLY keys in test/fixtures/keys (see make-test-keys.ts). */
export type TestKeyName =
  | 'test-only-archive-ed25519'
  | 'test-only-advisory-ed25519'
  | 'test-only-rsa3072'
  | 'test-only-expired-ed25519'
  | 'test-only-revoked-ed25519'
  | 'test-only-rsa1024'
  | 'test-only-weak-subkey'
  | 'test-only-signing-subkey'

/** A TEST-ONLY key: its public armor, its secret key, its fingerprint. */
export interface TestKey {
  readonly name: TestKeyName
  readonly publicArmored: string
  readonly secret: openpgp.PrivateKey
  readonly fingerprint: string
}

/** Config that lets openpgp.js use the deliberately weak test keys for signing (never for verifying). */
export const WEAK_SIGNING_CONFIG: openpgp.PartialConfig = {
  minRSABits: 1024,
  rejectMessageHashAlgorithms: new Set(),
  rejectHashAlgorithms: new Set(),
}

const cache = new Map<TestKeyName, Promise<TestKey>>()

/** Loads a committed TEST-ONLY key. */
export function testKey(name: TestKeyName): Promise<TestKey> {
  let p = cache.get(name)
  if (!p) {
    p = (async () => {
      const publicArmored = fixtureText(`keys/${name}.pub.asc`)
      const secret = await openpgp.readPrivateKey({ armoredKey: fixtureText(`keys/${name}.sec.asc`) })
      return { name, publicArmored, secret, fingerprint: secret.getFingerprint().toUpperCase() }
    })()
    cache.set(name, p)
  }
  return p
}

/** A keyring pinning test keys (by their fingerprint) with roles. */
export async function testKeyring(...keys: readonly (readonly [TestKeyName, KeyRole])[]): Promise<Keyring> {
  const loaded = await Promise.all(keys.map(([n]) => testKey(n)))
  return loadKeyring(
    loaded.map((k, i) => ({
      data: k.publicArmored,
      role: keys[i]?.[1] ?? 'archive',
      name: k.name,
      fingerprint: k.fingerprint,
    })),
  )
}

/** The "now" of the generated-key tests: 2024-06-15, after the expiry (01-31) and the revocation (03-01). */
export const TEST_NOW = Date.UTC(2024, 5, 15)
/** When test documents are signed by default: 2024-06-01. */
export const SIGNED_AT = Date.UTC(2024, 5, 1)

/** Options for signing with a test key. */
export interface SignOptions {
  readonly date?: number
  readonly hash?: openpgp.enums.hash
  readonly signingKeyIDs?: openpgp.KeyID[]
}

/** Signing config: optional preferred hash, weak algorithms allowed (the test decides what is weak). */
function signConfig(o: SignOptions): openpgp.PartialConfig {
  return { ...WEAK_SIGNING_CONFIG, ...(o.hash !== undefined ? { preferredHashAlgorithm: o.hash } : {}) }
}

/** Clearsigns `text` with a test key (what `gpg --clearsign` does). */
export async function clearsign(text: string, key: TestKey, o: SignOptions = {}): Promise<string> {
  return openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys: key.secret,
    date: new Date(o.date ?? SIGNED_AT),
    config: signConfig(o),
    ...(o.signingKeyIDs ? { signingKeyIDs: o.signingKeyIDs } : {}),
  })
}

/** Makes a detached signature over `data` with a test key (what `gpg --detach-sign` does). */
export async function detachSign(
  data: Uint8Array,
  key: TestKey,
  o: SignOptions & { armor?: boolean } = {},
): Promise<Uint8Array | string> {
  const message = await openpgp.createMessage({ binary: data })
  const common = {
    message,
    signingKeys: key.secret,
    detached: true as const,
    date: new Date(o.date ?? SIGNED_AT),
    config: signConfig(o),
  }
  return o.armor === false
    ? openpgp.sign({ ...common, format: 'binary' })
    : openpgp.sign({ ...common, format: 'armored' })
}

/** The signature packets of a clearsigned document (to splice into another one). */
export async function signaturePackets(doc: string): Promise<openpgp.SignaturePacket[]> {
  const sig = await openpgp.readSignature({
    armoredSignature: doc.slice(doc.indexOf('-----BEGIN PGP SIGNATURE-----')),
  })
  return [...sig.packets]
}

/** Builds a clearsigned document from text and signature packets (RFC 9580 7), dash-escaping like gpg. */
export function assembleCleartext(text: string, packets: readonly openpgp.SignaturePacket[]): string {
  const list = new openpgp.PacketList<openpgp.SignaturePacket>()
  for (const p of packets) list.push(p)
  const armored = new openpgp.Signature(list).armor()
  const escaped = text
    .split('\n')
    .map((l) => (l.startsWith('-') ? `- ${l}` : l))
    .join('\n')
  return `-----BEGIN PGP SIGNED MESSAGE-----\n\n${escaped}\n${armored}`
}

/** Awaits `p` and returns the CoreError code it rejected with (or 'RESOLVED'). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'RESOLVED'
  } catch (e) {
    return (e as { code?: string }).code ?? `NOT_CODED: ${String(e)}`
  }
}

/** The parts of openpgp.js's packet API that its typings mark private but that building a raw signature needs. */
interface RawSigning {
  sign(key: unknown, data: unknown, date: Date, detached: boolean, config: openpgp.Config): Promise<void>
}
interface RawLiteral {
  setText(text: string): void
  setBytes(bytes: Uint8Array, format: openpgp.enums.literal): void
}

/**
 * Makes one signature packet with a forced hash algorithm (openpgp.js picks the hash from key preferences, so a
 * SHA-1 signature has to be built by hand). Text is signed as a text signature (clearsign), bytes as binary.
 */
export async function signWithHash(
  data: string | Uint8Array,
  key: TestKey,
  hash: openpgp.enums.hash,
  date: number = SIGNED_AT,
): Promise<openpgp.SignaturePacket> {
  const packet = new openpgp.SignaturePacket()
  packet.signatureType =
    typeof data === 'string' ? openpgp.enums.signature.text : openpgp.enums.signature.binary
  packet.hashAlgorithm = hash
  packet.publicKeyAlgorithm = key.secret.keyPacket.algorithm
  const literal = new openpgp.LiteralDataPacket() as unknown as RawLiteral
  if (typeof data === 'string') literal.setText(data)
  else literal.setBytes(data, openpgp.enums.literal.binary)
  await (packet as unknown as RawSigning).sign(key.secret.keyPacket, literal, new Date(date), true, {
    ...openpgp.config,
    ...WEAK_SIGNING_CONFIG,
    // The salt notation has no defined length for SHA-1 (openpgp.js throws); it is optional anyway.
    nonDeterministicSignaturesViaNotation: false,
  } as openpgp.Config)
  return packet
}

/** Armors signature packets as a detached signature block. */
export function armorSignature(packets: readonly openpgp.SignaturePacket[]): string {
  const list = new openpgp.PacketList<openpgp.SignaturePacket>()
  for (const p of packets) list.push(p)
  return new openpgp.Signature(list).armor()
}
