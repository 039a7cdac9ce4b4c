import { describe, expect, it } from 'vitest'
import type { Assessment } from '../../../../main/core/assess/types'
import { Limits } from '../../../../main/core/limits'
import type { CheckReport } from '../../../../main/core/check/report'
import type { MirrorSuiteStatus } from '../../../../main/core/model'
import {
  backoffMs,
  countFailures,
  NO_FAILURES,
  nextCheck,
  RETRY_BASE_MS,
} from '../../../../main/core/status/schedule'

const HOUR = 3600_000
const mid = () => 0.5 // no jitter

function report(states: MirrorSuiteStatus['state'][], noFixYet = 0, anyVerified = true): CheckReport {
  return {
    startedAt: 0,
    finishedAt: 0,
    mirrors: states.map((state, i) => ({
      mirrorId: `m${i}`,
      mirrorName: `Mirror ${i}`,
      url: 'http://127.0.0.1/ubuntu',
      suite: 'noble-security',
      state,
      detail: '',
      checkedAt: 0,
    })),
    assessment: { counts: { 'no-fix-yet': noFixYet } } as unknown as Assessment,
    anyVerified,
    verdict: 'safe',
    summary: '',
  }
}

describe('nextCheck', () => {
  describe('when everything verified', () => {
    it('waits the normal interval', () => {
      expect(
        nextCheck({ report: report(['ok']), failures: NO_FAILURES, intervalMs: HOUR, random: mid }),
      ).toEqual({
        delayMs: HOUR,
        reason: 'interval',
      })
    })
  })
  describe('when an affecting advisory has no verified fix', () => {
    it('checks every 15 minutes', () => {
      const r = report(['ok'], 1)
      expect(nextCheck({ report: r, failures: NO_FAILURES, intervalMs: HOUR, random: mid })).toEqual({
        delayMs: Limits.poll.urgentIntervalMs,
        reason: 'urgent',
      })
    })
  })
  describe('when a source fails', () => {
    it('retries it with exponential backoff, never later than the interval', () => {
      let f = NO_FAILURES
      const delays: number[] = []
      for (let i = 0; i < 7; i++) {
        const r = report(['ok', 'unreachable'])
        f = countFailures(f, r)
        delays.push(nextCheck({ report: r, failures: f, intervalMs: HOUR, random: mid }).delayMs)
      }
      expect(delays).toEqual([2, 4, 8, 16, 32, 60, 60].map((m) => m * 60_000))
      expect(countFailures(f, report(['ok', 'ok'])).sources).toEqual({})
    })
  })
  describe('when nothing verified', () => {
    it('backs off per check', () => {
      const r = report(['unreachable'], 0, false)
      const f = countFailures(countFailures(NO_FAILURES, r), r)
      expect(f.check).toBe(2)
      expect(nextCheck({ report: r, failures: f, intervalMs: HOUR, random: mid })).toEqual({
        delayMs: 2 * RETRY_BASE_MS,
        reason: 'check-retry',
      })
    })
  })
  describe('with jitter', () => {
    it('stays within the jitter fraction', () => {
      const lo = nextCheck({
        report: report(['ok']),
        failures: NO_FAILURES,
        intervalMs: HOUR,
        random: () => 0,
      }).delayMs
      const hi = nextCheck({
        report: report(['ok']),
        failures: NO_FAILURES,
        intervalMs: HOUR,
        random: () => 0.999999,
      }).delayMs
      expect(lo).toBe(Math.round(HOUR * (1 - Limits.poll.jitterFraction)))
      expect(hi).toBeLessThanOrEqual(HOUR * (1 + Limits.poll.jitterFraction))
      expect(hi).toBeGreaterThan(HOUR)
    })
  })
  describe('when the report came from saved state only', () => {
    it('leaves the failure counters alone', () => {
      const f = { sources: { 'mirror:m0/noble-security': 3 }, check: 1 }
      expect(countFailures(f, { ...report(['unreachable']), offline: true })).toBe(f)
    })
  })
})

describe('backoffMs', () => {
  it('doubles from the base and caps', () => {
    expect(backoffMs(1, HOUR)).toBe(RETRY_BASE_MS)
    expect(backoffMs(3, HOUR)).toBe(4 * RETRY_BASE_MS)
    expect(backoffMs(100, 24 * HOUR)).toBe(Limits.poll.maxBackoffMs)
  })
})
