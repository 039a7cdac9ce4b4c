/**
 * Rule family "apt sources and keys": software sources, the keys apt trusts, and apt's own settings.
 *
 * A source is judged by its shape (sources.list(5), one-line and deb822): a URI that is an Ubuntu mirror (official,
 * configured for this machine, or an `/ubuntu` archive path) whose packages apt still checks against the Ubuntu
 * archive keyring is a mirror switch (`low`); anything else can replace any package on the system (`high`).
 */
import { classifyHost } from '../domains'
import type { Flow, SimpleCommand, Span, Word } from '../command-model'
import type { RuleContext } from './context'

/** Where apt reads its sources (sources.list(5)). */
export const SOURCES_PATH = /^\/etc\/apt\/sources\.list(\.d\/.*)?$|\.list$|\.sources$/
/** Where apt and gpg read trusted keys (apt-secure(8), sources.list(5) Signed-By). */
export const KEYRING_PATH =
  /^\/etc\/apt\/trusted\.gpg(\.d\/.*)?$|^\/etc\/apt\/keyrings\/|^\/usr\/share\/keyrings\//
/** apt's configuration (apt.conf(5)). */
export const APT_CONF_PATH = /^\/etc\/apt\/apt\.conf(\.d\/.*)?$/
/** apt_preferences(5). */
export const PREFERENCES_PATH = /^\/etc\/apt\/preferences(\.d\/.*)?$/
/** Settings that let apt accept unsigned sources or packages (apt.conf(5), apt-secure(8)). */
export const INSECURE_APT =
  /(AllowInsecureRepositories|AllowUnauthenticated|AllowDowngradeToInsecureRepositories|Acquire::AllowWeakRepositories|APT::Get::force-yes|\bTrusted)(?:\s*=\s*|\s+)"?(true|yes|1)"?/i
/** Settings that turn off apt's TLS or freshness checks. */
export const VERIFY_PEER_OFF =
  /(Verify-Peer|Verify-Host|sslVerify|Check-Valid-Until)(?:\s*=\s*|\s+)"?(false|no|0)"?/i
/** `[trusted=yes]` (one-line) and `Trusted: yes` (deb822). */
export const TRUSTED_YES = /\btrusted\s*=\s*yes\b|^[ \t]*Trusted:\s*yes\b/im
/** Where a `trusted-yes` highlight belongs: `[trusted=yes]` itself when written so, else the option or field. */
export const TRUSTED_NEEDLE = /\[\s*trusted\s*=\s*yes\s*\]|trusted\s*=\s*yes|Trusted:\s*yes/i
/** `-o APT::Get::allow-downgrades=true` and the apt.conf form `APT::Get::allow-downgrades "true";` (apt.conf(5)). */
export const DOWNGRADE_APT =
  /APT::Get::(?:allow-downgrades|AllowDowngrades)(?:\s{0,16}=\s{0,16}|\s{1,16})"?(?:true|yes|1|on)\b/i
/** A pin priority in apt_preferences(5). Above 1000 apt installs the pinned version even when it is a downgrade. */
export const PIN_PRIORITY = /\bPin-Priority:[ \t]{0,16}(\d{1,9})/gi
/** Archive keyrings shipped by ubuntu-keyring and debian-archive-keyring: a source pinned to them is the archive's. */
const ARCHIVE_KEYRING =
  /^\/usr\/share\/keyrings\/(ubuntu-archive-keyring|debian-archive-keyring|ubuntu-cloudimage-keyring|ubuntu-ports-archive-keyring)\.gpg$/

/** The verdict on one source entry. */
export type SourceKind = 'mirror' | 'unknown-mirror' | 'ppa' | 'foreign'

/** One source from a one-line or deb822 source text. */
interface SourceEntry {
  readonly uri: string
  readonly signedBy: string | undefined
}

/**
 * The sources a pasted or written text adds, for judging their shape: `deb [opts] URI …` lines and deb822 stanzas
 * (`URIs:` + `Signed-By:`), at most 64. Not the machine's own source files (core/system/sources.ts reads those).
 */
function sourceEntriesIn(text: string): SourceEntry[] {
  const out: SourceEntry[] = []
  for (const m of text.matchAll(
    /^[ \t]*(?:#[ \t]*)?deb(?:-src)?[ \t]+(\[[^\]\n]{0,500}\][ \t]+)?([a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"]+)/gim,
  )) {
    const signed = /signed-by=([^\s\]]+)/i.exec(m[1] ?? '')?.[1]
    if (!/^[ \t]*#/.test(m[0])) out.push({ uri: m[2] ?? '', signedBy: signed })
    if (out.length >= 64) return out
  }
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const uris = /^[ \t]*URIs:[ \t]*(.+)$/im.exec(stanza)?.[1]
    if (uris === undefined) continue
    const signedBy = /^[ \t]*Signed-By:[ \t]*(.*)$/im.exec(stanza)?.[1]?.trim()
    for (const uri of uris.trim().split(/\s+/).slice(0, 64))
      out.push({ uri, signedBy: signedBy === '' ? '(inline key)' : signedBy })
    if (out.length >= 64) return out
  }
  return out
}

/** True when `uri` is one of `mirrors` (base URLs, compared without a trailing slash). */
function isConfiguredMirror(uri: string, mirrors: readonly string[]): boolean {
  const u = uri.replace(/\/+$/, '')
  return mirrors.some((m) => m.replace(/\/+$/, '') === u)
}

/** Judges one source: the Ubuntu archive at a known mirror, an unknown mirror, a PPA, or a foreign source. */
export function sourceKind(entry: SourceEntry, mirrors: readonly string[]): SourceKind {
  let host = ''
  let path = ''
  try {
    const u = new URL(entry.uri)
    host = u.hostname
    path = u.pathname
  } catch {
    return 'foreign'
  }
  // A Signed-By other than the archive keyring means apt accepts whatever that key signs (sources.list(5)).
  if (entry.signedBy !== undefined && !ARCHIVE_KEYRING.test(entry.signedBy)) return 'foreign'
  if (/(^|\.)ppa\.launchpad(content)?\.net$/.test(host)) return 'ppa'
  if (isConfiguredMirror(entry.uri, mirrors)) return 'mirror'
  const kind = classifyHost(host).kind
  if (kind === 'official') return 'mirror'
  if (kind === 'other' && /\/(ubuntu|debian)(-ports)?(\/|$)/.test(path)) return 'mirror'
  // Pinned to the archive keyring at a server nobody vouched for: apt still checks Ubuntu's signatures, but the
  // server can hold updates back.
  return entry.signedBy !== undefined ? 'unknown-mirror' : 'foreign'
}

/**
 * Where source text comes from: written from text the paste shows, downloaded or decoded (not shown), or an edit
 * of an existing source file (`sed -i`).
 */
export type SourceTextOrigin = 'written' | 'downloaded' | 'edit'

/** Judges source text written to `span` (a file under /etc/apt, or a pasted snippet). */
export function judgeSourceText(text: string, span: Span, origin: SourceTextOrigin, ctx: RuleContext): void {
  // At most 64 sources are judged one by one: a real source file has a handful, and a crafted paste with
  // thousands must not make the check slow (any foreign one among the first 64 is already high).
  const entries = sourceEntriesIn(text).slice(0, 64)
  const urls = [...text.matchAll(/\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"`<>|;)]+/gi)]
    .slice(0, 64)
    .map((m) => m[0])
  if (origin === 'downloaded') {
    ctx.add('new-apt-source', 'high', span, 'downloaded, so this text does not show what it is')
    return
  }
  if (origin === 'edit' && entries.length === 0) {
    // `sed -i 's/archive.ubuntu.com/mirror.example.org/'`: judge the replacement host.
    const kinds = urls.map((u) => sourceKind({ uri: u, signedBy: undefined }, ctx.mirrors))
    if (urls.length === 0 && !/^\s*\$?\s*a\b|\ba\\?\s*deb\b/.test(text)) ctx.add('mirror-change', 'low', span)
    else if (kinds.every((k) => k === 'mirror')) ctx.add('mirror-change', 'low', span)
    else ctx.add('new-apt-source', 'high', span)
    return
  }
  const all = entries.length > 0 ? entries : urls.map((u) => ({ uri: u, signedBy: undefined }))
  if (all.length === 0) {
    ctx.add('new-apt-source', 'high', span, 'content this text does not show')
    return
  }
  const kinds = all.map((e) => sourceKind(e, ctx.mirrors))
  // `[trusted=yes]` is its own high finding (trusted-yes); calling the same line a safe mirror switch would contradict it.
  if (TRUSTED_YES.test(text) && !kinds.includes('ppa') && !kinds.includes('foreign')) return
  if (kinds.includes('ppa')) ctx.add('new-apt-source', 'high', span, 'a PPA')
  else if (kinds.includes('foreign')) ctx.add('new-apt-source', 'high', span)
  else if (kinds.includes('unknown-mirror'))
    ctx.add(
      'mirror-change',
      'medium',
      span,
      'a server Lifeline does not know as a mirror, pinned to the Ubuntu archive key',
    )
  else ctx.add('mirror-change', 'low', span)
}

/** `add-apt-repository`, `apt-key`, and gpg writing keyrings. */
export function sourceCommands(cmd: SimpleCommand, texts: readonly string[], ctx: RuleContext): void {
  const program = cmd.program
  const args = cmd.argv.slice(1)
  if (program === 'add-apt-repository' || program === 'apt-add-repository') {
    const remove = texts.some((t) => t === '-r' || t === '--remove')
    const target = args.find((a) => !a.text.startsWith('-'))
    if (remove || !target || /^(main|universe|multiverse|restricted)$/.test(target.text)) return
    if (TRUSTED_YES.test(target.text)) ctx.add('trusted-yes', 'high', target.span, undefined, TRUSTED_NEEDLE)
    const url = /[a-z]{1,32}:\/\/\S+/.exec(target.text)?.[0]
    if (url)
      judgeSourceText(
        target.text.startsWith('deb') ? target.text : `deb ${url} x`,
        target.span,
        'written',
        ctx,
      )
    else ctx.add('new-apt-source', 'high', target.span, 'a PPA')
  } else if (program === 'apt-key') {
    const op = args.find((a) => /^(add|adv|--keyserver|--recv-keys?|--fetch-keys)$/.test(a.text))
    if (op) ctx.add('new-apt-key', 'high', op.span)
  }
}

/** gpg: writing into a keyring apt reads, or fetching a key from a key server. */
export function gpg(
  cmd: SimpleCommand,
  ctx: RuleContext,
  write: (path: string, at: Word, flow: Flow) => void,
): Flow | undefined {
  const texts = cmd.argv.map((a) => a.text)
  const args = cmd.argv.slice(1)
  const keyring = args.find(
    (a, k) => (texts[k] === '--keyring' || texts[k] === '--primary-keyring') && KEYRING_PATH.test(a.text),
  )
  const outIdx = texts.findIndex((t) => t === '-o' || t === '--output')
  const outWord = outIdx >= 0 ? cmd.argv[outIdx + 1] : undefined
  if (keyring) ctx.add('new-apt-key', 'high', keyring.span)
  if (outWord) write(outWord.text, outWord, cmd.stdin)
  const recv = cmd.argv.find((a) => /^--(recv-keys?|fetch-keys|keyserver|search-keys)$/.test(a.text))
  if (recv && !keyring)
    ctx.add(
      'new-apt-key',
      'medium',
      recv.span,
      'a key from a key server (check that its fingerprint is one Ubuntu publishes)',
    )
  const dearmor = texts.includes('--dearmor') || texts.includes('--export') || texts.includes('--enarmor')
  return dearmor ? { ...cmd.stdin, text: undefined } : undefined
}

/** `apt -o Acquire::AllowInsecureRepositories=true …` and friends. */
export function aptOptions(cmd: SimpleCommand, ctx: RuleContext): void {
  for (let k = 1; k < cmd.argv.length; k++) {
    const a = cmd.argv[k]
    if (!a) continue
    const opt =
      a.text.startsWith('-o') && a.text.length > 2
        ? a.text.slice(2)
        : a.text === '-o' || a.text === '--option'
          ? (cmd.argv[k + 1]?.text ?? '')
          : ''
    if (!opt) continue
    const at = a.text.length > 2 ? a : (cmd.argv[k + 1] ?? a)
    if (INSECURE_APT.test(opt)) ctx.add('allow-unauthenticated', 'high', at.span)
    else if (DOWNGRADE_APT.test(opt)) ctx.add('allow-downgrade', 'high', at.span)
    else if (/Check-Valid-Until\s*=\s*(false|no|0)/i.test(opt))
      ctx.add(
        'allow-unauthenticated',
        'medium',
        at.span,
        'outdated repository data (which lets an attacker hold back security fixes)',
      )
    else if (VERIFY_PEER_OFF.test(opt)) ctx.add('tls-disabled', 'high', at.span)
  }
}

/** A write into apt's sources, keyrings, configuration or preferences. Returns false when `path` is none of them. */
export function aptWrite(path: string, flow: Flow, span: Span, how: string, ctx: RuleContext): boolean {
  const text = flow.text ?? ''
  if (SOURCES_PATH.test(path) && (path.startsWith('/etc/apt') || /sources\.list/.test(path))) {
    const origin = flow.download || flow.decoded ? 'downloaded' : how === 'edit' ? 'edit' : 'written'
    judgeSourceText(text, span, origin, ctx)
    return true
  }
  if (KEYRING_PATH.test(path)) {
    ctx.add('new-apt-key', 'high', span)
    return true
  }
  if (APT_CONF_PATH.test(path)) {
    if (INSECURE_APT.test(text)) ctx.add('allow-unauthenticated', 'high', span)
    else if (VERIFY_PEER_OFF.test(text)) ctx.add('tls-disabled', 'high', span)
    else if (DOWNGRADE_APT.test(text)) ctx.add('allow-downgrade', 'high', span)
    else if (flow.download || flow.decoded || flow.text === undefined)
      ctx.add(
        'allow-unauthenticated',
        'medium',
        span,
        'settings this text does not show (they could turn off signature checks)',
      )
    return true
  }
  if (PREFERENCES_PATH.test(path)) {
    for (const m of text.matchAll(PIN_PRIORITY))
      if (Number(m[1]) > 1000) {
        ctx.add('allow-downgrade', 'high', span)
        return true
      }
    return true
  }
  return false
}
