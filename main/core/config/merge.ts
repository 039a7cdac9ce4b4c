/**
 * Merging configuration layers into the effective configuration, with the origin of every value.
 *
 * The convention is the browsers' enterprise policies (Chromium `policies/managed` = mandatory, `recommended` =
 * defaults the user may change; Firefox `policies.json`). From lowest to highest precedence:
 *
 *   0 default             resources/config/default.json (and the built-in values below)
 *   1 build, recommended  resources/policy/recommended/*.json
 *   2 system, recommended /etc/lifeline/policies/recommended/*.json
 *   3 user                settings.json in the data folder
 *   4 build, mandatory    resources/policy/*.json             (locked)
 *   5 system, mandatory   /etc/lifeline/policy.json, /etc/lifeline/policies/managed/*.json (locked)
 *
 * Rules (docs/policy.md):
 * - A scalar (and `helpdesk` as one value) is taken from the highest layer that sets it; `maxAgeHours.*` per field.
 * - Lists of entries with an identity (`mirrors`, `channels` by id, `keys` by fingerprint) are merged by identity:
 *   a higher layer replaces an entry with the same id in place and appends new ones. Nothing is dropped implicitly.
 * - Removals (`removeMirrors`, `removeChannels`, `removeKeys`) are unioned over all layers and apply last, so a key
 *   removed by any policy stays removed whichever layer added it.
 * - A value set by a mandatory layer is locked: the user's value for it is ignored and reported (CONFIG_LOCKED); a
 *   user removal cannot remove an entry a mandatory layer added. Policy-only settings (keys, helpdesk, branding,
 *   feature switches) in the user file are ignored and reported (CONFIG_POLICY_ONLY): keys come only from the
 *   built-in keyring, the policy layers and an explicit `--config` file.
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
import type { ConfigProblem, PolicyFile } from './schema'
import { POLICY_ONLY_FIELDS } from './schema'

/** Where a configuration file comes from. */
export type LayerName = 'default' | 'build' | 'system' | 'user'

/** One validated file of one layer. `locked` = mandatory policy. */
export interface LayerFile {
  readonly layer: LayerName
  readonly locked: boolean
  /** Path shown to people (absolute, or relative to the app for built-in files). */
  readonly file: string
  readonly data: PolicyFile
}

/** Which layer (and file) set a value, and whether the user may change it. */
export interface Origin {
  readonly layer: LayerName
  readonly file?: string | undefined
  readonly locked: boolean
}

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

/** Values used when no file sets them (Limits and the issue's defaults). */
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

const SCALARS = [
  'pollIntervalMinutes',
  'notificationLevel',
  'allowClipboardCheck',
  'allowAutostart',
  'autostart',
  'brandingText',
  'helpdesk',
] as const
type ScalarField = (typeof SCALARS)[number]

const LISTS = ['mirrors', 'channels', 'keys'] as const
type ListField = (typeof LISTS)[number]

const REMOVALS = { removeMirrors: 'mirrors', removeChannels: 'channels', removeKeys: 'keys' } as const
type RemovalField = keyof typeof REMOVALS

function rank(f: LayerFile): number {
  switch (f.layer) {
    case 'default':
      return 0
    case 'build':
      return f.locked ? 4 : 1
    case 'system':
      return f.locked ? 5 : 2
    case 'user':
      return 3
  }
}

function originOf(f: LayerFile): Origin {
  return { layer: f.layer, file: f.file, locked: f.locked && f.layer !== 'user' }
}

type ListEntry = MirrorConfig | ChannelConfig | KeyFileConfig

function entryKey(field: ListField, e: ListEntry): string {
  return field === 'keys'
    ? (e as KeyFileConfig).fingerprint.toUpperCase()
    : (e as MirrorConfig | ChannelConfig).id
}

/** The top-level paths a file sets (lists and removals by name, max ages per field). */
function pathsSet(data: PolicyFile): string[] {
  const out: string[] = []
  for (const k of SCALARS) if (data[k] !== undefined) out.push(k)
  for (const k of LISTS) if (data[k] !== undefined) out.push(k)
  for (const k of Object.keys(REMOVALS) as RemovalField[]) if (data[k] !== undefined) out.push(k)
  if (data.maxAgeHours?.security !== undefined) out.push('maxAgeHours.security')
  if (data.maxAgeHours?.other !== undefined) out.push('maxAgeHours.other')
  return out
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
  const sorted = files
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f)
  const problems: ConfigProblem[] = []

  // Which paths a mandatory layer sets, and by which file (the highest-ranked one wins the reported lock).
  const lockedBy = new Map<string, LayerFile>()
  for (const f of sorted) {
    if (!f.locked || f.layer === 'user') continue
    for (const p of pathsSet(f.data)) lockedBy.set(p, f)
  }

  const builtIn: Origin = { layer: 'default', locked: false }
  const origins: Record<string, Origin> = {}
  const scalars: { -readonly [K in ScalarField]?: PolicyFile[K] } = {
    pollIntervalMinutes: BUILT_IN_DEFAULTS.pollIntervalMinutes,
    notificationLevel: BUILT_IN_DEFAULTS.notificationLevel,
    allowClipboardCheck: BUILT_IN_DEFAULTS.allowClipboardCheck,
    allowAutostart: BUILT_IN_DEFAULTS.allowAutostart,
  }
  for (const k of [
    'pollIntervalMinutes',
    'notificationLevel',
    'allowClipboardCheck',
    'allowAutostart',
  ] as const) {
    origins[k] = builtIn
  }
  const maxAge = {
    security: BUILT_IN_DEFAULTS.maxAgeHours.security,
    other: BUILT_IN_DEFAULTS.maxAgeHours.other,
  }
  origins['maxAgeHours.security'] = builtIn
  origins['maxAgeHours.other'] = builtIn
  const lists: Record<ListField, Map<string, { entry: ListEntry; origin: Origin }>> = {
    mirrors: new Map(),
    channels: new Map(),
    keys: new Map(),
  }
  for (const k of LISTS) origins[k] = builtIn
  const removals: { field: RemovalField; key: string; origin: Origin; user: boolean; file: string }[] = []

  const refuseLocked = (f: LayerFile, field: string): boolean => {
    const by = lockedBy.get(field)
    if (f.layer !== 'user' || !by) return false
    problems.push({
      file: f.file,
      field,
      reason: `locked by the mandatory policy ${by.file}; your setting is ignored`,
      code: 'CONFIG_LOCKED',
    })
    return true
  }

  for (const f of sorted) {
    const origin = originOf(f)
    const d = f.data
    const isUser = f.layer === 'user'
    if (isUser) {
      for (const k of POLICY_ONLY_FIELDS) {
        if (d[k] === undefined) continue
        problems.push({
          file: f.file,
          field: k,
          reason: 'only a policy can set this; your setting is ignored',
          code: 'CONFIG_POLICY_ONLY',
        })
      }
    }
    for (const k of SCALARS) {
      const v = d[k]
      if (v === undefined) continue
      if (isUser && (POLICY_ONLY_FIELDS as readonly string[]).includes(k)) continue
      if (refuseLocked(f, k)) continue
      ;(scalars as Record<string, unknown>)[k] = v
      origins[k] = origin
    }
    for (const k of ['security', 'other'] as const) {
      const v = d.maxAgeHours?.[k]
      if (v === undefined || refuseLocked(f, `maxAgeHours.${k}`)) continue
      maxAge[k] = v
      origins[`maxAgeHours.${k}`] = origin
    }
    for (const k of LISTS) {
      const list = d[k] as readonly ListEntry[] | undefined
      if (list === undefined) continue
      // A user's keys were reported above (CONFIG_POLICY_ONLY) and are never pinned.
      if (isUser && (POLICY_ONLY_FIELDS as readonly string[]).includes(k)) continue
      if (refuseLocked(f, k)) continue
      origins[k] = origin
      for (const e of list) {
        const key = entryKey(k, e)
        lists[k].set(key, { entry: e, origin })
        origins[`${k}.${key}`] = origin
      }
    }
    for (const k of Object.keys(REMOVALS) as RemovalField[]) {
      const list = d[k]
      if (list === undefined || refuseLocked(f, k)) continue
      for (const raw of list) {
        const key = k === 'removeKeys' ? raw.toUpperCase() : raw
        removals.push({ field: k, key, origin, user: isUser, file: f.file })
      }
    }
  }

  // Removals apply last (docs/policy.md): a removed key stays removed whichever layer added it, except that the user
  // cannot remove what a mandatory policy put there.
  const removedKeys = new Set<string>()
  const removedChannels = new Map<string, { channel: ChannelConfig; by: Origin }>()
  for (const r of removals) {
    const target = lists[REMOVALS[r.field]]
    const existing = target.get(r.key)
    if (r.user && existing?.origin.locked) {
      problems.push({
        file: r.file,
        field: `${r.field}.${r.key}`,
        reason: `locked by the mandatory policy ${existing.origin.file ?? ''}; your removal is ignored`,
        code: 'CONFIG_LOCKED',
      })
      continue
    }
    if (existing && r.field === 'removeChannels')
      removedChannels.set(r.key, { channel: existing.entry as ChannelConfig, by: r.origin })
    target.delete(r.key)
    delete origins[`${REMOVALS[r.field]}.${r.key}`]
    origins[`${r.field}.${r.key}`] = r.origin
    if (r.field === 'removeKeys') removedKeys.add(r.key)
  }

  const mirrors = [...lists.mirrors.values()].map(({ entry }) => {
    const m = entry as MirrorConfig
    return { ...m, suites: m.suites.map((s) => s.replaceAll('{codename}', opts.codename)) }
  })
  const helpdesk = scalars.helpdesk as HelpdeskConfig | undefined
  const config: AppConfig = {
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
  const removeChannelsBy = lockedBy.get('removeChannels')
  return {
    config,
    origins,
    problems,
    removedChannels: [...removedChannels.values()],
    ...(removeChannelsBy ? { removeChannelsLockedBy: originOf(removeChannelsBy) } : {}),
  }
}
