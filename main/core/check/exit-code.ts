/**
 * The `lifeline check` exit code, for monitoring and fleet tools (the same use as `pro fix`'s codes).
 *
 * ONE rule, used by `lifeline check`, its JSON report and the app: the code follows from the verdict row
 * (main/core/check/verdict.ts), which is drawn from key-backed evidence only (docs/cli.md, "Exit codes of `check`").
 */
import { assertNever } from '../errors'
import type { Verdict } from '../model'

/** 0 safe, 1 a verified fix is ready, 2 affected with no verified fix, 3 Lifeline cannot say this computer is safe. */
export type CheckExitCode = 0 | 1 | 2 | 3

/** The exit codes by name (docs/cli.md). */
export const CheckExitCodes = {
  safe: 0,
  fixReady: 1,
  affectedNoFix: 2,
  notKnown: 3,
} as const satisfies Record<string, CheckExitCode>

/**
 * The exit code of a verdict: `safe` 0, `attention` 1 (a verified fix is ready), `alarm` 2 when a key-backed
 * advisory leaves this computer affected with no verified fix, and 3 for everything that is not known to be safe
 * and gives nothing to apply (`unknown`, or an alarm about a possible attack).
 */
export function exitCodeFor(verdict: Verdict, affectedNoFix: boolean): CheckExitCode {
  switch (verdict) {
    case 'safe':
      return CheckExitCodes.safe
    case 'attention':
      return CheckExitCodes.fixReady
    case 'alarm':
      return affectedNoFix ? CheckExitCodes.affectedNoFix : CheckExitCodes.notKnown
    case 'unknown':
      return CheckExitCodes.notKnown
    default:
      return assertNever(verdict, 'verdict')
  }
}
