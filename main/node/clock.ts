/**
 * The real wall clock and timers, behind the `Clock` and `Scheduler` ports (time is injected so tests and the lab control it; main/core/ports.ts).
 */
import type { Clock, Scheduler } from '../core/ports'

/** The system wall clock (epoch milliseconds). */
export const systemClock: Clock = { now: () => Date.now() }

/** A `Scheduler` on `setTimeout`. Delays are clamped to Node's maximum (about 24.8 days) rather than firing at once. */
export function createTimeoutScheduler(): Scheduler {
  return {
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, Math.min(Math.max(0, ms), 2 ** 31 - 1))
      return { cancel: () => clearTimeout(handle) }
    },
  }
}

/** The default `Scheduler`. */
export const systemScheduler: Scheduler = createTimeoutScheduler()
