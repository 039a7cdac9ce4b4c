/**
 * Debian version numbers: parsing and ordering exactly as `dpkg --compare-versions` does.
 *
 * Format (Debian Policy 5.6.12, dpkg `lib/dpkg/parsehelp.c` parseversion()): `[epoch:]upstream[-revision]`.
 * Ordering (dpkg `lib/dpkg/version.c` verrevcmp()): epochs numerically, then upstream, then revision, each
 * compared as alternating non-digit runs (`~` sorts before everything, even the end of the string; letters
 * before non-letters) and digit runs (numerically, of any length: no integer overflow).
 */
import { Limits } from '../limits'
import { aptError } from './errors'

/** A parsed Debian version. `revision` is '' when absent, which dpkg orders equal to "0". */
export interface DebianVersion {
  readonly epoch: number
  readonly upstream: string
  readonly revision: string
}

/** dpkg stores the epoch in an int and refuses anything above INT_MAX ("epoch in version is too big"). */
const MAX_EPOCH = 2_147_483_647

/**
 * Parses and validates a Debian version.
 *
 * Stricter than dpkg only where dpkg merely warns: the upstream part must start with a digit and use only
 * `[A-Za-z0-9.+~:-]`, the revision only `[A-Za-z0-9.+~]` (Debian Policy 5.6.12). Leading and trailing
 * whitespace is ignored, as dpkg does. Throws APT_BAD_VERSION.
 */
export function parseDebianVersion(v: string): DebianVersion {
  const s = v.trim()
  if (s.length === 0) throw aptError('APT_BAD_VERSION', 'version string is empty')
  if (s.length > Limits.apt.maxVersionLength) {
    throw aptError('APT_BAD_VERSION', 'version string is too long', { length: s.length })
  }
  let epoch = 0
  const colon = s.indexOf(':')
  if (colon >= 0) {
    if (colon === 0) throw bad(s, 'epoch is empty')
    for (let i = 0; i < colon; i++) {
      if (!isDigit(s.charCodeAt(i))) throw bad(s, 'epoch is not a number')
    }
    epoch = Number(s.slice(0, colon))
    if (epoch > MAX_EPOCH) throw bad(s, 'epoch is too big')
    if (colon === s.length - 1) throw bad(s, 'nothing after the epoch colon')
  }
  const hyphen = s.lastIndexOf('-')
  const hasRevision = hyphen > colon
  const upstream = s.slice(colon + 1, hasRevision ? hyphen : s.length)
  const revision = hasRevision ? s.slice(hyphen + 1) : ''
  if (hasRevision && revision.length === 0) throw bad(s, 'revision is empty')
  if (upstream.length === 0) throw bad(s, 'upstream version is empty')
  if (!isDigit(upstream.charCodeAt(0))) throw bad(s, 'upstream version does not start with a digit')
  for (let i = 0; i < upstream.length; i++) {
    const c = upstream.charCodeAt(i)
    // '.', '+', '~', ':' and '-' (the latter only when a revision follows, which lastIndexOf guarantees).
    if (!isAlnum(c) && c !== 46 && c !== 43 && c !== 126 && c !== 58 && c !== 45) {
      throw bad(s, 'invalid character in upstream version')
    }
    if (c === 32 || c === 9) throw bad(s, 'embedded whitespace')
  }
  for (let i = 0; i < revision.length; i++) {
    const c = revision.charCodeAt(i)
    if (!isAlnum(c) && c !== 46 && c !== 43 && c !== 126) throw bad(s, 'invalid character in revision')
  }
  return { epoch, upstream, revision }
}

/** True when `v` parses as a Debian version (see parseDebianVersion), without allocating an error. */
export function isValidDebianVersion(v: string): boolean {
  const n = v.length
  if (n === 0 || n > Limits.apt.maxVersionLength) return false
  const colon = v.indexOf(':')
  let epochDigits = 0
  for (let i = 0; i < colon; i++) {
    if (!isDigit(v.charCodeAt(i))) return false
    epochDigits++
  }
  if (colon >= 0) {
    if (epochDigits === 0 || colon === n - 1) return false
    if (epochDigits > 9 && Number(v.slice(0, colon)) > MAX_EPOCH) return false
  }
  const hyphen = v.lastIndexOf('-')
  const hasRevision = hyphen > colon
  const upEnd = hasRevision ? hyphen : n
  if (hasRevision && hyphen === n - 1) return false
  if (upEnd === colon + 1 || !isDigit(v.charCodeAt(colon + 1))) return false
  for (let i = colon + 1; i < upEnd; i++) {
    const c = v.charCodeAt(i)
    if (!isAlnum(c) && c !== 46 && c !== 43 && c !== 126 && c !== 58 && c !== 45) return false
  }
  for (let i = upEnd + 1; i < n; i++) {
    const c = v.charCodeAt(i)
    if (!isAlnum(c) && c !== 46 && c !== 43 && c !== 126) return false
  }
  return true
}

/**
 * Compares two Debian versions: -1 when a < b, 0 when equal, 1 when a > b, as `dpkg --compare-versions`.
 *
 * The hot path allocates nothing: it works on index ranges of the two strings. It throws APT_BAD_VERSION only
 * where dpkg itself refuses to compare (empty string, non-numeric or empty epoch, nothing after the colon);
 * validate untrusted input with parseDebianVersion first if stricter syntax matters.
 */
export function compareDebianVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) {
    if (a.length === 0) throw aptError('APT_BAD_VERSION', 'version string is empty')
    return 0
  }
  const as = skipSpace(a, 0)
  const ae = trimEnd(a, as)
  const bs = skipSpace(b, 0)
  const be = trimEnd(b, bs)
  if (as === ae || bs === be) throw aptError('APT_BAD_VERSION', 'version string is empty')
  const ac = epochColon(a, as, ae)
  const bc = epochColon(b, bs, be)
  // Epochs: numerically, any length (leading zeros ignored).
  const ec = compareDigits(a, as, ac < 0 ? as : ac, b, bs, bc < 0 ? bs : bc)
  if (ec !== 0) return ec
  const au = ac < 0 ? as : ac + 1
  const bu = bc < 0 ? bs : bc + 1
  let ah = a.lastIndexOf('-', ae - 1)
  if (ah < au) ah = -1
  let bh = b.lastIndexOf('-', be - 1)
  if (bh < bu) bh = -1
  const uc = verrevcmp(a, au, ah < 0 ? ae : ah, b, bu, bh < 0 ? be : bh)
  if (uc !== 0) return uc
  return verrevcmp(a, ah < 0 ? ae : ah + 1, ae, b, bh < 0 ? be : bh + 1, be)
}

function bad(v: string, why: string): Error {
  return aptError('APT_BAD_VERSION', `invalid version "${v.length > 80 ? v.slice(0, 80) + '…' : v}": ${why}`)
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c)
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++
  return i
}

function trimEnd(s: string, start: number): number {
  let e = s.length
  while (e > start && isSpace(s.charCodeAt(e - 1))) e--
  return e
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12
}

/** Index of the epoch colon in [s, e), or -1; validates the epoch as dpkg does. */
function epochColon(v: string, s: number, e: number): number {
  const colon = v.indexOf(':', s)
  if (colon < 0 || colon >= e) return -1
  if (colon === s || colon === e - 1)
    throw bad(v, colon === s ? 'epoch is empty' : 'nothing after the epoch colon')
  for (let i = s; i < colon; i++) {
    if (!isDigit(v.charCodeAt(i))) throw bad(v, 'epoch is not a number')
  }
  if (colon - s > 9 && Number(v.slice(s, colon)) > MAX_EPOCH) throw bad(v, 'epoch is too big')
  return colon
}

/** Compares two all-digit ranges numerically without converting them to numbers. */
// eslint-disable-next-line max-params -- the epoch half of dpkg's verrevcmp (lib/dpkg/version.c): two (string, start, end) ranges, compared in place without slicing or allocating on the assessment's hot path
function compareDigits(a: string, as: number, ae: number, b: string, bs: number, be: number): -1 | 0 | 1 {
  while (as < ae && a.charCodeAt(as) === 48) as++
  while (bs < be && b.charCodeAt(bs) === 48) bs++
  const la = ae - as
  const lb = be - bs
  if (la !== lb) return la < lb ? -1 : 1
  for (let i = 0; i < la; i++) {
    const d = a.charCodeAt(as + i) - b.charCodeAt(bs + i)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** dpkg order(): digits 0 (handled apart), letters their code, `~` -1, other characters code + 256, end 0. */
function order(c: number): number {
  if (isDigit(c)) return 0
  if (isAlpha(c)) return c
  if (c === 126) return -1
  if (c >= 0) return c + 256
  return 0
}

/** dpkg verrevcmp() on the ranges a[as, ae) and b[bs, be); -1 stands for the string's end. */
// eslint-disable-next-line max-params -- line-by-line port of dpkg's verrevcmp (lib/dpkg/version.c) over two (string, start, end) ranges, compared in place without slicing or allocating on the assessment's hot path
function verrevcmp(a: string, as: number, ae: number, b: string, bs: number, be: number): -1 | 0 | 1 {
  let i = as
  let j = bs
  // Shortcut: skip the common prefix, then step back to the start of a digit run so that digit runs are still
  // compared whole. Identical characters compare equal in both of verrevcmp's loops, so the result is unchanged.
  while (i < ae && j < be && a.charCodeAt(i) === b.charCodeAt(j)) {
    i++
    j++
  }
  while (i > as && isDigit(a.charCodeAt(i - 1))) {
    i--
    j--
  }
  while (i < ae || j < be) {
    let firstDiff = 0
    while ((i < ae && !isDigit(a.charCodeAt(i))) || (j < be && !isDigit(b.charCodeAt(j)))) {
      const oa = order(i < ae ? a.charCodeAt(i) : -1)
      const ob = order(j < be ? b.charCodeAt(j) : -1)
      if (oa !== ob) return oa < ob ? -1 : 1
      i++
      j++
    }
    while (i < ae && a.charCodeAt(i) === 48) i++
    while (j < be && b.charCodeAt(j) === 48) j++
    while (i < ae && j < be) {
      const ca = a.charCodeAt(i)
      const cb = b.charCodeAt(j)
      if (!isDigit(ca) || !isDigit(cb)) break
      if (firstDiff === 0) firstDiff = ca - cb
      i++
      j++
    }
    if (i < ae && isDigit(a.charCodeAt(i))) return 1
    if (j < be && isDigit(b.charCodeAt(j))) return -1
    if (firstDiff !== 0) return firstDiff < 0 ? -1 : 1
  }
  return 0
}
