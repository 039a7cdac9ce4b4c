/**
 * Attack: a policy file that sets one value twice. `JSON.parse` silently keeps the last one, so a reviewer who reads
 * `"allowClipboardCheck": false` at the top of a long policy approves a file that really says `true` further down
 * (or a mirror whose `url` is given twice). Duplicate keys are refused: CONFIG_INVALID naming the file and field,
 * and the last valid configuration stays in force.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parsePolicyText } from '../../main/core/config/schema'
import { loadEffectiveConfig, type ConfigSources } from '../../main/node/config/layers'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', 'resources')

describe('policy-duplicate-keys', () => {
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
    await loadEffectiveConfig(src)
  })
  afterEach(() => tmp.cleanup())

  describe('when a mandatory policy sets allowClipboardCheck twice', () => {
    it('refuses the file with CONFIG_INVALID on that field and keeps the last good configuration', async () => {
      const file = join(managed, '10-org.json')
      await writeFile(
        file,
        '{\n  "allowClipboardCheck": false,\n  "pollIntervalMinutes": 30,\n  "allowClipboardCheck": true\n}\n',
        { mode: 0o644 },
      )
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([
        expect.objectContaining({ file, field: 'allowClipboardCheck', code: 'CONFIG_INVALID' }),
      ])
      expect(eff.files.find((f) => f.file === file)?.status).toBe('refused')
      expect(eff.lastGoodSavedAt).toBeDefined()
      expect(eff.config.pollIntervalMs).toBe(60 * 60_000)
    })
  })

  describe('when a mirror entry gives its url twice', () => {
    it('names the nested field', () => {
      const text = JSON.stringify({ mirrors: [{ id: 'a' }, { id: 'b' }] }).replace(
        '"id":"b"',
        '"id":"b","url":"https://good.example/ubuntu","url":"http://evil.example/ubuntu"',
      )
      const r = parsePolicyText(text, 'p.json')
      expect(r.ok).toBe(false)
      expect(r.ok ? [] : r.problems).toEqual([
        expect.objectContaining({ file: 'p.json', field: 'mirrors[1].url', code: 'CONFIG_INVALID' }),
      ])
    })

    it('accepts equal keys in different objects (the test can fail)', () => {
      const r = parsePolicyText('{"helpdesk":{"name":"A"},"brandingText":"name"}', 'p.json')
      expect(r.ok).toBe(true)
    })
  })
})
