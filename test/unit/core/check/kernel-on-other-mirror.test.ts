/**
 * The case Lifeline was built for: a root-level kernel vulnerability, its fix (a new kernel ABI and the kernel
 * metapackages) verified only on a mirror this machine does not use. The verdict walks from "a verified fix is
 * ready on another mirror" (temporary deb822 source, metapackage upgrade, removal, reboot) through "restart to
 * finish" to "safe" after the reboot — on the real jammy dpkg status (test/fixtures/systems/jammy-kernel).
 */
import { describe, expect, it } from 'vitest'
import { assess } from '../../../../main/core/assess/assess'
import type { AvailableVersion } from '../../../../main/core/assess/types'
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

function verdictOf(system: LocalSystem) {
  const a = assess({
    system,
    advisories: [kernelAdvisory],
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
})
