import { describe, expect, it } from 'vitest'
import type { CheckReport, Verdict } from '../../../../main/core/model'
import { Status } from '../../../../main/core/status/status-state'
import { formatAge, trayPresentation } from '../../../../main/core/status/tray-model'

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

describe('formatAge', () => {
  it('uses minutes, hours, then days', () => {
    expect(formatAge(60_000)).toBe('1 minute')
    expect(formatAge(90 * 60_000)).toBe('2 hours')
    expect(formatAge(72 * 3600_000)).toBe('3 days')
  })
})
