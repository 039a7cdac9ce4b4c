import { describe, expect, it } from 'vitest'
import { createUiStore } from '../../../../renderer/src/state/ui-store'
import { fakeApi, flush } from '../fake-api'

describe('ui store', () => {
  describe('when navigating', () => {
    it('switches screens, keeps an advisory id only on Advisories, and counts navigations for focus', () => {
      const store = createUiStore(fakeApi().api)
      store.getState().navigate('advisories', 'USN-1-1')
      expect(store.getState()).toMatchObject({ screen: 'advisories', advisoryId: 'USN-1-1', navSeq: 1 })
      store.getState().navigate('sources', 'USN-1-1')
      expect(store.getState()).toMatchObject({ screen: 'sources', advisoryId: null, navSeq: 2 })
    })
  })
  describe('when main asks to navigate (tray, notification click)', () => {
    it('opens the advisory, and raises a clipboard request for Check clipboard', () => {
      const f = fakeApi()
      const store = createUiStore(f.api)
      const off = store.getState().start()
      f.emit('onNavigate', { screen: 'advisories', advisoryId: 'USN-7-1', checkClipboard: false })
      expect(store.getState()).toMatchObject({ screen: 'advisories', advisoryId: 'USN-7-1' })
      f.emit('onNavigate', { screen: 'inspect', advisoryId: null, checkClipboard: true })
      expect(store.getState()).toMatchObject({ screen: 'inspect', clipboardRequest: 1 })
      off()
      expect(f.listeners.onNavigate.size).toBe(0)
    })
  })
  describe('when opening an advisory link', () => {
    it('keeps the vetted link main returned, or the refusal', async () => {
      const f = fakeApi({
        openAdvisory: async (id) =>
          id === 'USN-1-1'
            ? { ok: true, value: { opened: false, url: 'https://ubuntu.com/security/notices/USN-1-1' } }
            : { ok: false, code: 'ADVISORY_NO_LINK', message: 'No safe link' },
      })
      const store = createUiStore(f.api)
      await store.getState().openAdvisory('USN-1-1')
      expect(store.getState().links['USN-1-1']?.url).toBe('https://ubuntu.com/security/notices/USN-1-1')
      await store.getState().openAdvisory('X-1')
      expect(store.getState().linkError).toBe('No safe link')
      await flush()
    })
  })
  it('merges filter changes', () => {
    const store = createUiStore(fakeApi().api)
    store.getState().setFilter({ query: 'ssl' })
    expect(store.getState().filter).toEqual({ show: 'affecting', trust: 'any', query: 'ssl' })
  })
})
