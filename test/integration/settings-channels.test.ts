/**
 * Turning advisory sources on and off in Settings (`setChannelEnabled`): the real layered configuration in temporary
 * folders, the user's `removeChannels` written through the user-settings writer and read back by the next start,
 * and every refusal a policy causes (SETTING_LOCKED with the helpdesk's name).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../main/core/ports'
import { createAppBackend, createAppEngine } from '../../main/node/app'
import { invokeHandler } from '../../main/node/handlers'
import type { SettingsDto } from '../../preload/contract/dto'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const REPO = join(import.meta.dirname, '..', '..')
let dir: TempDir
let n = 0

/** A resources folder with the real defaults and keys, plus the given policy files (name → JSON). */
async function resources(policies: Record<string, unknown> = {}): Promise<string> {
  const r = join(dir.path, `resources-${++n}`)
  await cp(join(REPO, 'resources', 'config'), join(r, 'config'), { recursive: true })
  await cp(join(REPO, 'resources', 'keys'), join(r, 'keys'), { recursive: true })
  for (const [name, body] of Object.entries(policies)) {
    await mkdir(join(r, 'policy', 'recommended'), { recursive: true })
    await writeFile(join(r, 'policy', name), JSON.stringify(body))
  }
  return r
}

async function backendFor(resourcesDir: string, dataDir: string, configFile?: string) {
  const b = await createAppBackend({ dataDir, resourcesDir, root: dir.path, shell: 'browser', configFile })
  if (!b.ok) throw new Error(b.message)
  return b.value
}

const channel = (s: SettingsDto, id: string) => s.channels.find((c) => c.id === id)

beforeAll(async () => {
  dir = await makeTempDir()
})
afterAll(() => dir.cleanup())

describe('setChannelEnabled', () => {
  describe('when no policy decides about the source', () => {
    it('writes the user removal, the next start leaves the source out, and turning it on again restores it', async () => {
      const res = await resources()
      const dataDir = join(dir.path, 'data-toggle')
      const b = await backendFor(res, dataDir)
      const before = await b.handlers.getSettings()
      expect(before.ok && channel(before.value, 'osv-dev-api')).toMatchObject({
        enabled: true,
        switchOrigin: { locked: false },
      })
      const off = await b.handlers.setChannelEnabled('osv-dev-api', false)
      expect(off.ok && channel(off.value, 'osv-dev-api')).toMatchObject({
        enabled: false,
        switchOrigin: { layer: 'user', locked: false },
      })
      const saved = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >
      expect(saved['removeChannels']).toEqual(['osv-dev-api'])
      b.stop()

      const engine = await createAppEngine({
        dataDir,
        resourcesDir: res,
        root: dir.path,
        codename: 'noble',
        log: silentLogger,
      })
      expect(engine.ok && engine.value.config.channels.map((c) => c.id)).toEqual([
        'ubuntu-notices-api',
        'ubuntu-osv-github',
      ])

      // Still listed (as off) after a restart, so it can be turned on again.
      const b2 = await backendFor(res, dataDir)
      const listed = await b2.handlers.getSettings()
      expect(listed.ok && channel(listed.value, 'osv-dev-api')?.enabled).toBe(false)
      const on = await b2.handlers.setChannelEnabled('osv-dev-api', true)
      expect(on.ok && channel(on.value, 'osv-dev-api')?.enabled).toBe(true)
      b2.stop()
      const again = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >
      expect(again['removeChannels']).toEqual([])
    })

    it('keeps the user’s other settings in the file', async () => {
      const res = await resources()
      const dataDir = join(dir.path, 'data-keep')
      const b = await backendFor(res, dataDir)
      await b.handlers.setSetting('notificationLevel', 'alarm')
      await b.handlers.setChannelEnabled('ubuntu-osv-github', false)
      b.stop()
      const saved = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >
      expect(saved).toMatchObject({ notificationLevel: 'alarm', removeChannels: ['ubuntu-osv-github'] })
    })
  })

  describe('when a mandatory policy sets removeChannels', () => {
    it('refuses every switch with SETTING_LOCKED and names the helpdesk', async () => {
      const res = await resources({
        'org.json': { removeChannels: ['osv-dev-api'], helpdesk: { name: 'Example IT', phone: '555-0100' } },
      })
      const b = await backendFor(res, join(dir.path, 'data-locked'))
      const s = await b.handlers.getSettings()
      expect(s.ok && channel(s.value, 'osv-dev-api')).toMatchObject({
        enabled: false,
        switchOrigin: { layer: 'build', locked: true },
      })
      expect(s.ok && channel(s.value, 'ubuntu-osv-github')?.switchOrigin.locked).toBe(true)
      const on = await b.handlers.setChannelEnabled('osv-dev-api', true)
      expect(on).toMatchObject({ ok: false, code: 'SETTING_LOCKED' })
      expect(!on.ok && on.message).toContain('Example IT')
      const off = await b.handlers.setChannelEnabled('ubuntu-osv-github', false)
      expect(off).toMatchObject({ ok: false, code: 'SETTING_LOCKED' })
      b.stop()
    })
  })

  describe('when a mandatory policy adds the source', () => {
    it('cannot be turned off by the user', async () => {
      const res = await resources({
        'org.json': {
          channels: [
            { id: 'org-feed', name: 'Org feed', type: 'osv', urls: ['https://feed.example.org/osv.json'] },
          ],
        },
      })
      const b = await backendFor(res, join(dir.path, 'data-added'))
      expect(await b.handlers.setChannelEnabled('org-feed', false)).toMatchObject({
        ok: false,
        code: 'SETTING_LOCKED',
      })
      // The defaults stay the user's to switch.
      expect((await b.handlers.setChannelEnabled('osv-dev-api', false)).ok).toBe(true)
      b.stop()
    })
  })

  describe('when a recommended policy removes the source', () => {
    it('is listed as off and cannot be turned on (removals of every layer apply)', async () => {
      const res = await resources()
      await mkdir(join(res, 'policy', 'recommended'), { recursive: true })
      await writeFile(
        join(res, 'policy', 'recommended', 'org.json'),
        JSON.stringify({ removeChannels: ['ubuntu-osv-github'] }),
      )
      const b = await backendFor(res, join(dir.path, 'data-recommended'))
      const s = await b.handlers.getSettings()
      expect(s.ok && channel(s.value, 'ubuntu-osv-github')).toMatchObject({
        enabled: false,
        switchOrigin: { layer: 'build', locked: true },
      })
      expect(await b.handlers.setChannelEnabled('ubuntu-osv-github', true)).toMatchObject({
        code: 'SETTING_LOCKED',
      })
      b.stop()
    })
  })

  describe('when the id is not a configured source', () => {
    it('is CHANNEL_UNKNOWN; a URL, a path or a non-boolean never reaches the backend', async () => {
      const b = await backendFor(await resources(), join(dir.path, 'data-unknown'))
      expect(await b.handlers.setChannelEnabled('no-such-source', false)).toMatchObject({
        ok: false,
        code: 'CHANNEL_UNKNOWN',
      })
      for (const args of [
        ['https://osv.dev/', false],
        ['../settings', false],
        ['osv-dev-api', 'false'],
        ['osv-dev-api'],
        ['OSV-DEV-API', true],
      ]) {
        expect(await invokeHandler(b.handlers, 'setChannelEnabled', args)).toMatchObject({
          code: 'API_BAD_ARGUMENT',
        })
      }
      expect(await invokeHandler(b.handlers, 'setChannelEnabled', ['osv-dev-api', false])).toMatchObject({
        ok: true,
      })
      b.stop()
    })
  })

  describe('when one --config file stands alone', () => {
    it('is SETTING_UNAVAILABLE and names the file', async () => {
      const file = join(dir.path, 'one.json')
      await writeFile(
        file,
        JSON.stringify({
          mirrors: [],
          channels: [{ id: 'one', name: 'One', type: 'osv', urls: ['https://feed.example.org/osv.json'] }],
        }),
      )
      const b = await backendFor(await resources(), join(dir.path, 'data-one'), file)
      const r = await b.handlers.setChannelEnabled('one', false)
      expect(r).toMatchObject({ ok: false, code: 'SETTING_UNAVAILABLE' })
      expect(!r.ok && r.message).toContain('one.json')
      b.stop()
    })
  })
})
