import { beforeAll, describe, expect, it } from 'vitest'
import { buildSteps } from '../../../../main/core/assess/guidance'
import type { InstallTarget } from '../../../../main/core/assess/types'
import { inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../../../main/node/shell-parser'
import { DANGEROUS, LEGIT } from './corpus-samples'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const MIRROR = 'http://mirror.example.net/ubuntu'

/** A realistic fix plan: two library upgrades from the mirror in use, a kernel from a verified mirror not in use. */
function ownSteps(): string[] {
  const repo = (used: boolean) => ({
    mirrorId: used ? 'primary' : 'second',
    mirrorUrl: used ? 'http://archive.ubuntu.com/ubuntu' : MIRROR,
    suite: 'noble-security',
    component: 'main',
    used,
  })
  const t = (pkg: string, version: string, used: boolean, installed?: string): InstallTarget => ({
    package: pkg,
    arch: 'amd64',
    installed,
    version,
    repository: repo(used),
  })
  const steps = buildSteps({
    upgrades: [
      t('libssl3t64', '3.0.13-0ubuntu3.5', true, '3.0.13-0ubuntu3.4'),
      t('openssl', '3.0.13-0ubuntu3.5', true, '3.0.13-0ubuntu3.4'),
    ],
    newInstalls: [t('linux-image-6.8.0-60-generic', '6.8.0-60.63', false)],
    needsReboot: true,
    rebootReason: 'new kernel',
    noFix: [],
    nativeArch: 'amd64',
    osId: 'ubuntu',
  })
  return steps.flatMap((s) => (s.command ? [s.command] : []))
}

describe('the default-deny corpus', () => {
  it('has at least 150 samples, every family, and at least 40 legitimate ones', () => {
    const families = new Set(DANGEROUS.map((s) => s.family))
    expect(families).toEqual(
      new Set([
        'download-and-run',
        'evasion',
        'apt-sources-and-keys',
        'packages',
        'system-and-persistence',
        'file-writes',
      ]),
    )
    const own = ownSteps()
    expect(own.length).toBeGreaterThanOrEqual(5)
    expect(LEGIT.length + own.length + 1).toBeGreaterThanOrEqual(40)
    expect(DANGEROUS.length + LEGIT.length + own.length + 1).toBeGreaterThanOrEqual(150)
  })

  describe.each(DANGEROUS.map((s) => [s.text.split('\n')[0] ?? '', s] as const))(
    'dangerous: %s',
    (_, sample) => {
      it(`is dangerous with ${sample.rule}`, async () => {
        const r = await inspectText(sample.text, { parser, mirrors: [MIRROR] })
        expect(r.verdict).toBe('dangerous')
        expect(r.findings.filter((f) => f.severity === 'high').map((f) => f.rule)).toContain(sample.rule)
        const lines = sample.text.split('\n')
        for (const f of r.findings) expect(f.end).toBeLessThanOrEqual((lines[f.line - 1] ?? '').length)
      })
    },
  )

  describe.each(LEGIT.map((s) => [s.text.split('\n')[0] ?? '', s] as const))(
    'legitimate: %s',
    (_, sample) => {
      it(`is ${sample.verdict}, never dangerous`, async () => {
        const r = await inspectText(sample.text, { parser, mirrors: [MIRROR] })
        expect(r.findings.filter((f) => f.severity === 'high')).toEqual([])
        expect(r.verdict).toBe(sample.verdict)
      })
    },
  )

  describe("when the text is Lifeline's own generated steps", () => {
    it('judges each step alone as not dangerous, and verified when the app passes its steps', async () => {
      const steps = ownSteps()
      for (const command of steps) {
        const plain = await inspectText(command, { parser, mirrors: [MIRROR] })
        expect(
          plain.findings.filter((f) => f.severity !== 'low'),
          command,
        ).toEqual([])
        const own = await inspectText(command, { parser, mirrors: [MIRROR], ownSteps: steps })
        expect(own.verdict, command).toBe('verified')
      }
    })

    it('judges all steps pasted together as verified, and the temporary source as a mirror switch', async () => {
      const steps = ownSteps()
      const text = steps.join('\n')
      const r = await inspectText(text, { parser, mirrors: [MIRROR], ownSteps: steps })
      expect(r.verdict).toBe('verified')
      expect(r.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['mirror-change/low'])
    })

    it('is no longer verified once an unsigned command of anyone else is appended', async () => {
      const steps = ownSteps()
      const r = await inspectText(`${steps.join('\n')}\nsudo fixer --apply`, {
        parser,
        mirrors: [MIRROR],
        ownSteps: steps,
      })
      expect(r.verdict).toBe('caution')
      expect(r.findings.map((f) => f.rule)).toContain('unknown-root-command')
    })
  })
})
