/**
 * Merging configuration layers into the effective configuration, with the origin of every value.
 *
 * The convention is the browsers' enterprise policies (Chromium `policies/managed` = mandatory, `recommended` =
 * defaults the user may change; Firefox `policies.json`); the layers and their precedence are in `layer.ts`.
 *
 * Rules (docs/policy.md):
 * - A scalar (and `helpdesk` as one value) is taken from the highest layer that sets it; `maxAgeHours.*` per field.
 * - Lists of entries with an identity (`mirrors`, `channels` by id, `keys` by fingerprint) are merged by identity:
 *   a higher layer replaces an entry with the same id in place and appends new ones. Nothing is dropped implicitly.
 * - Removals (`removeMirrors`, `removeChannels`, `removeKeys`) are unioned over all layers and apply last, so a key
 *   removed by any policy stays removed whichever layer added it.
 * - A value set by a mandatory layer is locked (`locks.ts` decides): the user's value for it is ignored and reported
 *   (CONFIG_LOCKED); a user removal cannot remove an entry a mandatory layer added. Policy-only settings (keys,
 *   helpdesk, branding, feature switches) in the user file are ignored and reported (CONFIG_POLICY_ONLY): keys come
 *   only from the built-in keyring, the policy layers and an explicit `--config` file.
 */
import { Limits } from '../limits'
import type {
  AppConfig,
  ChannelConfig,
  HelpdeskConfig,
  KeyFileConfig,
  MirrorConfig,
  NotificationLevel,
} from '../model'
import {
  byPrecedence,
  LIST_FIELDS,
  MAX_AGE_FIELDS,
  originOfFile,
  REMOVAL_FIELDS,
  SCALAR_FIELDS,
  type LayerFile,
  type ListField,
  type Origin,
  type RemovalField,
  type ScalarField,
} from './layer'
import {
  lockedUserRemoval,
  lockedUserValue,
  mandatoryPaths,
  removeChannelsLock,
  type MandatoryPaths,
  type RemovalRequest,
} from './locks'
import type { ConfigProblem, PolicyFile } from './schema'
import { POLICY_ONLY_FIELDS } from './schema'

export type { LayerFile, LayerName, Origin } from './layer'

/**
 * The merged configuration, every value's origin, and the problems found on the way.
 *
 * `origins` is keyed by the policy file's field names: `pollIntervalMinutes`, `notificationLevel`,
 * `allowClipboardCheck`, `allowAutostart`, `brandingText`, `helpdesk`, `maxAgeHours.security`, `maxAgeHours.other`,
 * `mirrors` (the list) and `mirrors.<id>`, `channels` and `channels.<id>`, `keys` and `keys.<FINGERPRINT>`,
 * `removeMirrors.<id>`, `removeChannels.<id>`, `removeKeys.<FINGERPRINT>`.
 */
export interface EffectiveConfig {
  readonly config: AppConfig
  readonly origins: Readonly<Record<string, Origin>>
  readonly problems: readonly ConfigProblem[]
  /** Set when a file was refused and the last valid configuration (saved at this ISO time) stays in force. */
  readonly lastGoodSavedAt?: string | undefined
  /** Channels a removal dropped, with the removal's origin, so Settings can list them as off (and turn them on). */
  readonly removedChannels?: readonly { readonly channel: ChannelConfig; readonly by: Origin }[] | undefined
  /** The mandatory file that sets `removeChannels`, when one does: the user's own removals are then ignored. */
  readonly removeChannelsLockedBy?: Origin | undefined
}

/** Values used when no file sets them (from Limits, and docs/policy.md "Settings"). */
export const BUILT_IN_DEFAULTS = {
  pollIntervalMinutes: Limits.poll.defaultIntervalMs / 60_000,
  maxAgeHours: {
    security: Limits.time.maxAgeSecurityMs / 3600_000,
    other: Limits.time.maxAgeOtherMs / 3600_000,
  },
  notificationLevel: 'attention' as NotificationLevel,
  allowClipboardCheck: true,
  allowAutostart: true,
} as const

type ListEntry = MirrorConfig | ChannelConfig | KeyFileConfig

function entryKey(field: ListField, e: ListEntry): string {
  return field === 'keys'
    ? (e as KeyFileConfig).fingerprint.toUpperCase()
    : (e as MirrorConfig | ChannelConfig).id
}

/** One removal a file asks for, kept until every addition is in (removals apply last). */
interface PendingRemoval extends RemovalRequest {
  readonly field: RemovalField
  readonly origin: Origin
}

/** What the merge has gathered so far, file by file (lowest precedence first). */
interface MergeState {
  readonly locks: MandatoryPaths
  readonly problems: ConfigProblem[]
  readonly origins: Record<string, Origin>
  readonly scalars: { -readonly [K in ScalarField]?: PolicyFile[K] }
  readonly maxAge: { security: number; other: number }
  readonly lists: Record<ListField, Map<string, { entry: ListEntry; origin: Origin }>>
  readonly removals: PendingRemoval[]
}

/** The state before any file: the built-in defaults, each with the `default` origin. */
function startFromDefaults(locks: MandatoryPaths): MergeState {
  const builtIn: Origin = { layer: 'default', locked: false }
  const origins: Record<string, Origin> = {}
  const defaulted = [
    'pollIntervalMinutes',
    'notificationLevel',
    'allowClipboardCheck',
    'allowAutostart',
  ] as const
  for (const k of defaulted) origins[k] = builtIn
  for (const k of MAX_AGE_FIELDS) origins[`maxAgeHours.${k}`] = builtIn
  for (const k of LIST_FIELDS) origins[k] = builtIn
  return {
    locks,
    problems: [],
    origins,
    scalars: {
      pollIntervalMinutes: BUILT_IN_DEFAULTS.pollIntervalMinutes,
      notificationLevel: BUILT_IN_DEFAULTS.notificationLevel,
      allowClipboardCheck: BUILT_IN_DEFAULTS.allowClipboardCheck,
      allowAutostart: BUILT_IN_DEFAULTS.allowAutostart,
    },
    maxAge: { ...BUILT_IN_DEFAULTS.maxAgeHours },
    lists: { mirrors: new Map(), channels: new Map(), keys: new Map() },
    removals: [],
  }
}

const isPolicyOnly = (field: string): boolean => (POLICY_ONLY_FIELDS as readonly string[]).includes(field)

/** CONFIG_POLICY_ONLY for each policy-only field the user's own file sets (those values are never used). */
function reportPolicyOnly(state: MergeState, f: LayerFile): void {
  if (f.layer !== 'user') return
  for (const k of POLICY_ONLY_FIELDS) {
    if (f.data[k] === undefined) continue
    state.problems.push({
      file: f.file,
      field: k,
      reason: 'only a policy can set this; your setting is ignored',
      code: 'CONFIG_POLICY_ONLY',
    })
  }
}

/** True (and CONFIG_LOCKED reported) when `f` is the user's file and a mandatory policy sets `path`. */
function refusedAsLocked(state: MergeState, f: LayerFile, path: string): boolean {
  const problem = lockedUserValue(state.locks, f, path)
  if (problem) state.problems.push(problem)
  return problem !== undefined
}

function mergeScalars(state: MergeState, f: LayerFile, origin: Origin): void {
  for (const k of SCALAR_FIELDS) {
    const v = f.data[k]
    if (v === undefined) continue
    if (f.layer === 'user' && isPolicyOnly(k)) continue
    if (refusedAsLocked(state, f, k)) continue
    ;(state.scalars as Record<string, unknown>)[k] = v
    state.origins[k] = origin
  }
  for (const k of MAX_AGE_FIELDS) {
    const v = f.data.maxAgeHours?.[k]
    if (v === undefined || refusedAsLocked(state, f, `maxAgeHours.${k}`)) continue
    state.maxAge[k] = v
    state.origins[`maxAgeHours.${k}`] = origin
  }
}

/** Adds or replaces each entry by identity; a new entry goes last. */
function mergeLists(state: MergeState, f: LayerFile, origin: Origin): void {
  for (const k of LIST_FIELDS) {
    const list = f.data[k] as readonly ListEntry[] | undefined
    if (list === undefined) continue
    // A user's keys were reported (CONFIG_POLICY_ONLY) and are never pinned.
    if (f.layer === 'user' && isPolicyOnly(k)) continue
    if (refusedAsLocked(state, f, k)) continue
    state.origins[k] = origin
    for (const e of list) {
      const key = entryKey(k, e)
      state.lists[k].set(key, { entry: e, origin })
      state.origins[`${k}.${key}`] = origin
    }
  }
}

function collectRemovals(state: MergeState, f: LayerFile, origin: Origin): void {
  for (const k of Object.keys(REMOVAL_FIELDS) as RemovalField[]) {
    const list = f.data[k]
    if (list === undefined || refusedAsLocked(state, f, k)) continue
    for (const raw of list) {
      const key = k === 'removeKeys' ? raw.toUpperCase() : raw
      state.removals.push({ field: k, key, origin, user: f.layer === 'user', file: f.file })
    }
  }
}

/**
 * Applies every removal after all additions (docs/policy.md): a removed key stays removed whichever layer added it,
 * except that the user cannot remove what a mandatory policy put there.
 */
function applyRemovals(state: MergeState): {
  removedKeys: string[]
  removedChannels: { channel: ChannelConfig; by: Origin }[]
} {
  const removedKeys = new Set<string>()
  const removedChannels = new Map<string, { channel: ChannelConfig; by: Origin }>()
  for (const r of state.removals) {
    const listField = REMOVAL_FIELDS[r.field]
    const target = state.lists[listField]
    const existing = target.get(r.key)
    const refused = lockedUserRemoval(r, existing?.origin)
    if (refused) {
      state.problems.push(refused)
      continue
    }
    if (existing && r.field === 'removeChannels')
      removedChannels.set(r.key, { channel: existing.entry as ChannelConfig, by: r.origin })
    target.delete(r.key)
    delete state.origins[`${listField}.${r.key}`]
    state.origins[`${r.field}.${r.key}`] = r.origin
    if (r.field === 'removeKeys') removedKeys.add(r.key)
  }
  return { removedKeys: [...removedKeys], removedChannels: [...removedChannels.values()] }
}

/** The engine's configuration from the merged values; `{codename}` in suites becomes `codename`. */
function appConfigOf(state: MergeState, removedKeys: readonly string[], codename: string): AppConfig {
  const { scalars, maxAge, lists } = state
  const mirrors = [...lists.mirrors.values()].map(({ entry }) => {
    const m = entry as MirrorConfig
    return { ...m, suites: m.suites.map((s) => s.replaceAll('{codename}', codename)) }
  })
  const helpdesk = scalars.helpdesk as HelpdeskConfig | undefined
  return {
    mirrors,
    channels: [...lists.channels.values()].map(({ entry }) => entry as ChannelConfig),
    extraKeys: [...lists.keys.values()].map(({ entry }) => {
      const k = entry as KeyFileConfig
      return { ...k, fingerprint: k.fingerprint.toUpperCase() }
    }),
    removedKeys: [...removedKeys],
    pollIntervalMs: (scalars.pollIntervalMinutes ?? BUILT_IN_DEFAULTS.pollIntervalMinutes) * 60_000,
    maxAgeMs: { securityMs: maxAge.security * 3600_000, otherMs: maxAge.other * 3600_000 },
    notificationLevel: scalars.notificationLevel ?? BUILT_IN_DEFAULTS.notificationLevel,
    allowClipboardCheck: scalars.allowClipboardCheck ?? BUILT_IN_DEFAULTS.allowClipboardCheck,
    allowAutostart: scalars.allowAutostart ?? BUILT_IN_DEFAULTS.allowAutostart,
    ...(helpdesk ? { helpdesk } : {}),
    ...(scalars.brandingText !== undefined ? { brandingText: scalars.brandingText } : {}),
    ...(scalars.autostart !== undefined ? { autostart: scalars.autostart } : {}),
  }
}

/**
 * Merges validated layer files (in any order; files of the same layer keep their given order, later wins).
 *
 * `codename` replaces `{codename}` in mirror suites. Pure and deterministic.
 */
export function mergeLayers(
  files: readonly LayerFile[],
  opts: { readonly codename: string },
): EffectiveConfig {
  const sorted = byPrecedence(files)
  const locks = mandatoryPaths(sorted)
  const state = startFromDefaults(locks)
  for (const f of sorted) {
    const origin = originOfFile(f)
    reportPolicyOnly(state, f)
    mergeScalars(state, f, origin)
    mergeLists(state, f, origin)
    collectRemovals(state, f, origin)
  }
  const { removedKeys, removedChannels } = applyRemovals(state)
  const removeChannelsLockedBy = removeChannelsLock(locks)
  return {
    config: appConfigOf(state, removedKeys, opts.codename),
    origins: state.origins,
    problems: state.problems,
    removedChannels,
    ...(removeChannelsLockedBy ? { removeChannelsLockedBy } : {}),
  }
}
