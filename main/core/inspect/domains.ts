/**
 * Host classification for the instruction checker: official, look-alike, raw IP, paste or file-drop site.
 *
 * Look-alikes are the domains fake fixes used during the outage: brand words under a foreign domain
 * (`ubuntu.com.example.io`, `ubuntu-security.com`), homoglyphs (Cyrillic `с` in `ubuntu.сom`), punycode (`xn--`)
 * and typosquats (edit distance 1-2 of a brand word, e.g. `ubunto`, `lanchpad`).
 */
import { BRAND_WORDS, OFFICIAL_DOMAINS, isCommunityHost, isOfficialHost } from './official-domains'

/** What a host is, for the rules. */
export type HostKind =
  | { readonly kind: 'official' }
  | { readonly kind: 'community' }
  | { readonly kind: 'lookalike'; readonly imitates: string; readonly why: LookalikeWhy }
  | { readonly kind: 'raw-ip'; readonly private: boolean }
  | { readonly kind: 'paste' }
  | { readonly kind: 'other' }

/** Why a host was judged a look-alike. */
export type LookalikeWhy = 'subdomain' | 'homoglyph' | 'punycode' | 'typosquat' | 'brand-word'

/** Paste sites, file drops and chat attachment hosts: anyone can upload there, anonymously. */
export const PASTE_HOSTS: readonly string[] = [
  'pastebin.com',
  'paste.ee',
  'pastie.org',
  'hastebin.com',
  'ghostbin.co',
  'termbin.com',
  'ix.io',
  'sprunge.us',
  'dpaste.org',
  'dpaste.com',
  'rentry.co',
  'rentry.org',
  'controlc.com',
  'transfer.sh',
  '0x0.st',
  'file.io',
  'anonfiles.com',
  'gofile.io',
  'catbox.moe',
  'temp.sh',
  'paste.rs',
  'bpa.st',
  'cdn.discordapp.com',
  'media.discordapp.net',
  'files.slack.com',
  'gist.githubusercontent.com',
]

/** Second-level public suffixes, so `example.co.uk` is one registrable domain (a subset of the Public Suffix List). */
const SECOND_LEVEL = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'com.br',
  'com.au',
  'net.au',
  'co.jp',
  'co.in',
  'com.cn',
  'co.za',
])

/**
 * Latin look-alikes of Cyrillic, Greek and fullwidth letters (a subset of Unicode confusables.txt, UTS #39),
 * enough to fold every letter of the brand words and of `com`/`net`/`org`.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ո: 'n',
  ս: 'u',
  ν: 'v',
  ο: 'o',
  α: 'a',
  ι: 'i',
  κ: 'k',
  τ: 't',
  ρ: 'p',
  υ: 'u',
  μ: 'u',
  ɑ: 'a',
  ı: 'i',
  ℓ: 'l',
  ⅼ: 'l',
  ｕ: 'u',
  ｂ: 'b',
  ｎ: 'n',
  ｔ: 't',
  ｃ: 'c',
  ｏ: 'o',
  ｍ: 'm',
  ａ: 'a',
  ｌ: 'l',
  ｉ: 'i',
  ü: 'u',
  ú: 'u',
  ù: 'u',
  û: 'u',
  ö: 'o',
  ó: 'o',
  ò: 'o',
  á: 'a',
  à: 'a',
  ä: 'a',
  í: 'i',
  ï: 'i',
  ñ: 'n',
}

/** Folds look-alike letters to ASCII (UTS #39 "skeleton", restricted to the table above). */
export function skeleton(s: string): string {
  let out = ''
  for (const ch of s.toLowerCase()) out += CONFUSABLES[ch] ?? ch
  return out
}

/** Damerau-Levenshtein distance (optimal string alignment), capped: returns `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const prev2: number[] = new Array<number>(b.length + 1).fill(0)
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j)
  let cur: number[] = new Array<number>(b.length + 1).fill(0)
  let prevPrev = prev2
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1)
      cur[j] = v
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    prevPrev = prev
    prev = cur
    cur = new Array<number>(b.length + 1).fill(0)
  }
  return prev[b.length] ?? max + 1
}

/** Decodes one punycode label body (RFC 3492 section 6.2); undefined when malformed. */
export function decodePunycode(input: string): string | undefined {
  const base = 36,
    tMin = 1,
    tMax = 26,
    skew = 38,
    damp = 700
  let n = 128,
    i = 0,
    bias = 72
  const out: number[] = []
  const basic = input.lastIndexOf('-')
  for (let j = 0; j < Math.max(basic, 0); j++) out.push(input.charCodeAt(j))
  const adapt = (deltaIn: number, numPoints: number, first: boolean): number => {
    let delta = first ? Math.floor(deltaIn / damp) : deltaIn >> 1
    delta += Math.floor(delta / numPoints)
    let k = 0
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = Math.floor(delta / (base - tMin))
      k += base
    }
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew))
  }
  for (let idx = basic > 0 ? basic + 1 : 0; idx < input.length;) {
    const oldi = i
    let w = 1
    for (let k = base; ; k += base) {
      if (idx >= input.length) return undefined
      const c = input.charCodeAt(idx++)
      const digit =
        c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : base
      if (digit >= base) return undefined
      i += digit * w
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias
      if (digit < t) break
      w *= base - t
      if (w > 0x7fffffff) return undefined
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0)
    n += Math.floor(i / (out.length + 1))
    i %= out.length + 1
    if (n > 0x10ffff) return undefined
    out.splice(i++, 0, n)
  }
  return String.fromCodePoint(...out)
}

/** The registrable part of a host (`a.b.example.co.uk` → `example.co.uk`). */
export function registrableDomain(host: string): string {
  const labels = host.split('.')
  const n = SECOND_LEVEL.has(labels.slice(-2).join('.')) ? 3 : 2
  return labels.slice(-n).join('.')
}

/** Brand words checked for typosquats (edit distance 1-2). */
const TYPO_TARGETS: readonly string[] = ['ubuntu', 'canonical', 'launchpad']

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/**
 * True when an IPv4 address starting `a.b.` is RFC 1918 private, loopback or link-local: this network's own machine
 * (an internal mirror, a local resolver), not a stranger's server.
 */
export function isPrivateIpv4Prefix(a: number, b: number): boolean {
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254)
  )
}

/** True for RFC 1918, loopback and link-local IPv4 (an internal mirror, not a stranger's server). */
function isPrivateIpv4(m: RegExpExecArray): boolean {
  return isPrivateIpv4Prefix(Number(m[1]), Number(m[2]))
}

/** Which brand a label imitates by containing it, folding to it, or being 1-2 edits from it. */
function imitatedBrand(label: string): { brand: string; exact: boolean } | undefined {
  for (const brand of BRAND_WORDS) {
    if (label === brand) return { brand, exact: true }
    if (label.includes(brand)) return { brand, exact: false }
  }
  // Typosquats only of TYPO_TARGETS (not every brand word): `snapcraft` is 2 edits from `snapchat`.
  for (const brand of TYPO_TARGETS) {
    // Compare with hyphens removed too: `ubun-tu` is `ubuntu` to a reader.
    const l = label.replace(/-/g, '')
    if (editDistance(l, brand) <= 2 || editDistance(label, brand) <= 2) return { brand, exact: false }
  }
  return undefined
}

/** Classifies a host name as written in the text (any case, maybe with Unicode letters, maybe with a port). */
export function classifyHost(rawHost: string): HostKind {
  let host = rawHost.toLowerCase().replace(/\.$/, '')
  if (host.startsWith('['))
    return { kind: 'raw-ip', private: host.startsWith('[::1]') || host.startsWith('[fe80') }
  host = host.replace(/:\d+$/, '')
  const ip = IPV4.exec(host)
  if (ip) return { kind: 'raw-ip', private: isPrivateIpv4(ip) }
  if (/^0x[0-9a-f]+$|^\d{8,10}$/.test(host)) return { kind: 'raw-ip', private: false }

  // Punycode: decode each `xn--` label, then judge the Unicode form like any homoglyph.
  if (host.split('.').some((l) => l.startsWith('xn--'))) {
    const decoded = host
      .split('.')
      .map((l) => (l.startsWith('xn--') ? (decodePunycode(l.slice(4)) ?? l) : l))
      .join('.')
    const folded = skeleton(decoded)
    const brand = BRAND_WORDS.find((b) => folded.includes(b)) ?? brandOf(folded)
    return { kind: 'lookalike', imitates: brand ?? 'an ordinary site name', why: 'punycode' }
  }
  if (/[^\p{ASCII}]/u.test(host)) {
    const folded = skeleton(host)
    if (isOfficialHost(folded)) return { kind: 'lookalike', imitates: folded, why: 'homoglyph' }
    const brand = BRAND_WORDS.find((b) => folded.includes(b)) ?? brandOf(folded)
    if (brand) return { kind: 'lookalike', imitates: brand, why: 'homoglyph' }
    return { kind: 'other' }
  }
  if (isOfficialHost(host)) return { kind: 'official' }
  if (isCommunityHost(host)) return { kind: 'community' }
  if (PASTE_HOSTS.some((d) => host === d || host.endsWith('.' + d))) return { kind: 'paste' }

  // An official domain spelled out inside a foreign one: `security.ubuntu.com.example.io`.
  for (const d of OFFICIAL_DOMAINS) {
    if (host.startsWith(d + '.') || host.includes('.' + d + '.'))
      return { kind: 'lookalike', imitates: d, why: 'subdomain' }
  }
  const reg = registrableDomain(host)
  const label = reg.split('.')[0] ?? ''
  const hit = imitatedBrand(label)
  if (hit)
    return {
      kind: 'lookalike',
      imitates: hit.brand,
      why: hit.exact || label.includes(hit.brand) ? 'brand-word' : 'typosquat',
    }
  // Brand words in the subdomain part are normal for mirrors (`ubuntu.mirror.example.edu`) unless glued to words
  // that promise officialness (`ubuntu-security.cdn-example.net`).
  const sub = host.slice(0, Math.max(0, host.length - reg.length - 1))
  if (
    /(^|[.-])(ubuntu|canonical|launchpad)-?(security|update|updates|official|support|patch|keys?|keyserver|repo)([.-]|$)/.test(
      sub,
    )
  ) {
    return { kind: 'lookalike', imitates: 'ubuntu', why: 'brand-word' }
  }
  return { kind: 'other' }
}

/** A brand word that `folded` is 1-2 edits away from, label by label. */
function brandOf(folded: string): string | undefined {
  for (const l of folded.split('.')) {
    const hit = imitatedBrand(l)
    if (hit) return hit.brand
  }
  return undefined
}
