/**
 * The archive's own security updates: every installed source with a newer version in a verified security pocket
 * (docs/trust.md, point 5: the archive itself is evidence), with the CVEs its changelog names when at hand.
 */
import type { Candidate, InstalledBinary, SecurityGroup } from './context'
import { upgradeTarget } from './findings'
import { compareInstallTargets, compareStrings, compareVersionsForSort, tryCompareVersions } from './ordering'
import type { AssessInput, SecurityUpdate } from './types'

/**
 * Whether `candidate` beats `best` as a binary's security update: a used repository first, then the higher
 * version, then by mirror and suite name.
 */
function isBetterSecurityCandidate(candidate: Candidate, best: Candidate | undefined): boolean {
  if (!best) return true
  if (candidate.used !== best.used) return candidate.used
  const offer = candidate.offer
  return (
    compareVersionsForSort(offer.version, best.offer.version) > 0 ||
    (offer.version === best.offer.version &&
      compareStrings(`${offer.mirrorId} ${offer.suite}`, `${best.offer.mirrorId} ${best.offer.suite}`) < 0)
  )
}

/** A binary's best newer version in a security pocket, if any. */
function bestSecurityCandidate(binary: InstalledBinary): Candidate | undefined {
  let best: Candidate | undefined
  for (const candidate of binary.candidates) {
    if (!candidate.inSecurityPocket) continue
    if ((tryCompareVersions(candidate.offer.version, binary.dpkg.version) ?? 0) <= 0) continue
    if (isBetterSecurityCandidate(candidate, best)) best = candidate
  }
  return best
}

/** Per installed (advisory-named) source: its binaries and each one's best newer version in a security pocket. */
export function securityPicks(installed: readonly InstalledBinary[]): Map<string, SecurityGroup> {
  const groups = new Map<string, SecurityGroup>()
  for (const binary of installed) {
    const best = bestSecurityCandidate(binary)
    const group = groups.get(binary.advisorySource)
    if (group) {
      group.installed.push(binary)
      if (best) group.picks.push({ target: binary, candidate: best })
    } else {
      groups.set(binary.advisorySource, {
        installed: [binary],
        picks: best ? [{ target: binary, candidate: best }] : [],
      })
    }
  }
  return groups
}

/** The highest of `versions` in dpkg order (`''` when empty). */
function highestVersion(versions: readonly string[]): string {
  let highest = versions[0] ?? ''
  for (const version of versions) if (compareVersionsForSort(version, highest) > 0) highest = version
  return highest
}

/** One source's security update from its group (which has at least one pick). */
function securityUpdateOf(
  source: string,
  group: SecurityGroup,
  advisoryIds: readonly string[],
  cvesOf: ReadonlyMap<string, readonly string[]>,
): SecurityUpdate {
  const upgrades = group.picks
    .map(({ target, candidate }) => upgradeTarget(target, candidate))
    .sort(compareInstallTargets)
  const newSourceVersion = highestVersion(group.picks.map((p) => p.candidate.offer.sourceVersion))
  return {
    source,
    installedSourceVersion: highestVersion(group.installed.map((b) => b.dpkg.sourceVersion)),
    newSourceVersion,
    upgrades,
    onUsedMirror: upgrades.every((u) => u.repository.used),
    advisoryIds,
    cves: [...(cvesOf.get(`${source}\u0000${newSourceVersion}`) ?? [])].sort(),
  }
}

/** Every source with a picked security update, by source name. */
export function securityUpdates(
  groups: ReadonlyMap<string, SecurityGroup>,
  advisoryIdsBySource: ReadonlyMap<string, readonly string[]>,
  input: AssessInput,
): SecurityUpdate[] {
  const cvesOf = new Map<string, readonly string[]>()
  for (const evidence of input.archiveEvidence ?? [])
    cvesOf.set(`${evidence.source}\u0000${evidence.version}`, evidence.cves)
  const out: SecurityUpdate[] = []
  for (const [source, group] of groups) {
    if (group.picks.length === 0) continue
    out.push(securityUpdateOf(source, group, advisoryIdsBySource.get(source) ?? [], cvesOf))
  }
  return out.sort((a, b) => compareStrings(a.source, b.source))
}
