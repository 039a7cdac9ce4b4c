/**
 * deb822 / Debian control-file parsing (Debian Policy 5.1 "Syntax of control files").
 *
 * Used for Release, Packages, Sources, dpkg status and deb822 `.sources` files. The scanner walks the string
 * with indexOf/charCodeAt and never builds a line array, so a 50 MB Packages index costs one pass and no
 * per-line garbage. Malformed input throws `CoreError('APT_PARSE')` with the 1-based line number; nothing else
 * is ever thrown for bad input.
 *
 * Accepted syntax: `Name: value` fields; continuation lines start with a space or a tab; stanzas are separated
 * by one or more empty lines (or lines of only spaces and tabs, which Policy 5.1 lets parsers accept); CRLF line
 * ends; `#` comment lines only when `allowComments` is set (debian/control and deb822 `.sources` allow them,
 * archive indexes do not). A field may appear at most once per stanza (Policy 5.1).
 */
import { aptError } from './errors'

/** Options for the control scanner. */
export interface ControlOptions {
  /** Skip lines starting with `#` (debian/control, deb822 `.sources`). Default false. */
  readonly allowComments?: boolean
  /** Name used in error messages, e.g. "Packages". */
  readonly source?: string
}

/** What `ControlScanner.next()` found. */
export const ControlToken = { Eof: 0, Field: 1, EndOfStanza: 2 } as const

/** One of the ControlToken values. */
export type ControlToken = (typeof ControlToken)[keyof typeof ControlToken]

/**
 * Low-level cursor over the fields of a control file.
 *
 * After `next()` returns `ControlToken.Field`, the `name*`/`value*` offsets describe the field in `text`:
 * `[valueStart, valueEnd)` spans from the first non-blank after the colon to the end of the last continuation
 * line (trailing blanks and the CR of CRLF excluded). `multiline` tells whether continuation lines follow.
 */
export class ControlScanner {
  nameStart = 0
  nameEnd = 0
  valueStart = 0
  valueEnd = 0
  /** Line (1-based) of the current field. */
  line = 0
  /** Line (1-based) where the current stanza started. */
  stanzaLine = 0
  multiline = false
  private pos = 0
  private lineNo = 1
  private inStanza = false
  private readonly allowComments: boolean
  private readonly source: string

  constructor(
    readonly text: string,
    options: ControlOptions = {},
  ) {
    this.allowComments = options.allowComments === true
    this.source = options.source ?? 'control data'
    // A UTF-8 byte order mark is not part of the first field name.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1
  }

  /** Advances to the next field, stanza end, or end of input. */
  next(): ControlToken {
    const text = this.text
    const len = text.length
    for (;;) {
      const pos = this.pos
      if (pos >= len) {
        if (this.inStanza) {
          this.inStanza = false
          return ControlToken.EndOfStanza
        }
        return ControlToken.Eof
      }
      let eol = text.indexOf('\n', pos)
      if (eol < 0) eol = len
      const c = text.charCodeAt(pos)
      if (c === 10 || c === 13 || c === 32 || c === 9) {
        if (isBlankLine(text, pos, eol)) {
          this.pos = eol + 1
          this.lineNo++
          if (this.inStanza) {
            this.inStanza = false
            return ControlToken.EndOfStanza
          }
          continue
        }
        throw this.error('continuation line without a field before it', this.lineNo)
      }
      if (c === 35 && this.allowComments) {
        this.pos = eol + 1
        this.lineNo++
        continue
      }
      let lineEnd = eol
      if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
      const colon = this.fieldColon(pos, lineEnd)
      if (!this.inStanza) {
        this.inStanza = true
        this.stanzaLine = this.lineNo
      }
      this.nameStart = pos
      this.nameEnd = colon
      this.line = this.lineNo
      let vs = colon + 1
      while (vs < lineEnd && isBlank(text.charCodeAt(vs))) vs++
      let ve = lineEnd
      while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--
      this.valueStart = vs
      this.valueEnd = ve
      this.multiline = false
      this.lineNo++
      this.pos = this.readContinuation(eol + 1)
      if (this.valueEnd < vs) this.valueEnd = vs
      return ControlToken.Field
    }
  }

  /**
   * The colon ending the field name of the line at `pos` (its first character is not blank), after checking the
   * name: Policy 5.1, printable US-ASCII except space and colon, not starting with '#' or '-'.
   */
  private fieldColon(pos: number, lineEnd: number): number {
    const text = this.text
    const colon = text.indexOf(':', pos)
    if (colon < 0 || colon >= lineEnd) throw this.error('line is not a "Field: value" line', this.lineNo)
    if (colon === pos) throw this.error('empty field name', this.lineNo)
    for (let i = pos; i < colon; i++) {
      const n = text.charCodeAt(i)
      if (n < 33 || n > 126) throw this.error('invalid character in field name', this.lineNo)
    }
    if (text.charCodeAt(pos) === 45) throw this.error('field name starts with "-"', this.lineNo)
    return colon
  }

  /**
   * Reads the continuation lines from `pos` (they start with a space or a tab and are not blank), moving
   * `valueEnd` to the end of the last one and setting `multiline`; returns the position after them.
   */
  private readContinuation(pos: number): number {
    const text = this.text
    const len = text.length
    while (pos < len) {
      const d = text.charCodeAt(pos)
      if (d !== 32 && d !== 9) {
        if (d === 35 && this.allowComments) {
          const e = text.indexOf('\n', pos)
          pos = e < 0 ? len : e + 1
          this.lineNo++
          continue
        }
        break
      }
      let e = text.indexOf('\n', pos)
      if (e < 0) e = len
      if (isBlankLine(text, pos, e)) break
      let le = e
      if (text.charCodeAt(le - 1) === 13) le--
      while (le > pos && isBlank(text.charCodeAt(le - 1))) le--
      this.valueEnd = le
      this.multiline = true
      this.lineNo++
      pos = e + 1
    }
    return pos
  }

  /** The current field's name, as written. */
  name(): string {
    return this.text.slice(this.nameStart, this.nameEnd)
  }

  /** True when the current field's name equals `lower` (an all-lower-case name), ASCII case-insensitively. */
  nameIs(lower: string): boolean {
    const n = lower.length
    if (this.nameEnd - this.nameStart !== n) return false
    const text = this.text
    const s = this.nameStart
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(s + i)
      if (c >= 65 && c <= 90) c |= 0x20
      if (c !== lower.charCodeAt(i)) return false
    }
    return true
  }

  /**
   * The current field's value.
   *
   * Single-line values are returned as written (trimmed). For multi-line values every line is trimmed and the
   * lines are joined with '\n'; the first element is the text after the colon ('' for list fields such as
   * `SHA256:` or `Checksums-Sha256:`).
   */
  value(): string {
    const raw = this.text.slice(this.valueStart, this.valueEnd)
    if (!this.multiline) return raw
    const lines = raw.split('\n')
    const out: string[] = []
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? ''
      // Comment lines between continuation lines (allowComments) start at column 0; continuations never do.
      if (i > 0 && l.charCodeAt(0) === 35) continue
      out.push(l.trim())
    }
    return out.join('\n')
  }

  /** A coded parse error at `line`. */
  error(message: string, line: number = this.line): Error {
    return aptError('APT_PARSE', `${this.source}, line ${line}: ${message}`, { line, source: this.source })
  }
}

/** One field of a parsed stanza. */
export interface ControlField {
  /** The name as written (case preserved). */
  readonly name: string
  readonly value: string
  readonly line: number
}

/** One stanza (paragraph) of a control file; field lookup is case-insensitive (Policy 5.1). */
export class ControlStanza {
  constructor(
    /** 1-based line where the stanza starts. */
    readonly line: number,
    /** Fields by lower-cased name, in file order. */
    readonly fields: ReadonlyMap<string, ControlField>,
  ) {}

  /** The value of field `name` (any case), or undefined. */
  get(name: string): string | undefined {
    return this.fields.get(name.toLowerCase())?.value
  }

  /** The field `name` (any case), or undefined. */
  field(name: string): ControlField | undefined {
    return this.fields.get(name.toLowerCase())
  }
}

/** Iterates over the stanzas of a control file. Throws APT_PARSE on malformed input or duplicate fields. */
export function* iterateStanzas(text: string, options: ControlOptions = {}): Generator<ControlStanza> {
  const sc = new ControlScanner(text, options)
  let fields = new Map<string, ControlField>()
  for (;;) {
    const t = sc.next()
    if (t === ControlToken.Field) {
      const name = sc.name()
      const key = name.toLowerCase()
      if (fields.has(key)) throw sc.error(`duplicate field "${name}"`)
      fields.set(key, { name, value: sc.value(), line: sc.line })
    } else if (t === ControlToken.EndOfStanza) {
      yield new ControlStanza(sc.stanzaLine, fields)
      fields = new Map()
    } else {
      return
    }
  }
}

/** Parses every stanza of a control file. */
export function parseControl(text: string, options: ControlOptions = {}): ControlStanza[] {
  return [...iterateStanzas(text, options)]
}

/** Parses a control file that must hold exactly one stanza (a Release file). Throws APT_PARSE otherwise. */
export function parseSingleStanza(text: string, options: ControlOptions = {}): ControlStanza {
  const it = iterateStanzas(text, options)
  const first = it.next()
  if (first.done === true) throw aptError('APT_PARSE', `${options.source ?? 'control data'}: no fields`)
  const second = it.next()
  if (second.done !== true) {
    throw aptError(
      'APT_PARSE',
      `${options.source ?? 'control data'}, line ${second.value.line}: more than one stanza`,
      {
        line: second.value.line,
      },
    )
  }
  return first.value
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9
}

/** True when text[start, end) holds only spaces, tabs and a CR. */
function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}
