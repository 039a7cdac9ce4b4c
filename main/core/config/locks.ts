/**
 * The policy lock, in one place: whether a value or an advisory-source switch is locked, by which layer and file,
 * and which value wins and from where (docs/policy.md, "Merge rules").
 *
 * One rule, two moments:
 * - while the layers merge (`merge.ts`): which paths the mandatory files set (`mandatoryPaths`), and which of the
 *   user's values and removals are therefore ignored (`lockedUserValue`, `lockedUserRemoval`: CONFIG_LOCKED);
 * - after the merge, for the app's Settings (`main/node/backend/settings-service.ts`): `lockOf`, `valueSource`,
 *   `winningValue`, `channelSwitchLock`, `channelSwitchSource`, read from the merged origins. The app refuses a
 *   change these call locked with SETTING_LOCKED.
 *
 * A value is locked when a mandatory layer (build or system policy, never the user's file) sets it. An advisory
 * source's switch is locked when a mandatory policy sets `removeChannels` at all (the user's removals are then
 * ignored), when any policy layer removes the source (removals of every layer apply, so the user cannot undo them),
 * or when a mandatory policy adds it (the user cannot remove what a mandatory layer put there).
 */
import type { AppConfig, ChannelConfig } from '../model'
import { originOfFile, pathsSetBy, type LayerFile, type LayerName, type Origin } from './layer'
import type { ConfigProblem } from './schema'

/** Each path a mandatory file sets, with that file (the highest-ranked one, which is the one reported). */
export type MandatoryPaths = ReadonlyMap<string, LayerFile>

/** The paths the mandatory files among `sorted` (lowest precedence first) lock. */
export function mandatoryPaths(sorted: readonly LayerFile[]): MandatoryPaths {
  const lockedBy = new Map<string, LayerFile>()
  for (const f of sorted) {
    if (!f.locked || f.layer === 'user') continue
    for (const p of pathsSetBy(f.data)) lockedBy.set(p, f)
  }
  return lockedBy
}

/** CONFIG_LOCKED when `f` is the user's file and a mandatory file sets `path`: the user's value is ignored. */
export function lockedUserValue(
  locks: MandatoryPaths,
  f: LayerFile,
  path: string,
): ConfigProblem | undefined {
  const by = locks.get(path)
  if (f.layer !== 'user' || !by) return undefined
  return {
    file: f.file,
    field: path,
    reason: `locked by the mandatory policy ${by.file}; your setting is ignored`,
    code: 'CONFIG_LOCKED',
  }
}

/** One removal as a file wrote it: `removeChannels.<id>` and the like. */
export interface RemovalRequest {
  readonly field: string
  readonly key: string
  /** From the user's own file. */
  readonly user: boolean
  readonly file: string
}

/** CONFIG_LOCKED when the user removes an entry a mandatory layer added (`entry` is that entry's origin). */
export function lockedUserRemoval(
  removal: RemovalRequest,
  entry: Origin | undefined,
): ConfigProblem | undefined {
  if (!removal.user || !entry?.locked) return undefined
  return {
    file: removal.file,
    field: `${removal.field}.${removal.key}`,
    reason: `locked by the mandatory policy ${entry.file ?? ''}; your removal is ignored`,
    code: 'CONFIG_LOCKED',
  }
}

/** The mandatory file that sets `removeChannels`, when one does: the user's own removals are then ignored. */
export function removeChannelsLock(locks: MandatoryPaths): Origin | undefined {
  const by = locks.get('removeChannels')
  return by ? originOfFile(by) : undefined
}

/** The merged configuration as the app reads it: values, each value's origin, and what removals turned off. */
export interface ConfigView {
  readonly config: AppConfig
  /** Set when one `--config` file stands alone in place of the layers: every value comes from it. */
  readonly file?: string | undefined
  /** Keyed as EffectiveConfig's (`merge.ts`): `pollIntervalMinutes`, `channels.<id>`, `removeChannels.<id>`, … */
  readonly origins?: Readonly<Record<string, Origin>> | undefined
  readonly problems?:
    readonly { readonly file: string; readonly field: string; readonly reason: string }[] | undefined
  /** Channels a removal turned off, with who removed them. */
  readonly removedChannels?: readonly { readonly channel: ChannelConfig; readonly by: Origin }[] | undefined
  /** The mandatory policy that sets `removeChannels`; the user's removals are then ignored. */
  readonly removeChannelsLockedBy?: Origin | undefined
}

/**
 * Where a value shown to the user comes from: a layer, or the one `--config` file standing alone.
 *
 * `file` is null when no file sets it. The shape of the app contract's `OriginDto`.
 */
export interface ValueSource {
  readonly layer: LayerName | 'config-file'
  readonly locked: boolean
  readonly file: string | null
}

/** The mandatory origin that locks `path` (a policy field name), or undefined when the user may change it. */
export function lockOf(view: ConfigView | undefined, path: string): Origin | undefined {
  const o = view?.origins?.[path]
  return o?.locked ? o : undefined
}

/** The value that applies to `path`: the user's own unless a mandatory policy locks it, else the configured one. */
export function winningValue<T>(
  view: ConfigView | undefined,
  path: string,
  userValue: T | undefined,
  configured: T,
): T {
  return lockOf(view, path) === undefined && userValue !== undefined ? userValue : configured
}

/** Where the value of `path` comes from, given whether the user set one (a lock beats the user's value). */
export function valueSource(view: ConfigView | undefined, path: string, userSet: boolean): ValueSource {
  const o = view?.origins?.[path]
  if (o?.locked) return { layer: o.layer, locked: true, file: o.file ?? null }
  if (userSet) return { layer: 'user', locked: false, file: null }
  if (view?.file !== undefined) return { layer: 'config-file', locked: false, file: view.file }
  return { layer: o?.layer ?? 'default', locked: false, file: o?.file ?? null }
}

/** Every advisory source a layer configures, on or off (the off ones last, as a removal left them). */
export function configuredChannels(view: ConfigView | undefined): readonly ChannelConfig[] {
  return [...(view?.config.channels ?? []), ...(view?.removedChannels ?? []).map((r) => r.channel)]
}

/** The user's own removals as merged (ids no layer configures included, so writing them back keeps them). */
export function userRemovedChannels(view: ConfigView | undefined): ReadonlySet<string> {
  const prefix = 'removeChannels.'
  return new Set(
    Object.entries(view?.origins ?? {})
      .filter(([k, o]) => k.startsWith(prefix) && o.layer === 'user')
      .map(([k]) => k.slice(prefix.length)),
  )
}

/** The policy layer that removed source `id`, if one did. */
function policyRemoval(view: ConfigView | undefined, id: string): Origin | undefined {
  return view?.removedChannels?.find((r) => r.channel.id === id && r.by.layer !== 'user')?.by
}

/** Whether source `id` is read: neither the user (`userOff`) nor a policy removed it. */
export function channelEnabled(
  view: ConfigView | undefined,
  id: string,
  userOff: ReadonlySet<string>,
): boolean {
  return !userOff.has(id) && policyRemoval(view, id) === undefined
}

/** The policy that locks the on/off switch of source `id`, or undefined when the user may switch it. */
export function channelSwitchLock(view: ConfigView | undefined, id: string): Origin | undefined {
  const by = view?.removeChannelsLockedBy ?? policyRemoval(view, id)
  if (by) return { ...by, locked: true }
  return lockOf(view, `channels.${id}`)
}

/** Who decides whether source `id` is on: the locking policy, the user (`userOff`), or where the source comes from. */
export function channelSwitchSource(
  view: ConfigView | undefined,
  id: string,
  userOff: ReadonlySet<string>,
): ValueSource {
  const lock = channelSwitchLock(view, id)
  if (lock) return { layer: lock.layer, locked: true, file: lock.file ?? null }
  if (userOff.has(id)) return { layer: 'user', locked: false, file: null }
  return valueSource(view, `channels.${id}`, false)
}
