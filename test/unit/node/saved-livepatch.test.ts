/**
 * A saved Livepatch status under the root (main/node/local-system.ts SAVED_LIVEPATCH_STATUS): read when the client
 * gives none, and only when it describes the kernel running now (main/core/system/local-system.ts).
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { livepatchedCves } from '../../../main/core/system/kernel'
import { isRunningKernel } from '../../../main/core/system/local-system'
import { readLocalSystem, SAVED_LIVEPATCH_STATUS } from '../../../main/node/local-system'

const JAMMY = fileURLToPath(new URL('../../fixtures/systems/jammy-kernel', import.meta.url))

/** The client's JSON for one running kernel with applied fixes. */
const savedStatus = (kernel: string, patchState = 'applied'): string =>
  JSON.stringify({
    status: [
      {
        kernel,
        running: true,
        livepatch: { checkState: 'checked', patchState, fixes: '* CVE-2022-2588\n* CVE-2022-2586' },
      },
    ],
  })

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeline-lp-'))
  await cp(JAMMY, root, { recursive: true })
  await mkdir(join(root, 'var', 'lib', 'lifeline'), { recursive: true, mode: 0o755 })
})
afterEach(() => rm(root, { recursive: true, force: true }))

describe('readLocalSystem with a saved Livepatch status', () => {
  describe('when the saved status is for the running kernel', () => {
    it('reads it under the root and counts its applied fixes', async () => {
      // The jammy fixture runs 5.15.0-52.58-generic (proc/version_signature).
      await writeFile(join(root, SAVED_LIVEPATCH_STATUS), savedStatus('5.15.0-52.58-generic'), {
        mode: 0o644,
      })
      const s = await readLocalSystem(root)
      expect(s.problems).toEqual([])
      expect([...livepatchedCves(s.livepatch)]).toEqual(['CVE-2022-2586', 'CVE-2022-2588'])
    })
  })

  describe('when the saved status is for another kernel (saved before a reboot)', () => {
    it('drops it with SYS_LIVEPATCH_STALE', async () => {
      await writeFile(join(root, SAVED_LIVEPATCH_STATUS), savedStatus('5.15.0-50.56-generic'), {
        mode: 0o644,
      })
      const s = await readLocalSystem(root)
      expect(s.livepatch).toBeUndefined()
      expect(s.problems.map((p) => p.code)).toEqual(['SYS_LIVEPATCH_STALE'])
    })
  })

  describe('when the running kernel is unknown', () => {
    it('cannot tell, so the saved status counts for nothing', async () => {
      await rm(join(root, 'proc', 'version_signature'))
      await writeFile(join(root, SAVED_LIVEPATCH_STATUS), savedStatus('5.15.0-52.58-generic'), {
        mode: 0o644,
      })
      const s = await readLocalSystem(root)
      expect(s.livepatch).toBeUndefined()
      expect(s.problems.map((p) => p.code)).toContain('SYS_LIVEPATCH_STALE')
    })
  })

  describe('when the saved file is not JSON', () => {
    it('reports SYS_LIVEPATCH_SYNTAX', async () => {
      await writeFile(join(root, SAVED_LIVEPATCH_STATUS), 'Machine is not enabled', { mode: 0o644 })
      const s = await readLocalSystem(root)
      expect(s.livepatch).toBeUndefined()
      expect(s.problems.map((p) => p.code)).toEqual(['SYS_LIVEPATCH_SYNTAX'])
    })
  })

  describe('when Livepatch is switched off for the read', () => {
    it('does not read the saved file', async () => {
      await writeFile(join(root, SAVED_LIVEPATCH_STATUS), savedStatus('5.15.0-52.58-generic'), {
        mode: 0o644,
      })
      const s = await readLocalSystem(root, { livepatch: false })
      expect(s.livepatch).toBeUndefined()
    })
  })
})

describe('isRunningKernel', () => {
  const running = {
    release: '6.8.0-40-generic',
    abi: '6.8.0-40',
    flavour: 'generic',
    packageVersion: '6.8.0-40.40',
    from: 'version_signature',
  } as const
  it('matches the same upload and flavour only', () => {
    expect(isRunningKernel('6.8.0-40.40-generic', running)).toBe(true)
    expect(isRunningKernel('6.8.0-40.41-generic', running)).toBe(false)
    expect(isRunningKernel('6.8.0-40.40-lowlatency', running)).toBe(false)
    expect(isRunningKernel('6.8.0-41.41-generic', running)).toBe(false)
    expect(isRunningKernel('garbage', running)).toBe(false)
  })
  it('matches by ABI and flavour when only uname -r is known', () => {
    const uname = { release: '6.8.0-40-generic', abi: '6.8.0-40', flavour: 'generic', from: 'uname' } as const
    expect(isRunningKernel('6.8.0-40.40-generic', uname)).toBe(true)
    expect(isRunningKernel('6.8.0-41.41-generic', uname)).toBe(false)
  })
})
