/** A fake `Api` for renderer store tests: every request answers from overridable functions; events are emitted by hand. */
import type { Api, Events } from '../../../preload/contract/api'
import type { ApiResult, SettingsDto } from '../../../preload/contract/dto'

const notImplemented = async (): Promise<ApiResult<never>> => ({
  ok: false,
  code: 'TEST_UNSET',
  message: 'not set',
})

/** A fake Api, its recorded calls, and a way to emit events. */
export function fakeApi(overrides: Partial<Api> = {}) {
  const calls: { method: string; args: unknown[] }[] = []
  const listeners: { [K in keyof Events]: Set<(p: Events[K]) => void> } = {
    onStatusChanged: new Set(),
    onSettingsChanged: new Set(),
    onNavigate: new Set(),
  }
  const record =
    <A extends unknown[], R>(method: string, fn: (...a: A) => R) =>
    (...a: A): R => {
      calls.push({ method, args: a })
      return fn(...a)
    }
  const sub =
    <K extends keyof Events>(k: K) =>
    (l: (p: Events[K]) => void) => {
      listeners[k].add(l)
      return () => void listeners[k].delete(l)
    }
  const api: Api = {
    getAppInfo: record('getAppInfo', overrides.getAppInfo ?? notImplemented),
    getStatus: record('getStatus', overrides.getStatus ?? notImplemented),
    checkNow: record('checkNow', overrides.checkNow ?? notImplemented),
    inspectText: record('inspectText', overrides.inspectText ?? notImplemented),
    checkClipboard: record('checkClipboard', overrides.checkClipboard ?? notImplemented),
    openAdvisory: record('openAdvisory', overrides.openAdvisory ?? notImplemented),
    getSettings: record('getSettings', overrides.getSettings ?? notImplemented),
    setSetting: record('setSetting', overrides.setSetting ?? notImplemented),
    setChannelEnabled: record('setChannelEnabled', overrides.setChannelEnabled ?? notImplemented),
    pauseNotifications: record('pauseNotifications', overrides.pauseNotifications ?? notImplemented),
    networkChanged: record('networkChanged', overrides.networkChanged ?? notImplemented),
    onStatusChanged: sub('onStatusChanged'),
    onSettingsChanged: sub('onSettingsChanged'),
    onNavigate: sub('onNavigate'),
  }
  const emit = <K extends keyof Events>(k: K, p: Events[K]): void => {
    for (const l of listeners[k]) l(p)
  }
  return { api, calls, emit, listeners }
}

/** A settings DTO for tests. */
export function settingsDto(partial: Partial<SettingsDto> = {}): SettingsDto {
  const origin = { layer: 'default' as const, locked: false, file: null }
  return {
    pollIntervalMinutes: { value: 60, origin, available: true, reason: null },
    notificationLevel: { value: 'attention', origin, available: true, reason: null },
    autostart: { value: false, origin, available: false, reason: 'browser mode' },
    mirrors: [],
    channels: [],
    helpdesk: null,
    brandingText: null,
    clipboardAllowed: true,
    notificationsPausedUntil: null,
    nextCheck: null,
    problems: [],
    ...partial,
  }
}

/** Lets pending promise callbacks run. */
export const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
