/**
 * The engine's public entry: what `main/node`, the CLI and the lab import from the core.
 */
export * from './errors'
export * from './limits'
export * from './model'
export * from './ports'
export * from './result'
export * from './check'
export * from './status/status-state'
export * from './status/status-service'
export * from './status/tray-model'
export { compareDebianVersions, isValidDebianVersion, parseDebianVersion } from './apt/version'
export type { DebianVersion } from './apt/version'
export type { AptErrorCode } from './apt/errors'
