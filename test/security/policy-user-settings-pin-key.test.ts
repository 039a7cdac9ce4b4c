/**
 * Attack: a program running as the user (no root needed) writes the user's settings.json to pin its own archive
 * key and add its own mirror, so that its packages verify. Keys are trust anchors: they come only from the built-in
 * keyring, the policy layers and an explicit --config file. The user's `keys` are ignored and reported
 * (CONFIG_POLICY_ONLY), never pinned; the user's mirror is kept, since its Release must still verify against the
 * keys the user cannot add.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { effectiveKeyring } from '../../main/node/engine'
import { builtInKeysDir, loadKeyringFromManifest } from '../../main/node/keys'
import { loadEffectiveConfig, writeUserSettings, type ConfigSources } from '../../main/node/config/layers'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { testKey } from '../unit/core/pgp/pgp-test-kit'

const RESOURCES = join(__dirname, '..', '..', 'resources')
const KEY_FILE = join(__dirname, '..', 'fixtures', 'keys', 'test-only-archive-ed25519.pub.asc')

describe('policy-user-settings-pin-key', () => {
  let tmp: TempDir
  let src: ConfigSources
  let fingerprint: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    src = {
      resourcesDir: RESOURCES,
      dataDir: join(tmp.path, 'data'),
      etcDir: join(tmp.path, 'etc'),
      codename: 'noble',
      trustedUid: process.getuid?.() ?? 0,
    }
    fingerprint = (await testKey('test-only-archive-ed25519')).fingerprint
  })
  afterEach(() => tmp.cleanup())

  const settings = () => ({
    mirrors: [
      {
        id: 'fast',
        name: 'Fast mirror',
        url: 'http://fast.example/ubuntu',
        suites: ['{codename}-security'],
        components: ['main'],
        architectures: ['amd64'],
      },
    ],
    keys: [{ file: KEY_FILE, fingerprint, role: 'archive', name: 'Fast mirror key' }],
  })

  describe("when the user's settings.json pins an archive key", () => {
    it('ignores the key with CONFIG_POLICY_ONLY and keeps only the built-in keys', async () => {
      await mkdir(src.dataDir, { recursive: true })
      const file = join(src.dataDir, 'settings.json')
      await writeFile(file, JSON.stringify(settings()))
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([
        expect.objectContaining({ file, field: 'keys', code: 'CONFIG_POLICY_ONLY' }),
      ])
      expect(eff.config.extraKeys).toEqual([])
      // Mirrors can only add evidence: the user's one is kept.
      expect(eff.config.mirrors.map((m) => m.id)).toContain('fast')
      const ring = await effectiveKeyring(
        await loadKeyringFromManifest(builtInKeysDir({ LIFELINE_RESOURCES: RESOURCES })),
        eff.config,
        join(RESOURCES, 'keys'),
      )
      expect(ring.byFingerprint(fingerprint)).toBeUndefined()
      expect(ring.keys).toHaveLength(2)
    })

    it('refuses to write such settings (CONFIG_POLICY_ONLY)', async () => {
      const r = await writeUserSettings(src.dataDir, settings() as Parameters<typeof writeUserSettings>[1])
      expect(r.ok).toBe(false)
      expect(r.ok ? [] : r.problems.map((p) => [p.field, p.code])).toEqual([['keys', 'CONFIG_POLICY_ONLY']])
    })
  })

  describe('when a system policy pins the same key (the test can fail)', () => {
    it('pins it', async () => {
      const managed = join(src.etcDir as string, 'lifeline', 'policies', 'managed')
      await mkdir(managed, { recursive: true, mode: 0o755 })
      await copyFile(KEY_FILE, join(managed, 'fast.asc'))
      await writeFile(
        join(managed, '10-org.json'),
        JSON.stringify({ keys: [{ file: 'fast.asc', fingerprint, role: 'archive', name: 'Org key' }] }),
        { mode: 0o644 },
      )
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([])
      expect(eff.config.extraKeys.map((k) => k.fingerprint)).toEqual([fingerprint])
    })
  })
})
