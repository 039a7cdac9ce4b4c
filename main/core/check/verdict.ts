/**
 * The verdict: a conclusion drawn from the coverage record and key-backed evidence, never a default
 * (docs/trust.md "The verdict", docs/cli.md "Verdict rules"; the table below is the one in those documents).
 *
 * The first row that holds decides:
 *
 * | row                    | verdict   | exit | when                                                                |
 * | ---------------------- | --------- | ---- | ------------------------------------------------------------------- |
 * | `no-mirror`            | unknown   | 3    | no mirror is configured                                             |
 * | `possible-attack`      | alarm     | 3    | a mirror served data that failed verification in a way an attack would |
 * | `nothing-verified`     | unknown   | 3    | no mirror verified (not even an old one), no key-backed advisory    |
 * | `machine-not-read`     | unknown   | 3    | this computer's packages could not be read                          |
 * | `fix-ready`            | attention | 1    | a key-backed fix or an archive security update waits, on any verified mirror |
 * | `affected-no-fix`      | alarm     | 2    | a key-backed advisory affects this computer and no verified fix exists |
 * | `restart-pending`      | attention | 1    | a restart finishes a verified fix (key-backed advisory, or the system asks) |
 * | `livepatch-covered`    | attention | 1    | Livepatch covers the running kernel for a key-backed advisory; its fixed kernel waits |
 * | `release-not-served`   | unknown   | 3    | no configured mirror serves this computer's release                 |
 * | `no-security-pocket`   | unknown   | 3    | the release's `-security` pocket verified on no mirror              |
 * | `security-pocket-old`  | unknown   | 3    | it verified, but only copies older than the freshness rule allows   |
 * | `sources-disagree`     | unknown   | 3    | advisory sources disagree about a fix for an installed package      |
 * | `safe`                 | safe      | 0    | none of the above                                                   |
 *
 * Unsigned, single-source and corroborated advisories never decide a row: they are shown as "unconfirmed".
 */
import type { Assessment } from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import type { MirrorSuiteStatus, Verdict } from '../model'
import { describeDuration } from '../time-format'
import {
  suspiciousMirrorAdvice,
  suspiciousMirrorNames,
  suspiciousMirrors,
  suspiciousMirrorsUnused,
} from './alarm'
import type { CheckCoverage } from './coverage'
import { exitCodeFor, type CheckExitCode } from './exit-code'
import {
  affectsThisComputer,
  isAuthenticState,
  isChannelRead,
  isCoveredUpdate,
  isKeyBacked,
} from './predicates'

/** The rows of the verdict table, in the order they are tried. */
export const VERDICT_ROWS = [
  'no-mirror',
  'possible-attack',
  'nothing-verified',
  'machine-not-read',
  'fix-ready',
  'affected-no-fix',
  'restart-pending',
  'livepatch-covered',
  'release-not-served',
  'no-security-pocket',
  'security-pocket-old',
  'sources-disagree',
  'safe',
] as const

/** One row of the verdict table. */
export type VerdictRow = (typeof VERDICT_ROWS)[number]

/** What the verdict is drawn from. */
export interface VerdictInput {
  readonly mirrors: readonly MirrorSuiteStatus[]
  readonly channels: readonly ChannelStatus[]
  readonly assessment?: Assessment | undefined
  readonly coverage?: CheckCoverage | undefined
  /** The check's reference time (ages are measured from it); defaults to the assessment's. */
  readonly now?: number | undefined
}

/** The verdict, its row, its one-sentence reason and the exit code. */
export interface Judgement {
  readonly verdict: Verdict
  readonly row: VerdictRow
  /** One plain sentence: what was checked and why this verdict. */
  readonly summary: string
  readonly exitCode: CheckExitCode
  /** True when any mirror verified (current or old) or any advisory is key-backed. */
  readonly anyVerified: boolean
}

/** What a suspicious mirror state means, in words (the code stays in the mirror's technical detail). */
const ATTACK_WORDS: Readonly<Partial<Record<MirrorSuiteStatus['state'], string>>> = {
  'rolled-back': 'a signed release older than one Lifeline already saw (an old copy replayed)',
  frozen: 'a signed release whose Valid-Until date has passed (a frozen copy)',
  'bad-signature': 'a release whose signature does not verify with the pinned archive keys',
  'hash-mismatch': 'package lists that do not match the hashes its signed release names',
  'wrong-suite': "another suite's signed release in place of the one asked for",
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** What a check found that a person can act on, from key-backed evidence only. */
export interface ActionableFacts {
  /** Key-backed advisories whose verified fix is ready (or needs only a reboot). */
  readonly advisoriesWithFix: number
  /** Of those, fixes verified only on a mirror this computer does not use. */
  readonly onOtherMirror: number
  /** Archive security updates waiting (any verified mirror). */
  readonly updates: number
  /** Of those, updates only on a mirror this computer does not use. */
  readonly updatesOnOtherMirror: number
  /**
   * Key-backed advisories Livepatch covers on the running kernel, their fixed kernel verified and still to install
   * (`livepatched`): not in `advisoriesWithFix`, and their kernel's archive updates not in `updates` when every CVE
   * the archive names for them is covered too.
   */
  readonly livepatched: number
  /** Key-backed advisories that leave this computer affected with no verified fix. */
  readonly affectedNoFix: number
  /** Advisories whose sources disagree about a fix for an installed package. */
  readonly disputed: readonly string[]
  /**
   * A restart finishes a verified fix: a key-backed advisory is fixed once the computer restarts, or the system
   * itself asks for a restart (`/var/run/reboot-required`, written by the packages apt just installed).
   */
  readonly restartPending: boolean
}

/** Counts what can be acted on: only key-backed advisories and the archive's own security updates count. */
export function actionableFacts(a: Assessment): ActionableFacts {
  const keyBacked = a.advisories.filter((x) => isKeyBacked(x.trust))
  const withFix = keyBacked.filter(
    (x) =>
      x.status === 'fix-available' ||
      x.status === 'fix-on-other-mirror' ||
      (x.status !== 'livepatched' &&
        x.packages.some((p) => p.upgrades.length > 0 || p.newInstalls.length > 0)),
  )
  // Only the status decides "covered": `livepatched` comes from Livepatch's own status for the running kernel
  // (main/core/assess/assess.ts), and only key-backed advisories count, as everywhere in this table.
  const covered = new Set(keyBacked.filter((x) => x.status === 'livepatched').map((x) => x.id))
  const patched = new Set(a.kernel?.livepatchCves ?? [])
  const updates = a.securityUpdates.filter((u) => !isCoveredUpdate(u, covered, patched))
  return {
    advisoriesWithFix: withFix.length,
    livepatched: covered.size,
    onOtherMirror: withFix.filter((x) => x.status === 'fix-on-other-mirror').length,
    updates: updates.length,
    updatesOnOtherMirror: updates.filter((u) => !u.onUsedMirror).length,
    affectedNoFix: keyBacked.filter((x) => x.status === 'no-fix-yet').length,
    disputed: a.advisories
      .filter((x) => affectsThisComputer(x.status) && (x.trust === 'conflict' || x.disagreements.length > 0))
      .map((x) => x.id),
    restartPending: a.rebootRequired || keyBacked.some((x) => x.status === 'fixed-pending-reboot'),
  }
}

/** The verdict of a check, by the table above. */
export function judge(input: VerdictInput): Judgement {
  const { row, summary } = decide(input)
  const verdict = VERDICT_OF[row]
  return {
    verdict,
    row,
    summary,
    exitCode: exitCodeFor(verdict, row === 'affected-no-fix'),
    anyVerified: anyVerified(input),
  }
}

const VERDICT_OF: Readonly<Record<VerdictRow, Verdict>> = {
  'no-mirror': 'unknown',
  'possible-attack': 'alarm',
  'nothing-verified': 'unknown',
  'machine-not-read': 'unknown',
  'fix-ready': 'attention',
  'affected-no-fix': 'alarm',
  'restart-pending': 'attention',
  'livepatch-covered': 'attention',
  'release-not-served': 'unknown',
  'no-security-pocket': 'unknown',
  'security-pocket-old': 'unknown',
  'sources-disagree': 'unknown',
  safe: 'safe',
}

function anyVerified(input: VerdictInput): boolean {
  return (
    input.mirrors.some((m) => isAuthenticState(m.state)) ||
    (input.assessment?.advisories.some((a) => isKeyBacked(a.trust)) ?? false)
  )
}

/** A row of the table that holds, with its sentence. */
interface Decision {
  readonly row: VerdictRow
  readonly summary: string
}

function decide(input: VerdictInput): Decision {
  const { assessment: a, coverage: cov } = input
  const now = input.now ?? a?.generatedAt ?? 0
  const gate = gateRow(input)
  if (gate) return gate
  if (!a || !cov) {
    const n = input.mirrors.filter((m) => isAuthenticState(m.state)).length
    return {
      row: 'machine-not-read',
      summary: `${plural(n, 'mirror')} verified, but this computer's packages could not be read, so Lifeline cannot tell whether it is affected.`,
    }
  }
  const facts = actionableFacts(a)
  return actionRow(facts, cov, now) ?? coverageRow(facts, cov, now) ?? safeRow(a, cov, now)
}

/** The rows that need no assessment: no mirror, a possible attack, nothing verified. */
function gateRow(input: VerdictInput): Decision | undefined {
  const { mirrors, channels, coverage: cov } = input
  if (mirrors.length === 0)
    return { row: 'no-mirror', summary: 'No mirror is configured, so nothing can be verified.' }
  const suspicious = suspiciousMirrors(mirrors)
  if (suspicious.length > 0) {
    const first = suspicious[0]?.state
    const what = (first && ATTACK_WORDS[first]) ?? 'data that failed verification'
    // Whether this computer's apt reads from it decides what the person must do (nothing, for a mirror it never uses).
    const advice = suspiciousMirrorAdvice(suspiciousMirrorsUnused(mirrors, cov))
    const names = suspiciousMirrorNames(mirrors).join(', ')
    return { row: 'possible-attack', summary: `Possible attack: ${names} served ${what}. ${advice}` }
  }
  if (!anyVerified(input)) {
    const answered = channels.some((c) => isChannelRead(c.state))
    return {
      row: 'nothing-verified',
      summary:
        'No source reachable: Lifeline could not verify any mirror right now.' +
        (answered
          ? ' Advisory websites answered, but nothing they say can be checked against a verified mirror.'
          : ''),
    }
  }
  return undefined
}

/** The rows where something can be done: a fix ready, exposed with no fix, a restart, Livepatch covering. */
function actionRow(facts: ActionableFacts, cov: CheckCoverage, now: number): Decision | undefined {
  const old = cov.securityPocket.state === 'old' ? ` ${ageNote(cov, now)}` : ''
  if (facts.advisoriesWithFix > 0 || facts.updates > 0) {
    return { row: 'fix-ready', summary: fixReadySentence(facts) + old }
  }
  if (facts.affectedNoFix > 0) {
    return {
      row: 'affected-no-fix',
      summary: `This computer is affected by ${plural(facts.affectedNoFix, 'verified advisory', 'verified advisories')} with no verified fix yet. Follow the advisory's signed mitigation.`,
    }
  }
  if (facts.restartPending) return { row: 'restart-pending', summary: fixReadySentence(facts) + old }
  if (facts.livepatched > 0) {
    return {
      row: 'livepatch-covered',
      summary:
        `Livepatch covers the running kernel against ${plural(facts.livepatched, 'verified advisory', 'verified advisories')}, ` +
        `so nothing is urgent; the fixed kernel is verified: install it and restart at your next maintenance window.${old}`,
    }
  }
  return undefined
}

/** The rows where nothing waits but the check saw too little to say "safe". */
function coverageRow(facts: ActionableFacts, cov: CheckCoverage, now: number): Decision | undefined {
  if (!cov.release.served) {
    return {
      row: 'release-not-served',
      summary: `This computer runs ${releaseWords(cov)}, but no configured mirror serves that release, so Lifeline cannot tell whether it is up to date.`,
    }
  }
  if (cov.securityPocket.state === 'none') {
    return {
      row: 'no-security-pocket',
      summary: `The ${cov.securityPocket.suite ?? 'security'} pocket could not be verified on any mirror, so Lifeline cannot tell whether security fixes are waiting.`,
    }
  }
  if (cov.securityPocket.state === 'old') {
    return {
      row: 'security-pocket-old',
      summary: `Nothing newer in the verified archive, but ${ageNote(cov, now).replace(/^The/, 'the')}`,
    }
  }
  if (facts.disputed.length > 0) {
    return {
      row: 'sources-disagree',
      summary: `Advisory sources disagree about ${plural(facts.disputed.length, 'fix', 'fixes')} for installed packages (${facts.disputed[0]}); Lifeline cannot tell which is right, and one of them may be fake.`,
    }
  }
  return undefined
}

/** The `safe` row: its sentence says what was checked, and names unconfirmed advisories it did not count. */
function safeRow(a: Assessment, cov: CheckCoverage, now: number): Decision {
  const signed = cov.securityPocket.newestDate
  const advisories =
    cov.advisorySources.read === 0
      ? cov.advisorySources.total === 0
        ? 'no advisory source is configured, so fixes not yet in the archive cannot be known.'
        : 'no advisory website was read in this check, so fixes not yet in the archive cannot be known.'
      : `${cov.advisorySources.read} of ${plural(cov.advisorySources.total, 'advisory source')} read.`
  const unconfirmed = a.advisories.filter(
    (x) => !isKeyBacked(x.trust) && affectsThisComputer(x.status),
  ).length
  return {
    row: 'safe',
    summary:
      `Up to date with every security fix in the verified ${cov.release.id === 'debian' ? 'Debian' : 'Ubuntu'} archive` +
      `${signed === undefined ? '' : ` (signed ${describeDuration(Math.max(0, now - signed))} ago)`}; ${advisories}` +
      (unconfirmed > 0
        ? ` ${plural(unconfirmed, 'unconfirmed advisory', 'unconfirmed advisories')} from unsigned sources name${unconfirmed === 1 ? 's' : ''} installed packages: shown, but not verified.`
        : ''),
  }
}

/** "Debian GNU/Linux 12 (bookworm)": the name, plus the codename unless the name already carries it. */
function releaseWords(cov: CheckCoverage): string {
  const name = cov.release.name ?? 'an unknown system'
  const c = cov.release.codename
  return c && !name.includes(c) ? `${name} (${c})` : name
}

function ageNote(cov: CheckCoverage, now: number): string {
  const d = cov.securityPocket.newestDate
  return `The newest verified ${cov.securityPocket.suite ?? 'security'} data was signed ${d === undefined ? 'at an unknown time' : `${describeDuration(Math.max(0, now - d))} ago`}: newer fixes may exist that Lifeline cannot see.`
}

function fixReadySentence(f: ActionableFacts): string {
  const where = (other: number, all: number, on: string): string =>
    other === 0
      ? ''
      : other === all
        ? ` ${on} a verified mirror this computer's apt does not use yet`
        : ` (${other} ${on} a verified mirror this computer's apt does not use yet)`
  if (f.advisoriesWithFix > 0) {
    return `${plural(f.advisoriesWithFix, 'verified security advisory', 'verified security advisories')} affect${f.advisoriesWithFix === 1 ? 's' : ''} this computer, and a verified fix is ready${where(f.onOtherMirror, f.advisoriesWithFix, 'on')}.`
  }
  if (f.updates > 0) {
    return `${plural(f.updates, 'verified security update')} from the archive ${f.updates === 1 ? 'is' : 'are'} ready to install${where(f.updatesOnOtherMirror, f.updates, 'from')}.`
  }
  return 'A verified fix is installed but not yet running: restart the computer to finish the update.'
}
