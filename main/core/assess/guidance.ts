/**
 * Turns fix plans into numbered steps a non-expert can follow (issue 5, "Guidance").
 *
 * Every command line is built only from package names and versions that pass Debian Policy's syntax (5.6.1
 * Package, 5.6.12 Version), so even a signed-but-hostile index cannot put shell syntax into a printed command.
 */
import type { GuidanceStep, InstallTarget } from './types'

/** Debian Policy 5.6.1: lower-case letters, digits, `+`, `-`, `.`; at least two characters, alphanumeric first. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/
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
  }[]
  readonly nativeArch: string
  readonly osId: string
}

/** Keeps one target per package:arch (the highest version; ties by repository for determinism), sorted. */
export function dedupeTargets(
  targets: readonly InstallTarget[],
  compare: (a: string, b: string) => number,
): InstallTarget[] {
  if (targets.length === 0) return []
  const best = new Map<string, InstallTarget>()
  for (const t of targets) {
    const key = `${t.package}:${t.arch}`
    const cur = best.get(key)
    if (!cur) {
      best.set(key, t)
      continue
    }
    const c = compare(t.version, cur.version)
    if (c > 0 || (c === 0 && !cur.repository.used && t.repository.used)) best.set(key, t)
  }
  const str = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  return [...best.values()].sort((a, b) => str(a.package, b.package) || str(a.arch, b.arch))
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

/** Numbered steps for a plan; empty when there is nothing to do. */
export function buildSteps(plan: GuidancePlan): GuidanceStep[] {
  const steps: Omit<GuidanceStep, 'number'>[] = []
  const upgrades = plan.upgrades.filter(isShellSafeTarget)
  const newInstalls = plan.newInstalls.filter(isShellSafeTarget)
  const all = [...upgrades, ...newInstalls]
  const temp = temporarySource(all, plan.osId)
  if (temp !== undefined) {
    steps.push({
      kind: 'file',
      text:
        'The fix is verified only on a mirror this machine does not use. Add it temporarily as an apt source, ' +
        'signed by the archive key:',
      command: `sudo tee ${TEMPORARY_SOURCE_PATH} > /dev/null <<'EOF'\n${temp}\nEOF`,
      file: { path: TEMPORARY_SOURCE_PATH, content: temp + '\n' },
    })
  }
  if (all.length > 0) {
    steps.push({ kind: 'command', text: 'Refresh the package lists:', command: 'sudo apt update' })
  }
  if (upgrades.length > 0) {
    steps.push({
      kind: 'command',
      text: 'Install the fixed versions (only packages already installed are upgraded):',
      command: `sudo apt install --only-upgrade ${upgrades.map((t) => installSpec(t, plan.nativeArch)).join(' ')}`,
    })
  }
  if (newInstalls.length > 0) {
    steps.push({
      kind: 'command',
      text: 'Install the fixed kernel:',
      command: `sudo apt install ${newInstalls.map((t) => installSpec(t, plan.nativeArch)).join(' ')}`,
    })
  }
  if (temp !== undefined) {
    steps.push({
      kind: 'command',
      text: 'Remove the temporary source again:',
      command: `sudo rm ${TEMPORARY_SOURCE_PATH} && sudo apt update`,
    })
  }
  if (plan.needsReboot) {
    steps.push({
      kind: 'reboot',
      text: `Restart the computer${plan.rebootReason ? ` (${plan.rebootReason})` : ''}:`,
      command: 'sudo reboot',
    })
  } else if (upgrades.some((t) => t.package.startsWith('lib'))) {
    steps.push({
      kind: 'command',
      text:
        'Restart the services that still use the old libraries (or restart the computer). On Ubuntu Server ' +
        'needrestart lists and restarts them:',
      command: 'sudo needrestart -r a',
    })
  }
  // One step per advisory reads well for a single advisory; for many, one summary step keeps the list usable
  // (each advisory's own steps still carry its mitigation).
  const noFix = plan.noFix.length > 3 ? [] : plan.noFix
  for (const a of noFix) {
    const advice =
      a.mitigations.length > 0
        ? a.mitigations.join(' ')
        : 'No mitigation is given. Limit exposure of the affected software until a fix is published.'
    steps.push({
      kind: 'info',
      text: `${a.id} (${a.title}): no verified fix is available yet. ${advice} Lifeline keeps checking the mirrors.`,
    })
  }
  if (plan.noFix.length > 3) {
    steps.push({
      kind: 'info',
      text:
        `${plan.noFix.length} advisories leave this machine affected with no verified fix yet ` +
        `(${plan.noFix
          .slice(0, 5)
          .map((a) => a.id)
          .join(', ')}, ...). See each advisory for its mitigation; ` +
        'Lifeline keeps checking the mirrors.',
    })
  }
  if (steps.length === 0) return []
  steps.push({
    kind: 'recheck',
    text: 'Check again: each advisory should now show "fixed".',
    command: 'lifeline check',
  })
  return steps.map((s, i) => ({ number: i + 1, ...s }))
}
