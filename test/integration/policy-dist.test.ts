/**
 * `npm run dist` (scripts/dist.mjs) as a child process: a helpdesk policy is validated, its key checked against the
 * pinned fingerprint, and both baked in; without an Electron runtime it explains in one line and exits 1.
 * LIFELINE_DIST_POLICY_DIR points the bake at a temporary folder so the checkout is never modified.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const ROOT = join(__dirname, '..', '..')
const KEYS = join(ROOT, 'test', 'fixtures', 'keys')
const ADVISORY_FPR = 'C08E650C527B71EA75FC6D8B15ABD13AE9C9E85C'

function hasElectronRuntime(): boolean {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown
    return typeof p === 'string' && existsSync(p)
  } catch {
    return false
  }
}

describe('npm run dist', () => {
  let tmp: TempDir
  let out: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    out = join(tmp.path, 'baked')
    copyFileSync(join(KEYS, 'test-only-advisory-ed25519.pub.asc'), join(tmp.path, 'org-advisory.asc'))
  })
  afterEach(() => tmp.cleanup())

  function policy(fingerprint = ADVISORY_FPR, extra: Record<string, unknown> = {}): string {
    const file = join(tmp.path, 'org.json')
    writeFileSync(
      file,
      JSON.stringify({
        keys: [{ file: 'org-advisory.asc', fingerprint, role: 'advisory', name: 'Org (TEST ONLY)' }],
        helpdesk: { name: 'Example IT' },
        ...extra,
      }),
    )
    return file
  }

  function dist(...args: string[]) {
    return spawnSync(process.execPath, ['scripts/dist.mjs', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LIFELINE_DIST_POLICY_DIR: out },
      timeout: 60_000,
    })
  }

  describe('when --policy names a valid policy and its key', () => {
    it('copies both byte-exact into the policy folder and exits 0', () => {
      const file = policy()
      const r = dist('--policy', file, '--policy-only')
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(readFileSync(join(out, 'org.json'))).toEqual(readFileSync(file))
      expect(readFileSync(join(out, 'org-advisory.asc'))).toEqual(
        readFileSync(join(tmp.path, 'org-advisory.asc')),
      )
    })

    it('bakes into recommended/ with --recommended-policy', () => {
      const r = dist('--recommended-policy', policy(), '--policy-only')
      expect(r.status).toBe(0)
      expect(existsSync(join(out, 'recommended', 'org.json'))).toBe(true)
    })
  })

  describe('when the policy or its key is wrong', () => {
    it('refuses a key that does not hold the pinned fingerprint', () => {
      const r = dist('--policy', policy('A'.repeat(40)), '--policy-only')
      expect(r.status).toBe(1)
      // `lifeline policy check` (run first by dist) now checks the key file itself.
      expect(r.stderr).toContain(
        `keys.${'A'.repeat(40)}.file: key file "${join(tmp.path, 'org-advisory.asc')}" does not hold the pinned key(s): found ${ADVISORY_FPR}`,
      )
      expect(r.stderr).toContain('nothing was copied')
      expect(existsSync(join(out, 'org.json'))).toBe(false)
    })

    it('refuses a secret key', () => {
      copyFileSync(join(KEYS, 'test-only-advisory-ed25519.sec.asc'), join(tmp.path, 'org-advisory.asc'))
      const r = dist('--policy', policy(), '--policy-only')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('contains secret key material; ship public keys only')
    })

    it('refuses an invalid policy with its problems and copies nothing', () => {
      const r = dist('--policy', policy(ADVISORY_FPR, { colour: 'red' }), '--policy-only')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `${join(tmp.path, 'org.json')}: colour: unknown setting (see docs/policy.schema.json)\n`,
      )
      expect(r.stderr).toContain('is not a valid policy (problems above); nothing was copied')
      expect(existsSync(out)).toBe(false)
    })

    it('exits 64 on an unknown argument', () => {
      expect(dist('--polcy', 'x').status).toBe(64)
    })
  })

  describe.skipIf(hasElectronRuntime())('when no Electron runtime is available (this machine)', () => {
    it('says what is missing in one line and exits 1 without a stack trace', () => {
      const r = dist('--policy', policy())
      expect(r.status).toBe(1)
      const lines = r.stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^dist: no Electron \d+\.\d+\.\d+ runtime for linux-\w+: /)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    })
  })
})
