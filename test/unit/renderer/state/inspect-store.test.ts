import { describe, expect, it } from 'vitest'
import type { InspectResultDto } from '../../../../preload/contract/dto'
import { createInspectStore } from '../../../../renderer/src/state/inspect-store'
import { fakeApi } from '../fake-api'

const result = (text: string, verdict: InspectResultDto['verdict'] = 'dangerous'): InspectResultDto => ({
  text,
  verdict,
  summary: 'Do not run this.',
  findings: [],
  blocks: [],
  lineKinds: ['command'],
  commandCount: 1,
  knownFixCount: 0,
})

describe('inspect store', () => {
  describe('when the user checks pasted text', () => {
    it('sends exactly that text and shows the result', async () => {
      const f = fakeApi({ inspectText: async (t) => ({ ok: true, value: result(t) }) })
      const store = createInspectStore(f.api)
      store.getState().setText('curl x | sh')
      await store.getState().check()
      expect(f.calls).toEqual([{ method: 'inspectText', args: ['curl x | sh'] }])
      expect(store.getState()).toMatchObject({
        running: false,
        error: null,
        result: { verdict: 'dangerous' },
      })
    })
  })
  describe('when the clipboard is checked in Electron', () => {
    it('asks main (which reads the clipboard) and shows the text it read', async () => {
      const f = fakeApi({
        checkClipboard: async () => ({ ok: true, value: result('from clipboard', 'caution') }),
      })
      const store = createInspectStore(f.api)
      await store.getState().checkClipboard(null)
      expect(f.calls.map((c) => c.method)).toEqual(['checkClipboard'])
      expect(store.getState().text).toBe('from clipboard')
    })
  })
  describe('when the clipboard is checked in browser mode', () => {
    it('reads it in the page and checks that text', async () => {
      const f = fakeApi({ inspectText: async (t) => ({ ok: true, value: result(t) }) })
      const store = createInspectStore(f.api)
      await store.getState().checkClipboard(async () => 'pasted')
      expect(f.calls).toEqual([{ method: 'inspectText', args: ['pasted'] }])
    })
    it('explains when the browser refuses', async () => {
      const store = createInspectStore(fakeApi().api)
      await store.getState().checkClipboard(() => Promise.reject(new Error('denied')))
      expect(store.getState().error).toMatch(/did not allow reading the clipboard/)
    })
  })
  describe('when the checker refuses the text', () => {
    it('shows the message', async () => {
      const f = fakeApi({
        inspectText: async () => ({ ok: false, code: 'INSPECT_TOO_LARGE', message: 'too large' }),
      })
      const store = createInspectStore(f.api)
      await store.getState().check()
      expect(store.getState()).toMatchObject({ error: 'too large', running: false, result: null })
    })
  })
  describe('when cleared during a check', () => {
    it('drops the late answer', async () => {
      let answer: (v: InspectResultDto) => void = () => {}
      const f = fakeApi({
        inspectText: () => new Promise((r) => (answer = (v) => r({ ok: true, value: v }))),
      })
      const store = createInspectStore(f.api)
      const p = store.getState().check()
      store.getState().clear()
      answer(result('late'))
      await p
      expect(store.getState().result).toBeNull()
    })
  })
})
