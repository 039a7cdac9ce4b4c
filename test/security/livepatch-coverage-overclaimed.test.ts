/**
 * Attack (or plain mistake): Livepatch coverage stretched to hide a kernel fix that is still needed. "Covered by
 * Livepatch" (`livepatched`, verdict row `livepatch-covered`) quiets a kernel advisory to "install at the next
 * maintenance window"; it must hold only when Livepatch has applied fixes for every CVE to the kernel that is running.
 * Each way of overclaiming keeps the advisory `fix-on-other-mirror` / the check `fix-ready`, or the archive's update
 * counted: a patch that failed to apply, a patch for another (not running) kernel, an advisory with one CVE
 * Livepatch does not fix, an unsigned advisory, and a kernel upload whose signed changelog names a CVE Livepatch
 * does not cover. On the real jammy dpkg status (test/fixtures/systems/jammy-kernel).
 */
import { describe, expect, it } from 'vitest'
import type { Advisory } from '../../main/core/advisories/model'
import { assess } from '../../main/core/assess/assess'
import type { ArchiveCveEvidence, AvailableVersion } from '../../main/core/assess/types'
import { judge } from '../../main/core/check/verdict'
import { usedSources } from '../../main/core/system/local-system'
import type { LocalSystem } from '../../main/core/system/types'
import { currentCoverage, pocketStatus } from '../support/check'
import { advisory, jammySystem } from '../unit/core/assess/support'

const NOW = Date.UTC(2022, 9, 10)
const FIX = '5.15.0-54.60'
const META = '5.15.0.54.54'
const CVE = 'CVE-2022-2588'

function onUniversity(p: Pick<AvailableVersion, 'package' | 'version' | 'source'>): AvailableVersion {
  return {
    mirrorId: 'university',
    mirrorUrl: 'http://mirror.example.edu/ubuntu',
    suite: 'jammy-security',
    component: 'main',
    arch: 'amd64',
    sourceVersion: p.version,
    ...p,
  }
}

const available = [
  onUniversity({ package: 'linux-image-5.15.0-54-generic', version: FIX, source: 'linux-signed' }),
  onUniversity({ package: 'linux-modules-5.15.0-54-generic', version: FIX, source: 'linux' }),
  onUniversity({ package: 'linux-generic', version: META, source: 'linux-meta' }),
  onUniversity({ package: 'linux-image-generic', version: META, source: 'linux-meta' }),
]

function withLivepatch(fixes: readonly string[], patchState = 'applied', running = true): LocalSystem {
  return {
    ...jammySystem(),
    livepatch: {
      kernels: [{ kernel: '5.15.0-53.59-generic', running, checkState: 'checked', patchState, fixes }],
    },
  }
}

function check(
  system: LocalSystem,
  advisories: readonly Advisory[],
  archiveEvidence?: readonly ArchiveCveEvidence[],
) {
  const a = assess({
    system,
    advisories,
    available,
    usedMirrors: usedSources(system),
    now: NOW,
    archiveEvidence,
  })
  const j = judge({
    mirrors: [pocketStatus({ mirrorName: 'University mirror', releaseDate: NOW - 3600_000 })],
    channels: [],
    assessment: a,
    coverage: currentCoverage(),
    now: NOW,
  })
  return { a, j }
}

const signed = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: FIX }], { cves: [CVE] })

describe('attack: Livepatch coverage overclaimed to quiet a kernel fix', () => {
  it('control: every CVE applied to the running kernel is covered (livepatch-covered, exit 1, never safe)', () => {
    const { a, j } = check(withLivepatch([CVE]), [signed])
    expect(a.advisories[0]?.status).toBe('livepatched')
    expect({ verdict: j.verdict, row: j.row, exitCode: j.exitCode }).toEqual({
      verdict: 'attention',
      row: 'livepatch-covered',
      exitCode: 1,
    })
  })

  it.each([
    ['the patch failed to apply', withLivepatch([CVE], 'apply-failed')],
    ['the patch is for a kernel that is not running', withLivepatch([CVE], 'applied', false)],
    ['Livepatch fixes another CVE', withLivepatch(['CVE-2022-0001'])],
  ])('when %s: fix-on-other-mirror, fix-ready', (_what, system) => {
    const { a, j } = check(system, [signed])
    expect(a.advisories[0]?.status).toBe('fix-on-other-mirror')
    expect(j.row).toBe('fix-ready')
  })

  it('when the advisory has one CVE Livepatch does not fix: fix-ready', () => {
    const two = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: FIX }], {
      cves: [CVE, 'CVE-2022-2586'],
    })
    const { a, j } = check(withLivepatch([CVE]), [two])
    expect(a.advisories[0]?.status).toBe('fix-on-other-mirror')
    expect(j.row).toBe('fix-ready')
  })

  it('when the covered advisory is unsigned: it does not decide the row, the archive update still counts', () => {
    const unsigned = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: FIX }], {
      cves: [CVE],
      trust: 'single-source',
    })
    const { a, j } = check(withLivepatch([CVE]), [unsigned])
    expect(a.securityUpdates.map((u) => u.source)).toContain('linux-meta')
    expect(j.row).toBe('fix-ready')
    expect(a.steps.some((s) => s.text.includes('nothing is urgent'))).toBe(false)
  })

  it('when the signed kernel changelog names a CVE Livepatch does not cover: the update counts, fix-ready', () => {
    const { a, j } = check(
      withLivepatch([CVE]),
      [signed],
      [{ source: 'linux-meta', version: META, cves: [CVE, 'CVE-2022-3176'] }],
    )
    expect(a.advisories[0]?.status).toBe('livepatched')
    expect(a.securityUpdates.find((u) => u.source === 'linux-meta')?.cves).toContain('CVE-2022-3176')
    expect({ row: j.row, exitCode: j.exitCode }).toEqual({ row: 'fix-ready', exitCode: 1 })
    expect(a.steps.some((s) => s.text.includes('nothing is urgent'))).toBe(false)
  })
})
