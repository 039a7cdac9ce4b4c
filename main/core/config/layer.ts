/**
 * What a configuration layer file is, where it ranks, and which fields it can set (docs/policy.md, "Layers").
 *
 * From lowest to highest precedence:
 *
 *   0 default             resources/config/default.json (and the built-in values of merge.ts)
 *   1 build, recommended  resources/policy/recommended/*.json
 *   2 system, recommended /etc/lifeline/policies/recommended/*.json
 *   3 user                settings.json in the data folder
 *   4 build, mandatory    resources/policy/*.json             (locked)
 *   5 system, mandatory   /etc/lifeline/policy.json, /etc/lifeline/policies/managed/*.json (locked)
 */
import type { PolicyFile } from './schema'

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

/** Fields holding one value (`helpdesk` is one value: a higher layer replaces the whole contact). */
export const SCALAR_FIELDS = [
  'pollIntervalMinutes',
  'notificationLevel',
  'allowClipboardCheck',
  'allowAutostart',
  'autostart',
  'brandingText',
  'helpdesk',
] as const
/** One of SCALAR_FIELDS. */
export type ScalarField = (typeof SCALAR_FIELDS)[number]

/** Lists whose entries have an identity (id, or fingerprint for keys) and are merged by it. */
export const LIST_FIELDS = ['mirrors', 'channels', 'keys'] as const
/** One of LIST_FIELDS. */
export type ListField = (typeof LIST_FIELDS)[number]

/** Each removal field and the list it removes from. */
export const REMOVAL_FIELDS = {
  removeMirrors: 'mirrors',
  removeChannels: 'channels',
  removeKeys: 'keys',
} as const
/** One key of REMOVAL_FIELDS. */
export type RemovalField = keyof typeof REMOVAL_FIELDS

/** The max-age fields, each a value of its own (`maxAgeHours.security`, `maxAgeHours.other`). */
export const MAX_AGE_FIELDS = ['security', 'other'] as const

/** The precedence of a file's layer: 0 (built-in default) to 5 (system, mandatory). */
export function precedenceOf(f: LayerFile): number {
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

/** Files from lowest to highest precedence; files of the same layer keep their given order (the later one wins). */
export function byPrecedence(files: readonly LayerFile[]): LayerFile[] {
  return files
    .map((f, i) => ({ f, i }))
    .sort((a, b) => precedenceOf(a.f) - precedenceOf(b.f) || a.i - b.i)
    .map((x) => x.f)
}

/** The origin of every value a file sets. The user's own file never locks anything. */
export function originOfFile(f: LayerFile): Origin {
  return { layer: f.layer, file: f.file, locked: f.locked && f.layer !== 'user' }
}

/** The top-level paths a file sets (lists and removals by name, max ages per field). */
export function pathsSetBy(data: PolicyFile): string[] {
  const out: string[] = []
  for (const k of SCALAR_FIELDS) if (data[k] !== undefined) out.push(k)
  for (const k of LIST_FIELDS) if (data[k] !== undefined) out.push(k)
  for (const k of Object.keys(REMOVAL_FIELDS) as RemovalField[]) if (data[k] !== undefined) out.push(k)
  for (const k of MAX_AGE_FIELDS) if (data.maxAgeHours?.[k] !== undefined) out.push(`maxAgeHours.${k}`)
  return out
}
