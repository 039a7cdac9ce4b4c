import { describe, expect, it } from 'vitest'
import type { LayerFile, Origin } from '../../../../main/core/config/layer'
import {
  channelEnabled,
  channelSwitchLock,
  channelSwitchSource,
  configuredChannels,
  lockedUserRemoval,
  lockedUserValue,
  lockOf,
  mandatoryPaths,
  removeChannelsLock,
  userRemovedChannels,
  valueSource,
  winningValue,
  type ConfigView,
} from '../../../../main/core/config/locks'
import { mergeLayers } from '../../../../main/core/config/merge'
import type { PolicyFile } from '../../../../main/core/config/schema'
import type { AppConfig, ChannelConfig } from '../../../../main/core/model'

const file = (layer: LayerFile['layer'], locked: boolean, name: string, data: PolicyFile): LayerFile => ({
  layer,
  locked,
  file: name,
  data,
})

const policyChannel = (id: string) => ({
  id,
  name: id,
  type: 'osv' as const,
  urls: [`https://${id}.example/`],
})
const channel = (id: string): ChannelConfig => policyChannel(id)

const appConfig = (over: Partial<AppConfig> = {}): AppConfig => ({
  mirrors: [],
  channels: [],
  extraKeys: [],
  removedKeys: [],
  pollIntervalMs: 60 * 60_000,
  ...over,
})

const SYSTEM_LOCK: Origin = { layer: 'system', file: '/etc/lifeline/policy.json', locked: true }
const USER: Origin = { layer: 'user', locked: false }

describe('locks', () => {
  describe('mandatoryPaths', () => {
    it('names, per path, the highest mandatory file that sets it, and never a recommended or user file', () => {
      const locks = mandatoryPaths([
        file('system', false, 'recommended.json', { pollIntervalMinutes: 30 }),
        file('user', false, 'settings.json', { notificationLevel: 'alarm' }),
        file('build', true, 'build.json', { pollIntervalMinutes: 20, maxAgeHours: { security: 24 } }),
        file('system', true, 'system.json', { pollIntervalMinutes: 10, removeChannels: ['x'] }),
      ])
      expect([...locks.keys()].sort()).toEqual([
        'maxAgeHours.security',
        'pollIntervalMinutes',
        'removeChannels',
      ])
      expect(locks.get('pollIntervalMinutes')?.file).toBe('system.json')
      expect(locks.get('maxAgeHours.security')?.file).toBe('build.json')
      expect(removeChannelsLock(locks)).toEqual({ layer: 'system', file: 'system.json', locked: true })
    })
  })

  describe('lockedUserValue', () => {
    const locks = mandatoryPaths([file('system', true, 'system.json', { pollIntervalMinutes: 10 })])
    it('refuses the user file a locked value with CONFIG_LOCKED naming the locking file', () => {
      const user = file('user', false, 'settings.json', { pollIntervalMinutes: 5 })
      expect(lockedUserValue(locks, user, 'pollIntervalMinutes')).toEqual({
        file: 'settings.json',
        field: 'pollIntervalMinutes',
        reason: 'locked by the mandatory policy system.json; your setting is ignored',
        code: 'CONFIG_LOCKED',
      })
      expect(lockedUserValue(locks, user, 'notificationLevel')).toBeUndefined()
    })
    it('lets a policy file set a locked path (the higher layer simply wins)', () => {
      const recommended = file('build', false, 'build.json', { pollIntervalMinutes: 5 })
      expect(lockedUserValue(locks, recommended, 'pollIntervalMinutes')).toBeUndefined()
    })
  })

  describe('lockedUserRemoval', () => {
    const removal = { field: 'removeChannels', key: 'feed', user: true, file: 'settings.json' }
    it('refuses the user removing an entry a mandatory layer added, with CONFIG_LOCKED', () => {
      expect(lockedUserRemoval(removal, SYSTEM_LOCK)).toEqual({
        file: 'settings.json',
        field: 'removeChannels.feed',
        reason: 'locked by the mandatory policy /etc/lifeline/policy.json; your removal is ignored',
        code: 'CONFIG_LOCKED',
      })
    })
    it('lets the user remove a recommended entry, and a policy remove anything', () => {
      expect(lockedUserRemoval(removal, { layer: 'build', file: 'b.json', locked: false })).toBeUndefined()
      expect(lockedUserRemoval({ ...removal, user: false }, SYSTEM_LOCK)).toBeUndefined()
      expect(lockedUserRemoval(removal, undefined)).toBeUndefined()
    })
  })

  describe('values in force', () => {
    const view: ConfigView = {
      config: appConfig(),
      origins: {
        pollIntervalMinutes: SYSTEM_LOCK,
        notificationLevel: { layer: 'build', file: 'org.json', locked: false },
      },
    }
    it('says a locked value is locked, by which layer and file, and keeps the configured value', () => {
      expect(lockOf(view, 'pollIntervalMinutes')).toEqual(SYSTEM_LOCK)
      expect(winningValue(view, 'pollIntervalMinutes', 5, 60)).toBe(60)
      expect(valueSource(view, 'pollIntervalMinutes', true)).toEqual({
        layer: 'system',
        locked: true,
        file: '/etc/lifeline/policy.json',
      })
    })
    it("lets the user's value win over an unlocked layer, and names the layer file otherwise", () => {
      expect(lockOf(view, 'notificationLevel')).toBeUndefined()
      expect(winningValue(view, 'notificationLevel', 'alarm', 'attention')).toBe('alarm')
      expect(winningValue(view, 'notificationLevel', undefined, 'attention')).toBe('attention')
      expect(valueSource(view, 'notificationLevel', true)).toEqual({
        layer: 'user',
        locked: false,
        file: null,
      })
      expect(valueSource(view, 'notificationLevel', false)).toEqual({
        layer: 'build',
        locked: false,
        file: 'org.json',
      })
      expect(valueSource(view, 'allowAutostart', false)).toEqual({
        layer: 'default',
        locked: false,
        file: null,
      })
    })
    it('names the one --config file for every value when it stands alone', () => {
      const single: ConfigView = { config: appConfig(), file: '/srv/lab.json' }
      expect(valueSource(single, 'pollIntervalMinutes', false)).toEqual({
        layer: 'config-file',
        locked: false,
        file: '/srv/lab.json',
      })
      expect(valueSource(undefined, 'pollIntervalMinutes', false)).toEqual({
        layer: 'default',
        locked: false,
        file: null,
      })
    })
  })

  describe('advisory source switches', () => {
    const view: ConfigView = {
      config: appConfig({ channels: [channel('free'), channel('mandated')] }),
      origins: {
        'channels.free': { layer: 'default', file: 'default.json', locked: false },
        'channels.mandated': SYSTEM_LOCK,
        'removeChannels.mine': USER,
        'removeChannels.policy-off': { layer: 'build', file: 'org.json', locked: false },
      },
      removedChannels: [
        { channel: channel('mine'), by: USER },
        { channel: channel('policy-off'), by: { layer: 'build', file: 'org.json', locked: false } },
      ],
    }
    const userOff = userRemovedChannels(view)
    it('lists every configured source, the removed ones last, and the user removals', () => {
      expect(configuredChannels(view).map((c) => c.id)).toEqual(['free', 'mandated', 'mine', 'policy-off'])
      expect([...userOff]).toEqual(['mine'])
    })
    it('locks the switch of a source a mandatory policy adds, or any policy removes', () => {
      expect(channelSwitchLock(view, 'mandated')).toEqual(SYSTEM_LOCK)
      expect(channelSwitchLock(view, 'policy-off')).toEqual({
        layer: 'build',
        file: 'org.json',
        locked: true,
      })
      expect(channelSwitchSource(view, 'policy-off', userOff)).toEqual({
        layer: 'build',
        locked: true,
        file: 'org.json',
      })
      expect(channelEnabled(view, 'policy-off', userOff)).toBe(false)
    })
    it("leaves the user's own switches free, and says who decided", () => {
      expect(channelSwitchLock(view, 'mine')).toBeUndefined()
      expect(channelSwitchSource(view, 'mine', userOff)).toEqual({ layer: 'user', locked: false, file: null })
      expect(channelEnabled(view, 'mine', userOff)).toBe(false)
      expect(channelSwitchSource(view, 'free', userOff)).toEqual({
        layer: 'default',
        locked: false,
        file: 'default.json',
      })
      expect(channelEnabled(view, 'free', userOff)).toBe(true)
    })
    it('locks every switch when a mandatory policy sets removeChannels', () => {
      const all: ConfigView = { ...view, removeChannelsLockedBy: SYSTEM_LOCK }
      for (const id of ['free', 'mine', 'policy-off'])
        expect(channelSwitchLock(all, id), id).toEqual(SYSTEM_LOCK)
    })
  })

  describe('when the merge and the app read the same files', () => {
    it('agree on what is locked and by which file', () => {
      const eff = mergeLayers(
        [
          file('default', false, 'default.json', { channels: [policyChannel('osv')] }),
          file('user', false, 'settings.json', { pollIntervalMinutes: 5, removeChannels: ['feed'] }),
          file('system', true, '/etc/lifeline/policy.json', {
            pollIntervalMinutes: 30,
            channels: [policyChannel('feed')],
          }),
        ],
        { codename: 'noble' },
      )
      expect(eff.problems.map((p) => [p.field, p.code])).toEqual([
        ['pollIntervalMinutes', 'CONFIG_LOCKED'],
        ['removeChannels.feed', 'CONFIG_LOCKED'],
      ])
      expect(lockOf(eff, 'pollIntervalMinutes')?.file).toBe('/etc/lifeline/policy.json')
      expect(channelSwitchLock(eff, 'feed')?.file).toBe('/etc/lifeline/policy.json')
      expect(channelSwitchLock(eff, 'osv')).toBeUndefined()
      expect(channelEnabled(eff, 'feed', userRemovedChannels(eff))).toBe(true)
    })
  })
})
