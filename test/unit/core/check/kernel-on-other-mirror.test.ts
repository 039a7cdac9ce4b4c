/**
 * The case Lifeline was built for: a root-level kernel vulnerability, its fix (a new kernel ABI and the kernel
 * metapackages) verified only on a mirror this machine does not use. The verdict walks from "a verified fix is
 * ready on another mirror" (temporary deb822 source, metapackage upgrade, removal, reboot) through "restart to
 * finish" to "safe" after the reboot — on the real jammy dpkg status (test/fixtures/systems/jammy-kernel).
 */
import { describe, expect, it } from 'vitest'
import { assess } from '../../../../main/core/assess/assess'
import type { AvailableVersion } from '../../../../main/core/assess/types'
import { evidenceTargets } from '../../../../main/core/check/archive-evidence'
import { judge } from '../../../../main/core/check/verdict'
import { usedSources } from '../../../../main/core/system/local-system'
import type { InstalledPackage, LocalSystem } from '../../../../main/core/system/types'
import { currentCoverage, pocketStatus } from '../../../support/check'
import { advisory, jammySystem } from '../assess/support'

const NOW = Date.UTC(2022, 9, 10)
const FIX = '5.15.0-54.60'
const META = '5.15.0.54.54'
const kernelAdvisory = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: FIX }], {
  cves: ['CVE-2022-2588'],
})

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

function verdictOf(system: LocalSystem, advisories = [kernelAdvisory]) {
  const a = assess({
    system,
    advisories,
    available,
    usedMirrors: usedSources(system),
    now: NOW,
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

/** The machine after `apt install` of the fixed kernel: new ABI packages, metapackages upgraded, old kernel running. */
function afterInstall(): LocalSystem {
  const sys = jammySystem()
  const pkg = (name: string): InstalledPackage =>
    sys.packages.find((p) => p.package === name) as InstalledPackage
  const installed: InstalledPackage[] = [
    {
      ...pkg('linux-image-5.15.0-53-generic'),
      package: 'linux-image-5.15.0-54-generic',
      version: FIX,
      sourceVersion: FIX,
    },
    {
      ...pkg('linux-modules-5.15.0-53-generic'),
      package: 'linux-modules-5.15.0-54-generic',
      version: FIX,
      sourceVersion: FIX,
    },
  ]
  const packages = sys.packages.map((p) =>
    p.source === 'linux-meta' ? { ...p, version: META, sourceVersion: META } : p,
  )
  return {
    ...sys,
    packages: [...packages, ...installed],
    rebootRequired: { required: true, packages: ['linux-image-5.15.0-54-generic'] },
  }
}

describe('a kernel fix verified only on another mirror', () => {
  it('is attention, exit 1, with the temporary source, the metapackage upgrade, its removal and a reboot', () => {
    const { a, j } = verdictOf(jammySystem())
    expect(a.advisories[0]?.status).toBe('fix-on-other-mirror')
    expect({ verdict: j.verdict, row: j.row, exitCode: j.exitCode }).toEqual({
      verdict: 'attention',
      row: 'fix-ready',
      exitCode: 1,
    })
    expect(j.summary).toBe(
      "1 verified security advisory affects this computer, and a verified fix is ready on a verified mirror this computer's apt does not use yet.",
    )
    expect(a.steps.map((s) => s.kind)).toEqual(['file', 'command', 'command', 'command', 'reboot', 'recheck'])
    expect(a.steps[0]?.file?.content).toContain(
      'URIs: http://mirror.example.edu/ubuntu\nSuites: jammy-security',
    )
    expect(a.steps[2]?.command).toBe(
      `sudo apt install --only-upgrade linux-generic=${META} linux-image-generic=${META}`,
    )
    expect(a.steps[3]?.command).toBe(
      'sudo rm /etc/apt/sources.list.d/lifeline-temporary.sources && sudo apt update',
    )
  })

  it("asks the archive for the new ABI's `linux` changelog, which kernel notices name, within the same targets", () => {
    const { a } = verdictOf(jammySystem())
    const targets = evidenceTargets(a, available).map((t) => `${t.source} ${t.version} ${t.mirrorId}`)
    expect(new Set(targets)).toEqual(
      new Set([`linux-meta ${META} university`, `linux-signed ${FIX} university`, `linux ${FIX} university`]),
    )
  })

  it('after the install, before the reboot: restart to finish (attention, exit 1)', () => {
    const { a, j } = verdictOf(afterInstall())
    expect(a.advisories[0]?.status).toBe('fixed-pending-reboot')
    expect({ row: j.row, exitCode: j.exitCode }).toEqual({ row: 'restart-pending', exitCode: 1 })
    expect(a.steps.map((s) => s.kind)).toEqual(['reboot', 'recheck'])
  })

  it('after the reboot into the fixed kernel: fixed, and safe (exit 0)', () => {
    const sys = afterInstall()
    const rebooted: LocalSystem = {
      ...sys,
      rebootRequired: { required: false, packages: [] },
      kernel: {
        ...(sys.kernel as NonNullable<LocalSystem['kernel']>),
        release: '5.15.0-54-generic',
        abi: '5.15.0-54',
        packageVersion: FIX,
      },
    }
    const { a, j } = verdictOf(rebooted)
    expect(a.advisories[0]?.status).toBe('fixed')
    expect({ verdict: j.verdict, exitCode: j.exitCode }).toEqual({ verdict: 'safe', exitCode: 0 })
  })

  describe('when Livepatch has applied fixes to the running kernel', () => {
    /** The machine with Livepatch: `fixes` applied to the running 5.15.0-53 kernel (`patchState` as given). */
    function livepatched(fixes: readonly string[], patchState = 'applied', running = true): LocalSystem {
      return {
        ...jammySystem(),
        livepatch: {
          kernels: [{ kernel: '5.15.0-53.59-generic', running, checkState: 'checked', patchState, fixes }],
        },
      }
    }

    it('for every CVE of the advisory: covered now (livepatched), attention, exit 1, the install for later', () => {
      const { a, j } = verdictOf(livepatched(['CVE-2022-2588']))
      const adv = a.advisories[0]
      expect(adv?.status).toBe('livepatched')
      expect(adv?.packages[0]?.evidence).toContainEqual({ kind: 'livepatch', cves: ['CVE-2022-2588'] })
      expect({ verdict: j.verdict, row: j.row, exitCode: j.exitCode }).toEqual({
        verdict: 'attention',
        row: 'livepatch-covered',
        exitCode: 1,
      })
      expect(j.summary).toBe(
        'Livepatch covers the running kernel against 1 verified advisory, so nothing is urgent; the fixed kernel is verified: install it and restart at your next maintenance window.',
      )
      // The same install as without Livepatch, introduced as the next maintenance window's work.
      expect(a.steps.map((s) => s.kind)).toEqual([
        'info',
        'file',
        'command',
        'command',
        'command',
        'reboot',
        'recheck',
      ])
      expect(a.steps[0]?.text).toContain('Livepatch already covers the running kernel')
      expect(a.steps[3]?.command).toBe(
        `sudo apt install --only-upgrade linux-generic=${META} linux-image-generic=${META}`,
      )
      expect(adv?.steps[0]?.text).toContain('At your next maintenance window')
    })

    it('for only some of its CVEs: not covered, the fix is ready as without Livepatch', () => {
      const two = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: FIX }], {
        cves: ['CVE-2022-2588', 'CVE-2022-2586'],
      })
      const { a, j } = verdictOf(livepatched(['CVE-2022-2588']), [two])
      expect(a.advisories[0]?.status).toBe('fix-on-other-mirror')
      expect({ row: j.row, exitCode: j.exitCode }).toEqual({ row: 'fix-ready', exitCode: 1 })
      expect(a.steps[0]?.kind).toBe('file')
    })

    it('when the patch is not applied, or applied to a kernel that is not running: not covered', () => {
      for (const sys of [
        livepatched(['CVE-2022-2588'], 'apply-failed'),
        livepatched(['CVE-2022-2588'], 'applied', false),
      ]) {
        const { a, j } = verdictOf(sys)
        expect(a.advisories[0]?.status).toBe('fix-on-other-mirror')
        expect(j.row).toBe('fix-ready')
      }
    })

    it('when an archive update not covered by Livepatch also waits: fix-ready, and no "nothing is urgent"', () => {
      const sys = livepatched(['CVE-2022-2588'])
      const a = assess({
        system: sys,
        advisories: [kernelAdvisory],
        available: [
          ...available,
          onUniversity({ package: 'libssl3', version: '3.0.2-0ubuntu1.7', source: 'openssl' }),
        ],
        usedMirrors: usedSources(sys),
        now: NOW,
      })
      const j = judge({
        mirrors: [pocketStatus({ mirrorName: 'University mirror', releaseDate: NOW - 3600_000 })],
        channels: [],
        assessment: a,
        coverage: currentCoverage(),
        now: NOW,
      })
      expect(a.securityUpdates.map((u) => u.source)).toContain('openssl')
      expect(j.row).toBe('fix-ready')
      expect(a.steps.some((s) => s.text.includes('nothing is urgent'))).toBe(false)
    })

    it('once the fixed kernel is installed: fixed, covered by Livepatch until the restart', () => {
      const sys = afterInstall()
      const { a } = verdictOf({
        ...sys,
        livepatch: livepatched(['CVE-2022-2588']).livepatch,
      })
      expect(a.advisories[0]?.status).toBe('fixed')
    })
  })
})
