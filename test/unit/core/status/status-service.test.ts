import { describe, expect, it } from 'vitest'
import type { CheckReport } from '../../../../main/core/check/report'
import { StatusService, type StatusSnapshot } from '../../../../main/core/status/status-service'
import { createFakeClock } from '../../../support/fake-clock'

const report = (anyVerified: boolean, at = 1000): CheckReport => ({
  startedAt: at,
  finishedAt: at,
  mirrors: [],
  anyVerified,
  verdict: anyVerified ? 'safe' : 'unknown',
  summary: anyVerified ? 'ok' : 'nothing',
})

describe('StatusService', () => {
  describe('when a check succeeds', () => {
    it('goes starting → checking → ready with increasing revisions', async () => {
      const clock = createFakeClock('2026-11-21T00:00:00Z')
      const seen: StatusSnapshot[] = []
      const svc = new StatusService(async (now) => report(true, now), clock)
      svc.subscribe((s) => seen.push(s))
      expect(svc.snapshot().state.kind).toBe('starting')
      await svc.checkNow()
      expect(seen.map((s) => s.state.kind)).toEqual(['checking', 'ready'])
      expect(seen.map((s) => s.revision)).toEqual([1, 2])
    })
  })

  describe('when nothing verifies after a good check', () => {
    it('goes to no-source and keeps the last good report', async () => {
      let good = true
      const svc = new StatusService(async (now) => report(good, now), createFakeClock(5000))
      await svc.checkNow()
      good = false
      await svc.checkNow()
      const s = svc.snapshot().state
      expect(s.kind).toBe('no-source')
      if (s.kind === 'no-source') expect(s.lastGood?.anyVerified).toBe(true)
    })
  })

  describe('when checkNow is called while a check runs', () => {
    it('joins the running check instead of starting a second one', async () => {
      let runs = 0
      let release: () => void = () => {}
      const svc = new StatusService(async (now) => {
        runs++
        await new Promise<void>((r) => (release = r))
        return report(true, now)
      }, createFakeClock(0))
      const a = svc.checkNow()
      const b = svc.checkNow()
      expect(svc.busy).toBe(true)
      release()
      await Promise.all([a, b])
      expect(runs).toBe(1)
      expect(svc.busy).toBe(false)
    })
  })

  describe('when the checker throws (a bug)', () => {
    it('ends in no-source with the last good report instead of crashing', async () => {
      let fail = false
      const svc = new StatusService(async (now) => {
        if (fail) throw new Error('boom')
        return report(true, now)
      }, createFakeClock(0))
      await svc.checkNow()
      fail = true
      await svc.checkNow()
      const s = svc.snapshot().state
      expect(s.kind).toBe('no-source')
      if (s.kind === 'no-source') expect(s.lastGood).toBeDefined()
    })
  })

  describe('when started from a saved report', () => {
    it('shows it at once', () => {
      const svc = new StatusService(async () => report(true), createFakeClock(0), undefined, report(true))
      expect(svc.snapshot().state.kind).toBe('ready')
    })
  })
})
