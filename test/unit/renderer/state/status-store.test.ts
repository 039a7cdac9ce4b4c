import { describe, expect, it } from 'vitest'
import type { Api } from '../../../../preload/contract/api'
import type { StatusSnapshotDto } from '../../../../preload/contract/dto'
import { createStatusStore, newer } from '../../../../renderer/src/state/status-store'

function fakeApi(initial: StatusSnapshotDto) {
  let listener: ((s: StatusSnapshotDto) => void) | undefined
  let resolveGet: (v: StatusSnapshotDto) => void = () => {}
  const api: Api = {
    getAppInfo: async () => ({ ok: true, value: { name: 'Lifeline', version: '0', shell: 'browser' } }),
    getStatus: () => new Promise((r) => (resolveGet = (v) => r({ ok: true, value: v }))),
    checkNow: async () => ({ ok: false, code: 'API_INTERNAL', message: 'nope' }),
    onStatusChanged: (l) => {
      listener = l
      return () => (listener = undefined)
    },
  }
  return { api, emit: (s: StatusSnapshotDto) => listener?.(s), answerGet: () => resolveGet(initial) }
}

describe('status store', () => {
  describe('when an event arrives before the snapshot answer', () => {
    it('keeps the newer revision, whichever arrives last', async () => {
      const f = fakeApi({ revision: 1, kind: 'starting' })
      const store = createStatusStore(f.api)
      store.getState().start()
      f.emit({ revision: 2, kind: 'starting' })
      f.answerGet()
      await new Promise((r) => setTimeout(r, 0))
      expect(store.getState().snapshot?.revision).toBe(2)
    })
  })
  describe('when checkNow fails', () => {
    it('shows the error message', async () => {
      const store = createStatusStore(fakeApi({ revision: 1, kind: 'starting' }).api)
      await store.getState().checkNow()
      expect(store.getState().error).toBe('nope')
      expect(store.getState().requesting).toBe(false)
    })
  })
  it('newer() prefers the higher revision', () => {
    expect(newer({ revision: 5, kind: 'starting' }, { revision: 4, kind: 'starting' }).revision).toBe(5)
    expect(newer(null, { revision: 4, kind: 'starting' }).revision).toBe(4)
  })
})
