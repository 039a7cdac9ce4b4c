/**
 * The diagnostic report a user hands to their helpdesk ("Copy diagnostic report", `lifeline report`).
 *
 * Built only from what is already on disk: the effective configuration (with its problems and locks), the last
 * saved check report and mirror state, and recent warnings and errors from the rotating log. It never fetches
 * anything and never writes anything (state files are read directly, not through the StateStore, which would move
 * a corrupt file aside). Everything passes through `redactValue`: no user name, home path or host name, no key
 * material (docs/cli.md, "lifeline report").
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Limits } from '../../core/limits'
import { isoTime } from '../../core/time-format'
import { loadEffectiveConfig } from '../config/layers'
import type { LogEntry } from './log'
import { readRecentProblems } from './log'
import type { RedactionContext } from './redact'
import { currentRedactionContext, redactValue } from './redact'

/** Where to read from. */
export interface ReportSources {
  readonly dataDir: string
  readonly resourcesDir: string
  readonly etcDir?: string | undefined
  readonly codename: string
  /** Root of the machine (for etc/os-release). */
  readonly root?: string | undefined
  readonly appVersion: string
  readonly now?: (() => number) | undefined
  readonly redaction?: RedactionContext | undefined
}

/** One source (mirror × suite, or advisory channel) and its last known state. */
export interface ReportSource {
  readonly kind: 'mirror' | 'channel'
  readonly id: string
  readonly suite?: string | undefined
  readonly url?: string | undefined
  readonly state: string
  readonly code?: string | undefined
  readonly checkedAt?: string | undefined
  readonly releaseDate?: string | undefined
}

/** The report. Every string is redacted. */
export interface DiagnosticReport {
  readonly generatedAt: string
  readonly app: {
    readonly version: string
    readonly node: string
    readonly electron?: string | undefined
    readonly platform: string
    readonly arch: string
  }
  readonly os?: string | undefined
  readonly config: {
    readonly files: readonly { file: string; layer: string; locked: boolean; status: string }[]
    readonly mirrors: readonly { id: string; url: string; suites: readonly string[] }[]
    readonly channels: readonly { id: string; type: string; urls: readonly string[] }[]
    readonly extraKeys: readonly { fingerprint: string; role: string }[]
    readonly removedKeys: readonly string[]
    /** Paths of values a mandatory policy sets. */
    readonly locked: readonly string[]
    readonly problems: readonly { file: string; field: string; reason: string; code: string }[]
    readonly lastGoodSavedAt?: string | undefined
  }
  readonly lastCheck?:
    | { startedAt?: string | undefined; finishedAt?: string | undefined; verdict?: string; summary?: string }
    | undefined
  readonly sources: readonly ReportSource[]
  readonly recentProblems: readonly LogEntry[]
}

/** A saved instant as ISO-8601, or undefined when the saved value is not a usable number (the file may be damaged). */
const iso = (ms: unknown): string | undefined =>
  typeof ms === 'number' && Number.isFinite(ms) ? isoTime(ms) : undefined
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Reads `<dataDir>/state/<name>.json` and returns its `data`, or undefined. Never writes. */
async function readStateData(dataDir: string, name: string): Promise<unknown> {
  try {
    const buf = await readFile(join(dataDir, 'state', `${name}.json`))
    if (buf.length > Limits.size.stateFileBytes) return undefined
    const env = JSON.parse(buf.toString('utf8')) as { data?: unknown }
    return typeof env === 'object' && env !== null ? env.data : undefined
  } catch {
    return undefined
  }
}

function sourcesFromReport(report: Record<string, unknown>): ReportSource[] {
  const out: ReportSource[] = []
  for (const m of Array.isArray(report.mirrors) ? (report.mirrors as Record<string, unknown>[]) : []) {
    out.push({
      kind: 'mirror',
      id: str(m.mirrorId) ?? '?',
      suite: str(m.suite),
      url: str(m.url),
      state: str(m.state) ?? '?',
      code: str(m.code),
      checkedAt: iso(m.checkedAt),
      releaseDate: iso(m.releaseDate),
    })
  }
  for (const c of Array.isArray(report.channels) ? (report.channels as Record<string, unknown>[]) : []) {
    out.push({
      kind: 'channel',
      id: str(c.channelId) ?? '?',
      state: str(c.state) ?? '?',
      code: str(c.code),
      checkedAt: iso(c.verifiedAt),
    })
  }
  return out
}

function sourcesFromMirrorsState(state: Record<string, unknown>): ReportSource[] {
  const suites = typeof state.suites === 'object' && state.suites !== null ? state.suites : {}
  return Object.values(suites as Record<string, Record<string, unknown>>).map((r) => {
    const last = (r.last ?? {}) as Record<string, unknown>
    const verified = (r.verified ?? {}) as Record<string, unknown>
    return {
      kind: 'mirror' as const,
      id: str(r.mirrorId) ?? '?',
      suite: str(r.suite),
      url: str(r.baseUrl),
      state: str(last.state) ?? 'never checked',
      code: str(last.code),
      checkedAt: iso(last.at),
      releaseDate: iso(verified.date),
    }
  })
}

async function osName(root: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(root, 'etc', 'os-release'), 'utf8')).slice(0, 64 * 1024)
    const m = /^PRETTY_NAME=(?:"([^"\n]*)"|(\S*))$/m.exec(text)
    return m?.[1] ?? m?.[2]
  } catch {
    return undefined
  }
}

/** Builds the redacted diagnostic report. */
export async function buildDiagnosticReport(src: ReportSources): Promise<DiagnosticReport> {
  const now = src.now ?? Date.now
  const eff = await loadEffectiveConfig({
    resourcesDir: src.resourcesDir,
    dataDir: src.dataDir,
    etcDir: src.etcDir,
    codename: src.codename,
    saveLastGood: false,
  })
  const lastReport = (await readStateData(src.dataDir, 'last-report')) as Record<string, unknown> | undefined
  const mirrorsState = (await readStateData(src.dataDir, 'mirrors')) as Record<string, unknown> | undefined
  let sources = lastReport ? sourcesFromReport(lastReport) : []
  if (sources.length === 0 && mirrorsState) sources = sourcesFromMirrorsState(mirrorsState)
  const report: DiagnosticReport = {
    generatedAt: isoTime(now()),
    app: {
      version: src.appVersion,
      node: process.versions.node,
      electron: process.versions.electron,
      platform: process.platform,
      arch: process.arch,
    },
    os: await osName(src.root ?? '/'),
    config: {
      files: eff.files.map((f) => ({ file: f.file, layer: f.layer, locked: f.locked, status: f.status })),
      mirrors: eff.config.mirrors.map((m) => ({ id: m.id, url: m.url, suites: m.suites })),
      channels: eff.config.channels.map((c) => ({ id: c.id, type: c.type, urls: c.urls })),
      extraKeys: eff.config.extraKeys.map((k) => ({ fingerprint: k.fingerprint, role: k.role })),
      removedKeys: eff.config.removedKeys,
      locked: Object.entries(eff.origins)
        .filter(([, o]) => o.locked)
        .map(([p]) => p)
        .sort(),
      problems: eff.problems.map((p) => ({ file: p.file, field: p.field, reason: p.reason, code: p.code })),
      lastGoodSavedAt: eff.lastGoodSavedAt,
    },
    lastCheck: lastReport
      ? {
          startedAt: iso(lastReport.startedAt),
          finishedAt: iso(lastReport.finishedAt),
          verdict: str(lastReport.verdict) ?? '?',
          summary: str(lastReport.summary) ?? '',
        }
      : undefined,
    sources,
    recentProblems: await readRecentProblems(join(src.dataDir, 'logs')),
  }
  return redactValue(report, src.redaction ?? currentRedactionContext())
}

/** The report as plain text for a ticket or an e-mail. */
export function formatDiagnosticReport(r: DiagnosticReport): string {
  const l: string[] = [
    `Lifeline diagnostic report, ${r.generatedAt}`,
    `Lifeline ${r.app.version}; Node ${r.app.node}${r.app.electron ? `; Electron ${r.app.electron}` : ''}; ${r.app.platform}/${r.app.arch}`,
    `System: ${r.os ?? 'unknown'}`,
    '',
    'Configuration files:',
    ...r.config.files.map(
      (f) => `  ${f.status.padEnd(8)} ${f.layer}${f.locked ? ' (mandatory)' : ''}  ${f.file}`,
    ),
  ]
  if (r.config.lastGoodSavedAt)
    l.push(`  A file was refused: last valid configuration of ${r.config.lastGoodSavedAt} in force`)
  l.push('Mirrors:', ...r.config.mirrors.map((m) => `  ${m.id}  ${m.url}  ${m.suites.join(' ')}`))
  l.push('Advisory channels:', ...r.config.channels.map((c) => `  ${c.id}  ${c.type}  ${c.urls.join(' ')}`))
  l.push(`Keys added: ${r.config.extraKeys.map((k) => `${k.fingerprint} (${k.role})`).join(', ') || 'none'}`)
  l.push(`Keys removed: ${r.config.removedKeys.join(', ') || 'none'}`)
  l.push(`Locked by policy: ${r.config.locked.join(', ') || 'nothing'}`)
  if (r.config.problems.length > 0) {
    l.push(
      'Configuration problems:',
      ...r.config.problems.map((p) => `  ${p.file}: ${p.field ? `${p.field}: ` : ''}${p.reason}`),
    )
  }
  l.push('')
  l.push(
    r.lastCheck
      ? `Last check: ${r.lastCheck.finishedAt ?? '?'}: ${r.lastCheck.verdict} — ${r.lastCheck.summary}`
      : 'Last check: none saved',
  )
  l.push('Sources:')
  if (r.sources.length === 0) l.push('  none checked yet')
  for (const s of r.sources) {
    const what = s.kind === 'mirror' ? `${s.id} ${s.suite ?? ''}` : `channel ${s.id}`
    const extra = [
      s.code,
      s.checkedAt && `checked ${s.checkedAt}`,
      s.releaseDate && `Release of ${s.releaseDate}`,
    ]
    l.push(
      `  ${what.padEnd(36)} ${s.state}${extra.filter(Boolean).length ? `  (${extra.filter(Boolean).join(', ')})` : ''}`,
    )
  }
  l.push('', `Recent warnings and errors (${r.recentProblems.length}):`)
  for (const e of r.recentProblems)
    l.push(`  ${e.t} ${e.level.toUpperCase()} ${e.scope ? `[${e.scope}] ` : ''}${e.msg}`)
  return `${l.join('\n')}\n`
}
