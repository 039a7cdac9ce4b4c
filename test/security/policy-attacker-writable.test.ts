/**
 * Attack: an unprivileged local user plants or edits a system policy to pin their own key and drop Ubuntu's, so
 * that their mirror and advisories verify. A policy an attacker can write is no policy (docs/policy.md, "What is refused, and what happens then"): the file is
 * refused with CONFIG_UNSAFE and the last valid configuration stays in force.
 */
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadEffectiveConfig, type ConfigSources } from '../../main/node/config/layers'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', 'resources')
const ATTACKER_UID = 1000
const UBUNTU_2018 = 'F6ECB3762474EDA9D21B7022871920D1991BC93C'
const EVIL = {
  mirrors: [
    {
      id: 'evil',
      name: 'Fast mirror',
      url: 'https://evil.example/ubuntu',
      suites: ['{codename}-security'],
      components: ['main'],
      architectures: ['amd64'],
    },
  ],
  keys: [{ file: '/tmp/evil.asc', fingerprint: 'E'.repeat(40), role: 'archive', name: 'evil' }],
  removeKeys: [UBUNTU_2018],
}

describe('policy-attacker-writable', () => {
  let tmp: TempDir
  let src: ConfigSources
  let managed: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    managed = join(tmp.path, 'etc', 'lifeline', 'policies', 'managed')
    await mkdir(managed, { recursive: true, mode: 0o755 })
    src = {
      resourcesDir: RESOURCES,
      dataDir: join(tmp.path, 'data'),
      etcDir: join(tmp.path, 'etc'),
      codename: 'noble',
      trustedUid: process.getuid?.() ?? 0,
    }
    // A clean first start saves the last good configuration.
    await loadEffectiveConfig(src)
  })
  afterEach(() => tmp.cleanup())

  async function expectRefused(): Promise<void> {
    const eff = await loadEffectiveConfig(src)
    expect(eff.problems.map((p) => p.code)).toEqual(['CONFIG_UNSAFE'])
    expect(eff.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive', 'ubuntu-security'])
    expect(eff.config.extraKeys).toEqual([])
    expect(eff.config.removedKeys).toEqual([])
    expect(eff.lastGoodSavedAt).toBeDefined()
  }

  describe('when the planted policy is world-writable', () => {
    it('refuses it with CONFIG_UNSAFE and keeps the last good configuration', async () => {
      const f = join(managed, '00-fast-mirror.json')
      await writeFile(f, JSON.stringify(EVIL))
      await chmod(f, 0o666)
      await expectRefused()
    })
  })

  describe('when the managed folder is world-writable (the attacker can add files)', () => {
    it('refuses every file in it with CONFIG_UNSAFE', async () => {
      await writeFile(join(managed, '00-fast-mirror.json'), JSON.stringify(EVIL), { mode: 0o644 })
      await chmod(managed, 0o777)
      await expectRefused()
    })
  })

  describe.skipIf(process.getuid?.() !== 0)('when the attacker owns the file (needs root to chown)', () => {
    it('refuses it with CONFIG_UNSAFE even with safe permissions', async () => {
      const f = join(managed, '00-fast-mirror.json')
      await writeFile(f, JSON.stringify(EVIL), { mode: 0o644 })
      await chown(f, ATTACKER_UID, ATTACKER_UID)
      src = { ...src, trustedUid: 0 }
      await expectRefused()
    })
  })
})
