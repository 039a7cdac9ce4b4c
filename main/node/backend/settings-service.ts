/**
 * The Settings screen's service: the values in force, where each comes from, and the user's changes.
 *
 * Whether a value or an advisory-source switch is locked, and which value wins, is decided in one place,
 * `main/core/config/locks.ts`; this file only asks it, and refuses a change it calls locked with SETTING_LOCKED.
 */
import type { ApiResult, HelpdeskDto, SettingKey, SettingsDto } from '../../../preload/contract/dto'
import { channelPrivacyNote } from '../../core/advisories/privacy'
import {
  channelEnabled,
  channelSwitchLock,
  channelSwitchSource,
  configuredChannels,
  lockOf,
  userRemovedChannels,
  valueSource,
  winningValue,
  type ConfigView,
} from '../../core/config/locks'
import { Limits } from '../../core/limits'
import type { AppConfig, ChannelConfig, NotificationLevel } from '../../core/model'
import type { Clock, StateStore } from '../../core/ports'
import type { Autostart } from '../autostart'
import type { ScheduledCheck } from './check-schedule'
import { USER_SETTINGS, type UserSettings } from './saved-state'

/** The user's choices as the layered configuration saves them (its user layer, `settings.json`). */
export interface UserLayerSettings {
  readonly pollIntervalMinutes?: number
  readonly notificationLevel?: NotificationLevel
  /** The user's `removeChannels` (the advisory sources turned off in Settings). */
  readonly removeChannels?: readonly string[]
}

/** What the settings service needs. */
export interface SettingsServiceOptions {
  /** The effective configuration and its origins; absent: built-in values only. */
  readonly view: ConfigView | undefined
  /** The user's settings as saved. */
  readonly user: UserSettings
  readonly clock: Clock
  /** Where the user's settings go when there is no user layer to write (`saveUserSettings` absent). */
  readonly store: StateStore | undefined
  /** Saves the user's choices as the user layer of the layered configuration; absent with a one-file --config. */
  readonly saveUserSettings?: ((s: UserLayerSettings) => Promise<void>) | undefined
  /** Told which channels to read from the next check on, after the user turns one on or off. */
  readonly onChannelsChanged?: ((channels: readonly ChannelConfig[]) => void) | undefined
  /** The configured interval when the configuration has none. */
  readonly pollIntervalMs?: number | undefined
  /** Start at login (Electron); absent where it cannot apply. */
  readonly autostart?: Autostart | undefined
  /** Until when notifications are paused (epoch ms), or null. */
  readonly pausedUntil: () => number | null
  /** The next scheduled check. */
  readonly nextCheck: () => ScheduledCheck | undefined
  /** Called after the user changed the poll interval (the schedule re-arms). */
  readonly onIntervalChanged: () => void
  /** Publishes the settings after a change. */
  readonly publish: (s: SettingsDto) => void
}

/** The settings in force and the user's changes to them. */
export interface SettingsService {
  /** The interval between checks in force. */
  pollIntervalMs(): number
  /** The lowest verdict that notifies, in force. */
  notificationLevel(): NotificationLevel
  /** Whether the policy allows the clipboard check. */
  clipboardAllowed(): boolean
  /** Everything the Settings screen shows. */
  current(): Promise<SettingsDto>
  /** Changes one setting; SETTING_LOCKED when a policy locks it, SETTING_UNAVAILABLE when it cannot apply here. */
  set(key: SettingKey, value: number | string | boolean): Promise<ApiResult<SettingsDto>>
  /** Turns an advisory source on or off (the user's `removeChannels`); SETTING_LOCKED when a policy decides it. */
  setChannelEnabled(id: string, enabled: boolean): Promise<ApiResult<SettingsDto>>
}

/** The failure for a locked value, naming the helpdesk and how to reach it. */
function lockedFailure(config: AppConfig | undefined): ApiResult<never> {
  const helpdesk = config?.helpdesk
  const contact = [helpdesk?.phone, helpdesk?.email, helpdesk?.url].filter(Boolean).join(', ')
  const message = `Set by your organisation's policy${helpdesk?.name ? `: ask ${helpdesk.name}` : ''}${contact ? ` (${contact})` : ''}.`
  return { ok: false, code: 'SETTING_LOCKED', message }
}

const unavailable = (message: string): ApiResult<never> => ({
  ok: false,
  code: 'SETTING_UNAVAILABLE',
  message,
})

function helpdeskDto(config: AppConfig | undefined): HelpdeskDto | null {
  const helpdesk = config?.helpdesk
  if (!helpdesk) return null
  return {
    name: helpdesk.name ?? null,
    url: helpdesk.url ?? null,
    phone: helpdesk.phone ?? null,
    email: helpdesk.email ?? null,
  }
}

function mirrorDtos(view: ConfigView | undefined): SettingsDto['mirrors'] {
  return (view?.config.mirrors ?? []).map((m) => ({
    id: m.id,
    name: m.name,
    url: m.url,
    suites: m.suites,
    origin: valueSource(view, `mirrors.${m.id}`, false),
  }))
}

function channelDtos(view: ConfigView | undefined, userOff: ReadonlySet<string>): SettingsDto['channels'] {
  return configuredChannels(view).map((ch) => ({
    id: ch.id,
    name: ch.name,
    type: ch.type,
    urls: ch.urls,
    origin: valueSource(view, `channels.${ch.id}`, false),
    privacyNote: channelPrivacyNote(ch.type, ch.urls),
    enabled: channelEnabled(view, ch.id, userOff),
    switchOrigin: channelSwitchSource(view, ch.id, userOff),
  }))
}

function problemLines(view: ConfigView | undefined): string[] {
  return (view?.problems ?? []).map((p) => `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.reason}`)
}

/** A settings service starting from the saved user settings. */
export function createSettingsService(opts: SettingsServiceOptions): SettingsService {
  return new LayeredSettings(opts)
}

/** The settings service over the layered configuration's view (or a one-file --config). */
class LayeredSettings implements SettingsService {
  private readonly view: ConfigView | undefined
  private user: UserSettings
  /** The user's removals as merged; Settings rewrites them whole. */
  private userOff: ReadonlySet<string>

  constructor(private readonly opts: SettingsServiceOptions) {
    this.view = opts.view
    this.user = opts.user
    this.userOff = userRemovedChannels(opts.view)
  }

  pollIntervalMs(): number {
    const minutes = this.user.pollIntervalMinutes
    const configured =
      this.view?.config.pollIntervalMs ?? this.opts.pollIntervalMs ?? Limits.poll.defaultIntervalMs
    return winningValue(
      this.view,
      'pollIntervalMinutes',
      minutes === undefined ? undefined : minutes * 60_000,
      configured,
    )
  }

  notificationLevel(): NotificationLevel {
    const configured = this.view?.config.notificationLevel ?? 'attention'
    return winningValue(this.view, 'notificationLevel', this.user.notificationLevel, configured)
  }

  clipboardAllowed(): boolean {
    return this.view?.config.allowClipboardCheck !== false
  }

  private autostartAllowed(): boolean {
    return this.view?.config.allowAutostart !== false
  }

  private async autostartSetting(): Promise<SettingsDto['autostart']> {
    const port = this.opts.autostart
    const allowed = this.autostartAllowed()
    const on = port && allowed ? await port.isEnabled().catch(() => false) : false
    return {
      value: on,
      origin: valueSource(this.view, 'allowAutostart', false),
      available: port !== undefined && allowed,
      reason: !port
        ? 'Starting at login applies to the desktop app, not to browser mode.'
        : !allowed
          ? 'Your organisation does not allow Lifeline to start at login.'
          : null,
    }
  }

  async current(): Promise<SettingsDto> {
    const { view, user } = this
    const autostart = await this.autostartSetting()
    const pausedUntil = this.opts.pausedUntil()
    const next = this.opts.nextCheck()
    return {
      pollIntervalMinutes: {
        value: Math.round(this.pollIntervalMs() / 60_000),
        origin: valueSource(view, 'pollIntervalMinutes', user.pollIntervalMinutes !== undefined),
        available: true,
        reason: null,
      },
      notificationLevel: {
        value: this.notificationLevel(),
        origin: valueSource(view, 'notificationLevel', user.notificationLevel !== undefined),
        available: true,
        reason: null,
      },
      autostart,
      mirrors: mirrorDtos(view),
      channels: channelDtos(view, this.userOff),
      helpdesk: helpdeskDto(view?.config),
      brandingText: view?.config.brandingText ?? null,
      clipboardAllowed: this.clipboardAllowed(),
      notificationsPausedUntil:
        pausedUntil !== null && pausedUntil > this.opts.clock.now()
          ? new Date(pausedUntil).toISOString()
          : null,
      nextCheck: next ? { at: new Date(next.at).toISOString(), reason: next.reason } : null,
      problems: problemLines(view),
    }
  }

  set(key: SettingKey, value: number | string | boolean): Promise<ApiResult<SettingsDto>> {
    return key === 'autostart' ? this.setAutostart(value as boolean) : this.setUserValue(key, value)
  }

  private async published(): Promise<ApiResult<SettingsDto>> {
    const s = await this.current()
    this.opts.publish(s)
    return { ok: true, value: s }
  }

  private async setUserValue(
    key: Exclude<SettingKey, 'autostart'>,
    value: number | string | boolean,
  ): Promise<ApiResult<SettingsDto>> {
    if (lockOf(this.view, key)) return lockedFailure(this.view?.config)
    const user: UserSettings =
      key === 'pollIntervalMinutes'
        ? { ...this.user, pollIntervalMinutes: value as number }
        : { ...this.user, notificationLevel: value as NotificationLevel }
    this.user = user
    const { pollIntervalMinutes, notificationLevel } = user
    if (this.opts.saveUserSettings)
      await this.opts.saveUserSettings({ pollIntervalMinutes, notificationLevel })
    else if (this.opts.store) await this.opts.store.write(USER_SETTINGS, user)
    if (key === 'pollIntervalMinutes') this.opts.onIntervalChanged()
    return this.published()
  }

  private async setAutostart(on: boolean): Promise<ApiResult<SettingsDto>> {
    const port = this.opts.autostart
    if (!port) return unavailable('Starting at login applies to the desktop app only.')
    if (!this.autostartAllowed()) {
      return lockOf(this.view, 'allowAutostart')
        ? lockedFailure(this.view?.config)
        : unavailable('Starting at login is not allowed.')
    }
    await port.set(on)
    return this.published()
  }

  async setChannelEnabled(id: string, enabled: boolean): Promise<ApiResult<SettingsDto>> {
    const { view } = this
    const all = configuredChannels(view)
    if (!all.some((c) => c.id === id))
      return {
        ok: false,
        code: 'CHANNEL_UNKNOWN',
        message: `No advisory source with the id ${id} is configured.`,
      }
    if (channelSwitchLock(view, id)) return lockedFailure(view?.config)
    if (!this.opts.saveUserSettings) {
      // A one-file --config stands alone: there is no user layer to write to.
      return unavailable(
        `Advisory sources come from ${view?.file ?? 'the configuration file'} alone here: edit that file.`,
      )
    }
    const next = new Set(this.userOff)
    if (enabled) next.delete(id)
    else next.add(id)
    // Written first: if the settings file cannot be written, nothing changes (the error reaches the caller).
    await this.opts.saveUserSettings({ removeChannels: [...next].sort() })
    this.userOff = next
    this.opts.onChannelsChanged?.(all.filter((c) => channelEnabled(view, c.id, next)))
    return this.published()
  }
}
