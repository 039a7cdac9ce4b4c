/**
 * One full check, assembled from the real ports: verified mirrors, advisory channels, this machine, assessment
 * (docs/cli.md, "lifeline check"). Shared by the app's backend and `lifeline check`, so both say the same.
 */
import { isAbsolute, join } from 'node:path'
import { asMirrorsState, MIRRORS_STATE_NAME, suiteKey, type MirrorsState } from '../core/apt/mirror-state'
import { pollMirrors } from '../core/apt/poller'
import {
  asSourceEvidenceState,
  assessWithArchiveEvidence,
  SOURCE_EVIDENCE_STATE_NAME,
} from '../core/apt/evidence'
import { availableFromMirrorsState } from '../core/assess/available'
import type { CheckParts, RunCheck } from '../core/check'
import {
  asChannelsState,
  channelsFromState,
  CHANNELS_STATE_NAME,
  readChannels,
  type ChannelsState,
} from '../core/engine/channels'
import { mergeAdvisories } from '../core/advisories/merge'
import { archiveCveHints } from '../core/advisories/github-osv'
import { channelQueryOf, NO_QUERY, type ChannelQuery } from '../core/advisories/osv-api'
import { distrustReason, trustedMirrorsState } from '../core/engine/trusted-state'
import { isCoreError } from '../core/errors'
import { Limits } from '../core/limits'
import type { AppConfig, ChannelConfig, MirrorSuiteStatus } from '../core/model'
import type { Decompressor, Fetcher, Logger, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'
import { createKeyring, loadKeyring, type Keyring } from '../core/pgp/keyring'
import { usedSources } from '../core/system/local-system'
import type { LocalSystem } from '../core/system/types'
import { readFileCapped } from './keys'
import { readLocalSystem, type ReadLocalSystemOptions } from './local-system'

/** What the engine runs on. */
export interface EngineOptions {
  readonly config: AppConfig
  /** The channels to read, asked at each check (Settings turns them on and off); default `config.channels`. */
  readonly channels?: (() => readonly ChannelConfig[]) | undefined
  readonly keyring: Keyring
  readonly fetcher: Fetcher
  readonly decompressor: Decompressor
  /** Where mirror and channel state (high-water marks, last good copies) is kept. */
  readonly store: StateStore
  /** Root of the machine to assess. */
  readonly root: string
  readonly system?: ReadLocalSystemOptions | undefined
  readonly log?: Logger | undefined
}

/** The engine: a full check, and the same from saved state only. */
export interface Engine {
  readonly run: RunCheck
  readonly runOffline: RunCheck
}

/** The built-in keyring plus the configuration's extra keys, minus its removed keys (trust model point 1). */
export async function effectiveKeyring(
  builtin: Keyring,
  config: AppConfig,
  keysDir: string,
): Promise<Keyring> {
  const extra = config.extraKeys.length
    ? await loadKeyring(
        await Promise.all(
          config.extraKeys.map(async (k) => ({
            data: await readFileCapped(
              isAbsolute(k.file) ? k.file : join(keysDir, k.file),
              Limits.size.keyBytes,
            ),
            role: k.role,
            name: k.name,
            fingerprint: k.fingerprint,
          })),
        ),
      )
    : undefined
  const removed = new Set(config.removedKeys)
  return createKeyring([...builtin.keys, ...(extra?.keys ?? [])].filter((k) => !removed.has(k.fingerprint)))
}

/** The configured maximum Release age by suite (policy `maxAgeHours`); the poller's defaults otherwise. */
export function maxAgeOf(config: AppConfig): ((suite: string) => number) | undefined {
  const m = config.maxAgeMs
  if (!m) return undefined
  // The release pocket keeps no maximum age whatever the policy says: see maxAgeFor in main/core/apt/release.ts.
  return (suite) =>
    suite.endsWith('-security') ? m.securityMs : suite.includes('-') ? m.otherMs : Number.POSITIVE_INFINITY
}

/** Creates the engine. */
export function createEngine(opts: EngineOptions): Engine {
  const log = opts.log ?? silentLogger
  const channelsNow = (): readonly ChannelConfig[] => opts.channels?.() ?? opts.config.channels
  const mirrorUrls = Object.fromEntries(opts.config.mirrors.map((m) => [m.id, m.url]))

  const readState = async <T>(name: string, check: (v: unknown) => T | undefined): Promise<T | undefined> => {
    try {
      return check(await opts.store.read<unknown>(name))
    } catch (e) {
      log.warn(`state ${name} unreadable: ${isCoreError(e) ? e.message : String(e)}`)
      return undefined
    }
  }

  const readSystem = async (): Promise<{ system?: LocalSystem; problems: string[] }> => {
    try {
      const system = await readLocalSystem(opts.root, opts.system)
      const problems = system.sourceProblems.map((p) => `${p.file}:${p.line}: ${p.message}`)
      return { system, problems }
    } catch (e) {
      if (!isCoreError(e)) throw e
      return { problems: [e.message] }
    }
  }

  const assemble = async (
    now: number,
    mirrors: readonly MirrorSuiteStatus[],
    mirrorsState: MirrorsState | undefined,
    channelsState: ChannelsState | undefined,
    channels: CheckParts['channels'],
    offline = false,
    read?: { system?: LocalSystem; problems: string[] },
  ): Promise<CheckParts> => {
    const { system, problems } = read ?? (await readSystem())
    if (!system) return { mirrors, channels, systemProblems: problems }
    const codename = system.os.fields.UBUNTU_CODENAME ?? system.os.codename
    const forThisRelease = (suite: string): boolean =>
      codename !== undefined && (suite === codename || suite.startsWith(`${codename}-`))
    if (!opts.config.mirrors.some((m) => m.suites.some(forThisRelease))) {
      // Versions of another release say nothing about this machine's packages (a Debian box checked against
      // Ubuntu noble would otherwise get dozens of bogus "updates").
      problems.push(
        `This computer runs ${system.os.prettyName || system.os.id}${codename ? ` (${codename})` : ''}, but no configured mirror serves that release: nothing to compare its packages with.`,
      )
    }
    const wanted = new Set(system.packages.map((p) => p.package))
    // Only saved data whose signer is still pinned, still valid and not since contradicted counts as evidence.
    const trusted = trustedMirrorsState(mirrorsState, opts.keyring, now)
    // Only the channels read now count: a source turned off in Settings stops vouching at once, saved copy or not.
    const on = new Set(channelsNow().map((c) => c.id))
    const advisories = mergeAdvisories(
      Object.entries(channelsState?.snapshots ?? {})
        .filter(([id]) => on.has(id))
        .map(([, s]) => s.advisories),
    )
    // Trust model point 5: the archive's own changelogs confirm CVE fixes (cached by source version; offline
    // uses the cache only).
    const cache = await readState(SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
    const evidenced = await assessWithArchiveEvidence(
      {
        system,
        advisories,
        available: availableFromMirrorsState(trusted, mirrorUrls, wanted).filter((a) =>
          forThisRelease(a.suite),
        ),
        usedMirrors: usedSources(system),
        now,
        mirrorsVerified: mirrors.some((m) => m.state === 'ok' || m.state === 'lagging'),
      },
      {
        mirrors: trusted,
        cache,
        ports: { fetcher: opts.fetcher, decompressor: opts.decompressor, keyring: opts.keyring, now },
        maxFetches: offline ? 0 : undefined,
      },
    )
    // Expected gaps (native packages carry no .debian.tar; some mirrors prune old sources): diagnostics, not warnings.
    for (const p of evidenced.problems)
      log.info(`archive evidence for ${p.source} ${p.version}: ${p.code}: ${p.message}`)
    if ((evidenced.fetched > 0 || evidenced.problems.length > 0) && evidenced.state)
      await opts.store.write(SOURCE_EVIDENCE_STATE_NAME, evidenced.state)
    return { mirrors, channels, assessment: evidenced.assessment, systemProblems: problems }
  }

  /** The channels' view of the machine, with CVE ids earlier checks found in signed changelogs. */
  const queryOf = async (system: LocalSystem | undefined): Promise<ChannelQuery> => {
    if (!system) return NO_QUERY
    const base = channelQueryOf(system)
    const cache = await readState(SOURCE_EVIDENCE_STATE_NAME, asSourceEvidenceState)
    return { ...base, cves: archiveCveHints(Object.values(cache?.records ?? {}), base.sources) }
  }

  return {
    async run(now, progress) {
      const previousMirrors = await readState(MIRRORS_STATE_NAME, asMirrorsState)
      const previousChannels = await readState(CHANNELS_STATE_NAME, asChannelsState)
      const channels = channelsNow()
      const channelCount = channels.length
      const polled = await pollMirrors({
        mirrors: opts.config.mirrors,
        keyring: opts.keyring,
        now,
        previous: previousMirrors,
        ports: { fetcher: opts.fetcher, decompressor: opts.decompressor },
        maxAgeMs: maxAgeOf(opts.config),
        onProgress: (p) => progress({ done: p.done, total: p.total + channelCount, label: p.label }),
      })
      await opts.store.write(MIRRORS_STATE_NAME, polled.state)
      const mirrorJobs = opts.config.mirrors.reduce((n, m) => n + m.suites.length, 0)
      // The machine is read once, before the channels: the osv-api channel asks about its installed sources.
      const sys = await readSystem()
      const read = await readChannels({
        channels,
        keyring: opts.keyring,
        fetcher: opts.fetcher,
        now,
        previous: previousChannels,
        query: await queryOf(sys.system),
        onProgress: (done, total, label) =>
          progress({ done: mirrorJobs + done, total: mirrorJobs + total, label }),
      })
      await opts.store.write(CHANNELS_STATE_NAME, read.state)
      progress({
        done: mirrorJobs + channelCount,
        total: mirrorJobs + channelCount,
        label: 'Assessing this computer',
      })
      return assemble(now, polled.statuses, polled.state, read.state, read.statuses, false, sys)
    },

    async runOffline(now) {
      const mirrorsState = await readState(MIRRORS_STATE_NAME, asMirrorsState)
      const channelsState = await readState(CHANNELS_STATE_NAME, asChannelsState)
      const mirrors = savedMirrorStatuses(opts.config, mirrorsState, now, opts.keyring)
      const parts = await assemble(
        now,
        mirrors,
        mirrorsState,
        channelsState,
        channelsFromState(channelsNow(), channelsState),
        true,
      )
      return { ...parts, offline: true }
    },
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
            last && last !== 'ok' && last !== 'lagging' && last !== 'unreachable'
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
        dataAgeMs: verified ? now - verified.verifiedAt : undefined,
      })
    }
  }
  return out
}
