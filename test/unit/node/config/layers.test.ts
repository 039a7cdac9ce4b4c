import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  loadEffectiveConfig,
  writeUserSettings,
  type ConfigSources,
} from '../../../../main/node/config/layers'
import { makeTempDir, type TempDir } from '../../../support/temp-dir'

const REPO_RESOURCES = join(__dirname, '..', '..', '..', '..', 'resources')
const ORG_FPR = 'C'.repeat(40)

function mirror(id: string, url = `https://${id}.example.org/ubuntu`) {
  return {
    id,
    name: id,
    url,
    suites: ['{codename}-security'],
    components: ['main'],
    architectures: ['amd64'],
  }
}

describe('loadEffectiveConfig', () => {
  let tmp: TempDir
  let src: ConfigSources
  let etc: string
  beforeEach(async () => {
    tmp = await makeTempDir()
    etc = join(tmp.path, 'etc')
    src = {
      resourcesDir: join(tmp.path, 'resources'),
      dataDir: join(tmp.path, 'data'),
      etcDir: etc,
      codename: 'noble',
      trustedUid: process.getuid?.() ?? 0,
      now: () => Date.parse('2026-05-01T00:00:00Z'),
    }
    await put(join(src.resourcesDir, 'config', 'default.json'), {
      pollIntervalMinutes: 60,
      mirrors: [mirror('ubuntu-archive', 'http://archive.ubuntu.com/ubuntu')],
      channels: [],
    })
  })
  afterEach(() => tmp.cleanup())

  async function put(file: string, json: unknown, mode = 0o644): Promise<void> {
    await mkdir(dirname(file), { recursive: true, mode: 0o755 })
    await writeFile(file, typeof json === 'string' ? json : JSON.stringify(json))
    await chmod(file, mode)
  }
  const managed = (name: string) => join(etc, 'lifeline', 'policies', 'managed', name)
  const recommended = (name: string) => join(etc, 'lifeline', 'policies', 'recommended', name)

  describe('when every layer has a file', () => {
    it("merges them in precedence order and records each value's origin and lock", async () => {
      await put(join(src.resourcesDir, 'policy', 'org.json'), {
        mirrors: [mirror('org-mirror')],
        helpdesk: { name: 'Example IT', email: 'it@example.org' },
      })
      await put(join(src.resourcesDir, 'policy', 'recommended', 'rec.json'), { pollIntervalMinutes: 20 })
      await put(recommended('10-site.json'), { pollIntervalMinutes: 30 })
      await put(managed('10-site.json'), { notificationLevel: 'alarm' })
      await put(join(etc, 'lifeline', 'policy.json'), { brandingText: 'Example University' })
      await put(join(src.dataDir, 'settings.json'), { pollIntervalMinutes: 15, notificationLevel: 'none' })

      const eff = await loadEffectiveConfig(src)
      expect(eff.config.pollIntervalMs).toBe(15 * 60_000)
      expect(eff.origins.pollIntervalMinutes).toEqual({
        layer: 'user',
        file: join(src.dataDir, 'settings.json'),
        locked: false,
      })
      expect(eff.config.notificationLevel).toBe('alarm')
      expect(eff.origins.notificationLevel).toEqual({
        layer: 'system',
        file: managed('10-site.json'),
        locked: true,
      })
      expect(eff.config.brandingText).toBe('Example University')
      expect(eff.config.helpdesk).toEqual({ name: 'Example IT', email: 'it@example.org' })
      expect(eff.origins.helpdesk?.locked).toBe(true)
      expect(eff.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive', 'org-mirror'])
      expect(eff.config.mirrors[1]?.suites).toEqual(['noble-security'])
      expect(eff.problems).toEqual([
        {
          file: join(src.dataDir, 'settings.json'),
          field: 'notificationLevel',
          reason: `locked by the mandatory policy ${managed('10-site.json')}; your setting is ignored`,
          code: 'CONFIG_LOCKED',
        },
      ])
      expect(eff.files.map((f) => `${f.layer}:${f.locked}:${f.status}`)).toEqual([
        'default:false:loaded',
        'build:false:loaded',
        'system:false:loaded',
        'user:false:loaded',
        'build:true:loaded',
        'system:true:loaded',
        'system:true:loaded',
      ])
      expect(eff.lastGoodSavedAt).toBeUndefined()
    })
  })

  describe('when a system policy pins a key by a relative path', () => {
    it("resolves it against the policy's own folder", async () => {
      await put(managed('org.json'), {
        keys: [{ file: 'org-advisory.asc', fingerprint: ORG_FPR, role: 'advisory', name: 'Org' }],
      })
      await put(managed('org-advisory.asc'), 'not really a key')
      const eff = await loadEffectiveConfig(src)
      expect(eff.config.extraKeys).toEqual([
        { file: managed('org-advisory.asc'), fingerprint: ORG_FPR, role: 'advisory', name: 'Org' },
      ])
    })

    it('refuses the policy when the key file is world-writable (CONFIG_UNSAFE)', async () => {
      await put(managed('org.json'), {
        keys: [{ file: 'org-advisory.asc', fingerprint: ORG_FPR, role: 'advisory', name: 'Org' }],
      })
      await put(managed('org-advisory.asc'), 'x', 0o666)
      const eff = await loadEffectiveConfig(src)
      expect(eff.config.extraKeys).toEqual([])
      expect(eff.problems.map((p) => [p.field, p.code])).toEqual([['keys[0].file', 'CONFIG_UNSAFE']])
    })
  })

  describe('when a system policy becomes invalid after a good load', () => {
    it('keeps the last valid configuration in force and reports file, field and reason', async () => {
      await put(managed('org.json'), {
        mirrors: [mirror('org-mirror')],
        keys: [{ file: '/k/org.asc', fingerprint: ORG_FPR, role: 'advisory', name: 'Org' }],
      })
      const good = await loadEffectiveConfig(src)
      expect(good.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive', 'org-mirror'])

      // The admin breaks the file, and another file removes the org key: the removal still applies.
      await put(managed('org.json'), { mirrors: [{ ...mirror('org-mirror'), url: 'gopher://x' }] })
      await put(managed('zz-revoke.json'), { removeKeys: [ORG_FPR] })
      const eff = await loadEffectiveConfig(src)
      expect(eff.lastGoodSavedAt).toBe('2026-05-01T00:00:00.000Z')
      expect(eff.config.mirrors).toEqual(good.config.mirrors)
      expect(eff.config.extraKeys).toEqual([])
      expect(eff.config.removedKeys).toEqual([ORG_FPR])
      expect(eff.problems).toEqual([
        {
          file: managed('org.json'),
          field: 'mirrors[0].url',
          reason: 'must be an http:, https: or file: URL',
          code: 'CONFIG_INVALID',
        },
      ])
    })
  })

  describe('when a system policy is world-writable', () => {
    it('refuses it (CONFIG_UNSAFE) and, with no last good configuration, ignores it', async () => {
      await put(managed('evil.json'), { mirrors: [mirror('evil')] }, 0o666)
      const eff = await loadEffectiveConfig(src)
      expect(eff.config.mirrors.map((m) => m.id)).toEqual(['ubuntu-archive'])
      expect(eff.problems).toEqual([
        {
          file: managed('evil.json'),
          field: '',
          reason: 'refused: the file is world-writable (mode 0666)',
          code: 'CONFIG_UNSAFE',
        },
      ])
      expect(eff.files.find((f) => f.file === managed('evil.json'))?.status).toBe('refused')
    })
  })

  describe('when the user settings are invalid', () => {
    it('ignores only the user file and still applies new policy', async () => {
      await loadEffectiveConfig(src)
      await put(join(src.dataDir, 'settings.json'), '{ "pollIntervalMinutes": "often" }')
      await put(recommended('a.json'), { pollIntervalMinutes: 45 })
      const eff = await loadEffectiveConfig(src)
      expect(eff.lastGoodSavedAt).toBeUndefined()
      expect(eff.config.pollIntervalMs).toBe(45 * 60_000)
      expect(eff.problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
        'pollIntervalMinutes: Invalid input: expected number, received string',
      ])
    })
  })

  describe('when the built-in defaults are missing', () => {
    it('reports CONFIG_UNREADABLE for default.json', async () => {
      const eff = await loadEffectiveConfig({ ...src, resourcesDir: join(tmp.path, 'nowhere') })
      expect(eff.problems.map((p) => p.code)).toEqual(['CONFIG_UNREADABLE'])
    })
  })

  describe("when reading the repository's own resources", () => {
    it('loads the real default.json with no problem', async () => {
      const eff = await loadEffectiveConfig({ ...src, resourcesDir: REPO_RESOURCES, saveLastGood: false })
      expect(eff.problems).toEqual([])
      expect(eff.config.mirrors.map((m) => m.id)).toContain('ubuntu-archive')
      expect(eff.origins['mirrors.ubuntu-archive']?.layer).toBe('default')
    })
  })
})

describe('writeUserSettings', () => {
  let tmp: TempDir
  beforeEach(async () => {
    tmp = await makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  describe('when the settings are valid', () => {
    it('writes settings.json, which the loader then reads as the user layer', async () => {
      expect(await writeUserSettings(join(tmp.path, 'data'), { pollIntervalMinutes: 15 })).toEqual({
        ok: true,
      })
      const eff = await loadEffectiveConfig({
        resourcesDir: REPO_RESOURCES,
        dataDir: join(tmp.path, 'data'),
        etcDir: join(tmp.path, 'etc'),
        codename: 'noble',
        saveLastGood: false,
      })
      expect(eff.config.pollIntervalMs).toBe(15 * 60_000)
      expect(eff.origins.pollIntervalMinutes?.layer).toBe('user')
    })
  })

  describe('when the settings are invalid or policy-only', () => {
    it('writes nothing and returns the problems', async () => {
      const data = join(tmp.path, 'data')
      const bad = await writeUserSettings(data, { pollIntervalMinutes: 1 })
      expect(bad).toMatchObject({
        ok: false,
        problems: [{ field: 'pollIntervalMinutes', code: 'CONFIG_INVALID' }],
      })
      const only = await writeUserSettings(data, { brandingText: 'mine' })
      expect(only).toMatchObject({
        ok: false,
        problems: [{ field: 'brandingText', code: 'CONFIG_POLICY_ONLY' }],
      })
      await expect(readFile(join(data, 'settings.json'))).rejects.toThrow()
    })
  })
})
