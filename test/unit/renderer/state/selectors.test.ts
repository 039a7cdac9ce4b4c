import { describe, expect, it } from 'vitest'
import { affectsThisComputer } from '../../../../main/core/check/predicates'
import type { CheckReport } from '../../../../main/core/check/report'
import type { MirrorSuiteStatus } from '../../../../main/core/model'
import { channelToDto, mirrorToDto, reportToDto } from '../../../../main/node/dto'
import type { AdvisoryDto, ReportDto } from '../../../../preload/contract/dto'
import {
  channelStateWords,
  DEFAULT_FILTER,
  filterAdvisories,
  freshnessLine,
  groupMirrors,
  siteReachability,
  siteReachabilityWords,
  highlightLine,
  nextSteps,
  overviewModel,
  relativeTime,
  shownReport,
} from '../../../../renderer/src/state/selectors'

const report = (verdict: ReportDto['verdict']): ReportDto => ({
  startedAt: '2026-11-21T00:00:00.000Z',
  finishedAt: '2026-11-21T00:00:01.000Z',
  verdict,
  summary: 's',
  verdictRow: null,
  exitCode: null,
  alarm: null,
  coverage: null,
  mitigations: [],
  anyVerified: verdict !== 'unknown',
  mirrors: [],
  channels: [],
  assessment: null,
  systemProblems: [],
  offline: false,
})

describe('overviewModel', () => {
  it('says no source reachable when nothing verified', () => {
    const m = overviewModel({
      revision: 2,
      kind: 'no-source',
      report: report('unknown'),
      lastGood: report('safe'),
    })
    expect(m.tone).toBe('unknown')
    expect(m.headline).toMatch(/No source reachable/)
    expect(m.lastGood).not.toBeNull()
  })
  it('does not say "no source reachable" when something verified but not enough for "safe"', () => {
    const m = overviewModel({
      revision: 2,
      kind: 'ready',
      report: { ...report('unknown'), verdictRow: 'security-pocket-old', summary: 'the CLI sentence' },
    })
    expect(m.headline).toBe('Lifeline cannot tell whether this computer is up to date.')
    expect(m.detail).toBe('the CLI sentence')
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

describe('highlightLine', () => {
  const f = (start: number, end: number, severity: 'high' | 'medium' | 'low', line = 1) => ({
    rule: `r-${severity}`,
    title: `title ${severity}`,
    severity,
    line,
    start,
    end,
    offset: start,
    endOffset: end,
    message: severity,
  })
  describe('when no finding is on the line', () => {
    it('returns the line as one plain segment', () => {
      expect(highlightLine('sudo apt update', 1, [f(0, 4, 'high', 2)])).toEqual([
        { text: 'sudo apt update', finding: null },
      ])
    })
  })
  describe('when findings overlap', () => {
    it('marks each piece with the most severe finding and keeps every character', () => {
      const text = 'curl -k https://x | sudo bash'
      const segs = highlightLine(text, 1, [f(0, 29, 'medium'), f(5, 7, 'high')])
      expect(segs.map((s) => s.text).join('')).toBe(text)
      expect(segs.map((s) => [s.text, s.finding?.severity])).toEqual([
        ['curl ', 'medium'],
        ['-k', 'high'],
        [' https://x | sudo bash', 'medium'],
      ])
    })
  })
  describe('when a span runs past the line', () => {
    it('clamps it', () => {
      expect(highlightLine('abc', 1, [f(1, 99, 'low')]).map((s) => s.text)).toEqual(['a', 'bc'])
    })
  })
})

describe('filterAdvisories', () => {
  const adv = (
    id: string,
    status: AdvisoryDto['status'],
    trust: AdvisoryDto['trust'],
    source = 'openssl',
  ): AdvisoryDto => ({
    id,
    title: `${id} title`,
    cves: ['CVE-2026-0001'],
    priority: 'high',
    trust,
    status,
    packages: [
      {
        source,
        fixedVersion: '1',
        status,
        installed: [],
        upgrades: [],
        newInstalls: [],
        missing: [],
        needsReboot: false,
      },
    ],
    mitigations: [],
    steps: [],
    evidence: [],
    disagreements: [],
    affecting: affectsThisComputer(status),
  })
  const list = [
    adv('USN-1-1', 'fix-available', 'signed'),
    adv('USN-2-1', 'fixed', 'single-source', 'curl'),
    adv('USN-3-1', 'not-affected', 'conflict'),
  ]
  it('shows what affects this computer (and conflicts) by default', () => {
    expect(filterAdvisories(list, DEFAULT_FILTER).map((a) => a.id)).toEqual(['USN-1-1', 'USN-3-1'])
  })
  it('filters by trust and searches ids, CVEs and packages', () => {
    expect(
      filterAdvisories(list, { show: 'all', trust: 'single-source', query: '' }).map((a) => a.id),
    ).toEqual(['USN-2-1'])
    expect(filterAdvisories(list, { show: 'all', trust: 'any', query: 'CURL' }).map((a) => a.id)).toEqual([
      'USN-2-1',
    ])
    expect(filterAdvisories(list, { show: 'all', trust: 'any', query: 'cve-2026' })).toHaveLength(3)
  })
})

describe('nextSteps and shownReport', () => {
  const withSteps = (verdict: ReportDto['verdict']): ReportDto => ({
    ...report(verdict),
    assessment: {
      generatedAt: '2026-11-21T00:00:00.000Z',
      release: { id: 'ubuntu', codename: 'noble', versionId: '24.04' },
      advisories: [],
      securityUpdates: [],
      kernel: {
        running: null,
        runningVersion: null,
        newestInstalled: null,
        newerInstalled: false,
        rebootRequired: false,
        livepatchCves: [],
      },
      counts: {
        fixed: 0,
        livepatched: 0,
        'fixed-pending-reboot': 0,
        'fix-available': 1,
        'fix-on-other-mirror': 0,
        'no-fix-yet': 0,
        'not-affected': 0,
      },
      steps: [{ number: 1, kind: 'command', text: 'Update', command: 'sudo apt update', file: null }],
    },
  })
  it('offers the steps only when something needs doing', () => {
    expect(nextSteps(withSteps('attention'))).toHaveLength(1)
    expect(nextSteps(withSteps('safe'))).toEqual([])
    expect(nextSteps(null)).toEqual([])
  })
  it('shows the last good report when nothing is reachable and the new one has no assessment', () => {
    const good = withSteps('attention')
    expect(shownReport({ revision: 1, kind: 'no-source', report: report('unknown'), lastGood: good })).toBe(
      good,
    )
    expect(shownReport({ revision: 1, kind: 'starting' })).toBeNull()
  })
  it('says how verified the data is', () => {
    expect(freshnessLine(null)).toBe('No check has finished yet.')
    expect(freshnessLine(report('safe'))).toBe('0 of 0 mirrors verified, 0 of 0 advisory sources read.')
  })
  it('counts a stale mirror as verified (reached, but old) and names it', () => {
    // The DTOs come from main's own mapper, as in the app.
    const m = (state: MirrorSuiteStatus['state']) =>
      mirrorToDto({
        mirrorId: state,
        mirrorName: state,
        url: 'http://127.0.0.1:1/ubuntu',
        suite: 'noble-security',
        state,
        detail: '',
        checkedAt: Date.parse('2026-11-21T00:00:00.000Z'),
      })
    const r = { ...report('unknown'), mirrors: [m('ok'), m('stale'), m('unreachable')] }
    expect(freshnessLine(r)).toBe('2 of 3 mirrors verified (1 old), 0 of 0 advisory sources read.')
  })
})

describe('plain words for a new user', () => {
  // Mirror rows as the engine reports them; the report reaches the window through main's own mapper.
  const mirror = (mirrorId: string, suite: string, state: MirrorSuiteStatus['state']): MirrorSuiteStatus => ({
    mirrorId,
    mirrorName: `Mirror ${mirrorId}`,
    url: `http://${mirrorId}.example/ubuntu`,
    suite,
    state,
    detail: 'NET_UNREACHABLE ECONNRESET',
    checkedAt: Date.parse('2026-11-21T00:00:00.000Z'),
  })
  const withMirrors = (verdict: ReportDto['verdict'], mirrors: MirrorSuiteStatus[]): ReportDto => {
    const core: CheckReport = {
      startedAt: Date.parse('2026-11-21T00:00:00.000Z'),
      finishedAt: Date.parse('2026-11-21T00:00:01.000Z'),
      mirrors,
      anyVerified: verdict !== 'unknown',
      verdict,
      summary: 's',
    }
    return reportToDto(core)
  }

  it('counts mirrors as mirrors, not mirror × suite', () => {
    const r = withMirrors('attention', [
      mirror('a', 'noble', 'ok'),
      mirror('a', 'noble-security', 'ok'),
      mirror('b', 'noble', 'ok'),
      mirror('b', 'noble-security', 'unreachable'),
      mirror('c', 'noble', 'unreachable'),
    ])
    expect(groupMirrors(r.mirrors).map((g) => [g.mirrorId, g.suites.length])).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ])
    expect(freshnessLine(r)).toBe('1 of 3 mirrors verified (1 partly), 0 of 0 advisory sources read.')
  })

  it('says which red case it is: a mirror under attack, and what to do about it', () => {
    const r = withMirrors('alarm', [mirror('a', 'noble', 'ok'), mirror('b', 'noble-security', 'frozen')])
    expect(r.alarm?.case).toBe('attack')
    const m = overviewModel({ revision: 1, kind: 'ready', report: r })
    expect(m.headline).toMatch(/may be under attack/)
    expect(m.headline).not.toMatch(/ or /)
    expect(m.advice).toBe(
      'Do not install updates from Mirror b until Lifeline shows it verified again. The other mirrors did not fail verification.',
    )
  })

  it('promises no "last good copy" for a source never read', () => {
    const c = channelToDto({
      channelId: 'x',
      name: 'ubuntu.com notices',
      type: 'usn-api',
      state: 'failed',
      detail: '',
      code: 'NET_UNREACHABLE',
      advisoryCount: 0,
      issueCount: 0,
    })
    expect(channelStateWords(c)).toBe('Not reachable, and never read')
    expect(channelStateWords({ ...c, verifiedAt: '2026-11-21T00:00:00.000Z' })).toBe(
      'Not reachable: last good copy kept',
    )
  })

  it('says whether an external site answered at the last check, or that it cannot tell', () => {
    const sources = [{ id: 'api', urls: ['https://ubuntu.com/security/notices.json'] }]
    const ch = (state: 'ok' | 'failed') => [
      channelToDto({
        channelId: 'api',
        name: 'n',
        type: 'usn-api',
        state,
        detail: '',
        advisoryCount: 0,
        issueCount: 0,
      }),
    ]
    expect(siteReachability('ubuntu.com', sources, ch('failed'))).toBe('unreachable')
    expect(siteReachability('ubuntu.com', sources, ch('ok'))).toBe('reachable')
    expect(siteReachability('example.org', sources, ch('ok'))).toBe('not-read')
    expect(siteReachabilityWords('ubuntu.com', 'unreachable')).toMatch(
      /could not be reached at the last check/,
    )
  })
})
