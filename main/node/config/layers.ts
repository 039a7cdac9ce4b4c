/**
 * Finding, reading and merging every configuration layer on this machine (docs/policy.md).
 *
 * Files, lowest precedence first: `<resources>/config/default.json`; `<resources>/policy/recommended/*.json`;
 * `<etc>/lifeline/policies/recommended/*.json`; `<dataDir>/settings.json`; `<resources>/policy/*.json` (mandatory);
 * `<etc>/lifeline/policy.json` and `<etc>/lifeline/policies/managed/*.json` (mandatory). Files of one folder are
 * read in name order, so `10-org.json` is overridden by `20-site.json`.
 *
 * When a policy file (any layer but the user's) is unreadable, invalid or unsafe, the last configuration that was
 * built with no refused file stays in force (saved in the data folder), with the refusal reported; a refused file
 * must never silently unlock or drop what it set. Key removals of the files that did load still apply on top of it.
 */
import { lstat, mkdir, open, readdir, rename } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { EffectiveConfig, LayerFile, LayerName, Origin } from '../../core/config/merge'
import { mergeLayers } from '../../core/config/merge'
import type { ConfigProblem, PolicyFile } from '../../core/config/schema'
import { parsePolicyText, POLICY_ONLY_FIELDS, validatePolicy } from '../../core/config/schema'
import type { AppConfig } from '../../core/model'
import type { Logger } from '../../core/ports'
import { silentLogger } from '../../core/ports'
import { createFileStateStore } from '../file-state-store'
import type { OwnerRule } from './safe-file'
import { readConfigFile, trustRootFor } from './safe-file'

/** Where to look for configuration and how to judge it. */
export interface ConfigSources {
  /** The app's resources folder (holds config/default.json, policy/, keys/). */
  readonly resourcesDir: string
  /** The app's data folder (holds settings.json and the last good configuration). */
  readonly dataDir: string
  /** This machine's release codename, for `{codename}` in suites. */
  readonly codename: string
  /** Root of the system configuration, `/etc` unless a test injects a temporary one. */
  readonly etcDir?: string | undefined
  /** The uid that must own system policies and their folders (0; tests running unprivileged pass their own). */
  readonly trustedUid?: number | undefined
  /**
   * Extra files to merge (`lifeline policy check FILE…`): as system policies, mandatory unless `locked` is false,
   * with the same owner, mode and folder checks. One outside the policy root is a draft: it may also be owned by
   * `draftUid` (default: the uid running the check).
   */
  readonly extraPolicies?: readonly { readonly file: string; readonly locked: boolean }[] | undefined
  readonly draftUid?: number | undefined
  /** Save the result as the last good configuration when no file was refused (default true). */
  readonly saveLastGood?: boolean | undefined
  /** Fall back to the last good configuration when a policy file is refused (default true). */
  readonly useLastGood?: boolean | undefined
  readonly now?: (() => number) | undefined
  readonly log?: Logger | undefined
}

/** A configuration file that was looked at. */
export interface ConfigFileStatus {
  readonly file: string
  readonly layer: LayerName
  readonly locked: boolean
  /** `loaded`, or the reason it was not used. */
  readonly status: 'loaded' | 'refused'
}

/** The effective configuration plus the list of files behind it. */
export interface LoadedConfig extends EffectiveConfig {
  readonly files: readonly ConfigFileStatus[]
}

/** Name of the user's settings file in the data folder. */
export const USER_SETTINGS_FILE = 'settings.json'
/** StateStore name (in `<dataDir>/state`) of the last configuration built with no refused file. */
export const LAST_GOOD_CONFIG_NAME = 'config-last-good'

interface Candidate {
  readonly file: string
  readonly layer: LayerName
  readonly locked: boolean
  readonly rule?: OwnerRule | undefined
  /** The built-in defaults and files named on the command line must exist; others are optional. */
  readonly required?: boolean
}

async function jsonFilesIn(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir)
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .sort()
      .map((n) => join(dir, n))
  } catch {
    return []
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file)
    return true
  } catch {
    return false
  }
}

/** Lists every candidate file, in precedence order (lowest first). */
export async function listConfigFiles(src: ConfigSources): Promise<readonly Candidate[]> {
  const etc = join(src.etcDir ?? '/etc', 'lifeline')
  const rule: OwnerRule = { uid: src.trustedUid ?? 0, trustRoot: etc }
  const out: Candidate[] = [
    {
      file: join(src.resourcesDir, 'config', 'default.json'),
      layer: 'default',
      locked: false,
      required: true,
    },
  ]
  for (const f of await jsonFilesIn(join(src.resourcesDir, 'policy', 'recommended'))) {
    out.push({ file: f, layer: 'build', locked: false })
  }
  for (const f of await jsonFilesIn(join(etc, 'policies', 'recommended'))) {
    out.push({ file: f, layer: 'system', locked: false, rule })
  }
  const user = join(src.dataDir, USER_SETTINGS_FILE)
  if (await exists(user)) out.push({ file: user, layer: 'user', locked: false })
  for (const f of await jsonFilesIn(join(src.resourcesDir, 'policy')))
    out.push({ file: f, layer: 'build', locked: true })
  if (await exists(join(etc, 'policy.json')))
    out.push({ file: join(etc, 'policy.json'), layer: 'system', locked: true, rule })
  for (const f of await jsonFilesIn(join(etc, 'policies', 'managed'))) {
    out.push({ file: f, layer: 'system', locked: true, rule })
  }
  for (const p of src.extraPolicies ?? []) {
    // Judged as the system policy it would be: the same owner, mode and folder checks (docs/policy.md).
    const trustRoot = trustRootFor(p.file, etc)
    const draftUid = trustRoot === resolve(etc) ? undefined : (src.draftUid ?? process.getuid?.())
    const extraRule: OwnerRule = { uid: rule.uid, trustRoot, draftUid }
    out.push({ file: p.file, layer: 'system', locked: p.locked, required: true, rule: extraRule })
  }
  return out
}

/**
 * Makes key file paths absolute: a policy's relative `file` is relative to the policy's own folder (so a helpdesk
 * ships `org.json` and `org-advisory.asc` side by side). The built-in defaults' stay relative to `<resources>/keys`,
 * as the engine resolves them; a user's keys are never pinned (POLICY_ONLY_FIELDS), so they are left as written.
 */
async function resolveKeyFiles(
  c: Candidate,
  data: PolicyFile,
): Promise<{ data: PolicyFile; problems: ConfigProblem[] }> {
  if (!data.keys || c.layer === 'default' || c.layer === 'user') return { data, problems: [] }
  const base = dirname(c.file)
  const problems: ConfigProblem[] = []
  const keys = []
  for (const [i, k] of data.keys.entries()) {
    const file = isAbsolute(k.file) ? k.file : resolve(base, k.file)
    if (c.rule) {
      // A key pinned by a system policy is part of that policy: it must be as well protected as the policy itself,
      // along its whole path (up to the policy root when it lies inside it, else up to /).
      const keyRule: OwnerRule = {
        uid: c.rule.uid,
        trustRoot: trustRootFor(file, c.rule.trustRoot),
        draftUid: c.rule.draftUid,
      }
      const r = await readConfigFile(file, keyRule)
      if (!r.ok && r.code === 'CONFIG_UNSAFE') {
        problems.push({
          file: c.file,
          field: `keys[${i}].file`,
          reason: `${file} ${r.reason}`,
          code: 'CONFIG_UNSAFE',
        })
      }
    }
    keys.push({ ...k, file })
  }
  return { data: { ...data, keys }, problems }
}

/** Reads and validates every candidate: the layer files that loaded, the problems, and each file's status. */
export async function readLayers(
  src: ConfigSources,
): Promise<{ layers: LayerFile[]; problems: ConfigProblem[]; files: ConfigFileStatus[] }> {
  const layers: LayerFile[] = []
  const problems: ConfigProblem[] = []
  const files: ConfigFileStatus[] = []
  for (const c of await listConfigFiles(src)) {
    const read = await readConfigFile(c.file, c.rule)
    const status = (s: 'loaded' | 'refused'): void => {
      files.push({ file: c.file, layer: c.layer, locked: c.locked, status: s })
    }
    if (!read.ok) {
      if (read.code === 'CONFIG_UNREADABLE' && !c.required && /no such file/.test(read.reason)) continue
      problems.push({ file: c.file, field: '', reason: read.reason, code: read.code })
      status('refused')
      continue
    }
    const parsed = parsePolicyText(read.text, c.file)
    if (!parsed.ok) {
      problems.push(...parsed.problems)
      status('refused')
      continue
    }
    const keyed = await resolveKeyFiles(c, parsed.data)
    if (keyed.problems.length > 0) {
      problems.push(...keyed.problems)
      status('refused')
      continue
    }
    layers.push({ layer: c.layer, locked: c.locked, file: c.file, data: keyed.data })
    status('loaded')
  }
  return { layers, problems, files }
}

interface LastGood {
  readonly savedAt: string
  readonly config: AppConfig
  readonly origins: Record<string, Origin>
}

function asLastGood(v: unknown): LastGood | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as Partial<LastGood>
  const c = o.config as Partial<AppConfig> | undefined
  if (typeof o.savedAt !== 'string' || typeof o.origins !== 'object' || o.origins === null || !c)
    return undefined
  if (!Array.isArray(c.mirrors) || !Array.isArray(c.channels) || !Array.isArray(c.extraKeys)) return undefined
  if (!Array.isArray(c.removedKeys) || typeof c.pollIntervalMs !== 'number') return undefined
  return o as LastGood
}

/**
 * Loads the effective configuration of this machine: every layer merged, each value's origin, every problem.
 *
 * Never throws on bad files: they are reported in `problems` (file, field, reason). See the module comment for the
 * last-good rule.
 */
export async function loadEffectiveConfig(src: ConfigSources): Promise<LoadedConfig> {
  const log = src.log ?? silentLogger
  const { layers, problems, files } = await readLayers(src)
  const merged = mergeLayers(layers, { codename: src.codename })
  const allProblems = [...problems, ...merged.problems]
  const policyRefused = files.some((f) => f.status === 'refused' && f.layer !== 'user')
  const store = createFileStateStore(join(src.dataDir, 'state'), { logger: log })
  if (!policyRefused) {
    if (src.saveLastGood ?? true) {
      const now = src.now ?? Date.now
      const value: LastGood = {
        savedAt: new Date(now()).toISOString(),
        config: merged.config,
        origins: merged.origins,
      }
      try {
        await store.write(LAST_GOOD_CONFIG_NAME, value)
      } catch (e) {
        log.warn('could not save the last good configuration', { error: String(e) })
      }
    }
    return { ...merged, problems: allProblems, files }
  }
  for (const p of problems) log.warn(`configuration file refused: ${p.file}: ${p.field}: ${p.reason}`)
  if (!(src.useLastGood ?? true)) return { ...merged, problems: allProblems, files }
  let last: LastGood | undefined
  try {
    last = asLastGood(await store.read(LAST_GOOD_CONFIG_NAME))
  } catch {
    last = undefined
  }
  if (!last) return { ...merged, problems: allProblems, files }
  // Removals only ever take trust away, so those of the files that did load apply to the old configuration too.
  const removed = new Set([...last.config.removedKeys, ...merged.config.removedKeys])
  const config: AppConfig = {
    ...last.config,
    removedKeys: [...removed],
    // A configuration saved by an older version may hold keys a user's settings pinned: never trust those.
    extraKeys: last.config.extraKeys.filter(
      (k) => !removed.has(k.fingerprint) && last.origins[`keys.${k.fingerprint}`]?.layer !== 'user',
    ),
  }
  return { config, origins: last.origins, problems: allProblems, files, lastGoodSavedAt: last.savedAt }
}

/**
 * Writes the user's settings file (`<dataDir>/settings.json`) atomically (temp file, fsync, rename).
 *
 * The value is validated with the same schema first; policy-only fields are refused (CONFIG_POLICY_ONLY) and a value
 * that does not validate is refused (CONFIG_INVALID), both as problems, and nothing is written. Locked values may be
 * written (they are ignored while a mandatory policy sets them, and apply again if it goes away).
 */
export async function writeUserSettings(
  dataDir: string,
  settings: PolicyFile,
): Promise<{ readonly ok: true } | { readonly ok: false; readonly problems: readonly ConfigProblem[] }> {
  const file = join(dataDir, USER_SETTINGS_FILE)
  const parsed = validatePolicy(settings, file)
  if (!parsed.ok) return parsed
  const policyOnly = POLICY_ONLY_FIELDS.filter((k) => parsed.data[k] !== undefined).map((k) => ({
    file,
    field: k,
    reason: 'only a policy can set this',
    code: 'CONFIG_POLICY_ONLY' as const,
  }))
  if (policyOnly.length > 0) return { ok: false, problems: policyOnly }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`
  const handle = await open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(tmp, file)
  return { ok: true }
}
