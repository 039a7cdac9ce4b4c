import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { AppInfoDto } from '../../preload/contract/dto'
import { isCoreError } from '../core/errors'
import type { AppConfig, ChannelConfig } from '../core/model'
import type { IndexStore, Logger, StateStore } from '../core/ports'
import { MIRRORS_STATE_NAME } from '../core/apt/mirror-state'
import { Limits } from '../core/limits'
import { createFileIndexStore } from './file-index-store'
import { silentLogger } from '../core/ports'
import type { Keyring } from '../core/pgp/keyring'
import { fail, ok, type Result } from '../core/result'
import { parseOsRelease } from '../core/system/os-release'
import type { ConfigView } from '../core/config/locks'
import { createBackend, type Backend, type BackendOptions } from './backend'
import { createEngine, effectiveKeyring, type Engine } from './engine'
import { systemClock, systemScheduler } from './clock'
import { loadConfigFile, loadEffectiveConfig, USER_SETTINGS_FILE, writeUserSettings } from './config'
import { createDecompressStream, createDecompressor } from './decompress'
import { createRotatingLog } from './diagnostics/log'
import { createFileStateStore, type CorruptStateReport } from './file-state-store'
import { createFetcher } from './http-fetcher'
import { loadKeyringFromManifest, resourcesDir as defaultResourcesDir } from './keys'
import { appRoot } from './paths'

/** How to assemble the real app. */
export interface AppOptions {
  readonly dataDir: string
  readonly shell: AppInfoDto['shell']
  readonly configFile?: string | undefined
  /** Root of the machine to assess (`/`); tests and mounted images pass another. */
  readonly root?: string | undefined
  readonly resourcesDir?: string | undefined
  readonly log?: Logger | undefined
  /** Shell-specific ports (Electron: clipboard, openExternal, autostart, notifications); browser mode passes none. */
  readonly ports?: Pick<BackendOptions, 'readClipboard' | 'openExternal' | 'autostart' | 'notify'> | undefined
  /** Called once with the effective configuration before the backend is built (Electron: autostart policy). */
  readonly onConfig?: ((config: AppConfig) => Promise<void> | void) | undefined
}

/** Ubuntu's current LTS, used when this machine's release cannot be read (e.g. not Ubuntu). */
export const FALLBACK_CODENAME = 'noble'

/** This machine's release codename from `etc/os-release` under `root`. */
export async function readCodename(root: string, log: Logger): Promise<string> {
  try {
    const os = parseOsRelease(await readFile(join(root, 'etc', 'os-release'), 'utf8'))
    if (os.id === 'ubuntu' || os.idLike.includes('ubuntu'))
      return os.fields.UBUNTU_CODENAME ?? os.codename ?? FALLBACK_CODENAME
    log.warn(`this machine runs ${os.prettyName || os.id}, not Ubuntu: checking Ubuntu ${FALLBACK_CODENAME}`)
  } catch (e) {
    log.warn(
      `cannot read etc/os-release (${isCoreError(e) ? e.message : String(e)}): checking Ubuntu ${FALLBACK_CODENAME}`,
    )
  }
  return FALLBACK_CODENAME
}

/** The engine from the configuration, the built-in keys and the real ports. Bad config or keys come back as failures. */
export async function createAppEngine(opts: {
  readonly dataDir: string
  readonly resourcesDir: string
  readonly configFile?: string | undefined
  readonly root: string
  readonly codename: string
  readonly log: Logger
  /** The channels to read at each check (default: the configuration's); Settings can turn them on and off. */
  readonly channels?: (() => readonly ChannelConfig[]) | undefined
}): Promise<
  Result<{
    engine: Engine
    config: AppConfig
    keyring: Keyring
    view: ConfigView
    store: StateStore
    indexes: IndexStore
  }>
> {
  let config: AppConfig
  let keyring: Keyring
  let view: ConfigView
  try {
    if (opts.configFile) {
      // An explicit --config file stands alone (the lab, tests, a one-off check); the app itself reads the layers.
      config = await loadConfigFile(opts.configFile, opts.codename)
      view = { config, file: resolve(opts.configFile) }
    } else {
      const loaded = await loadEffectiveConfig({
        resourcesDir: opts.resourcesDir,
        dataDir: opts.dataDir,
        codename: opts.codename,
        log: opts.log,
      })
      for (const p of loaded.problems) opts.log.warn(`configuration: ${p.file}: ${p.field}: ${p.reason}`)
      config = loaded.config
      view = {
        config,
        origins: loaded.origins,
        problems: loaded.problems,
        removedChannels: loaded.removedChannels,
        removeChannelsLockedBy: loaded.removeChannelsLockedBy,
      }
    }
    const keysDir = join(opts.resourcesDir, 'keys')
    keyring = await effectiveKeyring(await loadKeyringFromManifest(keysDir), config, keysDir)
  } catch (e) {
    if (isCoreError(e)) return fail(e.code, e.message)
    throw e
  }
  const onCorrupt = (r: CorruptStateReport) =>
    opts.log.warn(`state file ${r.path} was corrupt and was moved aside to ${r.movedTo}`)
  const store = createFileStateStore(join(opts.dataDir, 'state'), {
    onCorrupt,
    // The mirror state of versions that kept every index inline may be larger than any state written now: it
    // is read once, to migrate it (main/core/apt/mirror-store.ts).
    readCaps: { [MIRRORS_STATE_NAME]: Limits.size.legacyMirrorsStateBytes },
  })
  const indexes = createFileIndexStore(join(opts.dataDir, 'state', 'indexes'), {
    onCorrupt,
    logger: opts.log,
  })
  const engine = createEngine({
    config,
    keyring,
    fetcher: createFetcher(),
    decompressor: createDecompressor(),
    decompressStream: createDecompressStream(),
    store,
    indexes,
    root: opts.root,
    log: opts.log,
    channels: opts.channels,
  })
  return ok({ engine, config, keyring, view, store, indexes })
}

/** Assembles the backend the Electron entry and browser mode share. Bad config comes back as a failure. */
export async function createAppBackend(opts: AppOptions): Promise<Result<Backend>> {
  // Everything is also written to the rotating diagnostics log (never key material or whole documents).
  const log = teeLogger(opts.log ?? silentLogger, createRotatingLog({ dir: join(opts.dataDir, 'logs') }))
  const resources = opts.resourcesDir ?? defaultResourcesDir()
  const codename = await readCodename(opts.root ?? '/', log)
  // The channels each check reads: the configuration's, until the user turns one on or off in Settings.
  let channels: readonly ChannelConfig[] | undefined
  const engine = await createAppEngine({
    ...opts,
    resourcesDir: resources,
    root: opts.root ?? '/',
    codename,
    log,
    channels: () => channels ?? config.channels,
  })
  if (!engine.ok) return engine
  const { config, keyring, view } = engine.value
  // The shell applies what the effective configuration asks of it (Electron: the autostart policy at start).
  await opts.onConfig?.(config)
  const version = await readAppVersion()
  const backend = await createBackend({
    runCheck: engine.value.engine.run,
    clock: systemClock,
    scheduler: systemScheduler,
    appInfo: { name: 'Lifeline', version, shell: opts.shell },
    // One store for the data folder, so a corrupt report or settings file is reported like the engine's own.
    store: engine.value.store,
    pollIntervalMs: config.pollIntervalMs,
    log,
    config: view,
    // With the layered configuration, the user's choices go to its user layer; a one-file --config has none.
    saveUserSettings: opts.configFile
      ? undefined
      : async (s) => {
          const current = await readUserSettings(opts.dataDir)
          const { removeChannels, ...rest } = s
          const r = await writeUserSettings(opts.dataDir, {
            ...current,
            ...dropUndefined(rest),
            ...(removeChannels ? { removeChannels: [...removeChannels] } : {}),
          })
          if (!r.ok) throw new Error(r.problems.map((p) => `${p.field}: ${p.reason}`).join('; '))
        },
    keyring,
    onChannelsChanged: (list) => {
      channels = list
    },
    ...opts.ports,
  })
  return ok(backend)
}

/** The user layer as saved (`<data>/settings.json`), or nothing when absent or unreadable (the loader reports it). */
async function readUserSettings(dataDir: string): Promise<Record<string, unknown>> {
  try {
    const v: unknown = JSON.parse(await readFile(join(dataDir, USER_SETTINGS_FILE), 'utf8'))
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** A logger writing to both. */
export function teeLogger(a: Logger, b: Logger): Logger {
  return {
    info: (m, f) => (a.info(m, f), b.info(m, f)),
    warn: (m, f) => (a.warn(m, f), b.warn(m, f)),
    error: (m, f) => (a.error(m, f), b.error(m, f)),
  }
}

/** The app's version from its package.json, or `unknown` when it cannot be read. */
export async function readAppVersion(): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(appRoot(), 'package.json'), 'utf8')) as { version: string })
      .version
  } catch {
    return 'unknown'
  }
}
