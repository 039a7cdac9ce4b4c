import { describe, expect, it } from 'vitest'
import type { CheckReport } from '../../../../main/core/check/report'
import type { Verdict } from '../../../../main/core/model'
import { Status } from '../../../../main/core/status/status-state'
import { trayMenu, trayPresentation } from '../../../../main/core/status/tray-model'
import { describeAge } from '../../../../main/core/time-format'

const report = (verdict: Verdict, finishedAt = 0): CheckReport => ({
  startedAt: finishedAt,
  finishedAt,
  mirrors: [],
  anyVerified: verdict !== 'unknown',
  verdict,
  summary: `summary ${verdict}`,
})

describe('trayPresentation', () => {
  it.each([
    ['safe', 'calm'],
    ['attention', 'attention'],
    ['alarm', 'alarm'],
    ['unknown', 'grey'],
  ] as const)('shows a %s report with the %s icon', (verdict, icon) => {
    expect(trayPresentation(Status.Ready(report(verdict)), 0).icon).toBe(icon)
  })
  it('keeps the previous icon while checking', () => {
    expect(trayPresentation(Status.Checking(0, report('alarm')), 0).icon).toBe('alarm')
  })
  it('shows grey with the age of the last verified state when no source is reachable', () => {
    const p = trayPresentation(Status.NoSource(report('unknown', 0), report('safe', 0)), 3 * 3600_000)
    expect(p.icon).toBe('grey')
    expect(p.tooltip).toContain('Last verified 3 hours ago')
  })
})

describe('describeAge', () => {
  it('uses minutes, hours, then days', () => {
    expect(describeAge(60_000)).toBe('1 minute')
    expect(describeAge(90 * 60_000)).toBe('2 hours')
    expect(describeAge(72 * 3600_000)).toBe('3 days')
  })
})

describe('trayMenu', () => {
  const p = trayPresentation(Status.Ready(report('attention')), 0)
  const labels = (items: ReturnType<typeof trayMenu>) =>
    items.map((i) => (i.kind === 'separator' ? '---' : i.label))
  describe('when not paused', () => {
    it('offers the status line, Open, Check now, Check clipboard, the two pauses and Quit', () => {
      expect(
        labels(trayMenu(p, { pausedUntil: null, now: 0, clipboardAllowed: true, checking: false })),
      ).toEqual([
        'summary attention',
        '---',
        'Open Lifeline',
        'Check now',
        'Check clipboard',
        '---',
        'Pause notifications for 1 hour',
        'Pause notifications until tomorrow',
        '---',
        'Quit Lifeline',
      ])
    })
  })
  describe('when paused', () => {
    it('says for how long and offers Resume instead', () => {
      const items = trayMenu(p, { pausedUntil: 3600_000, now: 0, clipboardAllowed: true, checking: false })
      expect(labels(items)).toContain('Notifications paused for 1 hour')
      expect(items.some((i) => i.kind === 'action' && i.id === 'resume-notifications')).toBe(true)
      expect(items.some((i) => i.kind === 'action' && i.id === 'pause-1h')).toBe(false)
    })
  })
  describe('when a policy turns the clipboard check off or a check runs', () => {
    it('hides Check clipboard and disables Check now', () => {
      const items = trayMenu(p, { pausedUntil: null, now: 0, clipboardAllowed: false, checking: true })
      expect(labels(items)).not.toContain('Check clipboard')
      expect(items.find((i) => i.kind === 'action' && i.id === 'check-now')).toMatchObject({ enabled: false })
    })
  })
})

describe('trayPresentation states', () => {
  it('turns alarm for a conflict or frozen mirror (the report verdict carries it)', () => {
    expect(
      trayPresentation(Status.Ready({ ...report('alarm'), summary: 'Possible attack' }), 0),
    ).toMatchObject({
      icon: 'alarm',
      statusLine: 'Possible attack',
    })
  })
})
