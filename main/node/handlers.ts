import type { Handlers, RequestName } from '../../preload/contract/api'
import type {
  ApiResult,
  AppInfoDto,
  InspectResultDto,
  OpenAdvisoryDto,
  PauseChoiceDto,
  SettingKey,
  SettingsDto,
} from '../../preload/contract/dto'
import { ID_PATTERN } from '../core/config/schema'
import { Limits } from '../core/limits'
import type { StatusService } from '../core/status/status-service'
import { snapshotToDto, type DtoContext } from './dto'

/** What the backend provides beyond the state machine; each returns expected failures as values. */
export interface AppServices {
  inspect(text: string): Promise<ApiResult<InspectResultDto>>
  checkClipboard(): Promise<ApiResult<InspectResultDto>>
  openAdvisory(id: string): Promise<ApiResult<OpenAdvisoryDto>>
  getSettings(): Promise<ApiResult<SettingsDto>>
  setSetting(key: SettingKey, value: number | string | boolean): Promise<ApiResult<SettingsDto>>
  setChannelEnabled(id: string, enabled: boolean): Promise<ApiResult<SettingsDto>>
  pauseNotifications(choice: PauseChoiceDto): Promise<ApiResult<SettingsDto>>
  networkChanged(): ApiResult<null>
}

/** What the handlers need from the backend. */
export interface HandlerDeps {
  readonly status: StatusService
  readonly appInfo: AppInfoDto
  readonly services: AppServices
  readonly dto?: DtoContext | undefined
}

/** An advisory id: `USN-7712-1`, `UBUNTU-CVE-2024-1234`, `GHSA-…`, a helpdesk's own ids. Never a URL or path. */
export const ADVISORY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/** The user settings and the values each accepts (the same bounds as the config schema). */
export const SettingChecks: { readonly [K in SettingKey]: (v: unknown) => boolean } = {
  pollIntervalMinutes: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 5 && v <= 24 * 60,
  notificationLevel: (v) => v === 'none' || v === 'alarm' || v === 'attention',
  autostart: (v) => typeof v === 'boolean',
}

const isSettingKey = (k: unknown): k is SettingKey =>
  typeof k === 'string' && Object.prototype.hasOwnProperty.call(SettingChecks, k)

/**
 * Run-time argument checks, one per request (Mattermost `ipcValidate` style). A request whose arguments fail its
 * check never reaches the handler. Arguments are identifiers or plain user text only: never URLs, paths or commands.
 */
export const ArgumentChecks: { readonly [K in RequestName]: (args: readonly unknown[]) => boolean } = {
  getAppInfo: (a) => a.length === 0,
  getStatus: (a) => a.length === 0,
  checkNow: (a) => a.length === 0,
  // Plain text the user pasted; its size is bounded here and again by the checker (INSPECT_TOO_LARGE).
  inspectText: (a) =>
    a.length === 1 && typeof a[0] === 'string' && a[0].length <= Limits.size.pastedTextBytes,
  checkClipboard: (a) => a.length === 0,
  openAdvisory: (a) => a.length === 1 && typeof a[0] === 'string' && ADVISORY_ID.test(a[0]),
  getSettings: (a) => a.length === 0,
  setSetting: (a) => a.length === 2 && isSettingKey(a[0]) && SettingChecks[a[0]](a[1]),
  // A channel id as the config schema accepts it (never a URL or path); the backend checks it is configured.
  setChannelEnabled: (a) =>
    a.length === 2 && typeof a[0] === 'string' && ID_PATTERN.test(a[0]) && typeof a[1] === 'boolean',
  pauseNotifications: (a) => a.length === 1 && (a[0] === '1h' || a[0] === 'tomorrow' || a[0] === 'off'),
  networkChanged: (a) => a.length === 0,
}

/** Implements the contract's requests: validate → call the engine → map to DTOs. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const s = deps.services
  return {
    getAppInfo: () => ({ ok: true, value: deps.appInfo }),
    getStatus: () => ({ ok: true, value: snapshotToDto(deps.status.snapshot(), deps.dto) }),
    checkNow: async () => ({ ok: true, value: snapshotToDto(await deps.status.checkNow(), deps.dto) }),
    inspectText: (text) => s.inspect(text),
    checkClipboard: () => s.checkClipboard(),
    openAdvisory: (id) => s.openAdvisory(id),
    getSettings: () => s.getSettings(),
    setSetting: (key, value) => s.setSetting(key, value),
    setChannelEnabled: (id, enabled) => s.setChannelEnabled(id, enabled),
    pauseNotifications: (choice) => s.pauseNotifications(choice),
    networkChanged: () => s.networkChanged(),
  }
}

/** True when `name` is a request of the contract (and not an inherited property). */
export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(ArgumentChecks, name)
}

/**
 * The one entry point both transports (Electron IPC and the loopback host) use: unknown methods and bad arguments
 * come back as coded failures, never reach a handler, and never throw across the boundary.
 */
export async function invokeHandler(
  handlers: Handlers,
  method: string,
  args: unknown,
): Promise<ApiResult<unknown>> {
  if (!isRequestName(method))
    return { ok: false, code: 'API_UNKNOWN_METHOD', message: `unknown method ${method}` }
  if (!Array.isArray(args) || !ArgumentChecks[method](args)) {
    return { ok: false, code: 'API_BAD_ARGUMENT', message: `invalid arguments for ${method}` }
  }
  const fn = handlers[method] as (
    ...a: readonly unknown[]
  ) => Promise<ApiResult<unknown>> | ApiResult<unknown>
  try {
    return await fn(...args)
  } catch (e) {
    return { ok: false, code: 'API_INTERNAL', message: e instanceof Error ? e.message : String(e) }
  }
}
