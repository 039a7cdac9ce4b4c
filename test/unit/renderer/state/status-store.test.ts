import { describe, expect, it } from 'vitest'
import { fakeApi } from '../fake-api'
import type { StatusSnapshotDto } from '../../../../preload/contract/dto'
import { createStatusStore, newer } from '../../../../renderer/src/state/status-store'

function fakeStatusApi(initial: StatusSnapshotDto) {
  let resolveGet: (v: StatusSnapshotDto) => void = () => {}
  const f = fakeApi({
    getStatus: () => new Promise((r) => (resolveGet = (v) => r({ ok: true, value: v }))),
    checkNow: async () => ({ ok: false, code: 'API_INTERNAL', message: 'nope' }),
  })
  return {
    api: f.api,
    emit: (s: StatusSnapshotDto) => f.emit('onStatusChanged', s),
    answerGet: () => resolveGet(initial),
  }
}

describe('status store', () => {
  describe('when an event arrives before the snapshot answer', () => {
    it('keeps the newer revision, whichever arrives last', async () => {
      const f = fakeStatusApi({ revision: 1, kind: 'starting' })
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
      const store = createStatusStore(fakeStatusApi({ revision: 1, kind: 'starting' }).api)
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
