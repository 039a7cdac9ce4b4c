/**
 * The lab's synthetic apt archive: a complete, small Ubuntu-like archive (`noble`, `noble-security`) signed with a
 * lab key generated at start-up, in every state a fault needs (current, lagging, stale, frozen, tampered).
 *
 * Layout follows the Debian repository format: `dists/<suite>/InRelease` (clearsigned Release listing the SHA256
 * and size of each index), `main/binary-amd64/Packages{,.gz}` and `main/source/Sources{,.gz}` with their by-hash
 * copies (Acquire-By-Hash), and `pool/` holding the source packages whose `debian/changelog` names the CVEs each
 * upload fixes (docs/trust.md, "The archive itself is evidence"). Indexes are gzip only: the lab may not shell out to `xz`.
 *
 * Everything here is TEST ONLY: the keys are generated per run and must never be trusted outside the lab.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import * as openpgp from 'openpgp'
import { COPY_FAIL_SOURCES, KERNEL_FIXED, KERNEL_OLD, kernelPackages } from './copy-fail'

/** A generated lab key (TEST ONLY). */
export interface LabKey {
  readonly name: string
  readonly role: 'archive' | 'advisory'
  readonly armoredPrivate: string
  readonly armoredPublic: string
  /** Upper-case hex fingerprint. */
  readonly fingerprint: string
  readonly privateKey: openpgp.PrivateKey
}

/** The lab's two keys. */
export interface LabKeys {
  readonly archive: LabKey
  readonly advisory: LabKey
}

/** Fixed user-id names, so nobody mistakes a lab key for a real one. */
export const LAB_KEY_NAMES = {
  archive: 'Lifeline Lab archive key (TEST ONLY)',
  advisory: 'Lifeline Lab advisory key (TEST ONLY)',
} as const

/** What `generateLabKey` makes. */
export interface LabKeySpec {
  readonly role: 'archive' | 'advisory'
  /** The user id's name: say TEST ONLY (or "Test") in it, so nobody mistakes it for a real key. */
  readonly name: string
  /** Creation time (epoch ms): before any signature the key makes. */
  readonly created: number
  /** Default `lab-<role>@lifeline.invalid`. */
  readonly email?: string | undefined
  /** Seconds after `created` the key expires (default 0: never), for expired-key cases. */
  readonly expiresInSeconds?: number | undefined
}

/** Generates an Ed25519 OpenPGP key (TEST ONLY). */
export async function generateLabKey(spec: LabKeySpec): Promise<LabKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name: spec.name, email: spec.email ?? `lab-${spec.role}@lifeline.invalid` }],
    date: new Date(spec.created),
    keyExpirationTime: spec.expiresInSeconds ?? 0,
    format: 'object',
  })
  return {
    name: spec.name,
    role: spec.role,
    armoredPrivate: privateKey.armor(),
    armoredPublic: publicKey.armor(),
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    privateKey,
  }
}

/** Generates the lab's two keys, created at `created` (epoch ms, before any lab signature). */
export async function generateLabKeys(created: number): Promise<LabKeys> {
  const [archive, advisory] = await Promise.all([
    generateLabKey({ role: 'archive', name: LAB_KEY_NAMES.archive, created }),
    generateLabKey({ role: 'advisory', name: LAB_KEY_NAMES.advisory, created }),
  ])
  return { archive, advisory }
}

/** The keyring entry pinning `key` (by full fingerprint) in its role, for `loadKeyring`. */
export function pinnedKeyEntry(key: LabKey): {
  readonly data: string
  readonly role: 'archive' | 'advisory'
  readonly name: string
  readonly fingerprint: string
} {
  return { data: key.armoredPublic, role: key.role, name: key.name, fingerprint: key.fingerprint }
}

/** SHA-256 hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

const enc = new TextEncoder()

/** Formats epoch ms the way apt writes Release dates: "Sat, 06 Jun 2026 17:46:54 UTC". */
export function aptDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', 'UTC')
}

/** Clearsigns `text` with `key` at `date` (what `gpg --clearsign` makes). */
export async function clearsignText(text: string, key: openpgp.PrivateKey, date: number): Promise<string> {
  return openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys: key,
    date: new Date(date),
  })
}

/** What goes into a Release file (Debian repository format, "Release files"). */
export interface ReleaseSpec {
  /** Origin and Label (default `Lifeline-Lab`). */
  readonly origin?: string | undefined
  readonly suite: string
  /** Default: the suite's first word (`noble` for `noble-security`). */
  readonly codename?: string | undefined
  /** The release number (`24.04`); no Version field without it. */
  readonly version?: string | undefined
  readonly date: number
  readonly validUntil?: number | undefined
  readonly architectures?: readonly string[] | undefined
  readonly components?: readonly string[] | undefined
  readonly description?: string | undefined
  readonly acquireByHash?: boolean | undefined
  /** Paths under `dists/<suite>/` and their bytes, listed with their SHA256 and size in this order. */
  readonly files: Readonly<Record<string, Uint8Array>>
}

/** The Release text of `spec`. */
export function releaseText(spec: ReleaseSpec): string {
  const origin = spec.origin ?? 'Lifeline-Lab'
  return [
    `Origin: ${origin}`,
    `Label: ${origin}`,
    `Suite: ${spec.suite}`,
    ...(spec.version !== undefined ? [`Version: ${spec.version}`] : []),
    `Codename: ${spec.codename ?? spec.suite.split('-')[0] ?? spec.suite}`,
    `Date: ${aptDate(spec.date)}`,
    ...(spec.validUntil !== undefined ? [`Valid-Until: ${aptDate(spec.validUntil)}`] : []),
    `Architectures: ${(spec.architectures ?? ['amd64']).join(' ')}`,
    `Components: ${(spec.components ?? ['main']).join(' ')}`,
    `Description: ${spec.description ?? 'Lifeline outage lab archive (TEST ONLY)'}`,
    ...(spec.acquireByHash ? ['Acquire-By-Hash: yes'] : []),
    'SHA256:',
    ...Object.entries(spec.files).map(
      ([path, data]) => ` ${sha256Hex(data)} ${String(data.length).padStart(16)} ${path}`,
    ),
    '',
  ].join('\n')
}

/** The InRelease of `spec`: its Release text clearsigned with `key` at the Release's Date. */
export async function signedInRelease(spec: ReleaseSpec, key: openpgp.PrivateKey): Promise<Uint8Array> {
  return enc.encode(await clearsignText(releaseText(spec), key, spec.date))
}

/** One binary package of the synthetic archive. */
export interface LabPackage {
  readonly name: string
  readonly version: string
  readonly source?: string | undefined
  readonly arch?: string | undefined
}

/** One source package: its changelog entries name the CVEs fixed. */
export interface LabSource {
  readonly name: string
  readonly version: string
  readonly changelog: string
}

/** Binary packages of the `noble` release pocket. */
export const NOBLE_RELEASE_PACKAGES: readonly LabPackage[] = [
  { name: 'base-files', version: '13ubuntu10' },
  { name: 'bash', version: '5.2.21-2ubuntu4' },
  { name: 'expat', version: '2.6.1-2' },
  { name: 'libexpat1', version: '2.6.1-2', source: 'expat' },
  { name: 'libssl3t64', version: '3.0.13-0ubuntu3', source: 'openssl' },
  { name: 'openssl', version: '3.0.13-0ubuntu3' },
  { name: 'sudo', version: '1.9.15p5-3ubuntu5' },
]

/** The expat fix of USN-7000-1 (real notice; the lab rebuilds the archive side of it). */
export const EXPAT_FIXED = '2.6.1-2ubuntu0.1'

/** Binary packages of `noble-security`, now: the USN-7000-1 expat fix and two older updates. */
export const NOBLE_SECURITY_PACKAGES: readonly LabPackage[] = [
  { name: 'expat', version: EXPAT_FIXED },
  { name: 'libexpat1', version: EXPAT_FIXED, source: 'expat' },
  { name: 'libssl3t64', version: '3.0.13-0ubuntu3.1', source: 'openssl' },
  { name: 'openssl', version: '3.0.13-0ubuntu3.1' },
  { name: 'sudo', version: '1.9.15p5-3ubuntu5.24.04.1' },
]

/** `noble-security` as a lagging mirror still has it: before the expat fix. */
export const NOBLE_SECURITY_PACKAGES_BEFORE: readonly LabPackage[] = NOBLE_SECURITY_PACKAGES.filter(
  (p) => (p.source ?? p.name) !== 'expat',
)

/** The expat source upload whose changelog names USN-7000-1's CVEs. */
export const EXPAT_SOURCE: LabSource = {
  name: 'expat',
  version: EXPAT_FIXED,
  changelog: `expat (${EXPAT_FIXED}) noble-security; urgency=medium

  * SECURITY UPDATE: negative length in XML_ParseBuffer (lab rebuild of USN-7000-1)
    - debian/patches/CVE-2024-45490.patch: reject negative len.
    - CVE-2024-45490
  * SECURITY UPDATE: integer overflow in dtdCopy
    - CVE-2024-45491
  * SECURITY UPDATE: integer overflow in nextScaffoldPart
    - CVE-2024-45492

 -- Lifeline Lab <lab@lifeline.invalid>  Thu, 12 Sep 2024 10:00:00 +0000

expat (2.6.1-2) unstable; urgency=medium

  * Lab copy of the release upload.

 -- Lifeline Lab <lab@lifeline.invalid>  Mon, 04 Mar 2024 10:00:00 +0000
`,
}

/** Writes a minimal POSIX ustar archive (regular files only) of `files`. */
export function ustar(files: readonly { readonly path: string; readonly data: Uint8Array }[]): Uint8Array {
  const blocks: Uint8Array[] = []
  for (const f of files) {
    const h = new Uint8Array(512)
    const put = (off: number, len: number, s: string) => h.set(enc.encode(s).subarray(0, len), off)
    const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, '0')}\0`
    put(0, 100, f.path)
    put(100, 8, octal(0o644, 8))
    put(108, 8, octal(0, 8))
    put(116, 8, octal(0, 8))
    put(124, 12, octal(f.data.length, 12))
    put(136, 12, octal(1_700_000_000, 12))
    put(148, 8, '        ')
    put(156, 1, '0')
    put(257, 6, 'ustar\0')
    put(263, 2, '00')
    let sum = 0
    for (const b of h) sum += b
    put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `)
    blocks.push(h, f.data, new Uint8Array((512 - (f.data.length % 512)) % 512))
  }
  blocks.push(new Uint8Array(1024))
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0))
  let off = 0
  for (const b of blocks) {
    out.set(b, off)
    off += b.length
  }
  return out
}

/** A Packages index (Debian repository format, "Packages Indices") listing `pkgs`. */
export function packagesIndex(pkgs: readonly LabPackage[]): Uint8Array {
  const stanzas = pkgs.map((p) => {
    const arch = p.arch ?? 'amd64'
    // `Source: linux-signed (6.8.0-41.41)`: the pool folder is named after the source name alone.
    const src = (p.source ?? p.name).replace(/\s*\(.*\)$/, '')
    const file = `pool/main/${src.slice(0, 1)}/${src}/${p.name}_${p.version.replace(/^\d+:/, '')}_${arch}.deb`
    const lines = [`Package: ${p.name}`]
    if (p.source !== undefined) lines.push(`Source: ${p.source}`)
    lines.push(
      `Architecture: ${arch}`,
      `Version: ${p.version}`,
      'Priority: optional',
      'Maintainer: Lifeline Lab <lab@lifeline.invalid>',
      `Filename: ${file}`,
      `Size: ${1000 + file.length}`,
      `SHA256: ${sha256Hex(enc.encode(file))}`,
      `Description: ${p.name} (Lifeline lab package, not installable)`,
    )
    return lines.join('\n')
  })
  return enc.encode(`${stanzas.join('\n\n')}\n`)
}

/** The pool files of a source package and its Sources stanza. */
function sourcePackage(s: LabSource): { stanza: string; pool: [string, Uint8Array][] } {
  const dir = `pool/main/${s.name.slice(0, 1)}/${s.name}`
  const upstream = s.version.replace(/^\d+:/, '').replace(/-[^-]*$/, '')
  const debianTar = gzipSync(ustar([{ path: 'debian/changelog', data: enc.encode(s.changelog) }]))
  const orig = gzipSync(
    ustar([{ path: `${s.name}-${upstream}/README`, data: enc.encode('lab placeholder\n') }]),
  )
  const debName = `${s.name}_${s.version}.debian.tar.gz`
  const origName = `${s.name}_${upstream}.orig.tar.gz`
  const dsc = enc.encode(
    [
      'Format: 3.0 (quilt)',
      `Source: ${s.name}`,
      `Version: ${s.version}`,
      'Checksums-Sha256:',
      ` ${sha256Hex(orig)} ${orig.length} ${origName}`,
      ` ${sha256Hex(debianTar)} ${debianTar.length} ${debName}`,
      '',
    ].join('\n'),
  )
  const dscName = `${s.name}_${s.version}.dsc`
  const files: [string, Uint8Array][] = [
    [dscName, dsc],
    [origName, orig],
    [debName, debianTar],
  ]
  const stanza = [
    `Package: ${s.name}`,
    `Binary: ${s.name}`,
    `Version: ${s.version}`,
    'Maintainer: Lifeline Lab <lab@lifeline.invalid>',
    'Format: 3.0 (quilt)',
    `Directory: ${dir}`,
    'Checksums-Sha256:',
    ...files.map(([n, d]) => ` ${sha256Hex(d)} ${d.length} ${n}`),
  ].join('\n')
  return { stanza, pool: files.map(([n, d]) => [`${dir}/${n}`, d]) }
}

/** A copy of `data` with its middle byte changed: same size, another SHA256. */
export function flipMiddleByte(data: Uint8Array): Uint8Array {
  // A copy, never `slice()`: on a Buffer that is a view and would alter the original.
  const out = Uint8Array.from(data)
  const i = out.length >> 1
  out[i] = (out[i] ?? 0) ^ 0x01
  return out
}

/** What one suite of a snapshot contains. */
export interface LabSuiteSpec {
  readonly suite: string
  readonly packages: readonly LabPackage[]
  readonly sources: readonly LabSource[]
}

/** One signed state of the archive. Paths are relative to the archive root (`dists/...`, `pool/...`). */
export interface ArchiveSnapshot {
  readonly date: number
  readonly validUntil?: number | undefined
  readonly files: ReadonlyMap<string, Uint8Array>
  /** For the `wrong-index-hash` fault: every Packages path (plain, .gz, by-hash) mapped to altered bytes. */
  readonly alteredIndexes: ReadonlyMap<string, Uint8Array>
}

/** Builds and signs one snapshot of the archive. */
export async function buildSnapshot(opts: {
  readonly suites: readonly LabSuiteSpec[]
  readonly date: number
  readonly validUntil?: number | undefined
  readonly key: openpgp.PrivateKey
}): Promise<ArchiveSnapshot> {
  const files = new Map<string, Uint8Array>()
  const altered = new Map<string, Uint8Array>()
  for (const suite of opts.suites) {
    const dist = `dists/${suite.suite}`
    const indexFiles: [string, Uint8Array][] = []
    const packages = packagesIndex(suite.packages)
    const sourceParts = suite.sources.map(sourcePackage)
    const sources = enc.encode(
      sourceParts.length ? `${sourceParts.map((part) => part.stanza).join('\n\n')}\n` : '',
    )
    for (const part of sourceParts) for (const [path, data] of part.pool) files.set(path, data)
    indexFiles.push(
      ['main/binary-amd64/Packages', packages],
      ['main/binary-amd64/Packages.gz', gzipSync(packages)],
      ['main/source/Sources', sources],
      ['main/source/Sources.gz', gzipSync(sources)],
    )
    // The altered index has the signed size but other bytes: it claims the fix is one upload later (a same-length
    // version), so only the SHA256 in the signed Release can tell (the compressed copy gets one byte flipped).
    const evil = enc.encode(
      new TextDecoder().decode(packages).replaceAll(EXPAT_FIXED, EXPAT_FIXED.replace(/1$/, '9')),
    )
    for (const [path, data] of indexFiles) {
      const dir = path.slice(0, path.lastIndexOf('/'))
      const full = `${dist}/${path}`
      const byHash = `${dist}/${dir}/by-hash/SHA256/${sha256Hex(data)}`
      files.set(full, data)
      files.set(byHash, data)
      if (path.includes('/Packages')) {
        const bad = path.endsWith('.gz')
          ? flipMiddleByte(data)
          : evil.length === data.length && evil.some((b, i) => b !== data[i])
            ? evil
            : flipMiddleByte(data)
        altered.set(full, bad)
        altered.set(byHash, bad)
      }
    }
    const release: ReleaseSpec = {
      suite: suite.suite,
      version: '24.04',
      date: opts.date,
      validUntil: opts.validUntil,
      acquireByHash: true,
      files: Object.fromEntries(indexFiles),
    }
    files.set(`${dist}/Release`, enc.encode(releaseText(release)))
    files.set(`${dist}/InRelease`, await signedInRelease(release, opts.key))
  }
  return { date: opts.date, validUntil: opts.validUntil, files, alteredIndexes: altered }
}

/** The archive's named states. */
export interface LabArchive {
  /** Up to date: `noble-security` has the expat fix. */
  readonly current: ArchiveSnapshot
  /** 20 hours older, before the fix: a lagging mirror, or a rollback once `current` was seen. */
  readonly previous: ArchiveSnapshot
  /** 10 days old: past Ubuntu's maximum age for a security pocket. */
  readonly stale: ArchiveSnapshot
  /** Current content, but its Valid-Until passed an hour ago. */
  readonly frozen: ArchiveSnapshot
}

const HOUR = 3600_000

/**
 * The suites of a snapshot, with or without the day's fixes (expat's USN-7000-1 and the Copy Fail kernel,
 * main/lab/copy-fail.ts). The kernel the machine runs is in `noble-security` either way.
 */
function suites(withFix: boolean): LabSuiteSpec[] {
  const oldKernel = kernelPackages(KERNEL_OLD)
  const kernel = withFix
    ? [...oldKernel.filter((p) => p.name.includes(KERNEL_OLD.abi)), ...kernelPackages(KERNEL_FIXED)]
    : oldKernel
  return [
    { suite: 'noble', packages: NOBLE_RELEASE_PACKAGES, sources: [] },
    {
      suite: 'noble-security',
      packages: [...(withFix ? NOBLE_SECURITY_PACKAGES : NOBLE_SECURITY_PACKAGES_BEFORE), ...kernel],
      sources: withFix ? [EXPAT_SOURCE, ...COPY_FAIL_SOURCES] : [],
    },
  ]
}

/** Builds every state of the synthetic archive relative to `now`. */
export async function buildLabArchive(key: openpgp.PrivateKey, now: number): Promise<LabArchive> {
  const [current, previous, stale, frozen] = await Promise.all([
    buildSnapshot({ suites: suites(true), date: now - HOUR, key }),
    buildSnapshot({ suites: suites(false), date: now - 20 * HOUR, key }),
    buildSnapshot({ suites: suites(false), date: now - 240 * HOUR, key }),
    buildSnapshot({ suites: suites(true), date: now - 3 * HOUR, validUntil: now - HOUR, key }),
  ])
  return { current, previous, stale, frozen }
}
