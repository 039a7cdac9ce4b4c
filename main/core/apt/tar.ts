/**
 * A minimal, bounded tar reader: enough to pull `debian/changelog` out of a (decompressed) `.debian.tar.xz`.
 *
 * Formats (POSIX.1-2001 ustar and pax, GNU tar): 512-byte headers; name (100 bytes) + ustar prefix (155);
 * octal sizes or GNU base-256 sizes; pax extended headers (`x`, typeflag 'x': "len key=value\n" records for
 * `path` and `size`); GNU long names (typeflag 'L'). Header checksums are verified. Only regular files are
 * returned: a symlink or hard link named like the member is refused, never followed.
 */
import { Limits } from '../limits'
import { aptError } from './errors'

const BLOCK = 512

/**
 * Returns the bytes of the regular file `memberPath` (a leading `./` is ignored on both sides).
 *
 * Throws APT_BAD_TAR (malformed or truncated archive, bad checksum), APT_TOO_LARGE (member over `maxBytes`)
 * or APT_TAR_MEMBER_NOT_FOUND (absent, or not a regular file).
 */
export function extractTarMember(tar: Uint8Array, memberPath: string, maxBytes: number): Uint8Array {
  const want = normalize(memberPath)
  return extractTarMemberWhere(tar, (path) => path === want, memberPath, maxBytes)
}

/**
 * Returns the bytes of the first regular file whose normalised path (no leading `./`) satisfies `matches`; `what`
 * names it in errors. The same codes as `extractTarMember`.
 */
export function extractTarMemberWhere(
  tar: Uint8Array,
  matches: (path: string) => boolean,
  what: string,
  maxBytes: number,
): Uint8Array {
  const memberPath = what
  for (const m of iterateTar(tar, (path) => matches(normalize(path)))) {
    if (!matches(normalize(m.path))) continue
    if (m.type !== 'file') {
      throw aptError('APT_TAR_MEMBER_NOT_FOUND', `${memberPath} is not a regular file in the archive`, {
        path: memberPath,
      })
    }
    if (m.data.byteLength > maxBytes) {
      throw aptError('APT_TOO_LARGE', `${memberPath} is larger than ${maxBytes} bytes`, {
        size: m.data.byteLength,
      })
    }
    return m.data
  }
  throw aptError('APT_TAR_MEMBER_NOT_FOUND', `${memberPath} is not in the archive`, { path: memberPath })
}

/** Lists the paths and types of every member (regular files, directories, links, others). */
export function listTar(tar: Uint8Array): { path: string; type: TarEntryType }[] {
  return [...iterateTar(tar, () => false)].map((m) => ({ path: m.path, type: m.type }))
}

/** What a tar entry is. */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'

interface RawEntry {
  readonly path: string
  readonly type: TarEntryType
  readonly data: Uint8Array
}

/**
 * Walks the archive. Members for which `wantData` returns true are yielded with their data; every member is
 * yielded (so listTar sees all), but extractTarMember stops at the first match.
 */
function* iterateTar(tar: Uint8Array, wantData: (path: string) => boolean): Generator<RawEntry> {
  let off = 0
  let entries = 0
  let longName: string | undefined
  let paxPath: string | undefined
  let paxSize: number | undefined
  const dec = new TextDecoder('utf-8', { fatal: false })
  while (off + BLOCK <= tar.byteLength) {
    const h = tar.subarray(off, off + BLOCK)
    if (isZeroBlock(h)) return // end-of-archive marker (two zero blocks; one is enough to stop)
    if (++entries > Limits.apt.tarMaxEntries) throw badTar('too many entries', off)
    verifyChecksum(h, off)
    const typeflag = h[156] ?? 0
    let size = readNumber(h, 124, 12, off)
    if (paxSize !== undefined && typeflag !== 0x78 && typeflag !== 0x67 && typeflag !== 0x4c) size = paxSize
    const dataStart = off + BLOCK
    const dataEnd = dataStart + size
    if (dataEnd > tar.byteLength) throw badTar('member extends past the end of the archive', off)
    const data = tar.subarray(dataStart, dataEnd)
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK
    switch (typeflag) {
      case 0x78: {
        // 'x': pax extended header for the next entry.
        if (size > Limits.apt.paxHeaderBytes) throw badTar('pax header too large', off)
        const rec = parsePax(dec.decode(data), off)
        paxPath = rec.path ?? paxPath
        paxSize = rec.size ?? paxSize
        continue
      }
      case 0x67: // 'g': global pax header; its defaults do not name members we look for.
        continue
      case 0x4c: {
        // 'L': GNU long name of the next entry.
        if (size > Limits.apt.paxHeaderBytes) throw badTar('long name too large', off)
        longName = cString(dec, data, 0, data.byteLength)
        continue
      }
      default:
        break
    }
    let path = paxPath ?? longName
    if (path === undefined) {
      const name = cString(dec, h, 0, 100)
      const magic = cString(dec, h, 257, 6)
      const prefix = magic === 'ustar' ? cString(dec, h, 345, 155) : ''
      path = prefix !== '' ? `${prefix}/${name}` : name
    }
    paxPath = undefined
    paxSize = undefined
    longName = undefined
    const type: TarEntryType =
      typeflag === 0x30 || typeflag === 0 || typeflag === 0x37
        ? 'file'
        : typeflag === 0x35
          ? 'directory'
          : typeflag === 0x32
            ? 'symlink'
            : typeflag === 0x31
              ? 'hardlink'
              : 'other'
    if (wantData(path)) {
      yield { path, type, data: type === 'file' ? data : new Uint8Array(0) }
      return
    }
    yield { path, type, data: new Uint8Array(0) }
  }
  if (off < tar.byteLength) throw badTar('truncated header', off)
}

function normalize(p: string): string {
  let s = p
  while (s.startsWith('./')) s = s.slice(2)
  return s
}

function isZeroBlock(h: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false
  return true
}

/** ustar chksum: sum of all header bytes with the chksum field (148..155) taken as spaces. */
function verifyChecksum(h: Uint8Array, off: number): void {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0)
  const stored = readNumber(h, 148, 8, off)
  if (stored !== sum) throw badTar('header checksum mismatch', off)
}

/** An octal field (NUL/space padded) or a GNU base-256 field (high bit of the first byte set). */
function readNumber(h: Uint8Array, start: number, len: number, off: number): number {
  const first = h[start] ?? 0
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) throw badTar('negative number', off)
    let n = first & 0x3f
    for (let i = 1; i < len; i++) {
      n = n * 256 + (h[start + i] ?? 0)
      if (n > Number.MAX_SAFE_INTEGER) throw badTar('number too large', off)
    }
    return n
  }
  let n = 0
  let digits = 0
  let i = start
  const end = start + len
  while (i < end && (h[i] === 32 || h[i] === 0)) i++
  for (; i < end; i++) {
    const c = h[i] ?? 0
    if (c === 0 || c === 32) break
    if (c < 48 || c > 55) throw badTar('invalid octal number', off)
    n = n * 8 + (c - 48)
    digits++
  }
  if (digits === 0) throw badTar('empty number field', off)
  return n
}

function cString(dec: { decode(b: Uint8Array): string }, b: Uint8Array, start: number, len: number): string {
  let end = start
  while (end < start + len && b[end] !== 0) end++
  return dec.decode(b.subarray(start, end))
}

/** pax records: "<len> <key>=<value>\n", len counting the whole record (POSIX.1-2001 pax format). */
function parsePax(text: string, off: number): { path?: string | undefined; size?: number | undefined } {
  let path: string | undefined
  let size: number | undefined
  let i = 0
  while (i < text.length) {
    const sp = text.indexOf(' ', i)
    if (sp < 0) throw badTar('malformed pax record', off)
    const len = Number(text.slice(i, sp))
    if (!Number.isInteger(len) || len <= sp - i + 1 || i + len > text.length)
      throw badTar('malformed pax record', off)
    const rec = text.slice(sp + 1, i + len - 1)
    const eq = rec.indexOf('=')
    if (eq < 0 || text.charCodeAt(i + len - 1) !== 10) throw badTar('malformed pax record', off)
    const key = rec.slice(0, eq)
    const value = rec.slice(eq + 1)
    if (key === 'path') path = value
    else if (key === 'size') {
      if (!/^\d{1,15}$/.test(value)) throw badTar('malformed pax size', off)
      size = Number(value)
    }
    i += len
  }
  return { path, size }
}

function badTar(why: string, off: number): Error {
  return aptError('APT_BAD_TAR', `tar archive: ${why} (offset ${off})`, { offset: off })
}
