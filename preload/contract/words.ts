/**
 * The user-facing words for an advisory's trust and status: one table each, read by `lifeline check`'s text report
 * (main/cli/commands/check.ts), the app's evidence chain (main/node/dto.ts) and the window's badges (renderer).
 *
 * Plain data, no imports: the contract may hold a pure table the renderer reads at run time. Each column is one
 * place the words appear; the wording of a column never changes without its screen or report changing too.
 */
import type { AdvisoryStatusDto, TrustDto } from './dto'

/** A colour tone of the window (verdict colours). */
export type ToneDto = 'safe' | 'attention' | 'alarm' | 'unknown'

/** How one trust level is put into words, by where it appears. */
export interface TrustWording {
  /** The window's badge. */
  readonly label: string
  readonly tone: ToneDto
  /** The badge's explanation (hover, the legend). */
  readonly explain: string
  /** The first fact of an advisory's evidence chain in the window. */
  readonly evidence: string
  /** `lifeline check`'s text report; the three unsigned levels say "unconfirmed" (they never move the verdict). */
  readonly plain: string
}

/** The trust levels in words (docs/trust.md, "Advisories and their trust levels"). */
export const TRUST_WORDS: Readonly<Record<TrustDto, TrustWording>> = {
  signed: {
    label: 'Signed',
    tone: 'safe',
    explain: 'Signed by a key Lifeline pins for advisories: the text is exactly what the publisher wrote.',
    evidence:
      'This advisory is signed by a key Lifeline pins for advisories, so its text is exactly what the publisher wrote.',
    plain: 'signed by a pinned key',
  },
  'archive-confirmed': {
    label: 'Archive-confirmed',
    tone: 'safe',
    explain: "The signed Ubuntu archive confirms it: the fixed package's changelog names these CVEs.",
    evidence:
      "The signed Ubuntu archive itself confirms the fix: the fixed package's changelog names these CVEs.",
    plain: 'confirmed by the signed archive',
  },
  corroborated: {
    label: 'Corroborated',
    tone: 'attention',
    explain: 'Two independent advisory sources agree. Neither is signed.',
    evidence: 'Two independent advisory sources say the same thing (neither is signed).',
    plain: 'unconfirmed: two unsigned sources agree',
  },
  'single-source': {
    label: 'Single source',
    tone: 'unknown',
    explain: 'Only one unsigned source says this. Treat with care.',
    evidence: 'Only one unsigned advisory source says this; treat it with care.',
    plain: 'unconfirmed: one unsigned source',
  },
  conflict: {
    label: 'Conflict',
    tone: 'alarm',
    explain: 'Sources disagree about the fixed version. One of them may be fake: do not act on it alone.',
    evidence:
      'Advisory sources disagree about the fixed version: one of them may be fake. Do not act on it alone.',
    plain: 'unconfirmed: SOURCES DISAGREE',
  },
}

/** How one advisory status is put into words, by where it appears. */
export interface StatusWording {
  /** The window's badge. */
  readonly label: string
  readonly tone: ToneDto
  /** What it means for this computer (the advisory's page). */
  readonly explain: string
  /** `lifeline check`'s text report. */
  readonly plain: string
}

/** What each advisory status means for this computer. */
export const STATUS_WORDS: Readonly<Record<AdvisoryStatusDto, StatusWording>> = {
  'fix-available': {
    label: 'Fix ready',
    tone: 'attention',
    explain: 'This computer is affected, and the fixed version is verified on a mirror it already uses.',
    plain: 'fix available',
  },
  'fix-on-other-mirror': {
    label: 'Fix on another mirror',
    tone: 'attention',
    explain:
      'Affected; the fix is verified only on a mirror this computer does not use yet. The steps show how.',
    plain: 'fix on another mirror',
  },
  'no-fix-yet': {
    label: 'No fix yet',
    tone: 'alarm',
    explain: 'Affected, and no verified mirror has the fixed version yet. Follow the mitigation.',
    plain: 'no fix yet',
  },
  livepatched: {
    label: 'Covered by Livepatch',
    tone: 'attention',
    explain:
      'Livepatch already fixes the running kernel. Install the fixed kernel at your next maintenance window; the steps show how.',
    plain: 'covered by Livepatch now; install the fixed kernel at the next maintenance',
  },
  'fixed-pending-reboot': {
    label: 'Restart needed',
    tone: 'attention',
    explain: 'The fix is installed but only takes effect after a restart.',
    plain: 'fixed after a reboot',
  },
  fixed: {
    label: 'Fixed',
    tone: 'safe',
    explain: 'Every affected package here is at or above the fixed version.',
    plain: 'fixed',
  },
  'not-affected': {
    label: 'Not affected',
    tone: 'safe',
    explain: 'No affected package is installed on this computer.',
    plain: 'not affected',
  },
}
