/**
 * `lifeline check`: is this machine affected, what exactly to do, and how much of it is verified (docs/cli.md).
 *
 * Runs the engine's full check (or, with --offline, the last verified state on disk only) and prints either a
 * plain-language report or the versioned JSON report `lifeline.check/1` (docs/check-report.schema.json). The
 * verdict and exit code come from main/core/check/verdict.ts (one rule for the CLI, the JSON and the app): 0 safe,
 * 1 a verified fix is ready, 2 affected with no verified fix, 3 not known to be safe, 64 usage or configuration error.
 */
import type { Assessment } from '../../core/assess/types'
import { summarize, type CheckParts } from '../../core/check/checker'
import { CheckExitCodes } from '../../core/check/exit-code'
import { affectsThisComputer, isAuthenticState, isKeyBacked } from '../../core/check/predicates'
import {
  advisoryJson,
  channelJson,
  coverageJson,
  kernelJson,
  mirrorJson,
  mitigationJson,
  releaseJson,
  REPORT_WRITING,
  securityUpdateJson,
  stepJson,
  type AdvisoryJson,
  type ChannelJson,
  type CoverageJson,
  type KernelJson,
  type MirrorJson,
  type MitigationJson,
  type ReleaseJson,
  type SecurityUpdateJson,
  type StepJson,
} from '../../core/check/report-json'
import type { VerdictRow } from '../../core/check/verdict'
import type { Verdict } from '../../core/model'
import type { Logger } from '../../core/ports'
import { describeDuration, isoTime, isoTimeOrNull, secondsOrNull } from '../../core/time-format'
import { createAppEngine, readCodename } from '../../node/app'
import { STATUS_WORDS, TRUST_WORDS } from '../../../preload/contract/words'
import { resourcesDir } from '../../node/keys'
import { defaultDataDir } from '../../node/paths'
import { EXIT_USAGE, type CliCommand, type CliIo } from '../io'
import { checkFolder } from '../options'
import { prometheusMetrics, writeMetricsFile } from '../prometheus'
import { parseCommandArgs, pathOption, referenceTime } from '../args'

/** Exit code when the --prometheus file cannot be written (sysexits EX_IOERR). */
const EXIT_IO_ERROR = 74

/** The JSON report's schema id; bumped on any incompatible change (docs/check-report.schema.json). */
export const CHECK_REPORT_SCHEMA = 'lifeline.check/1'

/** Exit codes of `lifeline check` (docs/cli.md). */
export const CheckExit = {
  nothingToDo: CheckExitCodes.safe,
  fixAvailable: CheckExitCodes.fixReady,
  affectedNoFix: CheckExitCodes.affectedNoFix,
  nothingVerified: CheckExitCodes.notKnown,
  usage: EXIT_USAGE,
} as const

const HELP = `Usage: lifeline check [--config FILE] [--root DIR] [--now ISO-8601] [--offline] [--json]
                      [--data-dir DIR] [--prometheus FILE]

Checks this computer against verified mirrors and security advisories: what is wrong, what to do
(numbered steps with the exact commands), how much of it is verified, and how old the data is.

Options:
  --config FILE    use this configuration file instead of the built-in defaults
  --root DIR       read this machine's files (etc/os-release, dpkg status, apt sources) under DIR
                   (default: /)
  --now ISO-8601   the reference time for everything (Release freshness, data age),
                   e.g. 2026-06-06T12:00:00Z (default: now)
  --offline        fetch nothing: use only the last verified state on disk
  --json           print the versioned JSON report (schema "${CHECK_REPORT_SCHEMA}",
                   docs/check-report.schema.json)
  --data-dir DIR   where the last verified state is kept (default: $LIFELINE_DATA_DIR,
                   else $XDG_DATA_HOME/lifeline)
  --prometheus FILE  also write the check as Prometheus metrics to FILE, atomically (for
                   node_exporter's textfile collector, e.g.
                   /var/lib/prometheus/node-exporter/lifeline.prom; docs/fleets.md)

Exit status (from key-backed evidence only; the verdict table is in docs/cli.md):
  0   safe: up to date with the current, verified security pocket
  1   a verified fix is ready (apply the steps), on this computer's mirror or another
  2   affected by a signed or archive-confirmed advisory, and no verified fix exists yet
  3   not known to be safe (nothing verified, release not served, security data old
      or missing, a possible attack), and nothing verified to apply
  64  usage or configuration error
  74  the --prometheus file could not be written
`

/** A logger writing warnings to stderr (never to stdout: the JSON report stays parseable). */
export function stderrLogger(io: CliIo): Logger {
  return {
    info() {},
    warn: (m) => io.stderr(`warning: ${m}\n`),
    error: (m) => io.stderr(`error: ${m}\n`),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The JSON report (lifeline.check/1): built from the shared views of main/core/check/report-json.ts

export type {
  AdvisoryJson,
  CoverageJson,
  MirrorJson,
  MitigationJson,
  SecurityUpdateJson,
  StepJson,
  TargetJson,
} from '../../core/check/report-json'

/** The `lifeline.check/1` report. Every time is ISO-8601 UTC; absent values are null, never missing. */
export interface CheckReportJson {
  readonly schema: typeof CHECK_REPORT_SCHEMA
  readonly generatedAt: string
  readonly offline: boolean
  readonly verdict: Verdict
  /** The row of the verdict table that decided it (docs/cli.md, "Verdict rules"). */
  readonly verdictRow: VerdictRow
  readonly summary: string
  readonly exitCode: number
  /** What the check saw; null when this computer could not be read. */
  readonly coverage: CoverageJson | null
  /** Mitigation text of advisories affecting this computer, with its source and the checker's verdict. */
  readonly mitigations: readonly MitigationJson[]
  readonly release: ReleaseJson | null
  readonly verification: {
    readonly mirrorsVerified: number
    readonly mirrorsTotal: number
    readonly advisoriesVerified: number
    readonly advisoriesTotal: number
    readonly newestVerifiedAt: string | null
    readonly dataAgeSeconds: number | null
  }
  readonly mirrors: readonly MirrorJson[]
  readonly channels: readonly ChannelJson[]
  readonly advisories: readonly AdvisoryJson[]
  readonly securityUpdates: readonly SecurityUpdateJson[]
  readonly kernel: KernelJson | null
  readonly counts: Readonly<Record<string, number>> | null
  readonly steps: readonly StepJson[]
  readonly systemProblems: readonly string[]
}

/** The exit code of a check (main/core/check/exit-code.ts through the verdict). */
export function exitCodeOf(parts: CheckParts, now?: number): number {
  return summarize(parts, now).exitCode
}

/** When the newest verified mirror data was verified (epoch ms). */
function newestVerified(parts: CheckParts, now: number): number | undefined {
  let best: number | undefined
  for (const m of parts.mirrors) {
    // A mirror verified now has no data age; a failed or offline one carries the age of what is kept.
    const age = m.dataAgeMs ?? (isAuthenticState(m.state) ? 0 : undefined)
    if (age === undefined) continue
    if (best === undefined || now - age > best) best = now - age
  }
  return best
}

/** How much of the check is verified: mirrors with pinned archive keys, advisories backed by a pinned key. */
function verificationOf(parts: CheckParts, now: number): CheckReportJson['verification'] {
  const advisories = parts.assessment?.advisories ?? []
  const newest = newestVerified(parts, now)
  return {
    mirrorsVerified: parts.mirrors.filter((m) => isAuthenticState(m.state)).length,
    mirrorsTotal: parts.mirrors.length,
    advisoriesVerified: advisories.filter((x) => isKeyBacked(x.trust)).length,
    advisoriesTotal: advisories.length,
    newestVerifiedAt: isoTimeOrNull(newest),
    dataAgeSeconds: newest === undefined ? null : secondsOrNull(now - newest),
  }
}

/** Builds the `lifeline.check/1` report: a pure function of the check's parts and the reference time. */
export function buildCheckReport(parts: CheckParts, now: number): CheckReportJson {
  const s = summarize(parts, now)
  const a: Assessment | undefined = parts.assessment
  return {
    schema: CHECK_REPORT_SCHEMA,
    generatedAt: isoTime(now),
    offline: parts.offline === true,
    verdict: s.verdict,
    verdictRow: s.row,
    summary: s.summary,
    exitCode: s.exitCode,
    coverage: parts.coverage ? coverageJson(parts.coverage, now) : null,
    mitigations: (parts.mitigations ?? []).map(mitigationJson),
    release: a ? releaseJson(a) : null,
    verification: verificationOf(parts, now),
    mirrors: parts.mirrors.map(mirrorJson),
    channels: parts.channels.map(channelJson),
    advisories: a?.advisories.map((x) => advisoryJson(x, REPORT_WRITING)) ?? [],
    securityUpdates: a?.securityUpdates.map(securityUpdateJson) ?? [],
    kernel: a ? kernelJson(a) : null,
    counts: a ? a.counts : null,
    steps: a?.steps.map(stepJson) ?? [],
    systemProblems: parts.systemProblems ?? [],
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The human report

function ago(seconds: number | null): string {
  if (seconds === null) return 'never'
  return describeDuration(seconds * 1000)
}

/** Why the archive's changelog could not be read, in words, by failing code. */
const GAP_WORDS: Readonly<Record<string, string>> = {
  NET_NOT_FOUND: '404 from the mirror',
  EVIDENCE_NO_CHANGELOG_FILE: 'native packages or an unsupported source format',
  EVIDENCE_SOURCE_NOT_FOUND: 'not listed in the signed Sources index',
  EVIDENCE_NO_VERIFIED_RELEASE: 'no verified Release for that mirror',
}

/** CVE ids printed per security update in the human report. */
const MAX_CVES_SHOWN = 8

/** "Ubuntu 24.04 LTS (noble)" without repeating a codename the name already carries. */
function releaseName(r: CheckReportJson): string {
  const rel = r.release
  if (!rel) return ''
  const name =
    r.coverage?.release.name ?? `${rel.id === 'ubuntu' ? 'Ubuntu' : rel.id} ${rel.versionId ?? ''}`.trim()
  return rel.codename && !name.includes(rel.codename) ? `${name} (${rel.codename})` : name
}

function wrongLines(r: CheckReportJson): string[] {
  const out: string[] = []
  const affected = r.advisories.filter((a) => affectsThisComputer(a.status))
  for (const a of affected) {
    out.push(`  ${a.id}${a.priority ? ` (${a.priority})` : ''}: ${a.title}`)
    out.push(
      `    ${STATUS_WORDS[a.status].plain}; ${TRUST_WORDS[a.trust].plain}${a.cves.length ? `; ${a.cves.join(', ')}` : ''}`,
    )
    const disputed = new Set(a.disagreements.map((d) => d.package))
    for (const p of a.packages) {
      if (!affectsThisComputer(p.status)) continue
      const installed = p.installed.map((i) => `${i.package} ${i.version}`).join(', ')
      // A version the sources dispute is not shown as "fixed in" (the WARNING line below gives every claim).
      const fixed = disputed.has(p.source)
        ? 'fixed version disputed'
        : `fixed in ${p.fixedVersion ?? 'no version yet'}`
      out.push(`    ${p.source}: installed ${installed || 'nothing'}; ${fixed}`)
    }
  }
  // Disagreements are shown for every advisory of this release, affecting or not: they may mean a fake source.
  for (const a of r.advisories) {
    for (const d of a.disagreements) {
      const claims = d.claims
        .map((c) => `${c.fixedVersion} (${c.channels.join(', ')}${c.signed ? ', signed' : ''})`)
        .join(' vs ')
      out.push(`  WARNING ${a.id}: sources disagree on the fixed version of ${d.package}: ${claims}`)
    }
  }
  const plain = r.securityUpdates.filter((u) => u.advisories.length === 0)
  if (plain.length > 0) {
    out.push(`  Security updates in the verified archive${affected.length ? ' (no advisory at hand)' : ''}:`)
    for (const u of plain) {
      // A long CVE list (vim names 180) would bury the rest: the first few, then how many more (all are in --json).
      const shown = u.cves.slice(0, MAX_CVES_SHOWN).join(', ')
      const more = u.cves.length > MAX_CVES_SHOWN ? ` and ${u.cves.length - MAX_CVES_SHOWN} more` : ''
      const cves = u.cves.length ? ` (changelog names ${shown}${more})` : ''
      out.push(
        `    ${u.source} ${u.installedVersion} -> ${u.newVersion}${u.onUsedMirror ? '' : ' [from a mirror not in apt sources]'}${cves}`,
      )
    }
  }
  if (r.kernel?.newerInstalled) {
    out.push(
      `  A newer kernel (${r.kernel.newestInstalled ?? '?'}) is installed but ${r.kernel.running ?? 'an older one'} is running.`,
    )
  }
  return out
}

function coverageLines(r: CheckReportJson): string[] {
  const c = r.coverage
  if (!c) return []
  const out: string[] = []
  const p = c.securityPocket
  const pocket = p.suite ?? 'the security pocket'
  const signed = p.releaseAgeSeconds === null ? '' : ` (signed ${ago(p.releaseAgeSeconds)} ago)`
  if (!c.release.served) out.push('  This release: no configured mirror serves it.')
  out.push(
    p.state === 'current'
      ? `  ${pocket}: verified and current on ${p.currentOn.join(', ')}${signed}.`
      : p.state === 'old'
        ? `  ${pocket}: reached and verified on ${p.oldOn.join(', ')}, but old${signed}.`
        : `  ${pocket}: not verified on any mirror.`,
  )
  const used = c.mirrors.filter((m) => m.usedByThisMachine)
  out.push(
    used.length > 0
      ? `  This computer's apt uses: ${used.map((m) => `${m.name} (${m.verified ? 'verified' : 'not verified now'})`).join(', ')}.`
      : "  This computer's apt uses none of the configured mirrors.",
  )
  if (c.unverifiedSources.length > 0)
    out.push(`  Repositories Lifeline does not check: ${c.unverifiedSources.join(', ')}.`)
  if (c.packagesOutsideVerifiedArchive !== null && c.packagesOutsideVerifiedArchive > 0) {
    const n = c.packagesOutsideVerifiedArchive
    out.push(
      `  ${n} installed package${n === 1 ? ' is' : 's are'} in no verified index (other repositories, local builds): not checked.`,
    )
  }
  const a = c.advisorySources
  out.push(
    `  Advisory sources: ${a.read} of ${a.total} read${a.newestReadAt ? ` (newest read ${a.newestReadAt})` : ''}.`,
  )
  for (const g of c.evidenceGaps) {
    out.push(
      `  CVE list not read for ${g.count} package${g.count === 1 ? '' : 's'}: ${GAP_WORDS[g.code] ?? g.code} (${g.sources.join(', ')}${g.count > g.sources.length ? ', ...' : ''}).`,
    )
  }
  return out
}

/** A titled block of the text report with a blank line after it; nothing at all when it has no lines. */
function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [title, ...lines, '']
}

/** The numbered steps with their commands; "Nothing." when there is nothing to do. */
function stepLines(r: CheckReportJson): string[] {
  if (r.steps.length === 0) return ['  Nothing.']
  const out: string[] = []
  for (const s of r.steps) {
    out.push(`  ${s.number}. ${s.text}`)
    if (s.command) out.push(`       ${s.command}`)
    // A step that writes a file already carries its content in the command (a here-document): print it once.
    if (s.file && !(s.command ?? '').includes(s.file.content.replace(/\n$/, ''))) {
      out.push(`       file ${s.file.path}:`)
      for (const l of s.file.content.replace(/\n$/, '').split('\n')) out.push(`         ${l}`)
    }
  }
  return out
}

/** Each mitigation text with its source and the instruction checker's verdict. */
function mitigationLines(r: CheckReportJson): string[] {
  return r.mitigations.flatMap((m) => [
    `  ${m.advisory} (${TRUST_WORDS[m.trust].plain}; instruction checker: ${m.checker}${m.asStep ? '' : '; not a step'}):`,
    `    ${m.text.replace(/\s+/g, ' ')}`,
  ])
}

/** The mark before each advisory source in the text report: read now, read in part, not asked, or failed. */
const CHANNEL_MARKS: Readonly<Record<ChannelJson['status'], string>> = {
  ok: 'ok',
  partial: '~~',
  'not-read': '--',
  failed: '!!',
}

/** How much is verified: every mirror × suite and every advisory source, with a mark. */
function verificationLines(r: CheckReportJson): string[] {
  const v = r.verification
  const old = r.mirrors.filter((m) => m.status === 'stale').length
  const out = [
    `  Mirrors: ${v.mirrorsVerified} of ${v.mirrorsTotal} verified with pinned archive keys${old > 0 ? ` (${old} old: offered, but not current)` : ''}.`,
  ]
  for (const m of r.mirrors) {
    const date = m.releaseDate ? `, signed ${m.releaseDate}` : ''
    // The poller's detail for a verified mirror repeats the date; only other states need it.
    const detail = m.status === 'ok' || !m.detail ? '' : ` - ${m.detail}`
    const mark = m.status === 'stale' ? 'old' : m.verified ? 'ok' : '!!'
    out.push(`    [${mark}] ${m.name} ${m.suite}: ${m.status}${date}${detail}`)
  }
  out.push(
    `  Advisories: ${v.advisoriesVerified} of ${v.advisoriesTotal} for this release are signed or confirmed by the signed archive.`,
  )
  for (const c of r.channels) {
    out.push(`    [${CHANNEL_MARKS[c.status]}] ${c.name}: ${c.detail}`)
  }
  return out
}

/** How old the data is: the security pocket's signed date, else the newest verified data, else never. */
function dataAgeLine(r: CheckReportJson): string {
  const v = r.verification
  const p = r.coverage?.securityPocket
  return p?.newestReleaseDate
    ? `How old the data is: the newest verified ${p.suite ?? 'security'} Release was signed ${ago(p.releaseAgeSeconds)} ago (${p.newestReleaseDate}).`
    : `How old the data is: ${v.newestVerifiedAt ? `newest verified data is ${ago(v.dataAgeSeconds)} old (${v.newestVerifiedAt})` : 'nothing was ever verified on this computer'}.`
}

/** The plain-language report: the verdict, what is wrong, what to do, what was checked, how old the data is. */
export function renderCheckReport(r: CheckReportJson): string {
  const rel = releaseName(r)
  const out = [
    `Lifeline check${rel ? ` for ${rel}` : ''} at ${r.generatedAt}${r.offline ? ' (offline: last verified state on disk)' : ''}`,
    '',
    `${r.verdict.toUpperCase()}: ${r.summary}`,
    '',
    ...section('What is wrong:', wrongLines(r)),
    ...section('What to do:', stepLines(r)),
    ...section(
      'Mitigations the advisories give (never run unless signed and judged safe):',
      mitigationLines(r),
    ),
    ...section('What was checked:', coverageLines(r)),
    ...section('How much is verified:', verificationLines(r)),
    dataAgeLine(r),
  ]
  if (r.systemProblems.length > 0) {
    out.push('', 'Problems reading this computer:', ...r.systemProblems.map((p) => `  ${p}`))
  }
  out.push('')
  return out.join('\n')
}

// ---------------------------------------------------------------------------------------------------------------

/** `lifeline check`. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary:
    'check this computer: what is wrong, the exact verified steps to fix it, exit codes for monitoring',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(io, 'check', args, {
      config: 'value',
      root: 'value',
      now: 'value',
      offline: 'flag',
      json: 'flag',
      'data-dir': 'value',
      prometheus: 'value',
    })
    if (parsed === undefined) return CheckExit.usage
    const now = referenceTime(io, 'check', parsed)
    if (now === undefined) return CheckExit.usage
    const { options } = parsed
    const path = (name: string): string | undefined => pathOption(io, parsed, name)
    const root = path('root') ?? '/'
    // A --root that is not a folder is a typo, not "this computer could not be read" (exit 3): say so.
    const badRoot = options.root === undefined ? undefined : await checkFolder(root, '--root')
    if (badRoot) {
      io.stderr(`lifeline check: ${badRoot}\n`)
      return CheckExit.usage
    }
    const log = stderrLogger(io)
    const codename = await readCodename(root, log)
    const created = await createAppEngine({
      dataDir: path('data-dir') ?? defaultDataDir(io.env),
      resourcesDir: resourcesDir(io.env),
      configFile: path('config'),
      root,
      codename,
      log,
    })
    if (!created.ok) {
      io.stderr(`lifeline check: ${created.message}\n`)
      return CheckExit.usage
    }
    const { engine } = created.value
    const parts =
      options.offline === true ? await engine.runOffline(now, () => {}) : await engine.run(now, () => {})
    const report = buildCheckReport(parts, now)
    io.stdout(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderCheckReport(report))
    const metricsFile = path('prometheus')
    if (metricsFile !== undefined) {
      try {
        await writeMetricsFile(metricsFile, prometheusMetrics(report))
      } catch (e) {
        // A monitoring file that silently stops updating would look like a healthy machine: fail loudly.
        io.stderr(
          `lifeline check: cannot write ${metricsFile}: ${e instanceof Error ? e.message : String(e)}\n`,
        )
        return EXIT_IO_ERROR
      }
    }
    return report.exitCode
  },
}
