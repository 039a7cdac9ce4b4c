import type { Handlers, RequestName } from '../../preload/contract/api'
import type { ApiResult, AppInfoDto } from '../../preload/contract/dto'
import type { StatusService } from '../core/status/status-service'
import { snapshotToDto } from './dto'

/** What the handlers need from the backend. */
export interface HandlerDeps {
  readonly status: StatusService
  readonly appInfo: AppInfoDto
}

/**
 * Run-time argument checks, one per request (Mattermost `ipcValidate` style). A request whose arguments fail its
 * check never reaches the handler. Arguments are identifiers only: never URLs, paths or commands.
 */
export const ArgumentChecks: { readonly [K in RequestName]: (args: readonly unknown[]) => boolean } = {
  getAppInfo: (a) => a.length === 0,
  getStatus: (a) => a.length === 0,
  checkNow: (a) => a.length === 0,
}

/** Implements the contract's requests: validate → call the engine → map to DTOs. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    getAppInfo: () => ({ ok: true, value: deps.appInfo }),
    getStatus: () => ({ ok: true, value: snapshotToDto(deps.status.snapshot()) }),
    checkNow: async () => ({ ok: true, value: snapshotToDto(await deps.status.checkNow()) }),
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
  if (!isRequestName(method)) return { ok: false, code: 'API_UNKNOWN_METHOD', message: `unknown method ${method}` }
  if (!Array.isArray(args) || !ArgumentChecks[method](args)) {
    return { ok: false, code: 'API_BAD_ARGUMENT', message: `invalid arguments for ${method}` }
  }
  const fn = handlers[method] as (...a: readonly unknown[]) => Promise<ApiResult<unknown>> | ApiResult<unknown>
  try {
    return await fn(...args)
  } catch (e) {
    return { ok: false, code: 'API_INTERNAL', message: e instanceof Error ? e.message : String(e) }
  }
}
