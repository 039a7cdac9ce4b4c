/**
 * One full check over ports: verified mirrors, advisory channels, this machine, the assessment, the archive's
 * evidence, the coverage record and the mitigation checks (docs/trust.md). Shared by the app's backend and
 * `lifeline check` (main/node/engine.ts wires the real ports), so both say the same.
 */
import { archiveCveHints } from '../advisories/github-osv'
import type { Advisory } from '../advisories/model'
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
import type { AssessInput, Assessment, AvailableVersion } from '../assess/types'
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
import { assessWithArchiveEvidence, type EvidencedAssessment } from './archive-evidence'
import type { CheckParts, RunCheck } from './checker'
import { coverageOf, releaseCodename } from './coverage'
import { ANY_AGE, applyFreshness, maxAgeRule } from './freshness'
import { checkMitigations, type MitigationCheck, type MitigationInspector } from './mitigations'
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

/** Where a check reports its progress. */
type ProgressSink = Parameters<RunCheck>[1]

/** A check's ports with their defaults filled in, and what every stage derives from the configuration once. */
interface Runner {
  readonly ports: CheckPorts
  readonly log: Logger
  readonly indexes: IndexStore
  /** The channels to read now (Settings turns them on and off). */
  readonly channelsNow: () => readonly ChannelConfig[]
  readonly mirrorUrls: Readonly<Record<string, string>>
  readonly freshness: ReturnType<typeof maxAgeRule>
}

/** This machine as read for a check, with its source-list problems in words (no system: it could not be read). */
interface MachineRead {
  readonly system?: LocalSystem
  readonly problems: readonly string[]
}

/** Everything one assembly works from: what was polled or saved, and what the caller already read. */
interface AssembleInput {
  readonly now: number
  readonly polled: readonly MirrorSuiteStatus[]
  readonly mirrorsState: MirrorsState | undefined
  readonly channelsState: ChannelsState | undefined
  readonly channels: CheckParts['channels']
  /** Offline: the archive evidence comes from the cache only. */
  readonly offline?: boolean
  /** The machine, when the caller already read it. */
  readonly machine?: MachineRead
  /** Problems saving state, shown with the machine's. */
  readonly stateProblems?: readonly string[]
  /** The archive-evidence cache, when the caller already read it (its value may be undefined: none saved). */
  readonly evidence?: { readonly cache: SourceEvidenceState | undefined }
}

/** A check's ports with defaults. */
function runnerOf(ports: CheckPorts): Runner {
  return {
    ports,
    log: ports.log ?? silentLogger,
    indexes: ports.indexes ?? createMemoryIndexStore(),
    channelsNow: () => ports.channels?.() ?? ports.config.channels,
    mirrorUrls: Object.fromEntries(ports.config.mirrors.map((m) => [m.id, m.url])),
    freshness: maxAgeRule(ports.config.maxAgeMs),
  }
}

/** A saved state, checked by `check`; an unreadable one is logged and reads as none. */
async function readSavedState<T>(
  runner: Runner,
  name: string,
  check: (v: unknown) => T | undefined,
): Promise<T | undefined> {
  try {
    return check(await runner.ports.store.read<unknown>(name))
  } catch (e) {
    runner.log.warn(`state ${name} unreadable: ${isCoreError(e) ? e.message : String(e)}`)
    return undefined
  }
}

/** Reads this machine; a machine that cannot be read is a problem in words, never a crash. */
async function readMachine(runner: Runner): Promise<MachineRead> {
  try {
    const system = await runner.ports.readSystem()
    const problems = system.sourceProblems.map((p) => `${p.file}:${p.line}: ${p.message}`)
    return { system, problems }
  } catch (e) {
    if (!isCoreError(e)) throw e
    return { problems: [e.message] }
  }
}

/** The versions the mirrors verifiably offer this machine, and the mirror statuses once damaged pieces are known. */
interface VerifiedOffers {
  readonly mirrors: readonly MirrorSuiteStatus[]
  /** The saved state that still vouches, limited to mirror × suites that answered now. */
  readonly trusted: MirrorsState | undefined
  readonly available: AvailableVersion[]
  /** A damaged or missing saved package list, in words. */
  readonly problem?: string
}

/**
 * The verified offers. Only saved data whose signer is still pinned, still valid and not since contradicted counts
 * as evidence, and only from mirror × suites that answered with authentic data in this check: the steps must hold
 * now, so they never point at a mirror that just failed (its last good data is still shown, as the last verified
 * report). A saved package list that is damaged or missing on disk fails closed, for the suites that use it only.
 */
async function verifiedOffers(
  runner: Runner,
  input: AssembleInput,
  freshMirrors: readonly MirrorSuiteStatus[],
  system: LocalSystem,
): Promise<VerifiedOffers> {
  const codename = releaseCodename(system)
  const wanted = new Set(system.packages.map((p) => p.package))
  const trustedOrMissing = trustedMirrorsState(input.mirrorsState, runner.ports.keyring, input.now)
  const loaded = await loadPieces(trustedOrMissing, runner.indexes, (name) => isWantedName(wanted, name))
  let mirrors = freshMirrors
  let problem: string | undefined
  if (loaded.missing.size > 0) {
    mirrors = markMissingPieces(mirrors, trustedOrMissing, loaded.missing)
    problem = `${loaded.missing.size} saved package list(s) were damaged or missing on disk (${[...new Set(loaded.missing.values())].join('; ')}); the suites using them are not used until the next check fetches them again.`
  }
  const trusted = reachableNow(trustedOrMissing && withoutMissing(trustedOrMissing, loaded.missing), mirrors)
  // Versions of another release say nothing about this machine's packages (a Debian box checked against
  // Ubuntu noble would otherwise get dozens of bogus "updates").
  const available = availableFromMirrorsState(trusted, loaded.pieces, runner.mirrorUrls, wanted).filter((a) =>
    isSuiteOfRelease(a.suite, codename),
  )
  return problem === undefined ? { mirrors, trusted, available } : { mirrors, trusted, available, problem }
}

/** The advisories of the channels read now: a source turned off in Settings stops vouching at once, saved copy or not. */
function advisoriesOfChannelsOn(runner: Runner, channelsState: ChannelsState | undefined): Advisory[] {
  const on = new Set(runner.channelsNow().map((c) => c.id))
  return mergeAdvisories(
    Object.entries(channelsState?.snapshots ?? {})
      .filter(([id]) => on.has(id))
      .map(([, s]) => s.advisories),
  )
}

/**
 * The assessment with the archive's own changelog evidence (cached by source version; offline uses the cache
 * only), the cache saved again when it changed.
 */
async function assessWithEvidence(
  runner: Runner,
  input: AssembleInput,
  assessInput: AssessInput,
  trusted: MirrorsState | undefined,
): Promise<EvidencedAssessment> {
  const { ports, log } = runner
  const cache = input.evidence
    ? input.evidence.cache
    : await readSavedState(runner, SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
  const evidenced = await assessWithArchiveEvidence(assessInput, {
    mirrors: trusted,
    cache,
    ports: {
      fetcher: ports.fetcher,
      decompressor: ports.decompressor,
      keyring: ports.keyring,
      now: input.now,
    },
    maxFetches: input.offline === true ? 0 : undefined,
  })
  // Expected gaps (native packages carry no .debian.tar; some mirrors prune old sources): in the coverage
  // record and the diagnostics log, not warnings.
  for (const problem of evidenced.problems)
    log.info(`archive evidence for ${problem.source} ${problem.version}: ${problem.code}: ${problem.message}`)
  if ((evidenced.fetched > 0 || evidenced.problems.length > 0) && evidenced.state)
    await ports.store.write(SOURCE_EVIDENCE_STATE_NAME, evidenced.state)
  return evidenced
}

/**
 * Mitigation text through the instruction checker. It runs on the advisories that affect this computer, so it
 * comes after the assessment; signed text it does not clear is then taken out of the steps by assessing again (no
 * fetch: same input, same evidence).
 */
async function withCheckedMitigations(
  runner: Runner,
  evidenced: EvidencedAssessment,
): Promise<{ readonly assessment: Assessment; readonly mitigations: readonly MitigationCheck[] }> {
  const mitigations = await checkMitigations(evidenced.assessment, runner.ports.inspect)
  const refusedMitigations = mitigations
    .filter((m) => m.trust === 'signed' && !m.asStep)
    .map((m) => ({ advisoryId: m.advisoryId, text: m.text }))
  const assessment =
    refusedMitigations.length === 0
      ? evidenced.assessment
      : assess({ ...evidenced.input, refusedMitigations })
  return { assessment, mitigations }
}

/** The check's parts from polled (or saved) mirrors and channels: freshness, this machine, assessment, coverage. */
async function assemble(runner: Runner, input: AssembleInput): Promise<CheckParts> {
  const { now, channels } = input
  const freshMirrors = applyFreshness(input.polled, now, runner.freshness)
  const machine = input.machine ?? (await readMachine(runner))
  const { system } = machine
  const problems = [...(input.stateProblems ?? []), ...machine.problems]
  if (!system) return { mirrors: freshMirrors, channels, systemProblems: problems }
  const offers = await verifiedOffers(runner, input, freshMirrors, system)
  const { mirrors, available } = offers
  if (offers.problem !== undefined) problems.push(offers.problem)
  const usedMirrors = usedSources(system)
  const assessInput: AssessInput = {
    system,
    advisories: advisoriesOfChannelsOn(runner, input.channelsState),
    available,
    usedMirrors,
    now,
    mirrorsVerified: mirrors.some((m) => isAuthenticState(m.state)),
  }
  const evidenced = await assessWithEvidence(runner, input, assessInput, offers.trusted)
  const coverage = coverageOf({
    system,
    mirrorConfigs: runner.ports.config.mirrors,
    mirrors,
    channels,
    usedMirrors,
    available,
    evidenceProblems: evidenced.problems,
  })
  const { assessment, mitigations } = await withCheckedMitigations(runner, evidenced)
  return { mirrors, channels, assessment, coverage, mitigations, systemProblems: problems }
}

/** The channels' view of the machine, with CVE ids earlier checks found in signed changelogs. */
function queryOf(system: LocalSystem | undefined, cache: SourceEvidenceState | undefined): ChannelQuery {
  if (!system) return NO_QUERY
  const base = channelQueryOf(system)
  return { ...base, cves: archiveCveHints(Object.values(cache?.records ?? {}), base.sources) }
}

/** Polls every configured mirror × suite, progress counted out of the mirrors and the channels. */
function pollAll(
  runner: Runner,
  now: number,
  previous: MirrorsState | undefined,
  progress: ProgressSink,
  channelCount: number,
): ReturnType<typeof pollMirrors> {
  const { ports } = runner
  return pollMirrors({
    mirrors: ports.config.mirrors,
    keyring: ports.keyring,
    now,
    previous,
    ports: {
      fetcher: ports.fetcher,
      decompressor: ports.decompressor,
      decompressStream: ports.decompressStream,
      indexes: runner.indexes,
    },
    // Old is not forged: every authentic Release is kept; its age is judged by applyFreshness.
    maxAgeMs: ANY_AGE,
    onProgress: (p) => progress({ done: p.done, total: p.total + channelCount, label: p.label }),
  })
}

/** A full online check: poll mirrors, read this machine and the channels, then assemble. */
async function runOnline(runner: Runner, now: number, progress: ProgressSink): Promise<CheckParts> {
  const { ports, log, indexes } = runner
  const previousMirrors = await readMirrorsState(ports.store, indexes, log)
  const previousChannels = await readSavedState(runner, CHANNELS_STATE_NAME, asChannelsState)
  const channelList = runner.channelsNow()
  const channelCount = channelList.length
  const polled = await pollAll(runner, now, previousMirrors, progress, channelCount)
  // A state the store refuses is reported, never a crash: this check still answers from what it verified.
  const saveProblem = await writeMirrorsState(ports.store, indexes, polled.state, log)
  const mirrorJobs = ports.config.mirrors.reduce((n, m) => n + m.suites.length, 0)
  // The machine is read once, before the channels: the osv-api channel asks about its installed sources.
  const machine = await readMachine(runner)
  // Read once: the channels' query and the archive evidence both use it, and nothing writes it in between.
  const evidenceCache = await readSavedState(runner, SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
  const read = await readChannels({
    channels: channelList,
    keyring: ports.keyring,
    fetcher: ports.fetcher,
    now,
    previous: previousChannels,
    query: queryOf(machine.system, evidenceCache),
    onProgress: (done, total, label) =>
      progress({ done: mirrorJobs + done, total: mirrorJobs + total, label }),
  })
  await ports.store.write(CHANNELS_STATE_NAME, read.state)
  const allJobs = mirrorJobs + channelCount
  progress({ done: allJobs, total: allJobs, label: 'Assessing this computer' })
  return assemble(runner, {
    now,
    polled: polled.statuses,
    mirrorsState: polled.state,
    channelsState: read.state,
    channels: read.statuses,
    machine,
    stateProblems: saveProblem ? [saveProblem.message] : [],
    evidence: { cache: evidenceCache },
  })
}

/** A check from saved state only: nothing is fetched. */
async function runFromSavedState(runner: Runner, now: number): Promise<CheckParts> {
  const { ports, log, indexes } = runner
  const mirrorsState = await readMirrorsState(ports.store, indexes, log)
  const channelsState = await readSavedState(runner, CHANNELS_STATE_NAME, asChannelsState)
  const parts = await assemble(runner, {
    now,
    polled: savedMirrorStatuses(ports.config, mirrorsState, now, ports.keyring),
    mirrorsState,
    channelsState,
    channels: channelsFromState(runner.channelsNow(), channelsState),
    offline: true,
  })
  return { ...parts, offline: true }
}

/** A full check, and the same from saved state only. */
export interface CheckRunner {
  readonly run: RunCheck
  readonly runOffline: RunCheck
}

/** Creates the check runner over `ports`. */
export function createCheckRunner(ports: CheckPorts): CheckRunner {
  const runner = runnerOf(ports)
  return {
    run: (now, progress) => runOnline(runner, now, progress),
    runOffline: (now) => runFromSavedState(runner, now),
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
