/** A clock and scheduler that only move when the test says so. */
import type { Clock, Scheduler } from '../../main/core/ports'

/** A manually driven `Clock` + `Scheduler`. */
export interface FakeClock extends Clock, Scheduler {
  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void
  set(now: number): void
  /** Timers not yet run nor cancelled. */
  pending(): number
}

/** Creates a fake clock starting at `start` (epoch ms; ISO strings accepted). */
export function createFakeClock(start: number | string): FakeClock {
  let now = typeof start === 'string' ? Date.parse(start) : start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    set(t) {
      now = t
    },
    setTimeout(fn, ms) {
      const id = seq++
      timers.set(id, { at: now + Math.max(0, ms), fn })
      return { cancel: () => void timers.delete(id) }
    },
    advance(ms) {
      const target = now + ms
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined
        for (const e of timers) if (e[1].at <= target && (!next || e[1].at < next[1].at)) next = e
        if (!next) break
        timers.delete(next[0])
        now = next[1].at
        next[1].fn()
      }
      now = target
    },
    pending: () => timers.size,
  }
}
