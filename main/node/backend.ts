/**
 * The app without Electron, assembled from named pieces in `main/node/backend/`: the settings service (values in
 * force and the user's changes; locks asked of `main/core/config/locks.ts`), the check schedule, the notifier, the
 * instruction checker, advisory links, saved state and the event hub. This file only wires them together.
 */
import type { Events, Handlers } from '../../preload/contract/api'
import type { AppInfoDto, NavigateDto, PauseChoiceDto } from '../../preload/contract/dto'
import { createChecker, type RunCheck } from '../core/check'
import type { ConfigView } from '../core/config/locks'
import type { ChannelConfig } from '../core/model'
import type { PlannedNotification } from '../core/notify/notify'
import type { Keyring } from '../core/pgp/keyring'
import type { Clock, Logger, Scheduler, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'
import type { NextCheck } from '../core/status/schedule'
import { StatusService } from '../core/status/status-service'
import { latestReport } from '../core/status/status-state'
import type { Autostart } from './autostart'
import { createAdvisoryOpener } from './backend/advisory-links'
import { createCheckSchedule, type CheckSchedule } from './backend/check-schedule'
import { createEventHub, type EventHub } from './backend/events'
import { createInstructionChecker } from './backend/instruction-checker'
import { createNotifier, type Notifier } from './backend/notifier'
import { createReportKeeper, loadSavedState } from './backend/saved-state'
import {
  createSettingsService,
  type SettingsService,
  type UserLayerSettings,
} from './backend/settings-service'
import { snapshotToDto, type DtoContext } from './dto'
import { createHandlers, type AppServices } from './handlers'
import type { ShellParser } from '../core/inspect/shell-parser'

export type { ConfigView } from '../core/config/locks'
export { KICK_MIN_GAP_MS } from './backend/check-schedule'

/** Failures of the app services, returned as `ApiResult` codes. */
export type AppErrorCode =
  | 'SETTING_LOCKED' // a mandatory policy sets this value
  | 'SETTING_UNAVAILABLE' // the setting cannot be used here (autostart in browser mode, or forbidden by policy)
  | 'CLIPBOARD_UNAVAILABLE' // no clipboard reader in this shell (browser mode reads it in the page)
  | 'CLIPBOARD_DISABLED' // a policy turns the clipboard check off
  | 'ADVISORY_NO_LINK' // no reference URL on the allowlist for this advisory
  | 'CHANNEL_UNKNOWN' // no configured advisory source has this id

/** Everything the app needs from outside, injected (the ports of main/core/ports.ts and the shell's own). */
export interface BackendOptions {
  /** Runs one full check (mirrors, channels, this machine). */
  readonly runCheck: RunCheck
  readonly clock: Clock
  readonly scheduler: Scheduler
  readonly appInfo: AppInfoDto
  /** Where the last report, the notification state and the user's settings are kept. */
  readonly store?: StateStore | undefined
  /**
   * Saves the user's settings as the user layer of the layered configuration (`<data>/settings.json`), so the next
   * start reads them through the same loader as policies. Without it they are kept in `store`.
   */
  readonly saveUserSettings?: ((s: UserLayerSettings) => Promise<void>) | undefined
  /** Told which channels to read from the next check on, after the user turns one on or off. */
  readonly onChannelsChanged?: ((channels: readonly ChannelConfig[]) => void) | undefined
  /** The configured interval; the user's setting (unless locked) and `config.pollIntervalMs` take precedence. */
  readonly pollIntervalMs?: number | undefined
  readonly log?: Logger | undefined
  /** [0, 1) for the schedule's jitter; Math.random by default. */
  readonly random?: (() => number) | undefined
  /** The effective configuration and its origins (locks, helpdesk). */
  readonly config?: ConfigView | undefined
  /** Pinned keys: advisory keys verify signed blocks in the instruction checker; names label evidence. */
  readonly keyring?: Keyring | undefined
  /** The bash parser for the instruction checker (default: the WASM build from node_modules). */
  readonly loadParser?: (() => Promise<ShellParser>) | undefined
  /** Electron: reads the clipboard's text. Absent in browser mode (the page reads it on the user's click). */
  readonly readClipboard?: (() => string | Promise<string>) | undefined
  /** Electron: opens an allowlisted https URL in the desktop browser. Absent in browser mode (the page gets a link). */
  readonly openExternal?: ((url: string) => Promise<boolean>) | undefined
  /** Hosts advisory links may point at. */
  readonly externalHosts?: readonly string[] | undefined
  /** Start at login (Electron); absent where it cannot apply. */
  readonly autostart?: Autostart | undefined
  /** Shows a desktop notification (Electron); absent in browser mode. */
  readonly notify?: ((n: PlannedNotification) => void) | undefined
}

/** The app without Electron: what the Electron entry wires to IPC and browser mode wires to the loopback host. */
export interface Backend {
  readonly handlers: Handlers
  readonly status: StatusService
  /** Subscribes to one event stream of the contract. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void
  /** Loads saved state and starts checking (now, then on the schedule). */
  start(): Promise<void>
  /** Stops the schedule. A running check finishes on its own deadlines. */
  stop(): void
  /** Re-checks now after a resume from sleep or a network change (joins a running check; ignores bursts). */
  kick(reason: 'resume' | 'online'): void
  /** Asks the window to show a screen (tray menu, notification click). */
  navigate(to: NavigateDto): void
  /** Pauses or resumes notifications (tray menu). */
  pause(choice: PauseChoiceDto): Promise<void>
  /** What the tray menu needs: the pause and whether the clipboard check is allowed. */
  trayContext(): { readonly pausedUntil: number | null; readonly clipboardAllowed: boolean }
  /** The next scheduled check, if any. */
  nextCheck(): (NextCheck & { readonly at: number }) | undefined
}

/** The pieces one backend is made of, wired to each other. */
interface BackendParts {
  readonly status: StatusService
  readonly events: EventHub
  readonly settings: SettingsService
  readonly schedule: CheckSchedule
  readonly notifier: Notifier
  readonly dto: DtoContext
}

/** Builds the pieces; the settings and the schedule each read the other's live values. */
async function assembleParts(opts: BackendOptions, log: Logger): Promise<BackendParts> {
  const saved = await loadSavedState(opts.store, log)
  const checker = createChecker({ run: opts.runCheck, now: () => opts.clock.now() })
  const status = new StatusService(checker, opts.clock, log, saved.report)
  const events = createEventHub()
  const settings: SettingsService = createSettingsService({
    view: opts.config,
    user: saved.user,
    clock: opts.clock,
    store: opts.store,
    saveUserSettings: opts.saveUserSettings,
    onChannelsChanged: opts.onChannelsChanged,
    pollIntervalMs: opts.pollIntervalMs,
    autostart: opts.autostart,
    pausedUntil: () => notifier.pausedUntil(),
    nextCheck: () => schedule.next(),
    onIntervalChanged: () => schedule.rearm(),
    publish: (s) => events.emit('onSettingsChanged', s),
  })
  const notifier = createNotifier({
    initial: saved.notifyState,
    store: opts.store,
    clock: opts.clock,
    log,
    level: () => settings.notificationLevel(),
    show: opts.notify,
  })
  const schedule = createCheckSchedule({
    status,
    clock: opts.clock,
    scheduler: opts.scheduler,
    log,
    random: opts.random ?? Math.random,
    intervalMs: () => settings.pollIntervalMs(),
  })
  const keyName = (fpr: string): string | undefined =>
    opts.keyring?.keys.find((k) => k.fingerprint === fpr)?.name
  const keepReport = createReportKeeper(opts.store, log, saved.report)
  const parts = { status, events, settings, schedule, notifier, dto: { keyName } }
  status.subscribe((s) => {
    events.emit('onStatusChanged', snapshotToDto(s, parts.dto))
    const report = keepReport(s)
    if (!report) return
    notifier.reportArrived(report)
    schedule.checkFinished(report)
    publishSettings(parts)
  })
  return parts
}

/** Pushes the settings (their next check and pause change with each check) to whoever listens. */
function publishSettings({ events, settings }: BackendParts): void {
  if (!events.hasListeners('onSettingsChanged')) return
  void settings.current().then((s) => events.emit('onSettingsChanged', s))
}

/** The request services of the contract, over the pieces. */
function appServices(parts: BackendParts, opts: BackendOptions, log: Logger): AppServices {
  const { status, settings, notifier, schedule } = parts
  const report = () => latestReport(status.snapshot().state)
  const checker = createInstructionChecker({
    clock: opts.clock,
    keyring: opts.keyring,
    loadParser: opts.loadParser,
    mirrorUrls: () => (opts.config?.config.mirrors ?? []).map((m) => m.url),
    assessment: () => report()?.assessment,
    clipboardAllowed: () => settings.clipboardAllowed(),
    readClipboard: opts.readClipboard,
  })
  return {
    inspect: (text) => checker.inspect(text),
    checkClipboard: () => checker.checkClipboard(),
    openAdvisory: createAdvisoryOpener({
      store: opts.store,
      log,
      latestReport: report,
      externalHosts: opts.externalHosts,
      openExternal: opts.openExternal,
    }),
    getSettings: async () => ({ ok: true, value: await settings.current() }),
    setSetting: (key, value) => settings.set(key, value),
    setChannelEnabled: (id, enabled) => settings.setChannelEnabled(id, enabled),
    async pauseNotifications(choice) {
      await notifier.pause(choice)
      publishSettings(parts)
      return { ok: true, value: await settings.current() }
    },
    networkChanged() {
      schedule.kick('online')
      return { ok: true, value: null }
    },
  }
}

/** Assembles the backend from its ports. */
export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const log = opts.log ?? silentLogger
  const parts = await assembleParts(opts, log)
  const { status, events, settings, schedule, notifier } = parts
  const services = appServices(parts, opts, log)
  return {
    handlers: createHandlers({ status, appInfo: opts.appInfo, services, dto: parts.dto }),
    status,
    on: (event, listener) => events.on(event, listener),
    async start() {
      schedule.start()
    },
    stop: () => schedule.stop(),
    kick: (reason) => schedule.kick(reason),
    navigate: (to) => events.emit('onNavigate', to),
    async pause(choice) {
      await notifier.pause(choice)
      publishSettings(parts)
    },
    trayContext: () => ({
      pausedUntil: notifier.pausedUntil(),
      clipboardAllowed: settings.clipboardAllowed(),
    }),
    nextCheck: () => schedule.next(),
  }
}
