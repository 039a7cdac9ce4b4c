/**
 * apt source lists in both formats (sources.list(5)): which mirrors, suites and components this machine uses.
 *
 * Malformed lines and stanzas are reported as `SourceProblem`s with file and line, and the rest is still read,
 * as apt users expect from `apt update` warnings. Nothing here throws on bad input except `SYS_TOO_LARGE`.
 */
import { Limits } from '../limits'
import type { AptSourceEntry, SignedBy, SourceProblem, SourcesParseResult, SystemErrorCode } from './types'
import { systemError } from './types'

/** RFC 3986 scheme, which is all apt requires before handing the URI to a method (`mirror+file`, `tor+https`...). */
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

function checkSize(text: string, file: string): void {
  if (text.length > Limits.system.smallFileBytes) {
    throw systemError('SYS_TOO_LARGE', `${file} is larger than allowed`, {
      file,
      max: Limits.system.smallFileBytes,
    })
  }
}

function splitList(value: string): string[] {
  return value.split(',').filter((s) => s.length > 0)
}

/**
 * Splits a one-line entry into words, keeping `[ ... ]` and `"..."` groups together.
 *
 * apt's ParseQuoteWord treats brackets and double quotes as grouping, which is what lets `cdrom:[Ubuntu 22.04 LTS
 * _Jammy Jellyfish_]/` hold spaces. Returns undefined for an unterminated group.
 */
function words(line: string): string[] | undefined {
  const out: string[] = []
  let i = 0
  const n = line.length
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++
    if (i >= n) break
    let w = ''
    while (i < n && line[i] !== ' ' && line[i] !== '\t') {
      const c = line[i] as string
      if (c === '[' || c === '"') {
        const close = c === '[' ? ']' : '"'
        const end = line.indexOf(close, i + 1)
        if (end === -1) return undefined
        w += line.slice(i, end + 1)
        i = end + 1
        continue
      }
      w += c
      i++
    }
    out.push(w)
  }
  return out
}

interface OneLineOptions {
  architectures?: string[]
  signedBy?: SignedBy
  trusted: boolean
}

/**
 * Parses the inside of `[ option=value ... ]` (sources.list(5), "ONE-LINE-STYLE FORMAT").
 *
 * Options apt knows but Lifeline does not need (lang, target, by-hash...) are accepted and ignored; `arch+=` and
 * `arch-=` adjust apt's default list, which is not known here, so only `arch=` sets `architectures`.
 */
function parseOptions(inner: string): OneLineOptions | string {
  const opts: OneLineOptions = { trusted: false }
  for (const part of inner.split(/\s+/).filter((s) => s.length > 0)) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)([+-]?=)(.*)$/.exec(part)
    if (!m) return `option "${part}" is not name=value`
    const name = (m[1] as string).toLowerCase()
    const op = m[2] as string
    const value = m[3] as string
    if (op !== '=') continue
    if (name === 'arch') opts.architectures = splitList(value)
    else if (name === 'signed-by') opts.signedBy = { kind: 'keyrings', values: splitList(value) }
    else if (name === 'trusted') {
      if (value !== 'yes' && value !== 'no') return `trusted must be yes or no, not "${value}"`
      opts.trusted = value === 'yes'
    }
  }
  return opts
}

/**
 * Parses a one-line-style sources file (`sources.list`, `sources.list.d/*.list`).
 *
 * Everything from `#` to the end of a line is a comment, as apt strips it. Each valid line gives one entry.
 */
export function parseSourcesList(text: string, file: string): SourcesParseResult {
  checkSize(text, file)
  const entries: AptSourceEntry[] = []
  const problems: SourceProblem[] = []
  const lines = text.split('\n')
  const problem = (line: number, code: SystemErrorCode, message: string): void => {
    problems.push({ file, line, code, message })
  }
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1
    let line = (lines[idx] as string).replace(/\r$/, '')
    const hash = line.indexOf('#')
    if (hash !== -1) line = line.slice(0, hash)
    if (line.trim() === '') continue
    const ws = words(line)
    if (ws === undefined) {
      problem(lineNo, 'SYS_SOURCES_BAD_OPTIONS', 'unterminated "[" or quote')
      continue
    }
    const type = ws[0] as string
    if (type !== 'deb' && type !== 'deb-src') {
      problem(lineNo, 'SYS_SOURCES_BAD_TYPE', `unknown type "${type}" (expected deb or deb-src)`)
      continue
    }
    let at = 1
    let opts: OneLineOptions = { trusted: false }
    const maybeOpts = ws[1]
    if (maybeOpts !== undefined && maybeOpts.startsWith('[')) {
      if (!maybeOpts.endsWith(']')) {
        problem(lineNo, 'SYS_SOURCES_BAD_OPTIONS', 'option block does not end with "]"')
        continue
      }
      const parsed = parseOptions(maybeOpts.slice(1, -1))
      if (typeof parsed === 'string') {
        problem(lineNo, 'SYS_SOURCES_BAD_OPTIONS', parsed)
        continue
      }
      opts = parsed
      at = 2
    }
    const uri = ws[at]
    const suite = ws[at + 1]
    const components = ws.slice(at + 2)
    if (uri === undefined || suite === undefined) {
      problem(lineNo, 'SYS_SOURCES_MISSING_FIELD', uri === undefined ? 'no URI' : 'no suite')
      continue
    }
    if (!URI_SCHEME.test(uri)) {
      problem(lineNo, 'SYS_SOURCES_BAD_URI', `"${uri}" is not a URI`)
      continue
    }
    // sources.list(5): a suite ending in "/" is an exact path (flat repository) and takes no components;
    // otherwise at least one component is required.
    if (suite.endsWith('/') ? components.length > 0 : components.length === 0) {
      problem(
        lineNo,
        'SYS_SOURCES_MISSING_FIELD',
        suite.endsWith('/') ? 'a flat suite (ending in "/") takes no components' : 'no component',
      )
      continue
    }
    entries.push({
      file,
      line: lineNo,
      format: 'one-line',
      type,
      uri,
      suite,
      components,
      architectures: opts.architectures,
      signedBy: opts.signedBy,
      trusted: opts.trusted,
      enabled: true,
    })
  }
  return { entries, problems }
}

interface Stanza {
  readonly line: number
  /** Lower-cased field name → value (continuation lines joined with "\n", first-line value first). */
  readonly fields: Map<string, { value: string; line: number }>
  bad?: { line: number; message: string }
}

/** Reads a deb822 file into stanzas (Debian Policy 5.1: fields, continuation lines, blank-line separation). */
function stanzas(text: string): Stanza[] {
  const out: Stanza[] = []
  let cur: Stanza | undefined
  let last: { value: string; line: number } | undefined
  const lines = text.split('\n')
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1
    const line = (lines[idx] as string).replace(/\r$/, '')
    if (line.startsWith('#')) continue
    if (line.trim() === '') {
      if (cur) out.push(cur)
      cur = undefined
      last = undefined
      continue
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (!cur || !last) {
        cur ??= { line: lineNo, fields: new Map() }
        cur.bad ??= { line: lineNo, message: 'continuation line without a field' }
        continue
      }
      last.value += '\n' + line
      continue
    }
    cur ??= { line: lineNo, fields: new Map() }
    const colon = line.indexOf(':')
    if (colon <= 0) {
      cur.bad ??= { line: lineNo, message: 'line is not a "Field: value" line' }
      last = undefined
      continue
    }
    last = { value: line.slice(colon + 1), line: lineNo }
    cur.fields.set(line.slice(0, colon).trim().toLowerCase(), last)
  }
  if (cur) out.push(cur)
  return out
}

const ARMOR_BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----'

/**
 * Reads a deb822 Signed-By value: key paths / fingerprints, or an embedded key (sources.list(5), "Signed-By").
 *
 * An embedded key is a multi-line field: each continuation line loses its one leading space and a line of a
 * single "." stands for an empty line (Debian Policy 5.1).
 */
function signedByValue(raw: string): SignedBy {
  if (raw.includes(ARMOR_BEGIN)) {
    const lines = raw.split('\n').map((l, i) => {
      if (i === 0) return l.trim()
      const body = l.replace(/^[ \t]/, '')
      return body.trim() === '.' ? '' : body.trimEnd()
    })
    while (lines[0] === '') lines.shift()
    return { kind: 'inline', armored: lines.join('\n') + '\n' }
  }
  return { kind: 'keyrings', values: raw.split(/[\s,]+/).filter((s) => s.length > 0) }
}

function yesNo(v: string | undefined): boolean | undefined | 'bad' {
  if (v === undefined) return undefined
  const t = v.trim().toLowerCase()
  if (t === 'yes') return true
  if (t === 'no') return false
  return 'bad'
}

/** The whitespace-separated words of a stanza's field (none when it is absent). */
function fieldWords(st: Stanza, name: string): string[] {
  return (st.fields.get(name)?.value ?? '').split(/\s+/).filter((s) => s.length > 0)
}

/** A problem at the line of field `name`, or of the stanza when the field is absent. */
function problemAt(
  st: Stanza,
  file: string,
  name: string,
  code: SourceProblem['code'],
  message: string,
): SourceProblem {
  return { file, line: st.fields.get(name)?.line ?? st.line, code, message }
}

/** The first problem of a stanza's Types, URIs and Suites (a malformed line, a missing field, a bad value). */
function requiredFieldsProblem(st: Stanza, file: string): SourceProblem | undefined {
  if (st.bad) return { file, line: st.bad.line, code: 'SYS_SOURCES_SYNTAX', message: st.bad.message }
  const types = fieldWords(st, 'types')
  const uris = fieldWords(st, 'uris')
  const suites = fieldWords(st, 'suites')
  const missing =
    types.length === 0 ? 'Types' : uris.length === 0 ? 'URIs' : suites.length === 0 ? 'Suites' : ''
  if (missing !== '') {
    return { file, line: st.line, code: 'SYS_SOURCES_MISSING_FIELD', message: `stanza without ${missing}` }
  }
  const badType = types.find((t) => t !== 'deb' && t !== 'deb-src')
  if (badType !== undefined) {
    const message = `unknown type "${badType}" (expected deb or deb-src)`
    return problemAt(st, file, 'types', 'SYS_SOURCES_BAD_TYPE', message)
  }
  const badUri = uris.find((u) => !URI_SCHEME.test(u))
  if (badUri !== undefined)
    return problemAt(st, file, 'uris', 'SYS_SOURCES_BAD_URI', `"${badUri}" is not a URI`)
  return undefined
}

/** The first problem of a stanza's options: Enabled and Trusted are yes or no; Components match the suites. */
function optionsProblem(st: Stanza, file: string): SourceProblem | undefined {
  for (const [name, label] of [
    ['enabled', 'Enabled'],
    ['trusted', 'Trusted'],
  ] as const) {
    if (yesNo(st.fields.get(name)?.value) === 'bad') {
      return problemAt(st, file, name, 'SYS_SOURCES_BAD_OPTIONS', `${label} must be yes or no`)
    }
  }
  const suites = fieldWords(st, 'suites')
  const components = fieldWords(st, 'components')
  const flatWithComponents = suites.some((s) => s.endsWith('/')) && components.length > 0
  const needsComponents = suites.some((s) => !s.endsWith('/')) && components.length === 0
  if (!flatWithComponents && !needsComponents) return undefined
  return {
    file,
    line: st.line,
    code: 'SYS_SOURCES_MISSING_FIELD',
    message: flatWithComponents
      ? 'a flat suite (ending in "/") takes no Components'
      : 'stanza without Components',
  }
}

/** The entries of a valid stanza: one per type × URI × suite. */
function stanzaEntries(st: Stanza, file: string): AptSourceEntry[] {
  const components = fieldWords(st, 'components')
  const arches = fieldWords(st, 'architectures')
  const signedRaw = st.fields.get('signed-by')?.value
  const enabled = yesNo(st.fields.get('enabled')?.value)
  const trusted = yesNo(st.fields.get('trusted')?.value)
  const entries: AptSourceEntry[] = []
  for (const type of fieldWords(st, 'types') as ('deb' | 'deb-src')[]) {
    for (const uri of fieldWords(st, 'uris')) {
      for (const suite of fieldWords(st, 'suites')) {
        entries.push({
          file,
          line: st.line,
          format: 'deb822',
          type,
          uri,
          suite,
          components: suite.endsWith('/') ? [] : components,
          architectures: arches.length > 0 ? arches : undefined,
          signedBy: signedRaw === undefined ? undefined : signedByValue(signedRaw),
          trusted: trusted === true,
          enabled: enabled !== false,
        })
      }
    }
  }
  return entries
}

/**
 * Parses a deb822-style sources file (`sources.list.d/*.sources`).
 *
 * One entry per type × URI × suite. A stanza with a malformed line, a missing Types/URIs/Suites field or an
 * unknown type is reported with the stanza's line and skipped (apt refuses such a stanza too); the other
 * stanzas are still read. `Enabled: no` stanzas are returned with `enabled: false`.
 */
export function parseDeb822Sources(text: string, file: string): SourcesParseResult {
  checkSize(text, file)
  const entries: AptSourceEntry[] = []
  const problems: SourceProblem[] = []
  for (const st of stanzas(text)) {
    const problem = requiredFieldsProblem(st, file) ?? optionsProblem(st, file)
    if (problem) problems.push(problem)
    else entries.push(...stanzaEntries(st, file))
  }
  return { entries, problems }
}

/**
 * Reads a `mirror+file:` list (apt-transport-mirror(1)): one URI per line, optional tab-separated metadata after
 * it, `#` comments. Returns the URIs in file order (apt's preference order).
 */
export function parseMirrorList(text: string, file: string): string[] {
  checkSize(text, file)
  const out: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim()
    if (line === '' || line.startsWith('#')) continue
    const uri = line.split(/\s+/)[0] as string
    if (URI_SCHEME.test(uri)) out.push(uri)
  }
  return out
}
