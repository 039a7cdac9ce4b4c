import type { Events, Handlers } from '../../preload/contract/api'
import type { AppInfoDto } from '../../preload/contract/dto'
import { createChecker, type RunCheck } from '../core/check'
import { Limits } from '../core/limits'
import type { CheckReport } from '../core/model'
import type { Clock, Logger, Scheduler, StateStore } from '../core/ports'
import { silentLogger } from '../core/ports'
import { StatusService } from '../core/status/status-service'
import { snapshotToDto } from './dto'
import { createHandlers } from './handlers'

/** Everything the app needs from outside, injected (CONVENTIONS §6.2). */
export interface BackendOptions {
  /** Runs one full check (mirrors, channels, this machine). */
  readonly runCheck: RunCheck
  readonly clock: Clock
  readonly scheduler: Scheduler
  readonly appInfo: AppInfoDto
  /** Where the last report is kept, so the app shows the last verified state when every source is down. */
  readonly store?: StateStore | undefined
  readonly pollIntervalMs?: number | undefined
  readonly log?: Logger | undefined
}

/** The app without Electron: what the Electron entry wires to IPC and browser mode wires to the loopback host. */
export interface Backend {
  readonly handlers: Handlers
  readonly status: StatusService
  /** Subscribes to one event stream of the contract. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void
  /** Loads the last report and starts checking (now, then on the poll interval). */
  start(): Promise<void>
  /** Stops the schedule. A running check finishes on its own deadlines. */
  stop(): void
}

const LAST_REPORT = 'last-report'

/** Assembles the backend from its ports. */
export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const log = opts.log ?? silentLogger
  const initial = opts.store ? await loadLastReport(opts.store, log) : undefined
  const checker = createChecker({ run: opts.runCheck, now: () => opts.clock.now() })
  const status = new StatusService(checker, opts.clock, log, initial)
  const handlers = createHandlers({ status, appInfo: opts.appInfo })
  let timer: { cancel(): void } | undefined
  let stopped = false

  status.subscribe((s) => {
    if (!opts.store || (s.state.kind !== 'ready' && s.state.kind !== 'no-source')) return
    if (s.state.kind === 'no-source' && !s.state.report.anyVerified && s.state.lastGood) return
    opts.store.write(LAST_REPORT, s.state.report).catch((e: unknown) => log.error('saving report failed', { e: String(e) }))
  })

  const schedule = (): void => {
    if (stopped) return
    timer = opts.scheduler.setTimeout(() => {
      void status.checkNow().finally(schedule)
    }, opts.pollIntervalMs ?? Limits.poll.defaultIntervalMs)
  }

  return {
    handlers,
    status,
    on(event, listener) {
      switch (event) {
        case 'onStatusChanged':
          return status.subscribe((s) => listener(snapshotToDto(s) as Events[typeof event]))
      }
      return () => undefined
    },
    async start() {
      stopped = false
      void status.checkNow().finally(schedule)
    },
    stop() {
      stopped = true
      timer?.cancel()
    },
  }
}

async function loadLastReport(store: StateStore, log: Logger): Promise<CheckReport | undefined> {
  try {
    return await store.read<CheckReport>(LAST_REPORT)
  } catch (e) {
    log.warn('last report unreadable', { e: String(e) })
    return undefined
  }
}
