/**
 * The app's configuration: the layered loader (main/node/config/layers.ts) and the older single-file loader.
 *
 * New code calls `loadEffectiveConfig({ resourcesDir, dataDir, codename })`, which merges built-in defaults, baked
 * and system policies and user settings and says where every value came from (docs/policy.md). `loadConfigFile`
 * stays for callers that read one file.
 */
import { mergeLayers } from '../../core/config/merge'
import type { ConfigErrorCode } from '../../core/config/schema'
import { parsePolicyText } from '../../core/config/schema'
import { CoreError } from '../../core/errors'
import type { AppConfig } from '../../core/model'
import { readConfigFile } from './safe-file'

export type { ConfigErrorCode } from '../../core/config/schema'
export type { EffectiveConfig, Origin, LayerName } from '../../core/config/merge'
export type { ConfigSources, LoadedConfig, ConfigFileStatus } from './layers'
export { loadEffectiveConfig, writeUserSettings, USER_SETTINGS_FILE, LAST_GOOD_CONFIG_NAME } from './layers'

/**
 * Reads and validates one config file as the only layer; `{codename}` in suites becomes the given codename.
 *
 * Throws CONFIG_UNREADABLE or CONFIG_INVALID (message "FILE: FIELD: REASON").
 */
export async function loadConfigFile(file: string, codename: string): Promise<AppConfig> {
  const read = await readConfigFile(file)
  if (!read.ok) {
    const code: ConfigErrorCode = read.code === 'CONFIG_INVALID' ? 'CONFIG_INVALID' : 'CONFIG_UNREADABLE'
    throw new CoreError<ConfigErrorCode>(code, `${file}: ${read.reason}`, { file })
  }
  const parsed = parsePolicyText(read.text, file)
  if (!parsed.ok) {
    const p = parsed.problems[0]
    const where = p?.field ? `${p.field}: ` : ''
    throw new CoreError<ConfigErrorCode>('CONFIG_INVALID', `${file}: ${where}${p?.reason ?? 'invalid'}`, {
      file,
    })
  }
  return mergeLayers([{ layer: 'default', locked: false, file, data: parsed.data }], { codename }).config
}
