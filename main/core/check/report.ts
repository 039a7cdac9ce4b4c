import type { Assessment } from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import type { MirrorSuiteStatus, Verdict } from '../model'
import type { CheckCoverage } from './coverage'
import type { MitigationCheck } from './mitigations'
import type { VerdictRow } from './verdict'

/** The outcome of one complete check. */
export interface CheckReport {
  readonly startedAt: number
  readonly finishedAt: number
  readonly mirrors: readonly MirrorSuiteStatus[]
  /** Advisory channels and how they stand (absent in reports from before channels existed). */
  readonly channels?: readonly ChannelStatus[] | undefined
  /** This machine against the advisories and the verified mirrors; absent when the machine could not be read. */
  readonly assessment?: Assessment | undefined
  /** Problems reading this machine (unreadable files, malformed apt source lines), in words. */
  readonly systemProblems?: readonly string[] | undefined
  /** True when this report was built from saved state only (offline). */
  readonly offline?: boolean | undefined
  /** What the check saw, from which the verdict is drawn (absent when this machine could not be read). */
  readonly coverage?: CheckCoverage | undefined
  /** Mitigation text of advisories affecting this machine, with the instruction checker's verdict. */
  readonly mitigations?: readonly MitigationCheck[] | undefined
  /** True when at least one source verified during this check. */
  readonly anyVerified: boolean
  readonly verdict: Verdict
  /** The row of the verdict table that decided it (main/core/check/verdict.ts); absent in older saved reports. */
  readonly verdictRow?: VerdictRow | undefined
  /** The `lifeline check` exit code of this report (one rule: main/core/check/exit-code.ts). */
  readonly exitCode?: number | undefined
  /** One sentence for the overview: the verdict's reason. */
  readonly summary: string
}
