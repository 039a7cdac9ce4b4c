/**
 * Rules over text that is not a shell command: host names anywhere, and config snippets (sources.list lines,
 * apt.conf settings) that a post tells the reader to paste into a file.
 */
import type { Span } from './command-model'
import { classifyHost } from './domains'
import type { HostKind } from './domains'
import { DOWNGRADE_APT, judgeSourceText, PIN_PRIORITY } from './rules/apt-sources'
import { FindingList, RuleContext } from './rules/context'
import type { RawFinding } from './rules/context'
import { dnsServerKind, KERNEL_OFF, kernelParamWhat, MODPROBE_OFF } from './rules/system'
import type { Segments } from './segment'

/** Top-level domains that make a bare `word.word` token read as a host name (not `sources.list`, `fix.deb`). */
const TLDS = new Set(
  'com net org io co info xyz top site online ru cn de uk app dev me cc tk ml ga cf gq pw biz us eu fr it nl su ws sh to ly link click live pro cloud tech store shop support services security network host'.split(
    ' ',
  ),
)
// Every quantifier here is bounded or cannot overlap its neighbour: pasted text is attacker-chosen, and a
// quadratic scan of 1 MB would freeze the checker (ReDoS).
const URL =
  /\b([a-z][a-z0-9+.-]{0,31}):\/\/(?:[^\s/@'"`<>]*@)?(\[[0-9a-f:.]+\]|[^\s/:?#'"`<>|;,)\]]+)(:\d+)?[^\s'"`<>|;)\]]*/giu
const BARE_HOST =
  /(?<![\p{L}\p{N}@/._-])((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+([\p{L}\p{N}-]{2,}))(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/gu
const DEB_LINE = /\bdeb(?:-src)?[ \t]{1,16}(\[[^\]\n]{0,500}\][ \t]{1,16})?([a-z]{1,32}:\/\/\S+)\s+\S+/i
const INSECURE =
  /(AllowInsecureRepositories|AllowUnauthenticated|AllowDowngradeToInsecureRepositories)\s*(?:"\s*)?(true|yes|1)|--allow-unauthenticated|--allow-insecure-repositories/i
const TRUSTED = /\[[^\][]*\btrusted\s*=\s*yes[^\]]*\]|^\s*Trusted:\s*yes\b/i
/** A resolv.conf(5) line on its own: `nameserver 203.0.113.9` (anchored, bounded gaps: linear on any line). */
export const NAMESERVER = /^[ \t]*nameserver[ \t]{1,16}(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})[ \t]*$/

/** True when columns [s, e) of line i are inside command text. */
function inCommand(seg: Segments, i: number, s: number, e: number): boolean {
  return (seg.commandSpans[i] ?? []).some(([a, b]) => s >= a && e <= b)
}

/** The span of a match on line i, or undefined when there is none or it lies inside command text. */
function outsideCommand(seg: Segments, i: number, m: RegExpExecArray | null): Span | undefined {
  return m && !inCommand(seg, i, m.index, m.index + m[0].length)
    ? { line: i, start: m.index, end: m.index + m[0].length }
    : undefined
}

/**
 * Host names and config snippets. Severity is higher where the text is a command or code the reader runs.
 *
 * `mirrors`: the mirrors this machine uses or Lifeline verified, for judging pasted source lines.
 */
export function textRules(seg: Segments, mirrors: readonly string[] = []): RawFinding[] {
  const found = new FindingList()
  // Pasted source lines are judged by the apt-sources rules; their findings follow the per-line ones.
  const sources = new RuleContext(mirrors)
  for (let i = 0; i < seg.lines.length; i++) {
    const line = seg.lines[i] ?? ''
    if (seg.lineKinds[i] === 'signed-armor' || line.length === 0) continue
    hostRules(seg, i, mirrors, found)
    grubCmdline(i, line, found)
    // Config snippets: only outside command text (commands are judged by the shell rules).
    if ((seg.commandSpans[i]?.length ?? 0) > 0 && seg.lineKinds[i] === 'command') continue
    snippetRules(seg, i, found)
    sourceSnippets(seg, i, sources)
  }
  return [...found.findings, ...sources.findings]
}

/** How a look-alike host imitates Ubuntu, for the message. */
function lookalikeHow(host: Extract<HostKind, { kind: 'lookalike' }>): string {
  switch (host.why) {
    case 'subdomain':
      return `puts "${host.imitates}" in front of someone else's domain`
    case 'homoglyph':
      return 'uses letters from another alphabet that look like Latin ones'
    case 'punycode':
      return 'is an encoded international name that can hide look-alike letters'
    case 'typosquat':
      return `is misspelled to look like "${host.imitates}"`
    case 'brand-word':
      return `uses the name "${host.imitates}" but is not run by Ubuntu or Canonical`
  }
}

/** Every host on line i, in a URL or bare: look-alikes anywhere, raw IPs and paste sites as download sources. */
function hostRules(seg: Segments, i: number, mirrors: readonly string[], found: FindingList): void {
  const line = seg.lines[i] ?? ''
  const seen = new Set<number>()
  // A `deb URI suite` line is an instruction to add a source, wherever it appears.
  const runnableLine = seg.lineKinds[i] === 'code' || seg.lineKinds[i] === 'command' || DEB_LINE.test(line)
  const judge = (host: string, s: number, e: number, isUrl: boolean): void => {
    const inCmd = inCommand(seg, i, s, e) || runnableLine
    const k = classifyHost(host)
    const span = { line: i, start: s, end: e }
    if (k.kind === 'lookalike')
      found.add('lookalike-domain', inCmd ? 'high' : 'medium', span, lookalikeHow(k))
    else if (isUrl && k.kind === 'raw-ip')
      found.add('raw-ip-source', inCmd && !k.private ? 'high' : 'medium', span)
    else if (isUrl && k.kind === 'paste') found.add('paste-site', inCmd ? 'high' : 'medium', span)
  }
  for (const m of line.matchAll(URL)) {
    const host = m[2] ?? ''
    // A mirror this machine is configured with is no stranger's server, whatever its address looks like.
    if (mirrors.some((u) => m[0].replace(/\/+$/, '').startsWith(u.replace(/\/+$/, '')))) {
      for (let c = m.index ?? 0; c < (m.index ?? 0) + m[0].length; c++) seen.add(c)
      continue
    }
    const s = (m.index ?? 0) + m[0].indexOf(host)
    for (let c = s; c < s + host.length; c++) seen.add(c)
    judge(host + (m[3] ?? ''), s, s + host.length, true)
  }
  for (const m of line.matchAll(BARE_HOST)) {
    const s = m.index ?? 0
    if (seen.has(s)) continue
    const tld = (m[2] ?? '').toLowerCase()
    if (!TLDS.has(tld) && !tld.startsWith('xn--') && !/[^\p{ASCII}]/u.test(m[1] ?? '')) continue
    judge(m[1] ?? '', s, s + (m[1] ?? '').length, false)
  }
}

/**
 * A kernel command line set in /etc/default/grub reads like a shell assignment; the shell rules have nothing to say
 * about an assignment, so it is judged here whether it was read as a command or not.
 */
function grubCmdline(i: number, line: string, found: FindingList): void {
  if (!/^\s*(?:[-*>]\s*)?GRUB_CMDLINE_LINUX/.test(line)) return
  const k = KERNEL_OFF.exec(line)
  if (k)
    found.add(
      'disable-protection',
      'high',
      { line: i, start: k.index, end: k.index + k[0].length },
      kernelParamWhat(k[1] ?? ''),
    )
}

/**
 * Config snippets a post tells the reader to paste into a file by hand (not as a command): `[trusted=yes]`, apt
 * settings that accept unsigned packages, a kernel command line that turns AppArmor off, a modprobe.d line that
 * blocks it, apt settings or pins that force downgrades, and a resolv.conf line pointing at a stranger's name server.
 */
function snippetRules(seg: Segments, i: number, found: FindingList): void {
  const line = seg.lines[i] ?? ''
  const runnable = seg.lineKinds[i] !== 'prose' || (seg.commandSpans[i]?.length ?? 0) > 0
  const trusted = outsideCommand(seg, i, TRUSTED.exec(line))
  if (trusted) found.add('trusted-yes', 'high', trusted)
  const insecure = outsideCommand(seg, i, INSECURE.exec(line))
  if (insecure)
    found.add('allow-unauthenticated', runnable || seg.lineKinds[i] === 'prose' ? 'high' : 'medium', insecure)
  const mod = outsideCommand(seg, i, MODPROBE_OFF.exec(line))
  if (mod) found.add('disable-protection', 'high', mod, 'a protection module of the kernel')
  const down = outsideCommand(seg, i, DOWNGRADE_APT.exec(line))
  if (down) found.add('allow-downgrade', 'high', down)
  for (const m of line.matchAll(PIN_PRIORITY)) {
    const span = outsideCommand(seg, i, m as RegExpExecArray)
    if (span && Number(m[1]) > 1000) found.add('allow-downgrade', 'high', span)
  }
  const ns = NAMESERVER.exec(line)
  const nsSpan = outsideCommand(seg, i, ns)
  if (ns && nsSpan && dnsServerKind(ns[1] ?? '') === 'public') found.add('dns-hijack', 'high', nsSpan)
}

/** Software sources pasted as snippets: a `deb …` line, or a deb822 stanza judged once on its `URIs:` line. */
function sourceSnippets(seg: Segments, i: number, sources: RuleContext): void {
  const line = seg.lines[i] ?? ''
  const deb = DEB_LINE.exec(line)
  const debSpan = outsideCommand(seg, i, deb)
  if (deb && debSpan) judgeSourceText(deb[0], debSpan, 'written', sources)
  const uris = /^[ \t]*URIs:[ \t]*\S/i.exec(line)
  if (uris && !inCommand(seg, i, 0, line.length)) {
    let a = i
    while (a > 0 && (seg.lines[a - 1] ?? '').trim() !== '' && i - a < 20) a--
    let b = i
    while (b + 1 < seg.lines.length && (seg.lines[b + 1] ?? '').trim() !== '' && b - i < 20) b++
    judgeSourceText(
      seg.lines.slice(a, b + 1).join('\n'),
      { line: i, start: 0, end: line.length },
      'written',
      sources,
    )
  }
}
