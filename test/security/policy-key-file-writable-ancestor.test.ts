/**
 * Attack: a system policy pins a key file whose own folder is safe, but a folder above it is world-writable. Whoever
 * can write that folder can rename the safe folder away and put their own in its place, with their own key. Only
 * the key file's own folder used to be checked. Now its whole path is checked as for policy files: the system
 * policy is refused with CONFIG_UNSAFE on `keys[0].file`, and the last valid configuration stays in force.
 */
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadEffectiveConfig, type ConfigSources } from '../../main/node/config/layers'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { testKey } from '../unit/core/pgp/pgp-test-kit'

const RESOURCES = join(__dirname, '..', '..', 'resources')
const KEY = join(__dirname, '..', 'fixtures', 'keys', 'test-only-advisory-ed25519.pub.asc')

describe('policy-key-file-writable-ancestor', () => {
  let tmp: TempDir
  let src: ConfigSources
  let policy: string
  let keystore: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    const managed = join(tmp.path, 'etc', 'lifeline', 'policies', 'managed')
    await mkdir(managed, { recursive: true, mode: 0o755 })
    keystore = join(tmp.path, 'keystore')
    await mkdir(join(keystore, 'org'), { recursive: true, mode: 0o755 })
    await copyFile(KEY, join(keystore, 'org', 'org.asc'))
    src = {
      resourcesDir: RESOURCES,
      dataDir: join(tmp.path, 'data'),
      etcDir: join(tmp.path, 'etc'),
      codename: 'noble',
      trustedUid: process.getuid?.() ?? 0,
    }
    await loadEffectiveConfig(src)
    const { fingerprint } = await testKey('test-only-advisory-ed25519')
    policy = join(managed, '10-org.json')
    const keys = [{ file: join(keystore, 'org', 'org.asc'), fingerprint, role: 'advisory', name: 'Org' }]
    await writeFile(policy, JSON.stringify({ keys }), { mode: 0o644 })
  })
  afterEach(() => tmp.cleanup())

  describe("when the key file's grandparent folder is world-writable", () => {
    it('refuses the policy with CONFIG_UNSAFE on keys[0].file', async () => {
      await chmod(keystore, 0o777)
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([
        expect.objectContaining({ file: policy, field: 'keys[0].file', code: 'CONFIG_UNSAFE' }),
      ])
      expect(eff.problems[0]?.reason).toContain(`folder ${keystore} is world-writable`)
      expect(eff.config.extraKeys).toEqual([])
      expect(eff.lastGoodSavedAt).toBeDefined()
    })
  })

  describe('when every folder on the path is safe (the test can fail)', () => {
    it('pins the key', async () => {
      await chmod(keystore, 0o755)
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([])
      expect(eff.config.extraKeys).toHaveLength(1)
    })
  })
})
