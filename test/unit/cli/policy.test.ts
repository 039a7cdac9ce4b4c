import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { policyCommand } from '../../../main/cli/commands/policy'
import type { CliIo } from '../../../main/cli/io'
import { makeTempDir, type TempDir } from '../../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', '..', 'resources')

function fakeIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  const out: string[] = []
  const err: string[] = []
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new Uint8Array(),
    env: {},
    cwd,
  }
}

const ORG_POLICY = {
  mirrors: [
    {
      id: 'org-mirror',
      name: 'Org mirror',
      url: 'https://mirror.example.org/ubuntu',
      suites: ['{codename}-security'],
      components: ['main'],
      architectures: ['amd64'],
    },
  ],
  notificationLevel: 'alarm',
  helpdesk: { name: 'Example IT', phone: '+1 555 0100' },
}

describe('lifeline policy check', () => {
  let tmp: TempDir
  let base: string[]
  beforeEach(async () => {
    tmp = await makeTempDir()
    await mkdir(join(tmp.path, 'etc'))
    await writeFile(join(tmp.path, 'org.json'), JSON.stringify(ORG_POLICY))
    base = [
      'check',
      '--etc-dir',
      'etc',
      '--data-dir',
      'data',
      '--resources',
      RESOURCES,
      '--codename',
      'noble',
    ]
  })
  afterEach(() => tmp.cleanup())

  describe('when the file is valid', () => {
    it('exits 0 and prints every value with its layer', async () => {
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'org.json'], io)).toBe(0)
      const file = join(tmp.path, 'org.json')
      expect(io.out()).toContain(`${file}: valid\n`)
      expect(io.out()).toMatch(new RegExp(`notificationLevel +alarm +system mandatory, locked by ${file}`))
      expect(io.out()).toMatch(/pollIntervalMinutes +60 +default \(.*resources\/config\/default\.json\)/)
      expect(io.out()).toMatch(
        /org-mirror +https:\/\/mirror\.example\.org\/ubuntu \[noble-security\] +system mandatory/,
      )
      expect(io.out()).toMatch(/allowAutostart +true +built-in default/)
      expect(io.err()).toBe('')
    })

    it('prints JSON with config, origins and files under --json', async () => {
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, '--json', 'org.json'], io)).toBe(0)
      const j = JSON.parse(io.out()) as {
        valid: boolean
        config: { helpdesk: unknown; mirrors: { id: string }[] }
        origins: Record<string, { layer: string; locked: boolean; file?: string }>
        problems: unknown[]
      }
      expect(j.valid).toBe(true)
      expect(j.config.helpdesk).toEqual({ name: 'Example IT', phone: '+1 555 0100' })
      expect(j.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive', 'ubuntu-security', 'org-mirror'])
      expect(j.origins['mirrors.org-mirror']).toEqual({
        layer: 'system',
        file: join(tmp.path, 'org.json'),
        locked: true,
      })
      expect(j.origins['mirrors.ubuntu-archive']?.layer).toBe('default')
      expect(j.problems).toEqual([])
    })

    it('marks nothing locked under --recommended', async () => {
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, '--json', '--recommended', 'org.json'], io)).toBe(0)
      const j = JSON.parse(io.out()) as { origins: Record<string, { locked: boolean }> }
      expect(Object.values(j.origins).some((o) => o.locked)).toBe(false)
    })
  })

  describe('when a file is invalid', () => {
    it('exits 1 and prints FILE: FIELD: REASON on stderr', async () => {
      await writeFile(
        join(tmp.path, 'bad.json'),
        JSON.stringify({ helpdesk: { url: 'http://x' }, colour: 'red' }),
      )
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'org.json', 'bad.json'], io)).toBe(1)
      const bad = join(tmp.path, 'bad.json')
      expect(io.err()).toBe(
        `${bad}: helpdesk.url: must be an https: URL\n${bad}: colour: unknown setting (see docs/policy.schema.json)\n`,
      )
      expect(io.out()).toContain(`${bad}: INVALID\n`)
      expect(io.out()).toContain(`${join(tmp.path, 'org.json')}: valid\n`)
    })

    it('exits 1 for a missing file', async () => {
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'nope.json'], io)).toBe(1)
      expect(io.err()).toBe(`${join(tmp.path, 'nope.json')}: cannot read: no such file\n`)
    })
  })

  describe('when used wrongly', () => {
    it.each([[[]], [['check']], [['lint', 'x.json']], [['check', '--colour', 'x.json']]])(
      'exits 64 for %j',
      async (args) => {
        const io = fakeIo(tmp.path)
        expect(await policyCommand.run(args, io)).toBe(64)
        expect(io.err()).not.toBe('')
      },
    )
  })

  describe('when the policy pins a key file', () => {
    const KEYS = join(__dirname, '..', '..', 'fixtures', 'keys')
    const ADVISORY_FPR = 'C08E650C527B71EA75FC6D8B15ABD13AE9C9E85C'
    const pin = async (file: string, fingerprint = ADVISORY_FPR): Promise<void> => {
      const keys = [{ file, fingerprint, role: 'advisory', name: 'Org advisories' }]
      await writeFile(join(tmp.path, 'keyed.json'), JSON.stringify({ ...ORG_POLICY, keys }))
    }
    const keyedFile = (): string => join(tmp.path, 'keyed.json')

    it('exits 0 when the file holds exactly the pinned public key', async () => {
      await copyFile(join(KEYS, 'test-only-advisory-ed25519.pub.asc'), join(tmp.path, 'org.asc'))
      await pin('org.asc')
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'keyed.json'], io)).toBe(0)
      expect(io.err()).toBe('')
    })
    it('exits 1 when the key file is missing, as the app would refuse to start', async () => {
      await pin('missing.asc')
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'keyed.json'], io)).toBe(1)
      expect(io.out()).toContain(`${keyedFile()}: INVALID\n`)
      expect(io.err()).toMatch(
        new RegExp(
          `^${keyedFile()}: keys\\.${ADVISORY_FPR}\\.file: cannot open ${join(tmp.path, 'missing.asc')}`,
        ),
      )
    })
    it('exits 1 when the file holds another key than the pinned fingerprint', async () => {
      await copyFile(join(KEYS, 'test-only-archive-ed25519.pub.asc'), join(tmp.path, 'org.asc'))
      await pin('org.asc')
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, '--json', 'keyed.json'], io)).toBe(1)
      const j = JSON.parse(io.out()) as {
        valid: boolean
        problems: { field: string; reason: string; code: string }[]
      }
      expect(j.valid).toBe(false)
      expect(j.problems).toEqual([
        expect.objectContaining({
          field: `keys.${ADVISORY_FPR}.file`,
          code: 'CONFIG_INVALID',
          reason: expect.stringContaining('does not hold the pinned key(s)') as unknown,
        }),
      ])
    })
    it('exits 1 when the file holds secret key material', async () => {
      await copyFile(join(KEYS, 'test-only-advisory-ed25519.sec.asc'), join(tmp.path, 'org.asc'))
      await pin('org.asc')
      const io = fakeIo(tmp.path)
      expect(await policyCommand.run([...base, 'keyed.json'], io)).toBe(1)
      expect(io.err()).toContain('contains secret key material')
    })
  })
})
