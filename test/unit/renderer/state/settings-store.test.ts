import { describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../../../renderer/src/state/settings-store'
import { fakeApi, flush, settingsDto } from '../fake-api'

describe('settings store', () => {
  describe('when started', () => {
    it('loads the settings and follows changes main pushes (e.g. a pause from the tray)', async () => {
      const f = fakeApi({ getSettings: async () => ({ ok: true, value: settingsDto() }) })
      const store = createSettingsStore(f.api)
      store.getState().start()
      await flush()
      expect(store.getState().settings?.pollIntervalMinutes.value).toBe(60)
      f.emit('onSettingsChanged', settingsDto({ notificationsPausedUntil: '2026-01-01T08:00:00.000Z' }))
      expect(store.getState().settings?.notificationsPausedUntil).toBe('2026-01-01T08:00:00.000Z')
    })
  })
  describe('when a locked setting is changed', () => {
    it('keeps the old settings and shows the refusal with its code', async () => {
      const f = fakeApi({
        getSettings: async () => ({ ok: true, value: settingsDto() }),
        setSetting: async () => ({ ok: false, code: 'SETTING_LOCKED', message: 'Set by policy: ask IT' }),
      })
      const store = createSettingsStore(f.api)
      store.getState().start()
      await flush()
      await store.getState().set('pollIntervalMinutes', 15)
      expect(f.calls.at(-1)).toEqual({ method: 'setSetting', args: ['pollIntervalMinutes', 15] })
      expect(store.getState()).toMatchObject({
        errorCode: 'SETTING_LOCKED',
        error: 'Set by policy: ask IT',
        saving: null,
      })
      expect(store.getState().settings?.pollIntervalMinutes.value).toBe(60)
    })
  })
  describe('when notifications are paused', () => {
    it('sends the choice and shows the new state', async () => {
      const f = fakeApi({
        pauseNotifications: async () => ({
          ok: true,
          value: settingsDto({ notificationsPausedUntil: '2026-01-01T01:00:00.000Z' }),
        }),
      })
      const store = createSettingsStore(f.api)
      await store.getState().pause('1h')
      expect(f.calls).toEqual([{ method: 'pauseNotifications', args: ['1h'] }])
      expect(store.getState().settings?.notificationsPausedUntil).toBe('2026-01-01T01:00:00.000Z')
    })
  })
})
