/**
 * Where each below-fix binary of a source gets its fixed version: one repository for the whole source where
 * possible, because its binaries depend on each other at exactly equal versions.
 */
import type { Candidate, InstalledBinary } from './context'
import { compareStrings, compareVersionsForSort, sortSmall, tryCompareVersions } from './ordering'

/** How a fix is named: by the advisory's source and source version, or by the binary's own version. */
export type FixMode = 'source' | 'binary'

/** One repository's best candidate per target slot. */
interface RepositoryPicks {
  readonly key: string
  readonly used: boolean
  /** The best candidate per target slot (see `slots`). */
  readonly picks: (Candidate | undefined)[]
  /** How many slots have a pick. */
  count: number
  maxSourceVersion: string
}

/** Orders repositories for `chooseFix`: used first, most binaries, highest source version, then by name. */
function rankRepositories(a: RepositoryPicks, b: RepositoryPicks): number {
  return (
    Number(b.used) - Number(a.used) ||
    b.count - a.count ||
    compareVersionsForSort(b.maxSourceVersion, a.maxSourceVersion) ||
    compareStrings(a.key, b.key)
  )
}

const SLOT0: readonly number[] = Object.freeze([0])

/** For each target, the index of the first target with the same `package:arch` (they share one pick). */
function slots(targets: readonly InstalledBinary[]): readonly number[] {
  if (targets.length === 1) return SLOT0
  const out: number[] = []
  if (targets.length > 16) {
    const first = new Map<string, number>()
    for (const [i, target] of targets.entries()) {
      const firstIndex = first.get(target.packageArch)
      if (firstIndex === undefined) first.set(target.packageArch, i)
      out.push(firstIndex ?? i)
    }
    return out
  }
  for (let i = 0; i < targets.length; i++) {
    const packageArch = (targets[i] as InstalledBinary).packageArch
    let j = 0
    while ((targets[j] as InstalledBinary).packageArch !== packageArch) j++
    out.push(j)
  }
  return out
}

/**
 * A candidate qualifies when it is newer than the installed binary and, for a source fix, built from the
 * advisory's source at or above the fixed source version (for a binary-only fix, its own version).
 */
function qualifies(
  candidate: Candidate,
  target: InstalledBinary,
  name: string,
  fixed: string,
  mode: FixMode,
): boolean {
  const offer = candidate.offer
  if (mode === 'source') {
    if (candidate.advisorySource !== name || (tryCompareVersions(offer.sourceVersion, fixed) ?? -1) < 0)
      return false
  } else if ((tryCompareVersions(offer.version, fixed) ?? -1) < 0) return false
  return (tryCompareVersions(offer.version, target.dpkg.version) ?? 0) > 0
}

/** The record of `candidate`'s repository, added to `repositories` on first sight. */
function repositoryOf(
  repositories: RepositoryPicks[],
  candidate: Candidate,
  targetCount: number,
): RepositoryPicks {
  for (const repository of repositories) if (repository.key === candidate.repositoryKey) return repository
  const created: RepositoryPicks = {
    key: candidate.repositoryKey,
    used: candidate.used,
    picks: new Array<Candidate | undefined>(targetCount),
    count: 0,
    maxSourceVersion: candidate.offer.sourceVersion,
  }
  repositories.push(created)
  return created
}

/** Records `candidate` as slot `slot`'s pick in its repository when it is the highest version seen there. */
function offerToSlot(repository: RepositoryPicks, slot: number, candidate: Candidate): void {
  const current = repository.picks[slot]
  if (!current) {
    repository.picks[slot] = candidate
    repository.count++
  } else if (compareVersionsForSort(candidate.offer.version, current.offer.version) > 0) {
    repository.picks[slot] = candidate
  }
  if (compareVersionsForSort(candidate.offer.sourceVersion, repository.maxSourceVersion) > 0) {
    repository.maxSourceVersion = candidate.offer.sourceVersion
  }
}

/**
 * Chooses where each below-fix binary gets its fixed version: the pick per target (undefined for a binary with
 * none), or undefined when no target has one.
 *
 * One repository (mirror × suite × component) is preferred for the whole source package: a used repository first,
 * then the one covering most binaries, then the highest source version, then by name. Binaries it lacks are taken
 * from the next repositories in the same order. Repositories are few per source, so they are kept in a short
 * array rather than a Map.
 */
export function chooseFix(
  targets: readonly InstalledBinary[],
  name: string,
  fixed: string,
  mode: FixMode,
): (Candidate | undefined)[] | undefined {
  const slot = slots(targets)
  let repositories: RepositoryPicks[] | undefined
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] as InstalledBinary
    for (const candidate of target.candidates) {
      if (!qualifies(candidate, target, name, fixed, mode)) continue
      repositories ??= []
      offerToSlot(repositoryOf(repositories, candidate, targets.length), slot[i] as number, candidate)
    }
  }
  if (!repositories) return undefined
  if (repositories.length === 1) {
    const only = repositories[0] as RepositoryPicks
    if (targets.length === 1) return only.picks
    return slot.map((slotIndex) => only.picks[slotIndex])
  }
  sortSmall(repositories, rankRepositories)
  const ranked = repositories
  return slot.map((slotIndex) => {
    for (const repository of ranked) {
      const candidate = repository.picks[slotIndex]
      if (candidate) return candidate
    }
    return undefined
  })
}
