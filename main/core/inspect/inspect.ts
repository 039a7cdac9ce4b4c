/**
 * The instruction checker: is this "emergency fix" safe to run? (docs/inspect.md).
 *
 * Pipeline: split the text (segment.ts) → verify clearsigned blocks (injected verifier, pinned `advisory` keys) →
 * parse each command region with tree-sitter-bash and walk it (walk.ts) through the rules (rules/rule-set.ts) →
 * scan hosts and config snippets (text-rules.ts) → verdict. Every message comes from the rule catalog (catalog.ts).
 */
import { RULES } from './catalog'
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import type { Span } from './command-model'
import { FindingList } from './rules/context'
import type { RawFinding } from './rules/context'
import { RuleSet } from './rules/rule-set'
import { segment } from './segment'
import type { Segments } from './segment'
import type { ShellParser } from './shell-parser'
import { textRules } from './text-rules'
import type {
  BlockVerifier,
  Finding,
  InspectErrorCode,
  InspectReport,
  KnownFix,
  Severity,
  SignedBlockInfo,
  SignedBlockStatus,
  Verdict,
} from './types'
import { Walker } from './walk'

/** What `inspectText` needs. Only `parser` is required. */
export interface InspectDeps {
  readonly parser: ShellParser
  /** Verifies a clearsigned block against the pinned advisory keys; without it blocks are `not-checked`. */
  readonly verify?: BlockVerifier | undefined
  /** Package versions named by verified advisories from sources this machine already uses. */
  readonly knownFixes?: readonly KnownFix[] | undefined
  /**
   * Base URLs of the mirrors this machine is configured with or Lifeline verified: a source pinned to the Ubuntu
   * archive keyring at one of them is a mirror switch, not a new source.
   */
  readonly mirrors?: readonly string[] | undefined
  /**
   * The command text of Lifeline's own guidance steps for this machine (GuidanceStep.command, from the latest
   * verified assessment): commands pasted back exactly as Lifeline wrote them count as verified.
   */
  readonly ownSteps?: readonly string[] | undefined
}

/** Verifier error codes that mean "signed, but not by a key we pin" rather than "altered" (RFC 9580 section 5.2). */
const NOT_PINNED =
  /UNKNOWN_SIGNER|NO_TRUSTED|UNTRUSTED|NO_PINNED|KEY_EXPIRED|KEY_REVOKED|WRONG_ROLE|NOT_YET_VALID/

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 }

/** What earned a `verified` verdict: a valid signature, Lifeline's own steps, or verified fixed versions. */
type VerifiedBy = 'signed' | 'own' | 'fixes'

/** A paste that is only a web address (with maybe a few words around it): Lifeline does not fetch links. */
const LINK_ONLY = /^\s*(?:[\p{L}'’,:-]+\s+){0,6}<?https?:\/\/\S+?>?[.,!]?\s*$/iu

/** The summary for a paste that is only a link. */
export const LINK_MESSAGE =
  'This is a link: Lifeline does not download it. Open it, copy its text and paste that here to check it.'

/**
 * Checks pasted instructions and returns a verdict with every finding.
 *
 * Throws CoreError INSPECT_TOO_LARGE above Limits.size.pastedTextBytes (UTF-16 units, a cheap upper bound check
 * first). Never throws for odd input otherwise: unparsable shell is read as far as tree-sitter recovers.
 */
export async function inspectText(text: string, deps: InspectDeps): Promise<InspectReport> {
  if (text.length > Limits.size.pastedTextBytes) {
    throw new CoreError<InspectErrorCode>(
      'INSPECT_TOO_LARGE',
      `text is over ${Limits.size.pastedTextBytes} characters`,
      {
        length: text.length,
      },
    )
  }
  const seg = segment(text)
  // Signed blocks first: their status decides how commands around them are read.
  const blocks = await verifyBlocks(seg, deps.verify)
  const rules = new RuleSet({ mirrors: deps.mirrors })
  const walker = new Walker(deps.parser, rules, seg.rootLines)
  for (const r of seg.regions) walker.walkSource(r.text, (row, col) => ({ line: r.line + row, col }), 0)
  const coverage = coverageOf(seg, blocks, deps.ownSteps ?? [])
  const findings = place(
    [
      ...signatureFindings(seg, blocks),
      ...rules.findings,
      ...textRules(seg, deps.mirrors),
      ...unparsedFindings(walker.unparsed),
      ...outsideSignedFindings(seg, rules, coverage),
    ],
    seg,
  )
  const { verdict, why } = judge(findings, rules, coverage, deps.knownFixes ?? [])
  const commandCount = walker.commandCount
  return {
    verdict,
    findings,
    blocks,
    lineKinds: seg.lineKinds,
    commandCount,
    summary: summarize(text, verdict, findings, commandCount, why),
  }
}

/** Verifies each clearsigned block in turn; without a verifier every block is `not-checked`. */
async function verifyBlocks(seg: Segments, verify: BlockVerifier | undefined): Promise<SignedBlockInfo[]> {
  const blocks: SignedBlockInfo[] = []
  for (const b of seg.signed) {
    let status: SignedBlockStatus = 'not-checked'
    let signers: readonly string[] = []
    let code: string | undefined
    if (verify) {
      try {
        const v = await verify(b.text)
        status = 'valid'
        signers = v.signers
      } catch (e) {
        if (!isCoreError(e)) throw e
        code = e.code
        status = NOT_PINNED.test(e.code) ? 'unknown-signer' : 'invalid'
      }
    }
    blocks.push({ startLine: b.startLine + 1, endLine: b.endLine + 1, status, signers, code })
  }
  return blocks
}

/** One finding per signed block that is not valid, on its first armor line. */
function signatureFindings(seg: Segments, blocks: readonly SignedBlockInfo[]): RawFinding[] {
  const found = new FindingList()
  seg.signed.forEach((b, k) => {
    const span = { line: b.startLine, start: 0, end: (seg.lines[b.startLine] ?? '').length }
    const status = blocks[k]?.status
    if (status === 'invalid') found.add('signature-invalid', 'high', span)
    else if (status === 'unknown-signer') found.add('signature-unknown', 'medium', span)
    else if (status === 'not-checked') found.add('signature-unchecked', 'low', span)
  })
  return found.findings
}

/** Fail closed: where the parser gave up, nothing was checked. */
function unparsedFindings(unparsed: readonly Span[]): RawFinding[] {
  const found = new FindingList()
  for (const span of unparsed) found.add('too-complex', 'high', span)
  return found.findings
}

/** Which lines a valid signature or Lifeline's own steps vouch for. */
interface Coverage {
  readonly validBlocks: number
  /** Lines that are exactly one of Lifeline's own guidance steps. */
  readonly own: ReadonlySet<number>
  /** Inside the signed content of any block, valid or not. */
  readonly inAnyBlock: (line: number) => boolean
  /** Inside a valid block's signed content, or one of Lifeline's own steps. */
  readonly covered: (line: number) => boolean
}

/** Works out which lines a valid signature or Lifeline's own steps vouch for (0-based lines). */
function coverageOf(
  seg: Segments,
  blocks: readonly SignedBlockInfo[],
  ownSteps: readonly string[],
): Coverage {
  const validBlocks = seg.signed.filter((_, k) => blocks[k]?.status === 'valid')
  const inValid = (line: number): boolean =>
    validBlocks.some((b) => line >= b.contentStart && line <= b.contentEnd)
  const inAnyBlock = (line: number): boolean =>
    seg.signed.some((b) => line >= b.contentStart && line <= b.contentEnd)
  const own = ownLines(seg, ownSteps)
  return {
    validBlocks: validBlocks.length,
    own,
    inAnyBlock,
    covered: (line) => inValid(line) || own.has(line),
  }
}

/**
 * Commands outside every valid signed block are not covered by its signature (RFC 9580 section 7: only the text
 * between the armor headers is signed); each is judged on its own, and the paste is no longer verified.
 */
function outsideSignedFindings(seg: Segments, rules: RuleSet, coverage: Coverage): RawFinding[] {
  const found = new FindingList()
  if (seg.signed.length === 0) return found.findings
  const flagged = new Set<number>()
  for (const c of rules.commands) {
    const line = c.span.line
    if (c.depth > 0 || coverage.inAnyBlock(line) || coverage.own.has(line) || flagged.has(line)) continue
    flagged.add(line)
    found.add('unsigned-outside-signed', 'medium', c.span)
  }
  return found.findings
}

/** The verdict, and which kind of trust earned `verified` (for the summary). */
function judge(
  findings: readonly Finding[],
  rules: RuleSet,
  coverage: Coverage,
  knownFixes: readonly KnownFix[],
): { readonly verdict: Verdict; readonly why: VerifiedBy } {
  const { covered } = coverage
  const high = findings.some((f) => f.severity === 'high')
  const mediumOutside = findings.some((f) => f.severity === 'medium' && !covered(f.line - 1))
  const anyCommand = rules.commands.length > 0
  const allCovered = anyCommand && rules.commands.every((c) => covered(c.span.line))
  const signedOk =
    coverage.validBlocks > 0 && rules.commands.every((c) => covered(c.span.line)) && !mediumOutside
  const ownOk = coverage.own.size > 0 && allCovered && !mediumOutside
  const fixesOk = !findings.some((f) => f.severity === 'medium') && onlyKnownUpgrades(rules, knownFixes)
  const verdict: Verdict = high ? 'dangerous' : signedOk || ownOk || fixesOk ? 'verified' : 'caution'
  return { verdict, why: signedOk ? 'signed' : ownOk ? 'own' : 'fixes' }
}

/**
 * Input lines that are exactly one of Lifeline's own steps (whitespace at line ends ignored): a step's command is
 * matched as a whole run of lines, so one line of it pasted among other text does not count.
 */
function ownLines(seg: Segments, steps: readonly string[]): Set<number> {
  const out = new Set<number>()
  const norm = (l: string): string => l.replace(/^\s*(?:\$\s+)?/, '').trimEnd()
  for (const step of steps) {
    const want = step.split('\n').map((l) => l.trimEnd())
    if (want.length === 0 || want[0] === '') continue
    for (let i = 0; i + want.length <= seg.lines.length; i++) {
      let k = 0
      while (k < want.length && norm(seg.lines[i + k] ?? '') === (k === 0 ? norm(want[0] ?? '') : want[k]))
        k++
      if (k === want.length) for (let j = 0; j < want.length; j++) out.add(i + j)
    }
  }
  return out
}

/** True when every command is ordinary apt use and at least one upgrades a package to a known fixed version. */
function onlyKnownUpgrades(rules: RuleSet, fixes: readonly KnownFix[]): boolean {
  if (fixes.length === 0 || rules.upgrades.length === 0 || rules.unusual.length > 0) return false
  return rules.upgrades.every((u) =>
    fixes.some((f) => f.package === u.pkg && (u.version === undefined || u.version === f.version)),
  )
}

/**
 * Dedupes, moves spans onto their needle, turns 0-based spans into report findings with absolute offsets, and
 * sorts them.
 */
function place(raw: readonly RawFinding[], seg: Segments): Finding[] {
  const { lines, lineOffsets: offsets } = seg
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const found of raw) {
    const f = found.needle ? onNeedle(found, lines) : found
    const lineText = lines[f.span.line] ?? ''
    const start = Math.min(Math.max(0, f.span.start), lineText.length)
    let end = Math.min(Math.max(start, f.span.end), lineText.length)
    // A finding inside re-parsed text (a here-doc, `system("…")`) is pinned to where that text starts: widen it to
    // the word there, so the highlight is visible.
    if (end === start) end = start + (/^\S+/.exec(lineText.slice(start))?.[0].length ?? 0)
    const key = `${f.rule}:${f.span.line}:${start}:${end}`
    if (seen.has(key)) continue
    seen.add(key)
    const base = offsets[f.span.line] ?? 0
    out.push({
      rule: f.rule,
      severity: f.severity,
      title: RULES[f.rule].title,
      line: f.span.line + 1,
      start,
      end,
      offset: base + start,
      endOffset: base + end,
      message: f.message,
    })
  }
  // A line already dangerous for a named reason needs no "unknown program" note on top.
  const highLines = new Set(out.filter((f) => f.severity === 'high').map((f) => f.line))
  const unshadowed = out.filter((f) => !(f.rule === 'unknown-root-command' && highLines.has(f.line)))
  // The same rule twice on one line (the command rule and the text rule on `[trusted=yes]`, a wider and a narrower
  // span) says the same thing twice: keep the most severe, then the narrowest, then the first. Findings are grouped
  // by rule and line first, so this stays linear in the number of findings on a long paste.
  const groups = new Map<string, Finding[]>()
  for (const f of unshadowed) {
    const key = `${f.rule}:${f.line}`
    const group = groups.get(key)
    if (group) group.push(f)
    else groups.set(key, [f])
  }
  const kept: Finding[] = []
  for (const group of groups.values()) {
    group.forEach((f, i) => {
      const shadowed = group.some(
        (o, j) =>
          j !== i &&
          (RANK[o.severity] < RANK[f.severity] ||
            (o.severity === f.severity &&
              o.start >= f.start &&
              o.end <= f.end &&
              (o.end - o.start < f.end - f.start || j < i))),
      )
      if (!shadowed) kept.push(f)
    })
  }
  return kept.sort((a, b) => a.line - b.line || a.start - b.start || RANK[a.severity] - RANK[b.severity])
}

/** Moves a finding onto the first match of its needle at or below its line (within 200 lines). */
function onNeedle(f: RawFinding, lines: readonly string[]): RawFinding {
  const re = f.needle
  if (!re) return f
  for (let i = f.span.line; i < Math.min(lines.length, f.span.line + 200); i++) {
    const m = re.exec(lines[i] ?? '')
    if (m) return { ...f, span: { line: i, start: m.index, end: m.index + m[0].length } }
  }
  return f
}

/** One or two plain sentences for the banner: the problems by name, and counts a reader can check. */
function summarize(
  text: string,
  verdict: Verdict,
  findings: readonly Finding[],
  commands: number,
  why: VerifiedBy,
): string {
  const high = findings.filter((f) => f.severity === 'high')
  const cmds = `${commands} command${commands === 1 ? '' : 's'}`
  if (verdict === 'dangerous') {
    const titles = [...new Set(high.map((f) => f.title))]
    const named =
      titles.length <= 3 ? list(titles) : `${list(titles.slice(0, 3))} and ${titles.length - 3} more`
    const where = commands > 0 ? ` in ${cmds}` : ''
    return `Do not run this: it contains ${named}. ${high.length} dangerous part${high.length === 1 ? '' : 's'}${where}, each highlighted with the reason.`
  }
  if (verdict === 'verified') {
    if (why === 'signed')
      return 'These instructions are signed by a key Lifeline trusts for Ubuntu advisories, and nothing in them is dangerous.'
    if (why === 'own') return "These are Lifeline's own steps for this computer, exactly as it wrote them."
    return 'These commands only upgrade packages to the fixed versions named by a verified Ubuntu advisory, from sources you already use.'
  }
  if (commands === 0 && LINK_ONLY.test(text)) return LINK_MESSAGE
  if (commands === 0) return 'No commands found: this text is prose only. Nothing here runs anything.'
  const medium = findings.filter((f) => f.severity === 'medium')
  if (medium.length > 0) {
    const titles = [...new Set(medium.map((f) => f.title))]
    return `Check before running: ${list(titles.slice(0, 3))}${titles.length > 3 ? ', and more' : ''}. ${medium.length} part${medium.length === 1 ? ' needs' : 's need'} a closer look in ${cmds}, and nothing here is verified.`
  }
  return `Nothing dangerous found in ${cmds}, but nothing here is verified either: run it only if you trust where it came from.`
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`
}
