/**
 * debian/changelog parsing and "which CVEs did the uploads after version V fix" (docs/trust.md, point 5: the
 * archive itself is evidence).
 *
 * Format: Debian Policy 4.4 "debian/changelog" — each entry is a header
 * `package (version) distribution(s); urgency=urgency`, change lines indented by two spaces, and a trailer
 * ` -- maintainer <email>  date` with an RFC 2822 date. Parsing stops, as dpkg-parsechangelog does, at the first
 * line that fits none of these after the first entry (old-format history, editor local variables).
 */
import { Limits } from '../limits'
import { aptError } from './errors'
import { parseRfc2822Date } from './release'
import { extractTarMember, extractTarMemberWhere } from './tar'
import { compareDebianVersions, isValidDebianVersion } from './version'

/** One changelog entry. */
export interface ChangelogEntry {
  readonly source: string
  readonly version: string
  readonly distribution: string
  readonly urgency: string
  /** CVE identifiers named in the entry's text, in order of first mention, without duplicates. */
  readonly cves: readonly string[]
  /** Trailer date in epoch milliseconds, or null when the trailer is missing or its date malformed. */
  readonly date: number | null
  /** 1-based line of the header. */
  readonly line: number
}

// dpkg's Dpkg::Changelog::Entry::Debian regex for a header line (lowercase package names, any case allowed).
const HEADER_RE = /^(\w[-+0-9a-z.]*) \(([^() \t]+)\)((?:[ \t]+[-+0-9a-z.]+)+)[ \t]*;(.*)$/i
const TRAILER_RE = /^ -- (.*) <(.*)>( ?)( )(.*)$/
const CVE_RE = /CVE-\d{4}-\d{4,}/g

/**
 * Parses a debian/changelog. Throws APT_BAD_CHANGELOG when the first non-blank line is not an entry header or
 * a header's version is invalid, APT_TOO_LARGE over Limits.apt.changelogBytes.
 */
export function parseChangelog(text: string): ChangelogEntry[] {
  if (text.length > Limits.apt.changelogBytes) {
    throw aptError('APT_TOO_LARGE', 'changelog is too large', { size: text.length })
  }
  const out: ChangelogEntry[] = []
  let cur:
    { source: string; version: string; distribution: string; urgency: string; line: number } | undefined
  let cves: string[] = []
  let date: number | null = null
  let lineNo = 0
  let pos = 0
  const flush = (): void => {
    if (cur !== undefined) out.push({ ...cur, cves, date })
    cur = undefined
    cves = []
    date = null
  }
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos)
    if (eol < 0) eol = text.length
    let line = text.slice(pos, eol)
    if (line.endsWith('\r')) line = line.slice(0, -1)
    pos = eol + 1
    lineNo++
    if (line.trim() === '') continue
    const h = HEADER_RE.exec(line)
    if (h !== null) {
      flush()
      const version = h[2] ?? ''
      if (!isValidDebianVersion(version)) {
        throw aptError('APT_BAD_CHANGELOG', `changelog line ${lineNo}: invalid version "${version}"`, {
          line: lineNo,
        })
      }
      const urgency = /(?:^|[ \t,])urgency=([^ \t,]+)/i.exec(h[4] ?? '')?.[1] ?? ''
      cur = {
        source: h[1] ?? '',
        version,
        distribution: (h[3] ?? '').trim(),
        urgency: urgency.toLowerCase(),
        line: lineNo,
      }
      continue
    }
    if (cur === undefined) {
      if (out.length === 0) {
        throw aptError('APT_BAD_CHANGELOG', `changelog line ${lineNo}: expected an entry header`, {
          line: lineNo,
        })
      }
      break // trailing non-entry text (old-format history, "Local variables:")
    }
    const t = TRAILER_RE.exec(line)
    if (t !== null) {
      try {
        date = parseRfc2822Date(t[5] ?? '', 'changelog date')
      } catch {
        date = null
      }
      flush()
      continue
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      for (const m of line.matchAll(CVE_RE)) if (!cves.includes(m[0])) cves.push(m[0])
      continue
    }
    break
  }
  flush()
  return out
}

/** An entry newer than the reference version, with the CVEs it names. */
export interface FixedCves {
  readonly version: string
  readonly cves: readonly string[]
}

/**
 * The entries whose version is strictly newer than `sinceVersion` (dpkg ordering), newest first, each with the
 * CVEs it names: the archive's own statement of what the uploads after `sinceVersion` fix.
 */
export function cvesFixedSince(changelogText: string, sinceVersion: string): FixedCves[] {
  return parseChangelog(changelogText)
    .filter((e) => compareDebianVersions(e.version, sinceVersion) > 0)
    .map((e) => ({ version: e.version, cves: e.cves }))
}

/**
 * Reads `debian/changelog` from a decompressed `.debian.tar` (the 3.0 (quilt) source format's debian tarball)
 * and decodes it as UTF-8. Throws the tar errors, APT_TOO_LARGE over Limits.apt.changelogBytes.
 */
export function changelogFromDebianTar(tar: Uint8Array): string {
  const bytes = extractTarMember(tar, 'debian/changelog', Limits.apt.changelogBytes)
  return new TextDecoder('utf-8').decode(bytes)
}

/** `<one directory>/debian/changelog`: where a whole source tarball keeps the changelog. */
const SOURCE_TREE_CHANGELOG = /^[^/]+\/debian\/changelog$/

/**
 * Reads `<dir>/debian/changelog` from a decompressed native source tarball (`3.0 (native)`: the whole source tree
 * under one top directory, with no separate `.debian.tar`). Throws the codes of `extractTarMember`.
 */
export function changelogFromSourceTar(tar: Uint8Array): string {
  const bytes = extractTarMemberWhere(
    tar,
    (path) => SOURCE_TREE_CHANGELOG.test(path),
    '<source>/debian/changelog',
    Limits.apt.changelogBytes,
  )
  return new TextDecoder('utf-8').decode(bytes)
}

/**
 * Reads `debian/changelog` from a decompressed `.diff.gz` (the 1.0 source format's unified diff against the
 * upstream tarball) and returns the new file's text as far as the diff shows it: the context and added lines of
 * every hunk of `+++ <dir>/debian/changelog`. The changelog is normally new in the diff (`@@ -0,0 +1,N @@`), so
 * this is the whole file; otherwise it is at least the hunk at the top of the file, which holds the newest
 * entries. Throws APT_TAR_MEMBER_NOT_FOUND when the diff does not touch debian/changelog.
 */
export function changelogFromDiff(diffText: string): string {
  if (diffText.length > Limits.size.sourceArtifactBytes * 8) {
    throw aptError('APT_TOO_LARGE', 'diff is too large', { size: diffText.length })
  }
  const lines = diffText.split('\n')
  const out: string[] = []
  let inFile = false
  let found = false
  let remainingNew = 0
  let remainingOld = 0
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (remainingNew > 0 || remainingOld > 0) {
      const c = line.charAt(0)
      if (c === '+' || c === ' ' || line === '') {
        if (inFile) out.push(line.slice(1))
        remainingNew--
        if (c !== '+') remainingOld--
        continue
      }
      if (c === '-') {
        remainingOld--
        continue
      }
      if (c === '\\') continue // "\ No newline at end of file"
      remainingNew = 0
      remainingOld = 0
    }
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).split('\t')[0] ?? ''
      // "+++ sudo-1.8.0/debian/changelog": the first path component is the package directory.
      inFile = path.slice(path.indexOf('/') + 1) === 'debian/changelog'
      found ||= inFile
      continue
    }
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line)
    if (h !== null) {
      remainingOld = h[1] === undefined ? 1 : Number(h[1])
      remainingNew = h[2] === undefined ? 1 : Number(h[2])
    }
  }
  if (!found) throw aptError('APT_TAR_MEMBER_NOT_FOUND', 'the diff does not contain debian/changelog')
  if (out.length > 0) out.push('')
  return out.join('\n')
}
