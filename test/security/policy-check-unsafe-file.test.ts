/**
 * Attack (on the reviewer): `lifeline policy check FILE` is how a helpdesk or an administrator asks "is this policy
 * fine?". It used to skip the safety checks the app applies, so a world-writable policy — one any local user could
 * have edited, and that the app would refuse — was reported valid. It now applies the same owner, mode and folder
 * checks: CONFIG_UNSAFE, exit 1.
 */
import { chmod, chown, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT_POLICY_INVALID, EXIT_POLICY_VALID, policyCommand } from '../../main/cli/commands/policy'
import type { CliIo } from '../../main/cli/io'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', 'resources')
const ATTACKER_UID = 1000

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

describe('policy-check-unsafe-file', () => {
  let tmp: TempDir
  let file: string
  const args = () => [
    'check',
    '--json',
    '--etc-dir',
    join(tmp.path, 'etc'),
    '--data-dir',
    join(tmp.path, 'data'),
    '--resources',
    RESOURCES,
    '--codename',
    'noble',
    file,
  ]
  beforeEach(async () => {
    tmp = await makeTempDir()
    file = join(tmp.path, 'org.json')
    await writeFile(file, JSON.stringify({ notificationLevel: 'alarm', pollIntervalMinutes: 30 }), {
      mode: 0o644,
    })
  })
  afterEach(() => tmp.cleanup())

  async function check(): Promise<{
    code: number
    problems: { file: string; code: string; reason: string }[]
  }> {
    const io = fakeIo(tmp.path)
    const code = await policyCommand.run(args(), io)
    const json = JSON.parse(io.out()) as { problems: { file: string; code: string; reason: string }[] }
    return { code, problems: json.problems.filter((p) => p.file === file) }
  }

  describe('when the policy file is world-writable', () => {
    it('reports it invalid with CONFIG_UNSAFE', async () => {
      await chmod(file, 0o666)
      const r = await check()
      expect(r.code).toBe(EXIT_POLICY_INVALID)
      expect(r.problems.map((p) => p.code)).toEqual(['CONFIG_UNSAFE'])
      expect(r.problems[0]?.reason).toContain('world-writable')
    })
  })

  describe('when the policy file belongs to another user', () => {
    it.skipIf(process.getuid?.() !== 0)('reports it invalid with CONFIG_UNSAFE', async () => {
      await chown(file, ATTACKER_UID, ATTACKER_UID)
      const r = await check()
      expect(r.code).toBe(EXIT_POLICY_INVALID)
      expect(r.problems.map((p) => p.code)).toEqual(['CONFIG_UNSAFE'])
    })
  })

  describe('when the policy file is safe (the test can fail)', () => {
    it('reports it valid', async () => {
      const r = await check()
      expect(r.problems).toEqual([])
      expect(r.code).toBe(EXIT_POLICY_VALID)
    })
  })
})
