/**
 * The two OSV channels are on by default; the user can turn each off (`removeChannels` in settings.json) unless a
 * mandatory policy keeps it, and a policy can turn them off for everyone. Each says what it sends.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { channelPrivacyNote } from '../../../../main/core/advisories/privacy'
import { mergeLayers, type LayerFile } from '../../../../main/core/config/merge'
import { validatePolicy, type PolicyFile } from '../../../../main/core/config/schema'

const DEFAULT_FILE = join(import.meta.dirname, '..', '..', '..', '..', 'resources', 'config', 'default.json')
const parsed = validatePolicy(JSON.parse(readFileSync(DEFAULT_FILE, 'utf8')), 'default.json')
if (!parsed.ok) throw new Error('resources/config/default.json does not validate')
const defaults: LayerFile = { layer: 'default', locked: false, file: 'default.json', data: parsed.data }

const layer = (l: LayerFile['layer'], locked: boolean, data: PolicyFile): LayerFile => ({
  layer: l,
  locked,
  file: `${l}${locked ? '-managed' : ''}.json`,
  data,
})
const ids = (files: LayerFile[]) => mergeLayers(files, { codename: 'noble' }).config.channels.map((c) => c.id)

describe('the OSV channels in the default configuration', () => {
  it('are on by default, beside the notices API', () => {
    expect(ids([defaults])).toEqual(['ubuntu-notices-api', 'osv-dev-api', 'ubuntu-osv-github'])
  })

  it('can each be turned off by the user', () => {
    expect(ids([defaults, layer('user', false, { removeChannels: ['osv-dev-api'] })])).toEqual([
      'ubuntu-notices-api',
      'ubuntu-osv-github',
    ])
  })

  it('can be turned off for everyone by a policy', () => {
    expect(
      ids([defaults, layer('system', true, { removeChannels: ['osv-dev-api', 'ubuntu-osv-github'] })]),
    ).toEqual(['ubuntu-notices-api'])
  })

  it('stay on when a mandatory policy sets them, and the user removal is reported as locked', () => {
    const osv = parsed.data.channels?.find((c) => c.id === 'osv-dev-api')
    if (!osv) throw new Error('no osv-dev-api in defaults')
    const merged = mergeLayers(
      [
        defaults,
        layer('system', true, { channels: [osv] }),
        layer('user', false, { removeChannels: ['osv-dev-api'] }),
      ],
      { codename: 'noble' },
    )
    expect(merged.config.channels.map((c) => c.id)).toContain('osv-dev-api')
    expect(merged.problems.map((p) => p.code)).toContain('CONFIG_LOCKED')
  })
})

describe('channelPrivacyNote', () => {
  it('says the OSV.dev query sends installed source packages and the release to the named host', () => {
    const note = channelPrivacyNote('osv-api', ['https://api.osv.dev'])
    expect(note).toContain('installed source packages')
    expect(note).toContain('api.osv.dev')
    expect(note).toContain('Nothing else about this computer is sent')
  })
  it('says a plain download channel sends nothing about the computer', () => {
    expect(channelPrivacyNote('usn-api', ['https://ubuntu.com/security/notices.json'])).toContain(
      'sends nothing about this computer',
    )
  })
})
