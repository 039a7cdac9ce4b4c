import { cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../main/core/ports'
import { createAppBackend, createAppEngine } from '../../main/node/app'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const REPO = join(import.meta.dirname, '..', '..')

describe('createAppEngine', () => {
  let dir: TempDir
  let resources: string

  beforeAll(async () => {
    dir = await makeTempDir()
    resources = join(dir.path, 'resources')
    await cp(join(REPO, 'resources', 'config'), join(resources, 'config'), { recursive: true })
    await cp(join(REPO, 'resources', 'keys'), join(resources, 'keys'), { recursive: true })
    await mkdir(join(resources, 'policy'), { recursive: true })
    await writeFile(
      join(resources, 'policy', 'org.json'),
      JSON.stringify({
        mirrors: [
          {
            id: 'org-mirror',
            name: 'Org mirror',
            url: 'https://ubuntu.mirror.example.org/ubuntu',
            suites: ['{codename}-security'],
            components: ['main'],
            architectures: ['amd64'],
          },
        ],
        pollIntervalMinutes: 30,
        helpdesk: { name: 'Example IT', email: 'it@example.org' },
      }),
    )
  })
  afterAll(() => dir.cleanup())

  describe('when no --config is given', () => {
    it('uses the layered configuration: a baked policy adds a locked mirror on top of the defaults', async () => {
      const r = await createAppEngine({
        dataDir: join(dir.path, 'data'),
        resourcesDir: resources,
        root: dir.path,
        codename: 'noble',
        log: silentLogger,
      })
      expect(r.ok).toBe(true)
      if (!r.ok) return
      const ids = r.value.config.mirrors.map((m) => m.id)
      expect(ids).toEqual(expect.arrayContaining(['ubuntu-archive', 'ubuntu-security', 'org-mirror']))
      expect(r.value.config.mirrors.find((m) => m.id === 'org-mirror')?.suites).toEqual(['noble-security'])
      expect(r.value.config.pollIntervalMs).toBe(30 * 60_000)
      expect(r.value.view.origins?.['pollIntervalMinutes']).toMatchObject({ layer: 'build', locked: true })
      expect(r.value.keyring.byRole('archive').length).toBeGreaterThan(0)
    })
  })

  describe('when the user changes a setting no policy locks', () => {
    it('saves it as the user layer, which the next start reads', async () => {
      const dataDir = join(dir.path, 'data-user')
      const backend = await createAppBackend({
        dataDir,
        resourcesDir: resources,
        root: dir.path,
        shell: 'browser',
      })
      expect(backend.ok).toBe(true)
      if (!backend.ok) return
      const set = await backend.value.handlers.setSetting('notificationLevel', 'alarm')
      expect(set.ok).toBe(true)
      const locked = await backend.value.handlers.setSetting('pollIntervalMinutes', 120)
      expect(locked).toMatchObject({ ok: false, code: 'SETTING_LOCKED' })
      backend.value.stop()
      const again = await createAppEngine({
        dataDir,
        resourcesDir: resources,
        root: dir.path,
        codename: 'noble',
        log: silentLogger,
      })
      expect(again.ok && again.value.config.notificationLevel).toBe('alarm')
      expect(again.ok && again.value.view.origins?.['notificationLevel']).toMatchObject({
        layer: 'user',
        locked: false,
      })
      expect(again.ok && again.value.config.pollIntervalMs).toBe(30 * 60_000)
    })
  })

  describe('when --config names a file', () => {
    it('uses that file alone', async () => {
      const file = join(dir.path, 'one.json')
      await writeFile(file, JSON.stringify({ pollIntervalMinutes: 15, mirrors: [] }))
      const r = await createAppEngine({
        dataDir: join(dir.path, 'data2'),
        resourcesDir: resources,
        configFile: file,
        root: dir.path,
        codename: 'noble',
        log: silentLogger,
      })
      expect(r.ok && r.value.config.mirrors).toEqual([])
    })
    it('returns CONFIG_INVALID with the file and field for a bad file', async () => {
      const file = join(dir.path, 'bad.json')
      await writeFile(file, JSON.stringify({ pollIntervalMinutes: 'hourly', mirrors: [] }))
      const r = await createAppEngine({
        dataDir: join(dir.path, 'data3'),
        resourcesDir: resources,
        configFile: file,
        root: dir.path,
        codename: 'noble',
        log: silentLogger,
      })
      expect(r).toMatchObject({ ok: false, code: 'CONFIG_INVALID' })
      if (!r.ok) expect(r.message).toContain('pollIntervalMinutes')
    })
  })
})
