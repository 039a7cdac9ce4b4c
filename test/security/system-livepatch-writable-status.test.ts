/**
 * Attack: a user (or a group) who can write the saved Livepatch status claims Livepatch fixed a CVE, turning an
 * affected kernel into "fixed". A status file or folder writable by anyone but the root tree's owner is refused
 * (SYS_LIVEPATCH_UNSAFE) and counts for nothing; so is a symbolic link in its place.
 */
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readLocalSystem, SAVED_LIVEPATCH_STATUS } from '../../main/node/local-system'

const JAMMY = fileURLToPath(new URL('../fixtures/systems/jammy-kernel', import.meta.url))
const STATUS = JSON.stringify({
  status: [
    {
      kernel: '5.15.0-52.58-generic',
      running: true,
      livepatch: { checkState: 'checked', patchState: 'applied', fixes: '* CVE-2022-2588' },
    },
  ],
})

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeline-lp-attack-'))
  await cp(JAMMY, root, { recursive: true })
  await mkdir(join(root, 'var', 'lib', 'lifeline'), { recursive: true })
  await chmod(join(root, 'var', 'lib', 'lifeline'), 0o755)
})
afterEach(() => rm(root, { recursive: true, force: true }))

describe('a saved Livepatch status others can write', () => {
  it('is refused when the file is group- or world-writable', async () => {
    await writeFile(join(root, SAVED_LIVEPATCH_STATUS), STATUS)
    await chmod(join(root, SAVED_LIVEPATCH_STATUS), 0o666)
    const s = await readLocalSystem(root)
    expect(s.livepatch).toBeUndefined()
    expect(s.problems.map((p) => p.code)).toEqual(['SYS_LIVEPATCH_UNSAFE'])
  })
  it('is refused when its folder is world-writable (the file could be swapped)', async () => {
    await writeFile(join(root, SAVED_LIVEPATCH_STATUS), STATUS)
    await chmod(join(root, SAVED_LIVEPATCH_STATUS), 0o644)
    await chmod(join(root, 'var', 'lib', 'lifeline'), 0o777)
    const s = await readLocalSystem(root)
    expect(s.livepatch).toBeUndefined()
    expect(s.problems.map((p) => p.code)).toEqual(['SYS_LIVEPATCH_UNSAFE'])
  })
  it('is refused when it is a symbolic link to a file elsewhere', async () => {
    const elsewhere = join(root, 'etc', 'status.json')
    await writeFile(elsewhere, STATUS)
    await chmod(elsewhere, 0o644)
    await symlink(elsewhere, join(root, SAVED_LIVEPATCH_STATUS))
    const s = await readLocalSystem(root)
    expect(s.livepatch).toBeUndefined()
    expect(s.problems.map((p) => p.code)).toEqual(['SYS_LIVEPATCH_UNSAFE'])
  })
  it('is used when only the owner can write it (the control)', async () => {
    await writeFile(join(root, SAVED_LIVEPATCH_STATUS), STATUS)
    await chmod(join(root, SAVED_LIVEPATCH_STATUS), 0o644)
    const s = await readLocalSystem(root)
    expect(s.problems).toEqual([])
    expect(s.livepatch?.kernels[0]?.fixes).toEqual(['CVE-2022-2588'])
  })
})
