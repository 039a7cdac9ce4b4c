import { chmod, chown, mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readConfigFile, unsafeReason } from '../../../../main/node/config/safe-file'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'

const isRoot = process.getuid?.() === 0
const OTHER_UID = 1000

describe('unsafeReason', () => {
  const rule = { uid: 0, trustRoot: '/etc/lifeline' }
  describe('when given stat values', () => {
    it('accepts root-owned 0644 and root-group 0664', () => {
      expect(unsafeReason({ uid: 0, gid: 0, mode: 0o100644 }, rule, 'f')).toBeUndefined()
      expect(unsafeReason({ uid: 0, gid: 0, mode: 0o100664 }, rule, 'f')).toBeUndefined()
    })
    it('refuses another owner, world-writable, and writable by a non-root group', () => {
      expect(unsafeReason({ uid: 1000, gid: 0, mode: 0o100644 }, rule, 'f')).toBe(
        'f is owned by uid 1000, not root',
      )
      expect(unsafeReason({ uid: 0, gid: 0, mode: 0o100666 }, rule, 'f')).toBe(
        'f is world-writable (mode 0666)',
      )
      expect(unsafeReason({ uid: 0, gid: 50, mode: 0o100664 }, rule, 'f')).toBe(
        'f is writable by group 50 (mode 0664)',
      )
    })
  })
})

describe('readConfigFile', () => {
  let tmp: TempDir
  let etc: string
  let managed: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    etc = join(tmp.path, 'lifeline')
    managed = join(etc, 'policies', 'managed')
    await mkdir(managed, { recursive: true, mode: 0o755 })
    await chmod(etc, 0o755)
    await chmod(join(etc, 'policies'), 0o755)
  })
  afterEach(() => tmp.cleanup())
  const rule = () => ({ uid: process.getuid?.() ?? 0, trustRoot: etc })

  describe('when the file and its folders are owned by the trusted uid', () => {
    it('returns the text', async () => {
      await writeFile(join(managed, 'a.json'), '{}', { mode: 0o644 })
      expect(await readConfigFile(join(managed, 'a.json'), rule())).toEqual({ ok: true, text: '{}' })
    })
  })

  describe('when the file is world-writable', () => {
    it('refuses it with CONFIG_UNSAFE', async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}')
      await chmod(f, 0o666)
      expect(await readConfigFile(f, rule())).toEqual({
        ok: false,
        code: 'CONFIG_UNSAFE',
        reason: 'refused: the file is world-writable (mode 0666)',
      })
    })
  })

  describe('when a folder between the file and the policy root is world-writable', () => {
    it('refuses it with CONFIG_UNSAFE naming the folder', async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}', { mode: 0o644 })
      await chmod(join(etc, 'policies'), 0o777)
      expect(await readConfigFile(f, rule())).toEqual({
        ok: false,
        code: 'CONFIG_UNSAFE',
        reason: `refused: folder ${join(etc, 'policies')} is world-writable (mode 0777)`,
      })
    })
  })

  describe('when a folder above the file is world-writable but sticky, like /tmp', () => {
    it('accepts it: nobody else can rename the folder below', async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}', { mode: 0o644 })
      await chmod(join(etc, 'policies'), 0o1777)
      expect(await readConfigFile(f, rule())).toEqual({ ok: true, text: '{}' })
    })

    it("refuses it when it is the file's own folder (anyone could add a policy there)", async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}', { mode: 0o644 })
      await chmod(managed, 0o1777)
      expect(await readConfigFile(f, rule())).toMatchObject({ ok: false, code: 'CONFIG_UNSAFE' })
    })
  })

  describe('when the file is a symbolic link', () => {
    it('refuses it with CONFIG_UNSAFE', async () => {
      await writeFile(join(tmp.path, 'elsewhere.json'), '{}', { mode: 0o644 })
      await symlink(join(tmp.path, 'elsewhere.json'), join(managed, 'a.json'))
      const r = await readConfigFile(join(managed, 'a.json'), rule())
      expect(r).toMatchObject({ ok: false, code: 'CONFIG_UNSAFE' })
    })
  })

  describe.skipIf(!isRoot)('when owned by an unprivileged user (needs root to chown)', () => {
    it('refuses a file not owned by root', async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}', { mode: 0o644 })
      await chown(f, OTHER_UID, OTHER_UID)
      expect(await readConfigFile(f, { uid: 0, trustRoot: etc })).toEqual({
        ok: false,
        code: 'CONFIG_UNSAFE',
        reason: `refused: the file is owned by uid ${OTHER_UID}, not root`,
      })
    })
    it('refuses a root-owned file in a folder owned by another user', async () => {
      const f = join(managed, 'a.json')
      await writeFile(f, '{}', { mode: 0o644 })
      await chown(managed, OTHER_UID, OTHER_UID)
      expect(await readConfigFile(f, { uid: 0, trustRoot: etc })).toEqual({
        ok: false,
        code: 'CONFIG_UNSAFE',
        reason: `refused: folder ${managed} is owned by uid ${OTHER_UID}, not root`,
      })
    })
  })

  describe('when the file is missing, too large or not UTF-8', () => {
    it('reports CONFIG_UNREADABLE or CONFIG_INVALID without throwing', async () => {
      expect(await readConfigFile(join(managed, 'none.json'))).toEqual({
        ok: false,
        code: 'CONFIG_UNREADABLE',
        reason: 'cannot read: no such file',
      })
      await writeFile(join(managed, 'big.json'), Buffer.alloc(1024 * 1024 + 1, 0x20))
      expect(await readConfigFile(join(managed, 'big.json'))).toMatchObject({ code: 'CONFIG_UNREADABLE' })
      await writeFile(join(managed, 'bin.json'), Buffer.from([0xff, 0xfe, 0x7b]))
      expect(await readConfigFile(join(managed, 'bin.json'))).toMatchObject({ code: 'CONFIG_INVALID' })
    })
  })
})
