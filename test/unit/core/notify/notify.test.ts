import { describe, expect, it } from 'vitest'
import type { AdvisoryAssessment, Assessment, AssessmentStatus } from '../../../../main/core/assess/types'
import type { AdvisoryTrust } from '../../../../main/core/advisories/model'
import type { CheckReport } from '../../../../main/core/check/report'
import type { MirrorSuiteStatus } from '../../../../main/core/model'
import {
  asNotifyState,
  decideNotifications,
  emptyNotifyState,
  isPaused,
  pauseUntil,
  withPause,
  type NotifyState,
} from '../../../../main/core/notify/notify'

const NOW = Date.parse('2026-06-07T10:00:00Z')

function advisory(
  id: string,
  status: AssessmentStatus,
  trust: AdvisoryTrust = 'signed',
  priority = 'high',
): AdvisoryAssessment {
  return {
    id,
    title: `${id} title`,
    cves: [],
    priority,
    trust,
    status,
    packages: [],
    mitigations: status === 'no-fix-yet' ? ['Disable the vulnerable module.'] : [],
    steps: [],
    disagreements: [],
  }
}

function report(
  advisories: AdvisoryAssessment[],
  mirrors: Partial<MirrorSuiteStatus>[] = [],
  anyVerified = true,
): CheckReport {
  const assessment = { advisories } as unknown as Assessment
  return {
    startedAt: NOW,
    finishedAt: NOW,
    mirrors: mirrors.map((m) => ({
      mirrorId: 'm1',
      mirrorName: 'Mirror one',
      url: 'http://127.0.0.1:1/ubuntu',
      suite: 'noble-security',
      state: 'ok',
      detail: 'Verified.',
      checkedAt: NOW,
      ...m,
    })),
    assessment,
    anyVerified,
    verdict: 'attention',
    summary: '',
  }
}

const decide = (
  r: CheckReport,
  state: NotifyState = emptyNotifyState(),
  level: 'none' | 'alarm' | 'attention' = 'attention',
  now = NOW,
) => decideNotifications({ report: r, state, now, level })

describe('decideNotifications', () => {
  describe('when one verified advisory newly affects this machine', () => {
    it('sends one notification that opens that advisory', () => {
      const d = decide(report([advisory('USN-1-1', 'fix-available')]))
      expect(d.notifications).toHaveLength(1)
      expect(d.notifications[0]).toMatchObject({
        advisoryId: 'USN-1-1',
        urgency: 'normal',
        keys: ['adv:USN-1-1'],
      })
      expect(d.notifications[0]?.title).toBe('High priority security fix: USN-1-1 title')
      expect(d.notifications[0]?.body).toMatch(/Install the verified update/)
    })
    it('never repeats it for the same advisory and state', () => {
      const r = report([advisory('USN-1-1', 'fix-available')])
      const first = decide(r)
      const second = decide(r, first.state)
      expect(second.notifications).toEqual([])
      expect(second.state).toEqual(first.state)
    })
    it('notifies again when its state changes (no fix → fix available)', () => {
      const first = decide(report([advisory('USN-1-1', 'no-fix-yet')]))
      expect(first.notifications[0]?.urgency).toBe('critical')
      expect(first.notifications[0]?.body).toBe('Disable the vulnerable module.')
      const second = decide(report([advisory('USN-1-1', 'fix-available')]), first.state)
      expect(second.notifications).toHaveLength(1)
    })
    it('tells a relapse after the advisory was fixed', () => {
      const a = decide(report([advisory('USN-1-1', 'fix-available')]))
      const b = decide(report([advisory('USN-1-1', 'fixed')]), a.state)
      expect(b.notifications).toEqual([])
      expect(b.state.seen).toEqual({})
      expect(decide(report([advisory('USN-1-1', 'fix-available')]), b.state).notifications).toHaveLength(1)
    })
  })

  describe('when nothing affects this machine', () => {
    it('sends nothing', () => {
      const d = decide(report([advisory('USN-1-1', 'fixed'), advisory('USN-2-1', 'not-affected')]))
      expect(d.notifications).toEqual([])
    })
  })

  describe('when the advisory is not verified', () => {
    it('does not push a single-source claim with no verified fix', () => {
      expect(decide(report([advisory('USN-1-1', 'no-fix-yet', 'single-source')])).notifications).toEqual([])
    })
    it('does not push a corroborated (unsigned) claim with no verified fix: only key-backed evidence alarms', () => {
      expect(decide(report([advisory('USN-1-1', 'no-fix-yet', 'corroborated')])).notifications).toEqual([])
    })
    it('pushes a single-source advisory whose fix verified on a mirror', () => {
      expect(
        decide(report([advisory('USN-1-1', 'fix-available', 'single-source')])).notifications,
      ).toHaveLength(1)
    })
  })

  describe('when several arrive together', () => {
    it('batches them into one notification that opens the app', () => {
      const d = decide(
        report([
          advisory('USN-1-1', 'fix-available'),
          advisory('USN-2-1', 'fix-available'),
          advisory('USN-3-1', 'no-fix-yet'),
        ]),
      )
      expect(d.notifications).toHaveLength(1)
      const n = d.notifications[0]
      expect(n?.advisoryId).toBeUndefined()
      expect(n?.keys).toEqual(['adv:USN-1-1', 'adv:USN-2-1', 'adv:USN-3-1'])
      expect(n?.title).toBe('Action needed: 3 security advisories')
      expect(n?.urgency).toBe('critical')
    })
  })

  describe('when sources disagree or a mirror is rolled back', () => {
    it('notifies a conflict even though no package is affected', () => {
      const d = decide(report([advisory('USN-9-1', 'not-affected', 'conflict')]))
      expect(d.notifications[0]).toMatchObject({
        advisoryId: 'USN-9-1',
        urgency: 'critical',
        keys: ['conflict:USN-9-1'],
      })
    })
    it('notifies a rolled-back mirror once', () => {
      const r = report([], [{ state: 'rolled-back', detail: 'Older than one already seen.' }])
      const d = decide(r)
      expect(d.notifications[0]?.title).toBe('Possible attack: Mirror one failed verification')
      expect(decide(r, d.state).notifications).toEqual([])
    })
    it('notifies a frozen mirror even at the alarm level', () => {
      expect(
        decide(report([], [{ state: 'frozen' }]), emptyNotifyState(), 'alarm').notifications,
      ).toHaveLength(1)
    })
  })

  describe('when the level filters', () => {
    it('sends nothing at level none, but remembers what it saw', () => {
      const d = decide(report([advisory('USN-1-1', 'no-fix-yet')]), emptyNotifyState(), 'none')
      expect(d.notifications).toEqual([])
      expect(d.state.seen).toEqual({ 'adv:USN-1-1': 'no-fix-yet' })
    })
    it('sends only alarm-level items at level alarm', () => {
      const d = decide(
        report([advisory('USN-1-1', 'fix-available'), advisory('USN-2-1', 'no-fix-yet')]),
        emptyNotifyState(),
        'alarm',
      )
      expect(d.notifications).toHaveLength(1)
      expect(d.notifications[0]?.keys).toEqual(['adv:USN-2-1'])
    })
  })

  describe('when paused', () => {
    it('suppresses everything and tells what is still new once the pause ends', () => {
      const paused = withPause(emptyNotifyState(), '1h', NOW)
      const r = report([advisory('USN-1-1', 'fix-available')])
      const during = decide(r, paused, 'attention', NOW + 30 * 60_000)
      expect(during.notifications).toEqual([])
      expect(during.state.pausedUntil).toBe(NOW + 3600_000)
      const after = decide(r, during.state, 'attention', NOW + 2 * 3600_000)
      expect(after.notifications).toHaveLength(1)
      expect(after.state.pausedUntil).toBeNull()
    })
  })

  describe('when nothing verified in the check', () => {
    it('changes nothing', () => {
      const state = decide(report([advisory('USN-1-1', 'fix-available')])).state
      const d = decide(report([], [{ state: 'unreachable' }], false), state)
      expect(d).toEqual({ notifications: [], state })
    })
  })
})

describe('pauseUntil', () => {
  it('pauses for one hour', () => {
    expect(pauseUntil('1h', NOW)).toBe(NOW + 3600_000)
  })
  it('pauses until 08:00 local time on the next day', () => {
    const until = pauseUntil('tomorrow', NOW) ?? 0
    const d = new Date(until)
    expect(d.getHours()).toBe(8)
    expect(d.getMinutes()).toBe(0)
    expect(until).toBeGreaterThan(NOW)
    expect(until - NOW).toBeLessThanOrEqual(48 * 3600_000)
  })
  it('clears the pause with off', () => {
    expect(pauseUntil('off', NOW)).toBeNull()
    expect(isPaused(withPause(withPause(emptyNotifyState(), '1h', NOW), 'off', NOW), NOW)).toBe(false)
  })
})

describe('asNotifyState', () => {
  it('accepts a saved state and refuses anything else', () => {
    const s = withPause(emptyNotifyState(), '1h', NOW)
    expect(asNotifyState(JSON.parse(JSON.stringify(s)))).toEqual(s)
    expect(asNotifyState({ version: 2, seen: {} })).toBeUndefined()
    expect(asNotifyState({ version: 1, seen: {}, pausedUntil: 'soon' })).toBeUndefined()
    expect(asNotifyState(null)).toBeUndefined()
  })
})
