/**
 * `lifeline check --prometheus FILE`: the check as Prometheus text-format metrics (exposition format 0.0.4), for
 * node_exporter's textfile collector (docs/fleets.md).
 *
 * The mapping is a pure function of the `lifeline.check/1` report, so the metrics say exactly what the report
 * says. The file is written atomically (temporary file in the same folder, fsync, rename): the collector reads
 * the old file or the new one, never half of one.
 */
import { basename, dirname } from 'node:path'
import type { AdvisoryAssessment } from '../core/assess/types'
import { affectsThisComputer, isChannelRead } from '../core/check/predicates'
import type { Verdict } from '../core/model'
import { writeFileAtomic as writeAtomically } from '../node/atomic-file'
import type { CheckReportJson } from './commands/check'

const VERDICTS: readonly Verdict[] = ['safe', 'attention', 'alarm', 'unknown']
const STATUSES: readonly AdvisoryAssessment['status'][] = [
  'fixed',
  'livepatched',
  'fixed-pending-reboot',
  'fix-available',
  'fix-on-other-mirror',
  'no-fix-yet',
  'not-affected',
]
const TRUSTS: readonly AdvisoryAssessment['trust'][] = [
  'signed',
  'archive-confirmed',
  'corroborated',
  'single-source',
  'conflict',
]

/** A label value as the text format wants it: backslash, double quote and newline escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

type Labels = Readonly<Record<string, string>>

interface Family {
  readonly name: string
  readonly help: string
  readonly samples: readonly { readonly labels?: Labels; readonly value: number }[]
}

function sample(f: Family): string {
  const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`]
  for (const s of f.samples) {
    const labels = Object.entries(s.labels ?? {})
      .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
      .join(',')
    lines.push(`${f.name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 'NaN'}`)
  }
  return lines.join('\n')
}

const count = <T>(list: readonly T[], pred: (x: T) => boolean): number => list.filter(pred).length

/** The families that describe the check itself: when, which verdict, which exit code, offline or not. */
function checkFamilies(r: CheckReportJson): Family[] {
  return [
    {
      name: 'lifeline_check_timestamp_seconds',
      help: 'When the check ran (its reference time), in seconds since the epoch.',
      samples: [{ value: Math.round(Date.parse(r.generatedAt) / 1000) }],
    },
    {
      name: 'lifeline_check_verdict',
      help: 'The verdict of the check: 1 for the verdict given, 0 for the others.',
      samples: VERDICTS.map((v) => ({ labels: { verdict: v }, value: r.verdict === v ? 1 : 0 })),
    },
    {
      name: 'lifeline_check_exit_code',
      help: 'Exit code of lifeline check (0 nothing to do, 1 verified fix available, 2 affected without fix, 3 nothing verified).',
      samples: [{ value: r.exitCode }],
    },
    {
      name: 'lifeline_check_offline',
      help: '1 when the check used only the last verified state on disk.',
      samples: [{ value: r.offline ? 1 : 0 }],
    },
  ]
}

/** The families that describe this computer's exposure: advisories by status and trust, pending updates. */
function exposureFamilies(r: CheckReportJson): Family[] {
  return [
    {
      name: 'lifeline_advisories',
      help: 'Advisories for this release, by status for this computer.',
      samples: STATUSES.map((s) => ({
        labels: { status: s },
        value: count(r.advisories, (a) => a.status === s),
      })),
    },
    {
      name: 'lifeline_advisories_by_trust',
      help: 'Advisories that affect this computer (not fixed, not unaffected), by how far they are verified.',
      samples: TRUSTS.map((t) => ({
        labels: { trust: t },
        value: count(r.advisories, (a) => a.trust === t && affectsThisComputer(a.status)),
      })),
    },
    {
      name: 'lifeline_security_updates_pending',
      help: 'Installed source packages with a newer version in a verified -security pocket, by where it is.',
      samples: [
        { labels: { mirror: 'used' }, value: count(r.securityUpdates, (u) => u.onUsedMirror) },
        { labels: { mirror: 'other' }, value: count(r.securityUpdates, (u) => !u.onUsedMirror) },
      ],
    },
  ]
}

/** The families that describe what the check saw: mirror suites verified, advisory channels read. */
function coverageFamilies(r: CheckReportJson): Family[] {
  return [
    {
      name: 'lifeline_mirrors_verified',
      help: 'Mirror suites verified with pinned archive keys in this check.',
      samples: [{ value: r.verification.mirrorsVerified }],
    },
    {
      name: 'lifeline_mirrors',
      help: 'Mirror suites configured.',
      samples: [{ value: r.verification.mirrorsTotal }],
    },
    {
      name: 'lifeline_advisory_sources_read',
      help: 'Advisory channels read in this check.',
      samples: [{ value: count(r.channels, (c) => isChannelRead(c.status)) }],
    },
    {
      name: 'lifeline_advisory_sources',
      help: 'Advisory channels configured.',
      samples: [{ value: r.channels.length }],
    },
  ]
}

/** The families that describe this computer's state: a pending reboot, and the age of the verified data. */
function stateFamilies(r: CheckReportJson): Family[] {
  const families: Family[] = [
    {
      name: 'lifeline_reboot_required',
      help: '1 when a reboot is required (a fix is installed but not running yet).',
      samples: [{ value: r.kernel?.rebootRequired === true ? 1 : 0 }],
    },
  ]
  if (r.verification.dataAgeSeconds !== null) {
    families.push({
      name: 'lifeline_data_age_seconds',
      help: 'Age of the newest verified mirror data at the time of the check.',
      samples: [{ value: r.verification.dataAgeSeconds }],
    })
  }
  return families
}

/**
 * The metrics of one check. Every series exists in every file (zeros included), so alert rules need no
 * `absent()`; `lifeline_data_age_seconds` is left out when nothing was ever verified (alert on its absence).
 */
export function prometheusMetrics(r: CheckReportJson): string {
  const families = [...checkFamilies(r), ...exposureFamilies(r), ...coverageFamilies(r), ...stateFamilies(r)]
  return `${families.map(sample).join('\n')}\n`
}

/**
 * Writes the metrics `text` to `file` atomically (`writeFileAtomic`, `main/node/atomic-file.ts`): the textfile
 * collector reads the old file or the new one, never half of one, and never the temporary file (its name starts with
 * a dot and does not end in `.prom`). The file is world-readable (0644 before the umask), since the collector
 * usually runs as another user; its folder must already exist.
 */
export async function writeMetricsFile(file: string, text: string): Promise<void> {
  await writeAtomically(dirname(file), basename(file), Buffer.from(text, 'utf8'), {
    mode: 0o644,
    createDir: false,
  })
}
