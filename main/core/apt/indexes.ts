/**
 * Packages and Sources indexes: which file to fetch, how to check it against the signed Release, and a fast
 * parser for the few fields Lifeline needs.
 *
 * docs/trust.md, "Package lists stored once, by their signed hash": an index is used only after its size and SHA256 match the entry of the
 * verified Release — before a single byte of it is parsed.
 */
import { ControlScanner, ControlToken } from './control'
import { aptError } from './errors'
import { isSafeRelativePath, isSha256Hex, parseSize } from './release'
import type { FileHash, ReleaseInfo } from './release'
import { isValidDebianVersion } from './version'

/** How an index file is compressed. */
export type IndexCompression = 'xz' | 'gz' | 'none'

/** One way to fetch an index, in preference order. */
export interface IndexCandidate {
  readonly compression: IndexCompression
  /** Path as listed in the Release, relative to the Release's directory, e.g. `main/binary-amd64/Packages.xz`. */
  readonly path: string
  /** Path relative to the archive root: `dists/<suite>/<path>`. */
  readonly url: string
  /**
   * `dists/<suite>/<component>/binary-<arch>/by-hash/SHA256/<hex>` when the Release says `Acquire-By-Hash: yes`
   * (Debian repository format, "by-hash"): immune to the index changing between Release and index fetches.
   */
  readonly byHashUrl?: string | undefined
  /** Signed size and SHA256 of the bytes fetched (compressed). */
  readonly expected: FileHash
  /** Signed size and SHA256 of the uncompressed index, when the Release lists it. */
  readonly uncompressed?: FileHash | undefined
}

const SUFFIXES: readonly (readonly [IndexCompression, string])[] = [
  ['xz', '.xz'],
  ['gz', '.gz'],
  ['none', ''],
]

/**
 * The ways to fetch the Packages index of `component`/`arch` (or the Sources index when `arch` is 'source'),
 * best first: `.xz`, `.gz`, plain — only those the Release lists with a SHA256.
 *
 * `suiteDir` is the directory under `dists/` the Release was fetched from (default: its Suite). Throws
 * APT_NOT_IN_RELEASE when the Release lists no such index.
 */
export function indexCandidates(
  release: ReleaseInfo,
  component: string,
  arch: string,
  suiteDir: string = release.suite ?? release.codename ?? '',
): IndexCandidate[] {
  const dir = arch === 'source' ? `${component}/source` : `${component}/binary-${arch}`
  const base = `${dir}/${arch === 'source' ? 'Sources' : 'Packages'}`
  if (!isSafeRelativePath(base) || !isSafeRelativePath(suiteDir)) {
    throw aptError('APT_NOT_IN_RELEASE', `not a valid index path: ${suiteDir}/${base}`, { path: base })
  }
  const uncompressed = release.sha256.get(base)
  const out: IndexCandidate[] = []
  for (const [compression, suffix] of SUFFIXES) {
    const path = base + suffix
    const expected = release.sha256.get(path)
    if (expected === undefined) continue
    out.push({
      compression,
      path,
      url: `dists/${suiteDir}/${path}`,
      byHashUrl: release.acquireByHash
        ? `dists/${suiteDir}/${dir}/by-hash/SHA256/${expected.sha256}`
        : undefined,
      expected,
      uncompressed,
    })
  }
  if (out.length === 0) {
    throw aptError('APT_NOT_IN_RELEASE', `the Release lists no ${base} index`, { path: base })
  }
  return out
}

/** Lower-case hex SHA256 of `bytes` (WebCrypto: available in Node 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  )
  let s = ''
  for (const b of digest) s += (b < 16 ? '0' : '') + b.toString(16)
  return s
}

/**
 * Checks downloaded bytes against their signed size and SHA256; call before parsing a byte.
 *
 * The size is compared first (cheap, and stops a wrong-length body before hashing it). Throws
 * APT_SIZE_MISMATCH or APT_HASH_MISMATCH.
 */
export async function verifyIndexBytes(bytes: Uint8Array, expected: FileHash): Promise<void> {
  if (bytes.byteLength !== expected.size) {
    throw aptError(
      'APT_SIZE_MISMATCH',
      `size ${bytes.byteLength} differs from the signed size ${expected.size}`,
      {
        size: bytes.byteLength,
        expectedSize: expected.size,
      },
    )
  }
  const got = await sha256Hex(bytes)
  if (got !== expected.sha256.toLowerCase()) {
    throw aptError('APT_HASH_MISMATCH', 'SHA256 differs from the signed hash', {
      sha256: got,
      expectedSha256: expected.sha256,
    })
  }
}

/** One binary package of a Packages index. */
export interface PackageEntry {
  readonly package: string
  readonly version: string
  readonly architecture: string
  /** Source package name (`Source:` field, or the package name when absent). */
  readonly source: string
  /** Source version (`Source: name (version)`, or the binary version when absent). */
  readonly sourceVersion: string
  /** Path of the .deb relative to the archive root. */
  readonly filename: string
  readonly size: number
  readonly sha256: string
}

/** One source package of a Sources index. */
export interface SourceEntry {
  readonly package: string
  readonly version: string
  /** Directory of the source files relative to the archive root. */
  readonly directory: string
  /** Checksums-Sha256 entries. */
  readonly files: readonly SourceFile[]
}

/** One file of a source package. */
export interface SourceFile {
  readonly name: string
  readonly size: number
  readonly sha256: string
}

// Field ids for the Packages/Sources fast path.
const F_PACKAGE = 1
const F_VERSION = 2
const F_ARCH = 4
const F_SOURCE = 8
const F_FILENAME = 16
const F_SIZE = 32
const F_SHA256 = 64
const F_DIRECTORY = 128
const F_CHECKSUMS = 256

/** Identifies the fields we read by length first, so the other fields cost one comparison. */
function fieldId(sc: ControlScanner): number {
  switch (sc.nameEnd - sc.nameStart) {
    case 4:
      return sc.nameIs('size') ? F_SIZE : 0
    case 6:
      return sc.nameIs('source') ? F_SOURCE : sc.nameIs('sha256') ? F_SHA256 : 0
    case 7:
      return sc.nameIs('package') ? F_PACKAGE : sc.nameIs('version') ? F_VERSION : 0
    case 8:
      return sc.nameIs('filename') ? F_FILENAME : 0
    case 9:
      return sc.nameIs('directory') ? F_DIRECTORY : 0
    case 12:
      return sc.nameIs('architecture') ? F_ARCH : 0
    case 16:
      return sc.nameIs('checksums-sha256') ? F_CHECKSUMS : 0
    default:
      return 0
  }
}

const PACKAGES_REQUIRED: readonly (readonly [number, string])[] = [
  [F_PACKAGE, 'Package'],
  [F_VERSION, 'Version'],
  [F_ARCH, 'Architecture'],
  [F_FILENAME, 'Filename'],
  [F_SIZE, 'Size'],
  [F_SHA256, 'SHA256'],
]

/**
 * Parses a (verified) Packages index, reading only Package, Version, Architecture, Source, Filename, Size and
 * SHA256 (Debian repository format, "Packages Indices").
 *
 * Every stanza must carry all of them except Source; versions must be valid Debian versions, sizes decimal,
 * hashes 64 hex digits, Filename a safe relative path. Throws APT_PARSE, APT_MISSING_FIELD or APT_BAD_FIELD
 * with the line number.
 */
export function parsePackages(text: string): PackageEntry[] {
  const out: PackageEntry[] = []
  forEachPackage(text, (p) => {
    out.push(p)
  })
  return out
}

/** The fields of the Packages stanza being read; one object reused for every stanza. */
interface PackageFields {
  pkg: string
  version: string
  arch: string
  source: string
  sourceVersion: string
  filename: string
  size: number
  sha256: string
}

/** Streams the entries of a Packages index to `onEntry` (same rules as parsePackages), without an array. */
export function forEachPackage(text: string, onEntry: (entry: PackageEntry) => void): void {
  const sc = new ControlScanner(text, { source: 'Packages' })
  let seen = 0
  const fields: PackageFields = {
    pkg: '',
    version: '',
    arch: '',
    source: '',
    sourceVersion: '',
    filename: '',
    size: 0,
    sha256: '',
  }
  for (;;) {
    const t = sc.next()
    if (t === ControlToken.Field) {
      const id = fieldId(sc)
      if (id === 0) continue
      if ((seen & id) !== 0) throw sc.error(`duplicate field "${sc.name()}"`)
      seen |= id
      if (sc.multiline) throw badValue(sc, 'must be a single line')
      // Directory / Checksums-Sha256 belong to Sources; ignored here.
      if (!readPackageField(sc, id, fields)) seen &= ~id
    } else if (t === ControlToken.EndOfStanza) {
      requireFields(seen, PACKAGES_REQUIRED, sc.stanzaLine, 'Packages')
      onEntry({
        package: fields.pkg,
        version: fields.version,
        architecture: fields.arch,
        source: (seen & F_SOURCE) !== 0 ? fields.source : fields.pkg,
        sourceVersion:
          (seen & F_SOURCE) !== 0 && fields.sourceVersion !== '' ? fields.sourceVersion : fields.version,
        filename: fields.filename,
        size: fields.size,
        sha256: fields.sha256,
      })
      seen = 0
      fields.sourceVersion = ''
    } else {
      return
    }
  }
}

/** Reads the scanner's current field into `fields` after checking its value; false for a field Packages ignores. */
function readPackageField(sc: ControlScanner, id: number, fields: PackageFields): boolean {
  const text = sc.text
  const vs = sc.valueStart
  const ve = sc.valueEnd
  switch (id) {
    case F_PACKAGE:
      fields.pkg = text.slice(vs, ve)
      return true
    case F_VERSION:
      fields.version = text.slice(vs, ve)
      if (!isValidDebianVersion(fields.version)) throw badValue(sc, 'is not a valid Debian version')
      return true
    case F_ARCH:
      fields.arch = text.slice(vs, ve)
      return true
    case F_SOURCE:
      readSourceField(sc, fields)
      return true
    case F_FILENAME:
      if (!isSafePathRange(text, vs, ve)) throw badValue(sc, 'is not a safe relative path')
      fields.filename = text.slice(vs, ve)
      return true
    case F_SIZE: {
      const n = parseSizeRange(text, vs, ve)
      if (n < 0) throw badValue(sc, 'is not a decimal size')
      fields.size = n
      return true
    }
    case F_SHA256: {
      const h = sha256Range(text, vs, ve)
      if (h === 0) throw badValue(sc, 'is not a SHA256 hex digest')
      fields.sha256 = h === 1 ? text.slice(vs, ve) : text.slice(vs, ve).toLowerCase()
      return true
    }
    default:
      return false
  }
}

/** `Source: name` or `Source: name (version)` (Debian Policy 5.6.1). */
function readSourceField(sc: ControlScanner, fields: PackageFields): void {
  const text = sc.text
  const vs = sc.valueStart
  const ve = sc.valueEnd
  const sp = text.indexOf(' ', vs)
  if (sp < 0 || sp >= ve) {
    fields.source = text.slice(vs, ve)
    return
  }
  fields.source = text.slice(vs, sp)
  const rest = text.slice(sp, ve).trim()
  if (rest.charCodeAt(0) !== 40 || rest.charCodeAt(rest.length - 1) !== 41) {
    throw badValue(sc, 'must be "name" or "name (version)"')
  }
  fields.sourceVersion = rest.slice(1, -1).trim()
  if (!isValidDebianVersion(fields.sourceVersion)) throw badValue(sc, 'has an invalid source version')
}

const SOURCES_REQUIRED: readonly (readonly [number, string])[] = [
  [F_PACKAGE, 'Package'],
  [F_VERSION, 'Version'],
  [F_DIRECTORY, 'Directory'],
  [F_CHECKSUMS, 'Checksums-Sha256'],
]

/**
 * Parses a (verified) Sources index: Package, Version, Directory and Checksums-Sha256 (Debian repository
 * format, "Sources Indices"). Throws APT_PARSE, APT_MISSING_FIELD or APT_BAD_FIELD with the line number.
 */
export function parseSources(text: string): SourceEntry[] {
  const sc = new ControlScanner(text, { source: 'Sources' })
  const out: SourceEntry[] = []
  let seen = 0
  let pkg = ''
  let version = ''
  let directory = ''
  let files: SourceFile[] = []
  for (;;) {
    const t = sc.next()
    if (t === ControlToken.Field) {
      const id = fieldId(sc)
      if (id !== F_PACKAGE && id !== F_VERSION && id !== F_DIRECTORY && id !== F_CHECKSUMS) continue
      if ((seen & id) !== 0) throw sc.error(`duplicate field "${sc.name()}"`)
      seen |= id
      if (id === F_CHECKSUMS) {
        files = parseChecksums(sc)
        continue
      }
      if (sc.multiline) throw badValue(sc, 'must be a single line')
      const v = text.slice(sc.valueStart, sc.valueEnd)
      if (id === F_PACKAGE) pkg = v
      else if (id === F_VERSION) {
        if (!isValidDebianVersion(v)) throw badValue(sc, 'is not a valid Debian version')
        version = v
      } else {
        if (!isSafeRelativePath(v)) throw badValue(sc, 'is not a safe relative path')
        directory = v
      }
    } else if (t === ControlToken.EndOfStanza) {
      requireFields(seen, SOURCES_REQUIRED, sc.stanzaLine, 'Sources')
      out.push({ package: pkg, version, directory, files })
      seen = 0
      files = []
    } else {
      return out
    }
  }
}

/** Checksums-Sha256 lines: `sha256 size name`, name a plain file name. */
function parseChecksums(sc: ControlScanner): SourceFile[] {
  const files: SourceFile[] = []
  const lines = sc.value().split('\n')
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? ''
    if (l === '') continue
    const parts = l.split(/[ \t]+/)
    const [hash, size, name] = parts
    const n = size === undefined ? undefined : parseSize(size)
    if (
      parts.length !== 3 ||
      hash === undefined ||
      !isSha256Hex(hash) ||
      n === undefined ||
      name === undefined
    ) {
      throw aptError('APT_BAD_FIELD', `Sources, line ${sc.line + i}: Checksums-Sha256 entry is malformed`, {
        line: sc.line + i,
        field: 'Checksums-Sha256',
      })
    }
    if (name.includes('/') || !isSafeRelativePath(name)) {
      throw aptError('APT_BAD_FIELD', `Sources, line ${sc.line + i}: file name is not a plain name`, {
        line: sc.line + i,
        field: 'Checksums-Sha256',
      })
    }
    files.push({ name, size: n, sha256: hash.toLowerCase() })
  }
  return files
}

function requireFields(
  seen: number,
  required: readonly (readonly [number, string])[],
  line: number,
  source: string,
): void {
  for (const [bit, name] of required) {
    if ((seen & bit) === 0) {
      throw aptError('APT_MISSING_FIELD', `${source}, stanza at line ${line}: no ${name} field`, {
        line,
        field: name,
      })
    }
  }
}

/** 0: not 64 hex digits; 1: lower-case hex; 2: hex with upper-case letters. */
function sha256Range(text: string, s: number, e: number): 0 | 1 | 2 {
  if (e - s !== 64) return 0
  let upper = false
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i)
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue
    if (c >= 65 && c <= 70) upper = true
    else return 0
  }
  return upper ? 2 : 1
}

/** A decimal size in text[s, e) (safe integer), or -1. */
function parseSizeRange(text: string, s: number, e: number): number {
  if (e <= s || e - s > 15) return -1
  let n = 0
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/** isSafeRelativePath on text[s, e) without slicing: no empty, '.' or '..' segment, no control/space/backslash. */
function isSafePathRange(text: string, s: number, e: number): boolean {
  if (e <= s || e - s > 4096) return false
  let segStart = s
  for (let i = s; i <= e; i++) {
    const c = i < e ? text.charCodeAt(i) : 47
    if (c === 47) {
      const n = i - segStart
      if (n === 0) return false
      if (n <= 2 && text.charCodeAt(segStart) === 46 && (n === 1 || text.charCodeAt(segStart + 1) === 46))
        return false
      segStart = i + 1
    } else if (c < 33 || c === 127 || c === 92) {
      return false
    }
  }
  return true
}

function badValue(sc: ControlScanner, why: string): Error {
  const field = sc.name()
  return aptError('APT_BAD_FIELD', `line ${sc.line}: ${field} ${why}`, { line: sc.line, field })
}
