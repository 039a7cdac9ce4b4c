/**
 * The compact form of a verified Packages index: what the assessment and the evidence chain need of each binary
 * package (name, architecture, version, source, source version) and nothing else, one line per package.
 *
 * A full noble `universe/binary-amd64/Packages` is about 70 MB of stanzas; its compact form is about 3 MB. It is
 * built while the index is decompressed (`CompactIndexBuilder` takes the text in chunks and parses whole stanzas
 * as they complete), so an index never sits in memory as one string, and it is stored once per signed hash
 * (`IndexStore` in `main/core/ports.ts`), however many mirrors serve the same index.
 *
 * Format (UTF-8): a header line `lifeline-compact-index/1<TAB><count>`, then `count` lines
 * `name<TAB>arch<TAB>version[<TAB>source[<TAB>sourceVersion]]`, source fields left out when they equal the
 * binary's (Debian Policy 5.6.1: `Source` is omitted when it equals `Package`).
 */
import { CoreError } from '../errors'
import { aptError } from './errors'
import { forEachPackage, sha256Hex } from './indexes'
import type { PackageEntry } from './indexes'

/** First field of the header line; a different one is not a piece this version can read. */
export const COMPACT_INDEX_MAGIC = 'lifeline-compact-index/1'

/**
 * One binary package of a verified Packages index: `[package, architecture, version, source?, sourceVersion?]`.
 * Source fields are left out when they equal the binary's name / version.
 */
export type PackageTuple =
  | readonly [name: string, arch: string, version: string]
  | readonly [name: string, arch: string, version: string, source: string]
  | readonly [name: string, arch: string, version: string, source: string, sourceVersion: string]

/** A finished compact piece: its bytes, how many packages it lists, and its own SHA256 (checked on every read). */
export interface CompactPiece {
  readonly bytes: Uint8Array
  readonly entries: number
  readonly sha256: string
}

/** The compact tuple of a parsed package, leaving out source fields equal to the binary's. */
export function packageTuple(p: PackageEntry): PackageTuple {
  if (p.sourceVersion !== p.version) return [p.package, p.architecture, p.version, p.source, p.sourceVersion]
  if (p.source !== p.package) return [p.package, p.architecture, p.version, p.source]
  return [p.package, p.architecture, p.version]
}

/** Whether `s` could break the line format (a tab or a line end inside a field). */
function hasSeparator(s: string): boolean {
  return s.includes('\t') || s.includes('\n') || s.includes('\r')
}

/**
 * Builds a compact piece from a Packages index handed over in chunks (bytes or text), in order.
 *
 * Stanzas are parsed with `forEachPackage` (the same rules as a whole index) as soon as a blank line closes
 * them; only the unfinished stanza is kept between chunks. A compact form over `maxBytes` throws
 * APT_STATE_CAP: the index verified but is larger than Lifeline keeps (`Limits.size.compactIndexBytes`).
 */
export class CompactIndexBuilder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private pending = ''
  private readonly lines: string[] = []
  private size = 0

  constructor(
    private readonly maxBytes: number,
    private readonly label = 'Packages',
  ) {}

  /** Adds decompressed bytes (UTF-8 split anywhere, even inside a character). */
  pushBytes(chunk: Uint8Array): void {
    let text: string
    try {
      text = this.decoder.decode(chunk, { stream: true })
    } catch {
      throw aptError('APT_PARSE', `${this.label} is not valid UTF-8`)
    }
    this.pushText(text)
  }

  /** Adds text. */
  pushText(text: string): void {
    // A stanza ends at an empty line; cutting right after one hands the parser whole stanzas only. Lines of only
    // blanks also end a stanza (Policy 5.1) but are not cut on: such an index is parsed at the end, still correct.
    // Only the new text (and the two characters before it) is searched, so the cost stays linear in the input.
    const keep = Math.min(2, this.pending.length)
    const region = this.pending.slice(this.pending.length - keep) + text
    const lf = region.lastIndexOf('\n\n')
    const crlf = region.lastIndexOf('\n\r\n')
    const cutInRegion = Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 3)
    const buf = this.pending + text
    if (cutInRegion < 0) {
      this.pending = buf
      return
    }
    const cut = this.pending.length - keep + cutInRegion
    this.parse(buf.slice(0, cut))
    this.pending = buf.slice(cut)
  }

  /** Parses what is left and returns the piece. */
  async finish(): Promise<CompactPiece> {
    let rest: string
    try {
      rest = this.decoder.decode()
    } catch {
      throw aptError('APT_PARSE', `${this.label} is not valid UTF-8`)
    }
    this.parse(this.pending + rest)
    this.pending = ''
    const bytes = encodeCompactLines(this.lines)
    return { bytes, entries: this.lines.length, sha256: await sha256Hex(bytes) }
  }

  private parse(text: string): void {
    if (text === '') return
    forEachPackage(text, (p) => {
      const t = packageTuple(p)
      if (t.some(hasSeparator)) {
        throw aptError('APT_BAD_FIELD', `${this.label}: ${p.package}: a field holds a tab or line break`, {
          field: 'Package',
        })
      }
      const line = t.join('\t')
      this.size += line.length + 1
      if (this.size > this.maxBytes) {
        throw aptError(
          'APT_STATE_CAP',
          `${this.label} lists more packages than Lifeline keeps (compact form over ${this.maxBytes} bytes)`,
          { maxBytes: this.maxBytes },
        )
      }
      this.lines.push(line)
    })
  }
}

function encodeCompactLines(lines: readonly string[]): Uint8Array {
  const head = `${COMPACT_INDEX_MAGIC}\t${lines.length}\n`
  return new TextEncoder().encode(lines.length === 0 ? head : `${head}${lines.join('\n')}\n`)
}

/** The compact piece of tuples already parsed (the migration of state saved by older versions). */
export async function compactPieceOf(tuples: readonly PackageTuple[]): Promise<CompactPiece> {
  const lines: string[] = []
  for (const t of tuples) {
    // Read back from JSON: check the shape before trusting it to be strings.
    if (!Array.isArray(t) || t.length < 3 || t.length > 5 || t.some((f) => typeof f !== 'string')) {
      throw aptError('APT_BAD_FIELD', 'a saved package entry is not 3 to 5 strings')
    }
    if (t.some(hasSeparator)) throw aptError('APT_BAD_FIELD', `${t[0]}: a field holds a tab or line break`)
    lines.push(t.join('\t'))
  }
  const bytes = encodeCompactLines(lines)
  return { bytes, entries: lines.length, sha256: await sha256Hex(bytes) }
}

/**
 * Reads a compact piece, keeping only packages `keep` accepts (all when undefined). The bytes must hash to
 * `expectedSha256` (the value recorded when the piece was written) and list exactly the count of their header:
 * anything else throws STATE_CORRUPT_PIECE, and the caller drops only this piece.
 */
export async function readCompactPiece(
  bytes: Uint8Array,
  expectedSha256: string,
  keep?: (name: string) => boolean,
): Promise<PackageTuple[]> {
  const corrupt = (why: string) =>
    new CoreError('STATE_CORRUPT_PIECE', `saved package list is damaged: ${why}`, { expectedSha256 })
  if ((await sha256Hex(bytes)) !== expectedSha256) throw corrupt('its SHA256 differs from the recorded one')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw corrupt('not UTF-8')
  }
  const headEnd = text.indexOf('\n')
  const head = headEnd < 0 ? '' : text.slice(0, headEnd)
  const [magic, countText] = head.split('\t')
  const count = Number(countText)
  if (magic !== COMPACT_INDEX_MAGIC || !Number.isSafeInteger(count) || count < 0) throw corrupt('bad header')
  const out: PackageTuple[] = []
  let seen = 0
  let pos = headEnd + 1
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos)
    if (eol < 0) throw corrupt('last line not terminated')
    const tab = text.indexOf('\t', pos)
    if (tab < 0 || tab > eol) throw corrupt(`line ${seen + 2} has no fields`)
    seen++
    if (keep === undefined || keep(text.slice(pos, tab))) {
      const f = text.slice(pos, eol).split('\t')
      if (f.length < 3 || f.length > 5) throw corrupt(`line ${seen + 1} has ${f.length} fields`)
      out.push(f as unknown as PackageTuple)
    }
    pos = eol + 1
  }
  if (seen !== count) throw corrupt(`${seen} lines where the header says ${count}`)
  return out
}
