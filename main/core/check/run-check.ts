/**
 * One full check over ports: verified mirrors, advisory channels, this machine, the assessment, the archive's
 * evidence, the coverage record and the mitigation checks (docs/trust.md). Shared by the app's backend and
 * `lifeline check` (main/node/engine.ts wires the real ports), so both say the same.
 */
import { archiveCveHints } from '../advisories/github-osv'
import { mergeAdvisories } from '../advisories/merge'
import { channelQueryOf, NO_QUERY, type ChannelQuery } from '../advisories/osv-api'
import { asSourceEvidenceState, SOURCE_EVIDENCE_STATE_NAME, type SourceEvidenceState } from '../apt/evidence'
import { suiteKey, type MirrorsState } from '../apt/mirror-state'
import {
  createMemoryIndexStore,
  loadPieces,
  readMirrorsState,
  withoutMissing,
  writeMirrorsState,
} from '../apt/mirror-store'
import { pollMirrors } from '../apt/poller'
import { assess } from '../assess/assess'
import { availableFromMirrorsState, isWantedName } from '../assess/available'
import {
  asChannelsState,
  channelsFromState,
  CHANNELS_STATE_NAME,
  readChannels,
  type ChannelsState,
} from '../engine/channels'
import { isCoreError } from '../errors'
import type { AppConfig, ChannelConfig, MirrorSuiteStatus } from '../model'
import type { DecompressStream, Decompressor, Fetcher, IndexStore, Logger, StateStore } from '../ports'
import { silentLogger } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { usedSources } from '../system/local-system'
import type { LocalSystem } from '../system/types'
import { assessWithArchiveEvidence } from './archive-evidence'
import type { CheckParts, RunCheck } from './checker'
import { coverageOf, releaseCodename } from './coverage'
import { ANY_AGE, applyFreshness, maxAgeRule } from './freshness'
import { checkMitigations, type MitigationInspector } from './mitigations'
import { isAuthenticState, isSuiteOfRelease, isVerifiedState } from './predicates'
import { distrustReason, trustedMirrorsState } from './trusted-state'

/** The ports a check runs on. */
export interface CheckPorts {
  readonly config: AppConfig
  /** The channels to read, asked at each check (Settings turns them on and off); default `config.channels`. */
  readonly channels?: (() => readonly ChannelConfig[]) | undefined
  readonly keyring: Keyring
  readonly fetcher: Fetcher
  readonly decompressor: Decompressor
  /** Where mirror and channel state (high-water marks, last good copies) is kept. */
  readonly store: StateStore
  /**
   * Where the compact pieces of verified indexes are kept (main/core/apt/mirror-store.ts); it goes with `store`.
   * Default: in memory, for this runner's life (tests; the app passes the data folder's).
   */
  readonly indexes?: IndexStore | undefined
  /** Streaming decompression, so an index never sits in memory whole (optional: tests). */
  readonly decompressStream?: DecompressStream | undefined
  /** Reads this machine (os-release, dpkg status, apt sources); throws a CoreError when it cannot. */
  readonly readSystem: () => Promise<LocalSystem>
  /** The instruction checker, for mitigation text; without it mitigations are shown as not checked. */
  readonly inspect?: MitigationInspector | undefined
  readonly log?: Logger | undefined
}

/** How one assembly differs from the default (online, machine and evidence cache read here). */
interface AssembleOptions {
  /** Offline: the archive evidence comes from the cache only. */
  readonly offline?: boolean
  /** The machine, when the caller already read it. */
  readonly read?: { system?: LocalSystem; problems: string[] }
  /** Problems saving state, shown with the machine's. */
  readonly stateProblems?: readonly string[]
  /** The archive-evidence cache, when the caller already read it (its value may be undefined: none saved). */
  readonly evidence?: { readonly cache: SourceEvidenceState | undefined }
}

/** A full check, and the same from saved state only. */
export interface CheckRunner {
  readonly run: RunCheck
  readonly runOffline: RunCheck
}

/** Creates the check runner over `ports`. */
export function createCheckRunner(ports: CheckPorts): CheckRunner {
  const log = ports.log ?? silentLogger
  const indexes = ports.indexes ?? createMemoryIndexStore()
  const channelsNow = (): readonly ChannelConfig[] => ports.channels?.() ?? ports.config.channels
  const mirrorUrls = Object.fromEntries(ports.config.mirrors.map((m) => [m.id, m.url]))
  const freshness = maxAgeRule(ports.config.maxAgeMs)

  const readState = async <T>(name: string, check: (v: unknown) => T | undefined): Promise<T | undefined> => {
    try {
      return check(await ports.store.read<unknown>(name))
    } catch (e) {
      log.warn(`state ${name} unreadable: ${isCoreError(e) ? e.message : String(e)}`)
      return undefined
    }
  }

  const readSystem = async (): Promise<{ system?: LocalSystem; problems: string[] }> => {
    try {
      const system = await ports.readSystem()
      const problems = system.sourceProblems.map((p) => `${p.file}:${p.line}: ${p.message}`)
      return { system, problems }
    } catch (e) {
      if (!isCoreError(e)) throw e
      return { problems: [e.message] }
    }
  }

  const assemble = async (
    now: number,
    polled: readonly MirrorSuiteStatus[],
    mirrorsState: MirrorsState | undefined,
    channelsState: ChannelsState | undefined,
    channels: CheckParts['channels'],
    opts: AssembleOptions = {},
  ): Promise<CheckParts> => {
    const { offline = false, stateProblems = [] } = opts
    let mirrors = applyFreshness(polled, now, freshness)
    const sys = opts.read ?? (await readSystem())
    const { system } = sys
    const problems = [...stateProblems, ...sys.problems]
    if (!system) return { mirrors, channels, systemProblems: problems }
    const codename = releaseCodename(system)
    const forThisRelease = (suite: string): boolean => isSuiteOfRelease(suite, codename)
    const wanted = new Set(system.packages.map((p) => p.package))
    // Only saved data whose signer is still pinned, still valid and not since contradicted counts as evidence, and
    // only from mirror × suites that answered with authentic data in this check: the steps must hold now, so they
    // never point at a mirror that just failed (its last good data is still shown, as the last verified report).
    // A saved package list that is damaged or missing on disk fails closed, for the suites that use it only.
    const trustedOrMissing = trustedMirrorsState(mirrorsState, ports.keyring, now)
    const loaded = await loadPieces(trustedOrMissing, indexes, (name) => isWantedName(wanted, name))
    if (loaded.missing.size > 0) {
      mirrors = markMissingPieces(mirrors, trustedOrMissing, loaded.missing)
      problems.push(
        `${loaded.missing.size} saved package list(s) were damaged or missing on disk (${[...new Set(loaded.missing.values())].join('; ')}); the suites using them are not used until the next check fetches them again.`,
      )
    }
    const trusted = reachableNow(
      trustedOrMissing && withoutMissing(trustedOrMissing, loaded.missing),
      mirrors,
    )
    // Only the channels read now count: a source turned off in Settings stops vouching at once, saved copy or not.
    const on = new Set(channelsNow().map((c) => c.id))
    const advisories = mergeAdvisories(
      Object.entries(channelsState?.snapshots ?? {})
        .filter(([id]) => on.has(id))
        .map(([, s]) => s.advisories),
    )
    // Versions of another release say nothing about this machine's packages (a Debian box checked against
    // Ubuntu noble would otherwise get dozens of bogus "updates").
    const available = availableFromMirrorsState(trusted, loaded.pieces, mirrorUrls, wanted).filter((a) =>
      forThisRelease(a.suite),
    )
    const usedMirrors = usedSources(system)
    // The archive's own changelogs confirm CVE fixes (cached by source version; offline uses the cache only).
    const cache = opts.evidence
      ? opts.evidence.cache
      : await readState(SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
    const evidenced = await assessWithArchiveEvidence(
      {
        system,
        advisories,
        available,
        usedMirrors,
        now,
        mirrorsVerified: mirrors.some((m) => isAuthenticState(m.state)),
      },
      {
        mirrors: trusted,
        cache,
        ports: { fetcher: ports.fetcher, decompressor: ports.decompressor, keyring: ports.keyring, now },
        maxFetches: offline ? 0 : undefined,
      },
    )
    // Expected gaps (native packages carry no .debian.tar; some mirrors prune old sources): in the coverage
    // record and the diagnostics log, not warnings.
    for (const p of evidenced.problems)
      log.info(`archive evidence for ${p.source} ${p.version}: ${p.code}: ${p.message}`)
    if ((evidenced.fetched > 0 || evidenced.problems.length > 0) && evidenced.state)
      await ports.store.write(SOURCE_EVIDENCE_STATE_NAME, evidenced.state)
    const coverage = coverageOf({
      system,
      mirrorConfigs: ports.config.mirrors,
      mirrors,
      channels,
      usedMirrors,
      available,
      evidenceProblems: evidenced.problems,
    })
    // The checker runs on the advisories that affect this computer, so it comes after the assessment; signed text
    // it does not clear is then taken out of the steps by assessing again (no fetch: same input, same evidence).
    const mitigations = await checkMitigations(evidenced.assessment, ports.inspect)
    const refusedMitigations = mitigations
      .filter((m) => m.trust === 'signed' && !m.asStep)
      .map((m) => ({ advisoryId: m.advisoryId, text: m.text }))
    const assessment =
      refusedMitigations.length === 0
        ? evidenced.assessment
        : assess({ ...evidenced.input, refusedMitigations })
    return {
      mirrors,
      channels,
      assessment,
      coverage,
      mitigations,
      systemProblems: problems,
    }
  }

  /** The channels' view of the machine, with CVE ids earlier checks found in signed changelogs. */
  const queryOf = (system: LocalSystem | undefined, cache: SourceEvidenceState | undefined): ChannelQuery => {
    if (!system) return NO_QUERY
    const base = channelQueryOf(system)
    return { ...base, cves: archiveCveHints(Object.values(cache?.records ?? {}), base.sources) }
  }

  return {
    async run(now, progress) {
      const previousMirrors = await readMirrorsState(ports.store, indexes, log)
      const previousChannels = await readState(CHANNELS_STATE_NAME, asChannelsState)
      const channelList = channelsNow()
      const channelCount = channelList.length
      const polled = await pollMirrors({
        mirrors: ports.config.mirrors,
        keyring: ports.keyring,
        now,
        previous: previousMirrors,
        ports: {
          fetcher: ports.fetcher,
          decompressor: ports.decompressor,
          decompressStream: ports.decompressStream,
          indexes,
        },
        // Old is not forged: every authentic Release is kept; its age is judged by applyFreshness.
        maxAgeMs: ANY_AGE,
        onProgress: (p) => progress({ done: p.done, total: p.total + channelCount, label: p.label }),
      })
      // A state the store refuses is reported, never a crash: this check still answers from what it verified.
      const saveProblem = await writeMirrorsState(ports.store, indexes, polled.state, log)
      const mirrorJobs = ports.config.mirrors.reduce((n, m) => n + m.suites.length, 0)
      // The machine is read once, before the channels: the osv-api channel asks about its installed sources.
      const sys = await readSystem()
      // Read once: the channels' query and the archive evidence both use it, and nothing writes it in between.
      const evidenceCache = await readState(SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
      const read = await readChannels({
        channels: channelList,
        keyring: ports.keyring,
        fetcher: ports.fetcher,
        now,
        previous: previousChannels,
        query: queryOf(sys.system, evidenceCache),
        onProgress: (done, total, label) =>
          progress({ done: mirrorJobs + done, total: mirrorJobs + total, label }),
      })
      await ports.store.write(CHANNELS_STATE_NAME, read.state)
      progress({
        done: mirrorJobs + channelCount,
        total: mirrorJobs + channelCount,
        label: 'Assessing this computer',
      })
      return assemble(now, polled.statuses, polled.state, read.state, read.statuses, {
        read: sys,
        stateProblems: saveProblem ? [saveProblem.message] : [],
        evidence: { cache: evidenceCache },
      })
    },

    async runOffline(now) {
      const mirrorsState = await readMirrorsState(ports.store, indexes, log)
      const channelsState = await readState(CHANNELS_STATE_NAME, asChannelsState)
      const mirrors = savedMirrorStatuses(ports.config, mirrorsState, now, ports.keyring)
      const parts = await assemble(
        now,
        mirrors,
        mirrorsState,
        channelsState,
        channelsFromState(channelsNow(), channelsState),
        { offline: true },
      )
      return { ...parts, offline: true }
    },
  }
}

/**
 * The statuses with every mirror × suite whose saved package lists are damaged or missing reported as such: its
 * data is not used (fail closed), so it must not count as verified either.
 */
function markMissingPieces(
  statuses: readonly MirrorSuiteStatus[],
  state: MirrorsState | undefined,
  missing: ReadonlyMap<string, string>,
): MirrorSuiteStatus[] {
  return statuses.map((s) => {
    const rec = state?.suites[suiteKey(s.mirrorId, s.suite)]
    if (!rec || !Object.values(rec.indexes).some((i) => missing.has(i.sha256))) return s
    if (!isAuthenticState(s.state)) return s
    return {
      ...s,
      state: 'unreachable',
      code: 'STATE_CORRUPT_PIECE',
      detail: `The saved ${s.suite} package lists of this mirror were damaged on disk; they are not used, and the next check fetches them again.`,
    }
  })
}

/** The state limited to mirror × suites whose status in this check is authentic (verified now, current or old). */
export function reachableNow(
  state: MirrorsState | undefined,
  statuses: readonly MirrorSuiteStatus[],
): MirrorsState | undefined {
  if (!state) return undefined
  const now = new Set(
    statuses.filter((m) => isAuthenticState(m.state)).map((m) => suiteKey(m.mirrorId, m.suite)),
  )
  return {
    ...state,
    suites: Object.fromEntries(Object.entries(state.suites).filter(([k]) => now.has(k))),
  }
}

/** Mirror statuses from saved state (offline): what was last verified, with its age; nothing is fetched. */
export function savedMirrorStatuses(
  config: AppConfig,
  state: MirrorsState | undefined,
  now: number,
  keyring: Keyring,
): MirrorSuiteStatus[] {
  const out: MirrorSuiteStatus[] = []
  for (const m of config.mirrors) {
    for (const suite of m.suites) {
      const rec = state?.suites[suiteKey(m.id, suite)]
      const distrust = rec?.verified ? distrustReason(rec, keyring, now) : undefined
      if (rec?.verified && distrust) {
        const last = rec.last?.state
        out.push({
          mirrorId: m.id,
          mirrorName: m.name,
          url: m.url,
          suite,
          state:
            last && !isVerifiedState(last) && last !== 'unreachable'
              ? last
              : rec.verified.validUntil !== undefined && rec.verified.validUntil < now
                ? 'frozen'
                : 'bad-signature',
          detail: `Offline: the last saved data no longer counts, because ${distrust}.`,
          code: 'OFFLINE_DISTRUSTED',
          checkedAt: rec.last?.at ?? now,
          releaseDate: rec.verified.date,
          signedBy: rec.verified.signedBy,
        })
        continue
      }
      const verified = rec?.verified
      out.push({
        mirrorId: m.id,
        mirrorName: m.name,
        url: m.url,
        suite,
        state: verified ? 'ok' : 'unreachable',
        detail: verified
          ? 'Offline: last verified state from disk.'
          : 'Offline: this mirror was never verified on this computer.',
        code: verified ? undefined : 'OFFLINE_NO_STATE',
        checkedAt: verified?.verifiedAt ?? now,
        releaseDate: verified?.date,
        signedBy: verified?.signedBy,
        validUntil: verified?.validUntil,
        dataAgeMs: verified ? now - verified.verifiedAt : undefined,
      })
    }
  }
  return out
}
