/**
 * Builders for the check's verdict inputs: a coverage record and mirror statuses, so unit tests can ask the one
 * verdict/exit-code rule (main/core/check/verdict.ts) about an assessment.
 */
import type { Assessment } from '../../main/core/assess/types'
import type { CheckCoverage } from '../../main/core/check/coverage'
import { judge, type Judgement } from '../../main/core/check/verdict'
import type { MirrorSuiteStatus } from '../../main/core/model'

/** A verified, current `-security` pocket status (override anything). */
export function pocketStatus(partial: Partial<MirrorSuiteStatus> = {}): MirrorSuiteStatus {
  return {
    mirrorId: 'primary',
    mirrorName: 'Primary mirror',
    url: 'http://127.0.0.1:1/ubuntu',
    suite: 'jammy-security',
    state: 'ok',
    detail: '',
    checkedAt: 0,
    releaseDate: 0,
    signedBy: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
    ...partial,
  }
}

/** A coverage record of a served release with a current, verified `-security` pocket (override anything). */
export function currentCoverage(partial: Partial<CheckCoverage> = {}): CheckCoverage {
  return {
    release: { id: 'ubuntu', codename: 'jammy', name: 'Ubuntu 22.04.5 LTS', served: true },
    securityPocket: {
      suite: 'jammy-security',
      state: 'current',
      currentOn: ['Primary mirror'],
      oldOn: [],
      newestDate: 0,
    },
    mirrors: [],
    unverifiedSources: [],
    advisorySources: { read: 1, total: 1, newestReadAt: 0 },
    packagesOutsideVerifiedArchive: undefined,
    evidenceGaps: [],
    ...partial,
  }
}

/** The verdict of an assessment, with a current pocket when its mirrors verified and a failed one otherwise. */
export function judgeAssessment(a: Assessment): Judgement {
  return judge({
    mirrors: [pocketStatus(a.mirrorsVerified ? {} : { state: 'unreachable', releaseDate: undefined })],
    channels: [],
    assessment: a,
    coverage: currentCoverage(),
    now: a.generatedAt,
  })
}

/** The exit code of an assessment (see `judgeAssessment`). */
export function exitCodeOfAssessment(a: Assessment): number {
  return judgeAssessment(a).exitCode
}
