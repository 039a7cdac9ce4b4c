/**
 * The coverage record: what one check actually saw, so the verdict is a conclusion drawn from it and never a
 * default (docs/trust.md, "The verdict"). Built once per check; shown in the JSON report, the app and the human
 * report with the same fields.
 */
import type { AvailableVersion } from '../assess/types'
import type { ChannelStatus } from '../engine/channels'
import type { MirrorConfig, MirrorSuiteStatus } from '../model'
import { normalizeMirrorUrl, type UsedSource } from '../system/local-system'
import type { LocalSystem } from '../system/types'
import { isAuthenticState, isChannelRead, isSuiteOfRelease, isVerifiedState } from './predicates'

/** How this release's `-security` pocket stands across the configured mirrors. */
export type SecurityPocketState =
  /** Verified on at least one mirror, and current (not older than the freshness rule allows). */
  | 'current'
  /** Reached and verified, but every copy is older than the freshness rule allows: authentic, not current. */
  | 'old'
  /** Verified on no mirror (not configured, unreachable or failed verification). */
  | 'none'

/** One configured mirror, as this machine's apt sees it. */
export interface MirrorCoverage {
  readonly mirrorId: string
  readonly name: string
  readonly url: string
  /** This machine's apt sources read from this mirror (same archive URL). */
  readonly usedByThisMachine: boolean
  /** At least one of its suites for this release verified in this check (current or old). */
  readonly verified: boolean
}

/** One kind of gap in the archive's CVE evidence (the changelog could not be read), with how many sources. */
export interface EvidenceGap {
  /** The error code of the failing hop (e.g. `NET_NOT_FOUND`, `EVIDENCE_NO_CHANGELOG_FILE`). */
  readonly code: string
  readonly count: number
  /** The packages concerned (source names, sorted, at most a few). */
  readonly sources: readonly string[]
}

/** What one check saw: the facts the verdict is drawn from. */
export interface CheckCoverage {
  readonly release: {
    readonly id: string | undefined
    readonly codename: string | undefined
    /** `PRETTY_NAME`, for sentences. */
    readonly name: string | undefined
    /** Some configured mirror lists a suite of this release. */
    readonly served: boolean
  }
  readonly securityPocket: {
    /** `<codename>-security`, when the release is known. */
    readonly suite: string | undefined
    readonly state: SecurityPocketState
    /** Mirror names whose pocket verified and is current. */
    readonly currentOn: readonly string[]
    /** Mirror names whose pocket verified but is older than the freshness rule allows. */
    readonly oldOn: readonly string[]
    /** The newest verified Release `Date` of the pocket (the data's age is measured from it). */
    readonly newestDate: number | undefined
  }
  readonly mirrors: readonly MirrorCoverage[]
  /** Repositories this machine's apt reads that are not configured mirrors: Lifeline does not verify them. */
  readonly unverifiedSources: readonly string[]
  readonly advisorySources: {
    /** Channels read in this check (fully or partly). */
    readonly read: number
    readonly total: number
    /** The newest successful read of any channel (epoch ms). */
    readonly newestReadAt: number | undefined
  }
  /**
   * Installed packages that no verified index of this release lists (PPAs, docker, local builds): Lifeline cannot
   * tell whether they need security updates. Undefined when the release pocket itself was not verified.
   */
  readonly packagesOutsideVerifiedArchive: number | undefined
  /** Gaps in the archive's CVE evidence, by failing code. */
  readonly evidenceGaps: readonly EvidenceGap[]
}

/** What `coverageOf` reads. */
export interface CoverageInput {
  readonly system: Pick<LocalSystem, 'os' | 'packages'> | undefined
  readonly mirrorConfigs: readonly Pick<MirrorConfig, 'id' | 'name' | 'url' | 'suites'>[]
  readonly mirrors: readonly MirrorSuiteStatus[]
  readonly channels: readonly ChannelStatus[]
  readonly usedMirrors: readonly UsedSource[]
  /** Verified versions of this release (any installed package name). */
  readonly available: readonly AvailableVersion[]
  readonly evidenceProblems?: readonly { readonly source: string; readonly code: string }[] | undefined
}

/** The codename a check compares with: `UBUNTU_CODENAME` first (flavours and derivatives), else the codename. */
export function releaseCodename(system: Pick<LocalSystem, 'os'> | undefined): string | undefined {
  return system ? (system.os.fields.UBUNTU_CODENAME ?? system.os.codename) : undefined
}

/** Builds the coverage record of one check. */
export function coverageOf(input: CoverageInput): CheckCoverage {
  const codename = releaseCodename(input.system)
  const ofRelease = (suite: string): boolean => isSuiteOfRelease(suite, codename)
  const pocket = codename === undefined ? undefined : `${codename}-security`
  const pocketStatuses = input.mirrors.filter((m) => m.suite === pocket)
  const currentOn = unique(pocketStatuses.filter((m) => isVerifiedState(m.state)).map((m) => m.mirrorName))
  const oldOn = unique(pocketStatuses.filter((m) => m.state === 'stale').map((m) => m.mirrorName))
  let newestDate: number | undefined
  for (const m of pocketStatuses) {
    if (!isAuthenticState(m.state) || m.releaseDate === undefined) continue
    if (newestDate === undefined || m.releaseDate > newestDate) newestDate = m.releaseDate
  }
  const used = new Set(input.usedMirrors.map((u) => normalizeMirrorUrl(u.url)))
  const configured = new Set(input.mirrorConfigs.map((m) => normalizeMirrorUrl(m.url)))
  const mirrors = input.mirrorConfigs.map((c): MirrorCoverage => ({
    mirrorId: c.id,
    name: c.name,
    url: c.url,
    usedByThisMachine: used.has(normalizeMirrorUrl(c.url)),
    verified: input.mirrors.some(
      (m) => m.mirrorId === c.id && ofRelease(m.suite) && isAuthenticState(m.state),
    ),
  }))
  const releasePocketVerified = input.mirrors.some((m) => m.suite === codename && isAuthenticState(m.state))
  let outside: number | undefined
  if (input.system && releasePocketVerified) {
    const listed = new Set(input.available.filter((a) => ofRelease(a.suite)).map((a) => a.package))
    const names = new Set(input.system.packages.map((p) => p.package))
    outside = [...names].filter((n) => !listed.has(n)).length
  }
  let newestReadAt: number | undefined
  for (const c of input.channels) {
    if (c.verifiedAt !== undefined && (newestReadAt === undefined || c.verifiedAt > newestReadAt))
      newestReadAt = c.verifiedAt
  }
  return {
    release: {
      id: input.system?.os.id,
      codename,
      name: input.system?.os.prettyName || input.system?.os.id,
      served: input.mirrorConfigs.some((m) => m.suites.some(ofRelease)),
    },
    securityPocket: {
      suite: pocket,
      state: currentOn.length > 0 ? 'current' : oldOn.length > 0 ? 'old' : 'none',
      currentOn,
      oldOn,
      newestDate,
    },
    mirrors,
    unverifiedSources: unique(
      input.usedMirrors
        .filter((u) => !configured.has(normalizeMirrorUrl(u.url)))
        .map((u) => u.url.replace(/\/+$/, '')),
    ),
    advisorySources: {
      read: input.channels.filter((c) => isChannelRead(c.state)).length,
      total: input.channels.length,
      newestReadAt,
    },
    packagesOutsideVerifiedArchive: outside,
    evidenceGaps: gapsOf(input.evidenceProblems ?? []),
  }
}

function gapsOf(problems: readonly { readonly source: string; readonly code: string }[]): EvidenceGap[] {
  const by = new Map<string, Set<string>>()
  for (const p of problems) by.set(p.code, (by.get(p.code) ?? new Set()).add(p.source))
  return [...by.entries()]
    .map(([code, s]) => ({ code, count: s.size, sources: [...s].sort().slice(0, 5) }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort()
}
