import { describe, expect, it } from 'vitest'
import type { ReportDto } from '../../../../preload/contract/dto'
import { overviewModel, relativeTime } from '../../../../renderer/src/state/selectors'

const report = (verdict: ReportDto['verdict']): ReportDto => ({
  startedAt: '2026-11-21T00:00:00.000Z',
  finishedAt: '2026-11-21T00:00:01.000Z',
  verdict,
  summary: 's',
  anyVerified: verdict !== 'unknown',
  mirrors: [],
})

describe('overviewModel', () => {
  it('says no source reachable when nothing verified', () => {
    const m = overviewModel({ revision: 2, kind: 'no-source', report: report('unknown'), lastGood: report('safe') })
    expect(m.tone).toBe('unknown')
    expect(m.headline).toMatch(/No source reachable/)
    expect(m.lastGood).not.toBeNull()
  })
  it('shows the previous report while checking', () => {
    const m = overviewModel({
      revision: 3,
      kind: 'checking',
      startedAt: '2026-11-21T00:00:00.000Z',
      progress: { done: 1, total: 4, label: 'x' },
      previous: report('alarm'),
    })
    expect(m.checking).toBe(true)
    expect(m.report?.verdict).toBe('alarm')
    expect(m.progress?.total).toBe(4)
  })
})

describe('relativeTime', () => {
  const now = Date.parse('2026-11-21T12:00:00Z')
  it('formats past and recent times', () => {
    expect(relativeTime('2026-11-21T11:59:50Z', now)).toBe('just now')
    expect(relativeTime('2026-11-21T09:00:00Z', now)).toBe('3 hours ago')
    expect(relativeTime('2026-11-19T12:00:00Z', now)).toBe('2 days ago')
    expect(relativeTime('garbage', now)).toBe('unknown time')
  })
})
