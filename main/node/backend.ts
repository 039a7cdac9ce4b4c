import { channelPrivacyNote } from '../core/advisories/privacy'
import type { Events, Handlers } from '../../preload/contract/api'
import type {
  ApiResult,
  AppInfoDto,
  InspectResultDto,
  NavigateDto,
  OpenAdvisoryDto,
  OriginDto,
  PauseChoiceDto,
  SettingKey,
  SettingsDto,
} from '../../preload/contract/dto'
import type { AdvisoryReference } from '../core/advisories/model'
import type { Assessment } from '../core/assess/types'
import { createChecker, type RunCheck } from '../core/check'
import { asChannelsState, CHANNELS_STATE_NAME } from '../core/engine/channels'
import { isCoreError } from '../core/errors'
import { inspectText } from '../core/inspect/inspect'
import type { ShellParser } from '../core/inspect/shell-parser'
import type { KnownFix } from '../core/inspect/types'
import { Limits } from '../core/limits'
import type { CheckReport } from '../core/check/report'
import type { AppConfig, ChannelConfig, NotificationLevel } from '../core/model'
import {
  asNotifyState,
  decideNotifications,
  emptyNotifyState,
  isVerifiedAdvisory,
  NOTIFY_STATE_NAME,
  withPause,
  type PlannedNotification,
} from '../core/notify/notify'
import type { Keyring } from '../core/pgp/keyring'
import { verifyCleartext } from '../core/pgp/verify'
import type { Clock, Logger, Scheduler, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'
import { advisoryLink, DEFAULT_EXTERNAL_HOSTS } from '../core/status/external-links'
import {
  countFailures,
  NO_FAILURES,
  nextCheck,
  type FailureCounts,
  type NextCheck,
} from '../core/status/schedule'
import { StatusService } from '../core/status/status-service'
import { latestReport } from '../core/status/status-state'
import type { Autostart } from './autostart'
import { inspectToDto, snapshotToDto, type DtoContext } from './dto'
import { createHandlers, type AppServices } from './handlers'
import { loadShellParser } from './shell-parser'

/** Failures of the app services, returned as `ApiResult` codes. */
export type AppErrorCode =
  | 'SETTING_LOCKED' // a mandatory policy sets this value
  | 'SETTING_UNAVAILABLE' // the setting cannot be used here (autostart in browser mode, or forbidden by policy)
  | 'CLIPBOARD_UNAVAILABLE' // no clipboard reader in this shell (browser mode reads it in the page)
  | 'CLIPBOARD_DISABLED' // a policy turns the clipboard check off
  | 'ADVISORY_NO_LINK' // no reference URL on the allowlist for this advisory
  | 'CHANNEL_UNKNOWN' // no configured advisory source has this id

/** Where a configuration value comes from (main/core/config EffectiveConfig `origins` has this shape). */
export interface ConfigOrigin {
  readonly layer: 'default' | 'build' | 'system' | 'user'
  readonly file?: string | undefined
  readonly locked: boolean
}

/** The effective configuration with, per value, its origin (keys as in EffectiveConfig: `pollIntervalMinutes`, …). */
export interface ConfigView {
  readonly config: AppConfig
  /** Set when one `--config` file stands alone in place of the layers: every value comes from it. */
  readonly file?: string | undefined
  readonly origins?: Readonly<Record<string, ConfigOrigin>> | undefined
  readonly problems?:
    readonly { readonly file: string; readonly field: string; readonly reason: string }[] | undefined
  /** Channels a removal turned off, with who removed them (main/core/config/merge.ts EffectiveConfig). */
  readonly removedChannels?:
    readonly { readonly channel: ChannelConfig; readonly by: ConfigOrigin }[] | undefined
  /** The mandatory policy that sets `removeChannels`; the user's removals are then ignored. */
  readonly removeChannelsLockedBy?: ConfigOrigin | undefined
}

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
  readonly saveUserSettings?:
    | ((s: {
        readonly pollIntervalMinutes?: number
        readonly notificationLevel?: NotificationLevel
        /** The user's `removeChannels` (the advisory sources turned off in Settings). */
        readonly removeChannels?: readonly string[]
      }) => Promise<void>)
    | undefined
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

const LAST_REPORT = 'last-report'
/** The user layer of the settings kept by the backend until the config layers write `settings.json`. */
const USER_SETTINGS = 'user-settings'
/** A network or resume event within this long of the last check start does not start another. */
export const KICK_MIN_GAP_MS = 10_000

interface UserSettings {
  readonly version: 1
  readonly pollIntervalMinutes?: number | undefined
  readonly notificationLevel?: NotificationLevel | undefined
}

const asUserSettings = (v: unknown): UserSettings => {
  if (typeof v !== 'object' || v === null || (v as { version?: unknown }).version !== 1) return { version: 1 }
  const s = v as Record<string, unknown>
  const poll = s.pollIntervalMinutes
  const level = s.notificationLevel
  return {
    version: 1,
    pollIntervalMinutes:
      typeof poll === 'number' && Number.isInteger(poll) && poll >= 5 && poll <= 1440 ? poll : undefined,
    notificationLevel: level === 'none' || level === 'alarm' || level === 'attention' ? level : undefined,
  }
}

/**
 * The versions verified advisories name for packages this machine's sources already offer (docs/inspect.md: a
 * command counts as verified when it only upgrades packages to versions a verified advisory names, from sources this
 * machine already uses).
 */
export function knownFixesFrom(assessment: Assessment | undefined): KnownFix[] {
  const out = new Map<string, KnownFix>()
  for (const a of assessment?.advisories ?? []) {
    if (!isVerifiedAdvisory(a)) continue
    for (const p of a.packages) {
      for (const t of [...p.upgrades, ...p.newInstalls]) {
        if (t.repository.used)
          out.set(`${t.package}=${t.version}`, { package: t.package, version: t.version })
      }
    }
  }
  for (const u of assessment?.securityUpdates ?? []) {
    if (!u.onUsedMirror) continue
    for (const t of u.upgrades)
      out.set(`${t.package}=${t.version}`, { package: t.package, version: t.version })
  }
  return [...out.values()]
}

/**
 * The commands of Lifeline's own guidance for this machine (overall and per advisory): pasted back exactly, the
 * instruction checker calls them verified (docs/inspect.md, "Verdict").
 */
export function ownStepsFrom(assessment: Assessment | undefined): string[] {
  const out = new Set<string>()
  for (const step of assessment?.steps ?? []) if (step.command) out.add(step.command)
  for (const a of assessment?.advisories ?? [])
    for (const step of a.steps) if (step.command) out.add(step.command)
  return [...out]
}

/** Assembles the backend from its ports. */
export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const log = opts.log ?? silentLogger
  const store = opts.store
  const random = opts.random ?? Math.random
  const initial = store ? await readSafely(store, LAST_REPORT, log, (v) => v as CheckReport) : undefined
  let notifyState =
    (store && (await readSafely(store, NOTIFY_STATE_NAME, log, asNotifyState))) ?? emptyNotifyState()
  let user: UserSettings = (store && (await readSafely(store, USER_SETTINGS, log, asUserSettings))) ?? {
    version: 1,
  }
  const config = opts.config
  const origins = config?.origins ?? {}
  const keyName = (fpr: string): string | undefined =>
    opts.keyring?.keys.find((k) => k.fingerprint === fpr)?.name
  const dtoCtx: DtoContext = { keyName }

  const checker = createChecker({ run: opts.runCheck, now: () => opts.clock.now() })
  const status = new StatusService(checker, opts.clock, log, initial)

  const listeners: { [K in keyof Events]: Set<(p: Events[K]) => void> } = {
    onStatusChanged: new Set(),
    onSettingsChanged: new Set(),
    onNavigate: new Set(),
  }
  const emit = <K extends keyof Events>(event: K, payload: Events[K]): void => {
    for (const l of listeners[event]) (l as (p: Events[K]) => void)(payload)
  }

  // ---- settings -------------------------------------------------------------------------------------------
  const originOf = (key: string, userSet: boolean): OriginDto => {
    const o = origins[key]
    if (o?.locked) return { layer: o.layer, locked: true, file: o.file ?? null }
    if (userSet) return { layer: 'user', locked: false, file: null }
    if (config?.file !== undefined) return { layer: 'config-file', locked: false, file: config.file }
    return { layer: o?.layer ?? 'default', locked: false, file: o?.file ?? null }
  }
  const locked = (key: string): boolean => origins[key]?.locked === true
  const pollIntervalMs = (): number =>
    !locked('pollIntervalMinutes') && user.pollIntervalMinutes !== undefined
      ? user.pollIntervalMinutes * 60_000
      : (config?.config.pollIntervalMs ?? opts.pollIntervalMs ?? Limits.poll.defaultIntervalMs)
  const notificationLevel = (): NotificationLevel =>
    !locked('notificationLevel') && user.notificationLevel !== undefined
      ? user.notificationLevel
      : (config?.config.notificationLevel ?? 'attention')
  // Advisory sources: every configured one, on or off. Off = removed by the user (their `removeChannels`, which
  // Settings writes) or by a policy (which the user cannot undo: removals of all layers apply, docs/policy.md).
  const allChannels: readonly ChannelConfig[] = [
    ...(config?.config.channels ?? []),
    ...(config?.removedChannels ?? []).map((r) => r.channel),
  ]
  const policyOff = new Map(
    (config?.removedChannels ?? []).filter((r) => r.by.layer !== 'user').map((r) => [r.channel.id, r.by]),
  )
  // The user's removals as merged (ids of channels no layer configures included, so writing them back keeps them).
  let userOff = new Set(
    Object.entries(origins)
      .filter(([k, o]) => k.startsWith('removeChannels.') && o.layer === 'user')
      .map(([k]) => k.slice('removeChannels.'.length)),
  )
  const channelOn = (id: string): boolean => !userOff.has(id) && !policyOff.has(id)
  /** Who decides whether a channel is on; `locked` when the user cannot change it. */
  const switchOrigin = (id: string): OriginDto => {
    const by = config?.removeChannelsLockedBy ?? policyOff.get(id)
    if (by) return { layer: by.layer, locked: true, file: by.file ?? null }
    const added = origins[`channels.${id}`]
    // A channel a mandatory policy adds cannot be removed by the user (main/core/config/merge.ts).
    if (added?.locked) return { layer: added.layer, locked: true, file: added.file ?? null }
    if (userOff.has(id)) return { layer: 'user', locked: false, file: null }
    return originOf(`channels.${id}`, false)
  }
  const clipboardAllowed = (): boolean => config?.config.allowClipboardCheck !== false
  const autostartAllowed = (): boolean => config?.config.allowAutostart !== false

  const settings = async (): Promise<SettingsDto> => {
    const c = config?.config
    const helpdesk = c?.helpdesk
    const autostartOn =
      opts.autostart && autostartAllowed() ? await opts.autostart.isEnabled().catch(() => false) : false
    const next = scheduled
    return {
      pollIntervalMinutes: {
        value: Math.round(pollIntervalMs() / 60_000),
        origin: originOf('pollIntervalMinutes', user.pollIntervalMinutes !== undefined),
        available: true,
        reason: null,
      },
      notificationLevel: {
        value: notificationLevel(),
        origin: originOf('notificationLevel', user.notificationLevel !== undefined),
        available: true,
        reason: null,
      },
      autostart: {
        value: autostartOn,
        origin: originOf('allowAutostart', false),
        available: opts.autostart !== undefined && autostartAllowed(),
        reason: !opts.autostart
          ? 'Starting at login applies to the desktop app, not to browser mode.'
          : !autostartAllowed()
            ? 'Your organisation does not allow Lifeline to start at login.'
            : null,
      },
      mirrors: (c?.mirrors ?? []).map((m) => ({
        id: m.id,
        name: m.name,
        url: m.url,
        suites: m.suites,
        origin: originOf(`mirrors.${m.id}`, false),
      })),
      channels: allChannels.map((ch) => ({
        id: ch.id,
        name: ch.name,
        type: ch.type,
        urls: ch.urls,
        origin: originOf(`channels.${ch.id}`, false),
        privacyNote: channelPrivacyNote(ch.type, ch.urls),
        enabled: channelOn(ch.id),
        switchOrigin: switchOrigin(ch.id),
      })),
      helpdesk: helpdesk
        ? {
            name: helpdesk.name ?? null,
            url: helpdesk.url ?? null,
            phone: helpdesk.phone ?? null,
            email: helpdesk.email ?? null,
          }
        : null,
      brandingText: c?.brandingText ?? null,
      clipboardAllowed: clipboardAllowed(),
      notificationsPausedUntil:
        notifyState.pausedUntil !== null && notifyState.pausedUntil > opts.clock.now()
          ? new Date(notifyState.pausedUntil).toISOString()
          : null,
      nextCheck: next ? { at: new Date(next.at).toISOString(), reason: next.reason } : null,
      problems: (config?.problems ?? []).map(
        (p) => `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.reason}`,
      ),
    }
  }
  const publishSettings = (): void => {
    if (listeners.onSettingsChanged.size === 0) return
    void settings().then((s) => emit('onSettingsChanged', s))
  }
  const lockedMessage = (): string => {
    const h = config?.config.helpdesk
    const contact = [h?.phone, h?.email, h?.url].filter(Boolean).join(', ')
    return `Set by your organisation's policy${h?.name ? `: ask ${h.name}` : ''}${contact ? ` (${contact})` : ''}.`
  }

  const setSetting = async (
    key: SettingKey,
    value: number | string | boolean,
  ): Promise<ApiResult<SettingsDto>> => {
    const policyKey = key === 'autostart' ? 'allowAutostart' : key
    if (locked(policyKey) && key !== 'autostart')
      return { ok: false, code: 'SETTING_LOCKED', message: lockedMessage() }
    switch (key) {
      case 'pollIntervalMinutes':
        user = { ...user, pollIntervalMinutes: value as number }
        break
      case 'notificationLevel':
        user = { ...user, notificationLevel: value as NotificationLevel }
        break
      case 'autostart':
        if (!opts.autostart) {
          return {
            ok: false,
            code: 'SETTING_UNAVAILABLE',
            message: 'Starting at login applies to the desktop app only.',
          }
        }
        if (!autostartAllowed()) {
          return locked(policyKey)
            ? { ok: false, code: 'SETTING_LOCKED', message: lockedMessage() }
            : { ok: false, code: 'SETTING_UNAVAILABLE', message: 'Starting at login is not allowed.' }
        }
        await opts.autostart.set(value as boolean)
        break
    }
    if (key !== 'autostart') {
      const { pollIntervalMinutes, notificationLevel } = user
      if (opts.saveUserSettings) await opts.saveUserSettings({ pollIntervalMinutes, notificationLevel })
      else if (store) await store.write(USER_SETTINGS, user)
    }
    if (key === 'pollIntervalMinutes') arm()
    const s = await settings()
    emit('onSettingsChanged', s)
    return { ok: true, value: s }
  }

  const setChannelEnabled = async (id: string, enabled: boolean): Promise<ApiResult<SettingsDto>> => {
    if (!allChannels.some((c) => c.id === id))
      return {
        ok: false,
        code: 'CHANNEL_UNKNOWN',
        message: `No advisory source with the id ${id} is configured.`,
      }
    if (switchOrigin(id).locked) return { ok: false, code: 'SETTING_LOCKED', message: lockedMessage() }
    if (!opts.saveUserSettings) {
      // A one-file --config stands alone: there is no user layer to write to.
      return {
        ok: false,
        code: 'SETTING_UNAVAILABLE',
        message: `Advisory sources come from ${config?.file ?? 'the configuration file'} alone here: edit that file.`,
      }
    }
    const next = new Set(userOff)
    if (enabled) next.delete(id)
    else next.add(id)
    // Written first: if the settings file cannot be written, nothing changes (the error reaches the caller).
    await opts.saveUserSettings({ removeChannels: [...next].sort() })
    userOff = next
    opts.onChannelsChanged?.(allChannels.filter((c) => channelOn(c.id)))
    const s = await settings()
    emit('onSettingsChanged', s)
    return { ok: true, value: s }
  }

  const pause = async (choice: PauseChoiceDto): Promise<void> => {
    notifyState = withPause(notifyState, choice, opts.clock.now())
    if (store) await store.write(NOTIFY_STATE_NAME, notifyState)
    publishSettings()
  }

  // ---- schedule and notifications -------------------------------------------------------------------------
  let timer: { cancel(): void } | undefined
  let scheduled: (NextCheck & { at: number }) | undefined
  let stopped = true
  let failures: FailureCounts = NO_FAILURES
  let handled: CheckReport | undefined = initial
  let lastStart = Number.NEGATIVE_INFINITY

  const arm = (): void => {
    timer?.cancel()
    timer = undefined
    scheduled = undefined
    if (stopped) return
    const next = nextCheck({
      report: latestReport(status.snapshot().state),
      failures,
      intervalMs: pollIntervalMs(),
      random,
    })
    scheduled = { ...next, at: opts.clock.now() + next.delayMs }
    timer = opts.scheduler.setTimeout(() => void runCheck(), next.delayMs)
  }
  const runCheck = (): Promise<unknown> => {
    if (!status.busy) lastStart = opts.clock.now()
    return status.checkNow()
  }

  const finished = (report: CheckReport): void => {
    failures = countFailures(failures, report)
    const d = decideNotifications({
      report,
      state: notifyState,
      now: opts.clock.now(),
      level: notificationLevel(),
    })
    const changed = d.state !== notifyState
    notifyState = d.state
    if (store && changed) {
      store
        .write(NOTIFY_STATE_NAME, notifyState)
        .catch((e: unknown) => log.error('saving notifications failed', { e: String(e) }))
    }
    for (const n of d.notifications) {
      try {
        opts.notify?.(n)
      } catch (e) {
        log.error('showing a notification failed', { e: String(e) })
      }
    }
    arm()
    publishSettings()
  }

  status.subscribe((s) => {
    emit('onStatusChanged', snapshotToDto(s, dtoCtx))
    if (s.state.kind !== 'ready' && s.state.kind !== 'no-source') return
    const report = s.state.report
    if (report === handled) return
    handled = report
    if (store && !(s.state.kind === 'no-source' && !report.anyVerified && s.state.lastGood)) {
      store
        .write(LAST_REPORT, report)
        .catch((e: unknown) => log.error('saving report failed', { e: String(e) }))
    }
    finished(report)
  })

  // ---- instruction checker, links --------------------------------------------------------------------------
  let parser: Promise<ShellParser> | undefined
  const getParser = (): Promise<ShellParser> => {
    parser ??= (opts.loadParser ?? loadShellParser)().catch((e: unknown) => {
      parser = undefined
      throw e
    })
    return parser
  }
  const keyring = opts.keyring
  const verify = keyring?.keys.some((k) => k.role === 'advisory')
    ? async (block: string) => {
        const v = await verifyCleartext(block, keyring, { role: 'advisory', now: opts.clock.now() })
        return { signers: v.signers.map((s) => s.fingerprint) }
      }
    : undefined

  const inspect = async (text: string): Promise<ApiResult<InspectResultDto>> => {
    const assessment = latestReport(status.snapshot().state)?.assessment
    const knownFixes = knownFixesFrom(assessment)
    try {
      const report = await inspectText(text, {
        parser: await getParser(),
        verify,
        knownFixes,
        mirrors: (config?.config.mirrors ?? []).map((m) => m.url),
        ownSteps: ownStepsFrom(assessment),
      })
      return { ok: true, value: inspectToDto(text, report, knownFixes.length) }
    } catch (e) {
      if (isCoreError(e)) return { ok: false, code: e.code, message: e.message }
      throw e
    }
  }

  const references = async (id: string): Promise<readonly AdvisoryReference[]> => {
    if (!store) return []
    const state = await readSafely(store, CHANNELS_STATE_NAME, log, asChannelsState)
    for (const snap of Object.values(state?.snapshots ?? {})) {
      const adv = snap.advisories.find((a) => a.id === id)
      if (adv) return adv.references
    }
    return []
  }

  const services: AppServices = {
    inspect,
    async checkClipboard() {
      if (!clipboardAllowed()) {
        return {
          ok: false,
          code: 'CLIPBOARD_DISABLED',
          message: 'Your organisation turned the clipboard check off.',
        }
      }
      if (!opts.readClipboard) {
        return { ok: false, code: 'CLIPBOARD_UNAVAILABLE', message: 'Paste the text into the box instead.' }
      }
      const text = await opts.readClipboard()
      return inspect(text.slice(0, Limits.size.pastedTextBytes + 1))
    },
    async openAdvisory(id) {
      const known = latestReport(status.snapshot().state)?.assessment?.advisories.some((a) => a.id === id)
      if (!known)
        return { ok: false, code: 'API_UNKNOWN_ID', message: `no advisory ${id} in the current report` }
      const url = advisoryLink(id, await references(id), opts.externalHosts ?? DEFAULT_EXTERNAL_HOSTS)
      if (!url)
        return { ok: false, code: 'ADVISORY_NO_LINK', message: 'No safe link is known for this advisory.' }
      const value: OpenAdvisoryDto = { opened: opts.openExternal ? await opts.openExternal(url) : false, url }
      return { ok: true, value }
    },
    getSettings: async () => ({ ok: true, value: await settings() }),
    setSetting,
    setChannelEnabled,
    async pauseNotifications(choice) {
      await pause(choice)
      return { ok: true, value: await settings() }
    },
    networkChanged() {
      backend.kick('online')
      return { ok: true, value: null }
    },
  }

  const handlers = createHandlers({ status, appInfo: opts.appInfo, services, dto: dtoCtx })

  const backend: Backend = {
    handlers,
    status,
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>
      set.add(listener)
      return () => void set.delete(listener)
    },
    async start() {
      stopped = false
      void runCheck()
    },
    stop() {
      stopped = true
      timer?.cancel()
      timer = undefined
      scheduled = undefined
    },
    kick(reason) {
      if (stopped || status.busy) return
      if (opts.clock.now() - lastStart < KICK_MIN_GAP_MS) return
      log.info(`re-checking after ${reason}`)
      void runCheck()
    },
    navigate: (to) => emit('onNavigate', to),
    pause,
    trayContext: () => ({ pausedUntil: notifyState.pausedUntil, clipboardAllowed: clipboardAllowed() }),
    nextCheck: () => scheduled,
  }
  return backend
}

async function readSafely<T>(
  store: StateStore,
  name: string,
  log: Logger,
  check: (v: unknown) => T | undefined,
): Promise<T | undefined> {
  try {
    const v = await store.read<unknown>(name)
    return v === undefined ? undefined : check(v)
  } catch (e) {
    log.warn(`${name} unreadable`, { e: String(e) })
    return undefined
  }
}
