import { describe, expect, it } from 'vitest'
import { assess } from '../../../../main/core/assess/assess'
import { exitCodeOfAssessment as checkExitCode } from '../../../support/check'
import type { AssessInput, AvailableVersion } from '../../../../main/core/assess/types'
import { usedSources } from '../../../../main/core/system/local-system'
import { parseDpkgStatus } from '../../../../main/core/system/dpkg-status'
import { parseOsRelease } from '../../../../main/core/system/os-release'
import type { LocalSystem } from '../../../../main/core/system/types'
import { advisory, fixture, indexVersions, installWords, jammySystem } from './support'

const NOW = Date.UTC(2022, 9, 10)
const SECURITY = {
  mirrorId: 'security',
  mirrorUrl: 'http://security.ubuntu.com/ubuntu',
  suite: 'jammy-security',
}

/** The real jammy-security multiverse index (2022-10-09), as verified on security.ubuntu.com. */
const multiverse = indexVersions(
  fixture('ubuntu/apt/jammy-security_multiverse_binary-amd64_Packages.2022-10-09'),
  {
    ...SECURITY,
    component: 'multiverse',
  },
)
const multiverseWords = new Set(multiverse.map((a) => `${a.package}=${a.version}`))

function input(system: LocalSystem, rest: Partial<AssessInput>): AssessInput {
  return { system, advisories: [], available: [], usedMirrors: usedSources(system), now: NOW, ...rest }
}

function av(p: Partial<AvailableVersion> & Pick<AvailableVersion, 'package' | 'version'>): AvailableVersion {
  return {
    ...SECURITY,
    component: 'main',
    arch: 'amd64',
    source: p.package,
    sourceVersion: p.version,
    ...p,
  }
}

const FABRIC_FIX = '450.203.03-0ubuntu0.22.04.1'

describe('assess', () => {
  describe('when the fix is verified only in a component this machine does not use (real multiverse index)', () => {
    const sys = jammySystem()
    const a = assess(
      input(sys, {
        available: multiverse,
        advisories: [advisory('USN-5650-1', [{ name: 'fabric-manager-450', fixedVersion: FABRIC_FIX }])],
      }),
    )
    const adv = a.advisories[0]
    it('reports fix-on-other-mirror with installed and fixed versions', () => {
      expect(adv?.status).toBe('fix-on-other-mirror')
      const f = adv?.packages[0]
      expect(f?.fixedVersion).toBe(FABRIC_FIX)
      expect(f?.installed.map((i) => `${i.package}=${i.version}`)).toEqual([
        'cuda-drivers-fabricmanager-450=450.80.02-0ubuntu0.22.04.1',
        'nvidia-fabricmanager-450=450.80.02-0ubuntu0.22.04.1',
      ])
      expect(f?.evidence.some((e) => e.kind === 'verified-mirror' && e.component === 'multiverse')).toBe(true)
    })
    it('adds a temporary deb822 source signed by the Ubuntu archive keyring, then removes it', () => {
      const file = adv?.steps.find((s) => s.kind === 'file')
      expect(file?.file?.content).toBe(
        'Types: deb\nURIs: http://security.ubuntu.com/ubuntu\nSuites: jammy-security\nComponents: multiverse\n' +
          'Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n',
      )
      expect(adv?.steps.map((s) => s.command ?? s.kind)).toEqual([
        expect.stringContaining('sudo tee /etc/apt/sources.list.d/lifeline-temporary.sources'),
        'sudo apt update',
        'sudo apt install --only-upgrade cuda-drivers-fabricmanager-450=450.203.03-0ubuntu0.22.04.1 ' +
          'nvidia-fabricmanager-450=450.203.03-0ubuntu0.22.04.1',
        'sudo rm /etc/apt/sources.list.d/lifeline-temporary.sources && sudo apt update',
        'lifeline check',
      ])
      expect(adv?.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5])
    })
    it('prints only pkg=version pairs that exist in the verified index', () => {
      const words = a.steps.flatMap((s) =>
        s.command?.startsWith('sudo apt install') ? installWords(s.command) : [],
      )
      expect(words.length).toBeGreaterThan(0)
      for (const w of words) expect(multiverseWords.has(w), w).toBe(true)
    })
    it('lists the same update from the archive alone, with no advisory needed', () => {
      const b = assess(input(sys, { available: multiverse }))
      expect(b.securityUpdates.map((u) => [u.source, u.newSourceVersion, u.onUsedMirror])).toEqual([
        ['fabric-manager-450', FABRIC_FIX, false],
      ])
      expect(a.securityUpdates[0]?.advisoryIds).toEqual(['USN-5650-1'])
    })
  })

  describe('when the machine uses that component', () => {
    it('reports fix-available and needs no temporary source', () => {
      const sys = jammySystem()
      const a = assess(
        input(sys, {
          available: multiverse,
          usedMirrors: [
            ...usedSources(sys),
            { url: SECURITY.mirrorUrl, suite: 'jammy-security', components: ['multiverse'] },
          ],
          advisories: [advisory('USN-5650-1', [{ name: 'fabric-manager-450', fixedVersion: FABRIC_FIX }])],
        }),
      )
      expect(a.advisories[0]?.status).toBe('fix-available')
      expect(a.advisories[0]?.steps.some((s) => s.kind === 'file')).toBe(false)
      expect(checkExitCode(a)).toBe(1)
    })
  })

  describe('when a newer kernel is installed but the old one runs', () => {
    const linux = advisory('USN-5700-1', [{ name: 'linux', fixedVersion: '5.15.0-53.59' }], {
      cves: ['CVE-2022-2588'],
    })
    it('reports fixed-pending-reboot and tells the user to restart', () => {
      const a = assess(
        input(jammySystem(), { advisories: [linux], available: [av({ package: 'dpkg', version: '1' })] }),
      )
      expect(a.advisories[0]?.status).toBe('fixed-pending-reboot')
      expect(a.advisories[0]?.packages[0]?.evidence).toContainEqual({
        kind: 'running-kernel',
        release: '5.15.0-52-generic',
        version: '5.15.0-52.58',
        from: 'version_signature',
      })
      expect(a.advisories[0]?.steps.map((s) => s.kind)).toEqual(['reboot', 'recheck'])
      expect(a.kernel).toMatchObject({
        newerInstalled: true,
        newestInstalled: 'linux-image-5.15.0-53-generic',
      })
      expect(checkExitCode(a)).toBe(1)
    })
    it('reports fixed when Livepatch has applied fixes for every CVE of the advisory', () => {
      const sys = jammySystem({
        livepatch: {
          kernels: [
            {
              kernel: '5.15.0-52.58-generic',
              running: true,
              checkState: 'checked',
              patchState: 'applied',
              fixes: ['CVE-2022-2588'],
            },
          ],
        },
      })
      const a = assess(input(sys, { advisories: [linux] }))
      expect(a.advisories[0]?.status).toBe('fixed')
      expect(a.advisories[0]?.packages[0]?.evidence).toContainEqual({
        kind: 'livepatch',
        cves: ['CVE-2022-2588'],
      })
    })
    it('reports fixed when the running kernel is already at the fixed version', () => {
      const a = assess(
        input(jammySystem(), {
          advisories: [advisory('USN-1', [{ name: 'linux', fixedVersion: '5.15.0-52.58' }])],
        }),
      )
      expect(a.advisories[0]?.status).toBe('fixed')
    })
  })

  describe('when the fixed kernel is not installed yet', () => {
    const fix = advisory('USN-5800-1', [{ name: 'linux', fixedVersion: '5.15.0-54.60' }])
    const newKernel = [
      av({ package: 'linux-image-5.15.0-54-generic', version: '5.15.0-54.60', source: 'linux-signed' }),
      av({ package: 'linux-modules-5.15.0-54-generic', version: '5.15.0-54.60', source: 'linux' }),
      av({ package: 'linux-generic', version: '5.15.0.54.54', source: 'linux-meta' }),
      av({ package: 'linux-image-generic', version: '5.15.0.54.54', source: 'linux-meta' }),
    ]
    it('upgrades the installed kernel metapackages and asks for a reboot', () => {
      const a = assess(input(jammySystem(), { advisories: [fix], available: newKernel }))
      const adv = a.advisories[0]
      expect(adv?.status).toBe('fix-available')
      expect(adv?.steps.map((s) => s.command ?? s.kind)).toEqual([
        'sudo apt update',
        'sudo apt install --only-upgrade linux-generic=5.15.0.54.54 linux-image-generic=5.15.0.54.54',
        'sudo reboot',
        'lifeline check',
      ])
    })
    it('installs the ABI packages themselves when no metapackage is installed', () => {
      const base = jammySystem()
      const sys = { ...base, packages: base.packages.filter((p) => p.source !== 'linux-meta') }
      const a = assess(input(sys, { advisories: [fix], available: newKernel }))
      expect(a.advisories[0]?.packages[0]?.newInstalls.map((t) => `${t.package}=${t.version}`)).toEqual([
        'linux-image-5.15.0-54-generic=5.15.0-54.60',
        'linux-modules-5.15.0-54-generic=5.15.0-54.60',
      ])
      expect(a.advisories[0]?.steps[1]?.command).toBe(
        'sudo apt install linux-image-5.15.0-54-generic=5.15.0-54.60 linux-modules-5.15.0-54-generic=5.15.0-54.60',
      )
    })
    it('reports no-fix-yet when no verified mirror has it', () => {
      const a = assess(input(jammySystem(), { advisories: [fix], available: newKernel.slice(2) }))
      expect(a.advisories[0]?.status).toBe('no-fix-yet')
    })
  })

  describe('when a library is installed for two architectures', () => {
    const fix = advisory('USN-5710-1', [{ name: 'openssl', fixedVersion: '3.0.2-0ubuntu1.7' }])
    const available = ['amd64', 'i386'].flatMap((arch) => [
      av({ package: 'libssl3', arch, version: '3.0.2-0ubuntu1.7', source: 'openssl' }),
      av({ package: 'openssl', arch, version: '3.0.2-0ubuntu1.7' }),
    ])
    it('upgrades every installed binary of the source, the foreign one arch-qualified, and restarts services', () => {
      const a = assess(input(jammySystem(), { advisories: [fix], available }))
      const steps = a.advisories[0]?.steps ?? []
      expect(a.advisories[0]?.status).toBe('fix-available')
      expect(steps[1]?.command).toBe(
        'sudo apt install --only-upgrade libssl3=3.0.2-0ubuntu1.7 libssl3:i386=3.0.2-0ubuntu1.7 openssl=3.0.2-0ubuntu1.7',
      )
      // needrestart is not installed on this machine: the plain alternative, never a command that is not there.
      expect(steps[2]?.command).toBe('sudo reboot')
    })
    it('names needrestart for the service restarts only when it is installed', () => {
      const sys = jammySystem()
      const withNeedrestart = {
        ...sys,
        packages: [
          ...sys.packages,
          {
            ...(sys.packages[0] as (typeof sys.packages)[number]),
            package: 'needrestart',
            source: 'needrestart',
          },
        ],
      }
      const a = assess(input(withNeedrestart, { advisories: [fix], available }))
      expect(a.advisories[0]?.steps[2]?.command).toBe('sudo needrestart -r a')
    })
    it('never prints a version that is not a Debian version', () => {
      const evil = [av({ package: 'openssl', version: '3.0.2-0ubuntu1.8;curl${IFS}x|sh' })]
      const a = assess(input(jammySystem(), { advisories: [fix], available: [...available, ...evil] }))
      const text = JSON.stringify(a.steps)
      expect(text).not.toContain('curl')
      expect(text).toContain('openssl=3.0.2-0ubuntu1.7')
    })
  })

  describe('when advisories are fixed, unfixed, not installed or for another release', () => {
    const advisories = [
      advisory('USN-10-1', [{ name: 'vim', fixedVersion: '2:8.2.3995-1ubuntu1' }], { priority: 'low' }),
      advisory('USN-11-1', [{ name: 'vim', fixedVersion: undefined }], {
        priority: 'high',
        mitigations: ['Do not open untrusted files with vim.'],
      }),
      advisory('USN-12-1', [{ name: 'not-installed', fixedVersion: '1.0' }], { priority: 'critical' }),
      advisory('USN-13-1', [{ name: 'vim', fixedVersion: '2:9.0' }], { codename: 'focal' }),
    ]
    const a = assess(input(jammySystem(), { advisories, available: [av({ package: 'x', version: '1' })] }))
    it('gives each its status, ordered by priority', () => {
      expect(a.advisories.map((x) => [x.id, x.status])).toEqual([
        ['USN-12-1', 'not-affected'],
        ['USN-11-1', 'no-fix-yet'],
        ['USN-10-1', 'fixed'],
      ])
      expect(a.otherReleases).toBe(1)
      expect(a.counts).toMatchObject({ fixed: 1, 'no-fix-yet': 1, 'not-affected': 1 })
    })
    it('gives the mitigation when no fix exists, and exit code 2', () => {
      expect(a.advisories[1]?.steps[0]?.text).toContain('Do not open untrusted files with vim.')
      expect(checkExitCode(a)).toBe(2)
    })
  })

  describe('when the same input is given twice, or in another order', () => {
    it('gives the same report', () => {
      const advisories = [
        advisory('USN-2-1', [{ name: 'openssl', fixedVersion: '3.0.2-0ubuntu1.7' }], {
          priority: 'high',
          trust: 'single-source',
        }),
        advisory('USN-3-1', [{ name: 'openssl', fixedVersion: '3.0.2-0ubuntu1.7' }], {
          priority: 'high',
          trust: 'signed',
        }),
        advisory('USN-1-1', [{ name: 'fabric-manager-450', fixedVersion: FABRIC_FIX }], {
          priority: 'medium',
        }),
        advisory('USN-4-1', [{ name: 'linux', fixedVersion: '5.15.0-53.59' }], {
          priority: 'high',
          trust: 'signed',
        }),
      ]
      const available = [
        ...multiverse,
        av({ package: 'libssl3', version: '3.0.2-0ubuntu1.7', source: 'openssl' }),
      ]
      const one = assess(input(jammySystem(), { advisories, available }))
      const two = assess(input(jammySystem(), { advisories, available }))
      const shuffled = assess(
        input(jammySystem(), { advisories: [...advisories].reverse(), available: [...available].reverse() }),
      )
      expect(JSON.stringify(two)).toBe(JSON.stringify(one))
      expect(JSON.stringify(shuffled)).toBe(JSON.stringify(one))
      // Priority first, then trust (signed before single-source), then the more urgent status.
      expect(one.advisories.map((x) => x.id)).toEqual(['USN-3-1', 'USN-4-1', 'USN-2-1', 'USN-1-1'])
    })
  })

  describe('when channels disagree on a fixed version', () => {
    it('keeps every claim of this release, with its channels and whether it was signed', () => {
      const src = (channelId: string, signedBy?: string) => ({
        channelId,
        channelType: 'osv' as const,
        url: `https://example.org/${channelId}`,
        fetchedAt: 0,
        signedBy,
      })
      const adv = {
        ...advisory('USN-8-1', [{ name: 'vim', fixedVersion: '2:9.0' }]),
        conflicts: [
          {
            codename: 'jammy',
            pro: false,
            kind: 'source' as const,
            packageName: 'vim',
            claims: [
              { fixedVersion: '2:9.0', sources: [src('feed', 'A'.repeat(40))] },
              { fixedVersion: '2:8.0', sources: [src('osv-b'), src('osv-a')] },
            ],
          },
          { codename: 'noble', pro: false, kind: 'source' as const, packageName: 'vim', claims: [] },
        ],
      }
      const a = assess(input(jammySystem(), { advisories: [adv] })).advisories.find((x) => x.id === 'USN-8-1')
      expect(a?.disagreements).toEqual([
        {
          package: 'vim',
          claims: [
            { fixedVersion: '2:9.0', channels: ['feed'], signed: true },
            { fixedVersion: '2:8.0', channels: ['osv-a', 'osv-b'], signed: false },
          ],
        },
      ])
    })
  })

  describe('when nothing could be verified', () => {
    it('returns exit code 3; with verified mirrors and nothing to do, 0', () => {
      const unsigned = [
        advisory('USN-9-1', [{ name: 'vim', fixedVersion: '2:9.0' }], { trust: 'single-source' }),
      ]
      expect(checkExitCode(assess(input(jammySystem(), { advisories: unsigned })))).toBe(3)
      expect(
        checkExitCode(assess(input(jammySystem(), { available: [av({ package: 'x', version: '1' })] }))),
      ).toBe(0)
    })
  })
})

describe('assess on a real Debian bookworm machine against the real bookworm-security index', () => {
  const packages = parseDpkgStatus(fixture('debian/dpkg_status.bookworm'))
  const system: LocalSystem = {
    root: '/',
    os: parseOsRelease(
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
    ),
    packages,
    nativeArch: 'amd64',
    sources: [],
    sourceProblems: [],
    rebootRequired: { required: false, packages: [] },
    problems: [],
  }
  const repo = {
    mirrorId: 'debian-security',
    mirrorUrl: 'http://deb.debian.org/debian-security',
    suite: 'bookworm-security',
    component: 'main',
  }
  const index = indexVersions(fixture('debian/bookworm-security_main_binary-amd64_Packages'), repo)
  const words = new Set(index.map((a) => `${a.package}=${a.version}`))
  const a = assess({
    system,
    advisories: [],
    available: index,
    usedMirrors: [
      { url: 'https://deb.debian.org/debian-security/', suite: 'bookworm-security', components: ['main'] },
    ],
    now: NOW,
  })
  it('finds the security updates the archive alone vouches for, and none that are older than installed', () => {
    const apt = a.securityUpdates.find((u) => u.source === 'apt')
    expect(apt).toMatchObject({
      installedSourceVersion: '2.6.1',
      newSourceVersion: '2.6.2',
      onUsedMirror: true,
    })
    expect(apt?.upgrades.map((u) => u.package)).toEqual(['apt', 'apt-transport-https', 'libapt-pkg6.0'])
    // curl 7.88.1-10+deb12u14 is installed; the security pocket's deb12u5 is older and must not be offered.
    expect(a.securityUpdates.find((u) => u.source === 'curl')).toBeUndefined()
  })
  it('prints an install line whose every pkg=version exists in the verified index', () => {
    const install = a.steps.find((s) => s.command?.startsWith('sudo apt install --only-upgrade'))
    const ws = installWords(install?.command ?? '')
    expect(ws.length).toBe(a.securityUpdates.flatMap((u) => u.upgrades).length)
    for (const w of ws) expect(words.has(w), w).toBe(true)
    expect(checkExitCode(a)).toBe(1)
  })
})
