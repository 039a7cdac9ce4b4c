import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppInfoDto } from '../../preload/contract/dto'
import { pollMirrors } from '../core/apt/poller'
import { asMirrorsState, MIRRORS_STATE_NAME, type MirrorsState } from '../core/apt/mirror-state'
import type { PollSources } from '../core/check'
import { isCoreError } from '../core/errors'
import type { AppConfig } from '../core/model'
import type { Logger } from '../core/ports'
import { silentLogger } from '../core/ports'
import type { Keyring } from '../core/pgp/keyring'
import { fail, ok, type Result } from '../core/result'
import { parseOsRelease } from '../core/system/os-release'
import { createBackend, type Backend } from './backend'
import { systemClock, systemScheduler } from './clock'
import { defaultConfigPath, loadConfigFile } from './config'
import { createDecompressor } from './decompress'
import { createFileStateStore } from './file-state-store'
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
}

/** Ubuntu's current LTS, used when this machine's release cannot be read (e.g. not Ubuntu). */
export const FALLBACK_CODENAME = 'noble'

/** This machine's release codename from `etc/os-release` under `root`. */
export async function readCodename(root: string, log: Logger): Promise<string> {
  try {
    const os = parseOsRelease(await readFile(join(root, 'etc', 'os-release'), 'utf8'))
    if (os.id === 'ubuntu' || os.idLike.includes('ubuntu')) return os.fields.UBUNTU_CODENAME ?? os.codename ?? FALLBACK_CODENAME
    log.warn(`this machine runs ${os.prettyName || os.id}, not Ubuntu: checking Ubuntu ${FALLBACK_CODENAME}`)
  } catch (e) {
    log.warn(`cannot read etc/os-release (${isCoreError(e) ? e.message : String(e)}): checking Ubuntu ${FALLBACK_CODENAME}`)
  }
  return FALLBACK_CODENAME
}

/** The real sources of a check, composed from the configured mirrors and the real ports. */
export function mirrorPoll(config: AppConfig, keyring: Keyring, dataDir: string, log: Logger): PollSources {
  const store = createFileStateStore(join(dataDir, 'state'), {
    onCorrupt: (r) => log.warn(`state file ${r.path} was corrupt and was moved aside to ${r.movedTo}`),
  })
  const fetcher = createFetcher()
  const decompressor = createDecompressor()
  return async (now, progress) => {
    const previous = asMirrorsState(await store.read<MirrorsState>(MIRRORS_STATE_NAME))
    const result = await pollMirrors({
      mirrors: config.mirrors,
      keyring,
      now,
      previous,
      ports: { fetcher, decompressor },
      onProgress: (p) => progress({ done: p.done, total: p.total, label: p.label }),
    })
    await store.write(MIRRORS_STATE_NAME, result.state)
    return result.statuses
  }
}

/** Assembles the backend the Electron entry and browser mode share. Bad config comes back as a failure. */
export async function createAppBackend(opts: AppOptions): Promise<Result<Backend>> {
  const log = opts.log ?? silentLogger
  const resources = opts.resourcesDir ?? defaultResourcesDir()
  const codename = await readCodename(opts.root ?? '/', log)
  let config: AppConfig
  let keyring: Keyring
  try {
    config = await loadConfigFile(opts.configFile ?? defaultConfigPath(resources), codename)
    keyring = await loadKeyringFromManifest(join(resources, 'keys'))
  } catch (e) {
    if (isCoreError(e)) return fail(e.code, e.message)
    throw e
  }
  const version = await readVersion()
  const backend = await createBackend({
    pollMirrors: mirrorPoll(config, keyring, opts.dataDir, log),
    clock: systemClock,
    scheduler: systemScheduler,
    appInfo: { name: 'Lifeline', version, shell: opts.shell },
    store: createFileStateStore(join(opts.dataDir, 'state')),
    pollIntervalMs: config.pollIntervalMs,
    log,
  })
  return ok(backend)
}

async function readVersion(): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
