/**
 * The instruction checker: is this "emergency fix" safe to run? (issue 6, DESIGN.md "The instruction checker").
 *
 * Pipeline: split the text (segment.ts) → verify clearsigned blocks (injected verifier, pinned `advisory` keys) →
 * parse each command region with tree-sitter-bash and walk it (walk.ts) through the rules (rules.ts) → scan hosts and
 * config snippets (text-rules.ts) → verdict.
 */
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import { RuleSet } from './rules'
import type { RawFinding } from './rules'
import { segment } from './segment'
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
}

/** Verifier error codes that mean "signed, but not by a key we pin" rather than "altered" (RFC 9580 section 5.2). */
const NOT_PINNED =
  /UNKNOWN_SIGNER|NO_TRUSTED|UNTRUSTED|NO_PINNED|KEY_EXPIRED|KEY_REVOKED|WRONG_ROLE|NOT_YET_VALID/

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 }

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
  const raw: RawFinding[] = []

  // Signed blocks first: their status decides how commands around them are read.
  const blocks: SignedBlockInfo[] = []
  for (const b of seg.signed) {
    let status: SignedBlockStatus = 'not-checked'
    let signers: readonly string[] = []
    let code: string | undefined
    if (deps.verify) {
      try {
        const v = await deps.verify(b.text)
        status = 'valid'
        signers = v.signers
      } catch (e) {
        if (!isCoreError(e)) throw e
        code = e.code
        status = NOT_PINNED.test(e.code) ? 'unknown-signer' : 'invalid'
      }
    }
    blocks.push({ startLine: b.startLine + 1, endLine: b.endLine + 1, status, signers, code })
    const span = { line: b.startLine, start: 0, end: (seg.lines[b.startLine] ?? '').length }
    if (status === 'invalid') {
      raw.push({
        rule: 'signature-invalid',
        severity: 'high',
        span,
        message:
          'This text claims to be signed, but it was altered after signing or the signature is broken.',
      })
    } else if (status === 'unknown-signer') {
      raw.push({
        rule: 'signature-unknown',
        severity: 'medium',
        span,
        message: 'This text is signed, but not by a key Lifeline trusts for Ubuntu advisories.',
      })
    } else if (status === 'not-checked') {
      raw.push({
        rule: 'signature-unchecked',
        severity: 'low',
        span,
        message: 'This text contains a signature that was not checked.',
      })
    }
  }

  const rules = new RuleSet()
  const walker = new Walker(deps.parser, rules)
  for (const r of seg.regions) {
    walker.walkSource(r.text, (row, col) => ({ line: r.line + row, col }), 0)
  }
  raw.push(...rules.findings, ...textRules(seg))
  for (const span of walker.unparsed) {
    raw.push({
      rule: 'too-complex',
      severity: 'high',
      span,
      message:
        'This text is too long or too tangled to check, so anything could be hidden in it. Do not run it.',
    })
  }

  // Commands outside every valid signed block are not covered by its signature (RFC 9580 section 7: only the text
  // between the armor headers is signed).
  const validBlocks = seg.signed.filter((_, k) => blocks[k]?.status === 'valid')
  const inValid = (line: number): boolean =>
    validBlocks.some((b) => line >= b.contentStart && line <= b.contentEnd)
  let outside = 0
  if (seg.signed.length > 0) {
    for (const c of rules.commands) {
      if (
        inValid(c.span.line) ||
        seg.signed.some((b) => c.span.line >= b.contentStart && c.span.line <= b.contentEnd)
      )
        continue
      outside++
      raw.push({
        rule: 'unsigned-outside-signed',
        severity: c.ordinary ? 'medium' : 'high',
        span: c.span,
        message:
          'This command is outside the signed part of the text, so the signature says nothing about it.',
      })
    }
  }

  const findings = place(raw, seg.lines, seg.lineOffsets)
  const high = findings.some((f) => f.severity === 'high')
  const medium = findings.some((f) => f.severity === 'medium')
  const signedOk =
    validBlocks.length > 0 && outside === 0 && rules.commands.every((c) => inValid(c.span.line))
  const fixesOk = !medium && onlyKnownUpgrades(rules, deps.knownFixes ?? [])
  const verdict: Verdict = high ? 'dangerous' : signedOk || fixesOk ? 'verified' : 'caution'
  return {
    verdict,
    findings,
    blocks,
    lineKinds: seg.lineKinds,
    commandCount: walker.commandCount,
    summary: summarize(verdict, findings, walker.commandCount, signedOk),
  }
}

/** True when every command is ordinary apt use and at least one upgrades a package to a known fixed version. */
function onlyKnownUpgrades(rules: RuleSet, fixes: readonly KnownFix[]): boolean {
  if (fixes.length === 0 || rules.upgrades.length === 0 || rules.unusual.length > 0) return false
  return rules.upgrades.every((u) =>
    fixes.some((f) => f.package === u.pkg && (u.version === undefined || u.version === f.version)),
  )
}

/** Dedupes, turns 0-based spans into report findings with absolute offsets, and sorts them. */
function place(raw: readonly RawFinding[], lines: readonly string[], offsets: readonly number[]): Finding[] {
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const f of raw) {
    const lineText = lines[f.span.line] ?? ''
    const start = Math.min(Math.max(0, f.span.start), lineText.length)
    const end = Math.min(Math.max(start, f.span.end), lineText.length)
    const key = `${f.rule}:${f.span.line}:${start}:${end}`
    if (seen.has(key)) continue
    seen.add(key)
    const base = offsets[f.span.line] ?? 0
    out.push({
      rule: f.rule,
      severity: f.severity,
      line: f.span.line + 1,
      start,
      end,
      offset: base + start,
      endOffset: base + end,
      message: f.message,
    })
  }
  // A finding of the same rule on a wider span of the same line says the same thing twice: keep the narrowest.
  const kept = out.filter(
    (f) =>
      !out.some(
        (g) =>
          g !== f &&
          g.rule === f.rule &&
          g.line === f.line &&
          g.start >= f.start &&
          g.end <= f.end &&
          g.end - g.start < f.end - f.start,
      ),
  )
  return kept.sort((a, b) => a.line - b.line || a.start - b.start || RANK[a.severity] - RANK[b.severity])
}

/** One or two plain sentences for the banner. */
function summarize(
  verdict: Verdict,
  findings: readonly Finding[],
  commands: number,
  signed: boolean,
): string {
  const high = findings.filter((f) => f.severity === 'high')
  if (verdict === 'dangerous') {
    const rules = [...new Set(high.map((f) => f.rule))]
    return `Do not run this. Lifeline found ${high.length} dangerous part${high.length === 1 ? '' : 's'} (${rules.join(', ')}); each is highlighted with the reason.`
  }
  if (verdict === 'verified') {
    return signed
      ? 'These instructions are signed by a key Lifeline trusts for Ubuntu advisories, and nothing in them is dangerous.'
      : 'These commands only upgrade packages to the fixed versions named by a verified Ubuntu advisory, from sources you already use.'
  }
  if (commands === 0) return 'No commands found: this text is prose only. Nothing here runs anything.'
  const others = findings.filter((f) => f.severity !== 'low').length
  return others > 0
    ? `Nothing clearly dangerous, but ${others} part${others === 1 ? ' needs' : 's need'} a closer look, and nothing here is verified.`
    : 'Nothing dangerous found, but nothing here is verified either: run it only if you trust where it came from.'
}
