/**
 * Turns fix plans into numbered steps a non-expert can follow (docs/cli.md, "lifeline check").
 *
 * Every command line is built only from package names and versions that pass Debian Policy's syntax (5.6.1
 * Package, 5.6.12 Version), so even a signed-but-hostile index cannot put shell syntax into a printed command.
 */
import { compareInstallTargets, sortSmall } from './ordering'
import { PACKAGE_NAME } from './package-names'
import type { GuidanceStep, InstallTarget } from './types'

/** Debian Policy 5.6.12 characters (epoch colon, upstream, revision); checked again by `isShellSafeTarget`. */
const VERSION_CHARS = /^[A-Za-z0-9.+~:-]+$/
const ARCH_NAME = /^[a-z0-9][a-z0-9-]*$/

/** Where the temporary source is written; one fixed name so the removal step is exact. */
export const TEMPORARY_SOURCE_PATH = '/etc/apt/sources.list.d/lifeline-temporary.sources'

/** The keyring the temporary source pins (the distribution's archive keyring, shipped by its keyring package). */
export function archiveKeyringPath(osId: string): string {
  return osId === 'debian'
    ? '/usr/share/keyrings/debian-archive-keyring.gpg'
    : '/usr/share/keyrings/ubuntu-archive-keyring.gpg'
}

/** True when a target can be printed in a shell command as is. */
export function isShellSafeTarget(t: Pick<InstallTarget, 'package' | 'arch' | 'version'>): boolean {
  return PACKAGE_NAME.test(t.package) && VERSION_CHARS.test(t.version) && ARCH_NAME.test(t.arch)
}

/** `pkg=version`, or `pkg:arch=version` for a foreign-architecture package (apt-get(8), "install"). */
export function installSpec(
  t: Pick<InstallTarget, 'package' | 'arch' | 'version'>,
  nativeArch: string,
): string {
  const qualified = t.arch === 'all' || t.arch === nativeArch ? t.package : `${t.package}:${t.arch}`
  return `${qualified}=${t.version}`
}

/** What the step builder needs. */
export interface GuidancePlan {
  readonly upgrades: readonly InstallTarget[]
  readonly newInstalls: readonly InstallTarget[]
  readonly needsReboot: boolean
  /** Why a reboot is needed, in words. */
  readonly rebootReason?: string | undefined
  /** Advisories that leave this machine affected with no verified fix, with their mitigation text. */
  readonly noFix: readonly {
    readonly id: string
    readonly title: string
    readonly mitigations: readonly string[]
    /** Signed mitigation text was left out because the instruction checker did not clear it. */
    readonly withheld?: boolean | undefined
  }[]
  readonly nativeArch: string
  readonly osId: string
  /** `needrestart` is installed: the restart step may name it (else it says to restart the computer). */
  readonly needrestartInstalled?: boolean | undefined
  /**
   * Every fix in the plan is a kernel Livepatch already covers: the steps are for the next maintenance window
   * (the first step says so).
   */
  readonly livepatchCovered?: boolean | undefined
  /** The plan is about advisories: the re-check step may say "each advisory should now show fixed". */
  readonly recheckAdvisories?: boolean | undefined
}

/**
 * Keeps one target per package:arch (the highest version; ties by repository for determinism), sorted.
 *
 * Returns `targets` itself when it is already sorted with no repeated package:arch (a single finding's plan,
 * the common case), so a plan per advisory costs no copy.
 */
export function dedupeTargets(
  targets: readonly InstallTarget[],
  compare: (a: string, b: string) => number,
): readonly InstallTarget[] {
  let sorted = true
  for (let i = 1; i < targets.length && sorted; i++) {
    if (compareInstallTargets(targets[i - 1] as InstallTarget, targets[i] as InstallTarget) >= 0)
      sorted = false
  }
  if (sorted) return targets
  const best = new Map<string, InstallTarget>()
  for (const t of targets) {
    const key = `${t.package}:${t.arch}`
    const cur = best.get(key)
    if (!cur) {
      best.set(key, t)
      continue
    }
    const order = compare(t.version, cur.version)
    if (order > 0 || (order === 0 && !cur.repository.used && t.repository.used)) best.set(key, t)
  }
  return sortSmall([...best.values()], compareInstallTargets)
}

function temporarySource(targets: readonly InstallTarget[], osId: string): string | undefined {
  const repos = new Map<string, { url: string; suite: string; components: Set<string> }>()
  for (const t of targets) {
    if (t.repository.used) continue
    const key = `${t.repository.mirrorUrl}\u0000${t.repository.suite}`
    const r = repos.get(key) ?? {
      url: t.repository.mirrorUrl,
      suite: t.repository.suite,
      components: new Set(),
    }
    r.components.add(t.repository.component)
    repos.set(key, r)
  }
  if (repos.size === 0) return undefined
  const keyring = archiveKeyringPath(osId)
  // sources.list(5) deb822 style; Signed-By pins the archive keyring so this source cannot be satisfied by any
  // other key apt trusts (Debian wiki, "UseThirdParty").
  return [...repos.values()]
    .sort((a, b) => (a.url + a.suite < b.url + b.suite ? -1 : 1))
    .map((r) =>
      [
        'Types: deb',
        `URIs: ${r.url}`,
        `Suites: ${r.suite}`,
        `Components: ${[...r.components].sort().join(' ')}`,
        `Signed-By: ${keyring}`,
      ].join('\n'),
    )
    .join('\n\n')
}

/**
 * Steps whose words never vary (refresh, remove the temporary source, restart services, reboot, re-check), one
 * frozen object per number: every advisory's plan repeats them, and the report is readonly data.
 */
const CONSTANT_STEPS = new Map<string, GuidanceStep[]>()

function constantStep(
  number: number,
  kind: GuidanceStep['kind'],
  text: string,
  command: string,
): GuidanceStep {
  let byNumber = CONSTANT_STEPS.get(text)
  if (!byNumber) {
    byNumber = []
    CONSTANT_STEPS.set(text, byNumber)
  }
  let step = byNumber[number]
  if (!step) {
    step = Object.freeze({ number, kind, text, command })
    byNumber[number] = step
  }
  return step
}

// Index loops in the per-advisory helpers below: they run once per advisory and stay allocation-free.
function shellSafe(targets: readonly InstallTarget[]): readonly InstallTarget[] {
  for (let i = 0; i < targets.length; i++) {
    if (!isShellSafeTarget(targets[i] as InstallTarget)) return targets.filter(isShellSafeTarget)
  }
  return targets
}

const NEEDRESTART =
  'Restart the services that still use the old libraries (or restart the computer). On Ubuntu Server ' +
  'needrestart lists and restarts them:'

const RESTART_FOR_LIBRARIES =
  'Restart the computer, so that running programs stop using the old libraries (or restart each service that uses them):'

function anyUnused(targets: readonly InstallTarget[]): boolean {
  for (let i = 0; i < targets.length; i++) if (!(targets[i] as InstallTarget).repository.used) return true
  return false
}

const LIVEPATCH_COVERED =
  'Livepatch already covers the running kernel against this: nothing is urgent. At your next maintenance ' +
  'window, install the fixed kernel (the steps below) and restart, so the fix no longer depends on Livepatch.'

/** Adds the verified mirror this machine does not use as a temporary deb822 source. */
function addTemporarySourceStep(number: number, source: string): GuidanceStep {
  return {
    number,
    kind: 'file',
    text:
      'The fix is verified only on a mirror this machine does not use. Add it temporarily as an apt source, ' +
      'signed by the archive key:',
    command: `sudo tee ${TEMPORARY_SOURCE_PATH} > /dev/null <<'EOF'\n${source}\nEOF`,
    file: { path: TEMPORARY_SOURCE_PATH, content: source + '\n' },
  }
}

/** Upgrades installed packages only (`--only-upgrade`). */
function upgradeStep(number: number, upgrades: readonly InstallTarget[], nativeArch: string): GuidanceStep {
  return {
    number,
    kind: 'command',
    text: 'Install the fixed versions (only packages already installed are upgraded):',
    command: `sudo apt install --only-upgrade ${specs(upgrades, nativeArch)}`,
  }
}

/** Installs the fixed kernel's ABI packages (no kernel metapackage was installed to pull them in). */
function kernelInstallStep(
  number: number,
  newInstalls: readonly InstallTarget[],
  nativeArch: string,
): GuidanceStep {
  return {
    number,
    kind: 'command',
    text: 'Install the fixed kernel:',
    command: `sudo apt install ${specs(newInstalls, nativeArch)}`,
  }
}

/**
 * A restart: of the computer when the plan needs a reboot; else, when a library is upgraded, of the services
 * using it (through needrestart when installed); else none.
 */
function restartStep(
  number: number,
  plan: GuidancePlan,
  upgrades: readonly InstallTarget[],
): GuidanceStep | undefined {
  if (plan.needsReboot) {
    const text = plan.rebootReason ? `Restart the computer (${plan.rebootReason}):` : 'Restart the computer:'
    return constantStep(number, 'reboot', text, 'sudo reboot')
  }
  if (!upgrades.some((t) => t.package.startsWith('lib'))) return undefined
  return plan.needrestartInstalled === true
    ? constantStep(number, 'command', NEEDRESTART, 'sudo needrestart -r a')
    : constantStep(number, 'reboot', RESTART_FOR_LIBRARIES, 'sudo reboot')
}

/** What to do meanwhile about an advisory with no verified fix. */
function noFixAdvice(entry: GuidancePlan['noFix'][number]): string {
  if (entry.mitigations.length > 0) return entry.mitigations.join(' ')
  return entry.withheld === true
    ? "Its mitigation text is not a step: Lifeline's instruction checker did not clear it (see the advisory). Limit exposure of the affected software until a fix is published."
    : 'No mitigation is given. Limit exposure of the affected software until a fix is published.'
}

/**
 * The advisories with no verified fix. One step per advisory reads well for a few; for many, one summary step
 * keeps the list usable (each advisory's own steps still carry its mitigation).
 */
function pushNoFixSteps(steps: GuidanceStep[], noFix: GuidancePlan['noFix']): void {
  if (noFix.length <= 3) {
    for (const entry of noFix) {
      steps.push({
        number: steps.length + 1,
        kind: 'info',
        text: `${entry.id} (${entry.title}): no verified fix is available yet. ${noFixAdvice(entry)} Lifeline keeps checking the mirrors.`,
      })
    }
    return
  }
  steps.push({
    number: steps.length + 1,
    kind: 'info',
    text:
      `${noFix.length} advisories leave this machine affected with no verified fix yet ` +
      `(${noFix
        .slice(0, 5)
        .map((a) => a.id)
        .join(', ')}, ...). See each advisory for its mitigation; ` +
      'Lifeline keeps checking the mirrors.',
  })
}

/** The final re-check, which confirms the fix once applied. */
function recheckStep(number: number, plan: GuidancePlan): GuidanceStep {
  return constantStep(
    number,
    'recheck',
    plan.recheckAdvisories === true
      ? 'Check again: each advisory should now show "fixed".'
      : 'Check again: Lifeline should now find nothing left to install.',
    'lifeline check',
  )
}

/** Numbered steps for a plan; empty when there is nothing to do. */
export function buildSteps(plan: GuidancePlan): GuidanceStep[] {
  // Steps are numbered as they are pushed (no second, renumbering pass: one plan per advisory, at scale).
  const steps: GuidanceStep[] = []
  const upgrades = shellSafe(plan.upgrades)
  const newInstalls = shellSafe(plan.newInstalls)
  const installing = upgrades.length + newInstalls.length > 0
  const temp =
    anyUnused(upgrades) || anyUnused(newInstalls)
      ? temporarySource([...upgrades, ...newInstalls], plan.osId)
      : undefined
  if (plan.livepatchCovered === true && installing) {
    steps.push({ number: steps.length + 1, kind: 'info', text: LIVEPATCH_COVERED })
  }
  if (temp !== undefined) steps.push(addTemporarySourceStep(steps.length + 1, temp))
  if (installing) {
    steps.push(constantStep(steps.length + 1, 'command', 'Refresh the package lists:', 'sudo apt update'))
  }
  if (upgrades.length > 0) steps.push(upgradeStep(steps.length + 1, upgrades, plan.nativeArch))
  if (newInstalls.length > 0) steps.push(kernelInstallStep(steps.length + 1, newInstalls, plan.nativeArch))
  if (temp !== undefined) {
    const remove = `sudo rm ${TEMPORARY_SOURCE_PATH} && sudo apt update`
    steps.push(constantStep(steps.length + 1, 'command', 'Remove the temporary source again:', remove))
  }
  const restart = restartStep(steps.length + 1, plan, upgrades)
  if (restart) steps.push(restart)
  pushNoFixSteps(steps, plan.noFix)
  if (steps.length === 0) return steps
  steps.push(recheckStep(steps.length + 1, plan))
  return steps
}

function specs(targets: readonly InstallTarget[], nativeArch: string): string {
  let out = ''
  for (let i = 0; i < targets.length; i++) {
    out += (i === 0 ? '' : ' ') + installSpec(targets[i] as InstallTarget, nativeArch)
  }
  return out
}
