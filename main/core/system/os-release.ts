/**
 * os-release(5) parser: which distribution and release this machine runs.
 */
import { Limits } from '../limits'
import { systemError, type OsRelease } from './types'

const ASSIGNMENT = /^([A-Z0-9_]+)=(.*)$/

/**
 * Unquotes one os-release value.
 *
 * os-release(5): values follow shell quoting rules for variable assignments; in double quotes `\"`, `\\`, `\$` and
 * `` \` `` are escapes. Returns undefined for an unterminated quote.
 */
function unquote(raw: string): string | undefined {
  const v = raw.trim()
  if (v.length === 0) return ''
  const q = v[0]
  if (q === "'") {
    const end = v.indexOf("'", 1)
    return end === v.length - 1 ? v.slice(1, end) : undefined
  }
  if (q === '"') {
    let out = ''
    for (let i = 1; i < v.length; i++) {
      const c = v[i]
      if (c === '\\' && i + 1 < v.length) {
        const n = v[i + 1] as string
        if (n === '"' || n === '\\' || n === '$' || n === '`') {
          out += n
          i++
          continue
        }
        out += c
        continue
      }
      if (c === '"') return i === v.length - 1 ? out : undefined
      out += c
    }
    return undefined
  }
  // Unquoted: a plain word. Backslash escapes the next character, as in the shell.
  return v.replace(/\\(.)/g, '$1')
}

/**
 * Parses an os-release file.
 *
 * Comment and blank lines are skipped (os-release(5)); a line that is not a valid assignment is skipped too, so
 * one vendor-added oddity does not hide the release. Throws `SYS_OS_RELEASE_SYNTAX` when no assignment is found
 * at all and `SYS_TOO_LARGE` past `Limits.system.smallFileBytes`.
 */
export function parseOsRelease(text: string): OsRelease {
  if (text.length > Limits.system.smallFileBytes) {
    throw systemError('SYS_TOO_LARGE', 'os-release is larger than allowed', {
      max: Limits.system.smallFileBytes,
    })
  }
  const fields: Record<string, string> = {}
  let count = 0
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '')
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const m = ASSIGNMENT.exec(line)
    if (!m) continue
    const value = unquote(m[2] as string)
    if (value === undefined) continue
    fields[m[1] as string] = value
    count++
  }
  if (count === 0) throw systemError('SYS_OS_RELEASE_SYNTAX', 'os-release has no KEY=value line')
  const name = fields['NAME'] ?? 'Linux'
  return {
    // os-release(5): "If not set, a default of ID=linux may be used."
    id: (fields['ID'] ?? 'linux').toLowerCase(),
    idLike: (fields['ID_LIKE'] ?? '').split(/\s+/).filter((s) => s.length > 0),
    name,
    prettyName: fields['PRETTY_NAME'] ?? name,
    versionId: fields['VERSION_ID'],
    codename: fields['VERSION_CODENAME'] || fields['UBUNTU_CODENAME'] || undefined,
    fields,
  }
}
