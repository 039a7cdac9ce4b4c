import { describe, expect, it } from 'vitest'
import { obtainToken } from '../../../../renderer/src/http-transport'
import { createConnectionStore, isLive } from '../../../../renderer/src/state/connection-store'

describe('connection store', () => {
  describe('when the connection is lost and comes back', () => {
    it('goes connecting → connected → lost → connected, and only connected/connecting are live', () => {
      const s = createConnectionStore()
      expect(s.getState().state.kind).toBe('connecting')
      s.getState().report({ kind: 'connected' })
      s.getState().report({ kind: 'lost', since: 1 })
      expect(isLive(s.getState().state)).toBe(false)
      s.getState().report({ kind: 'connected' })
      expect(isLive(s.getState().state)).toBe(true)
    })
  })
  describe('when the key is refused or the server stopped', () => {
    it('stays there: a later "lost" must not hide the reason', () => {
      const refused = createConnectionStore()
      refused.getState().report({ kind: 'refused', why: 'bad-token' })
      refused.getState().report({ kind: 'lost', since: 2 })
      refused.getState().report({ kind: 'connected' })
      expect(refused.getState().state).toEqual({ kind: 'refused', why: 'bad-token' })
      const stopped = createConnectionStore()
      stopped.getState().report({ kind: 'stopped' })
      stopped.getState().report({ kind: 'lost', since: 3 })
      expect(stopped.getState().state.kind).toBe('stopped')
    })
  })
})

describe('obtainToken', () => {
  const storage = () => {
    const m = new Map<string, string>()
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      m,
    }
  }
  describe('when the link carries a printed #token=', () => {
    it('keeps it for this tab and takes it out of the address bar', async () => {
      const st = storage()
      const replaced: string[] = []
      const sink = createConnectionStore().getState()
      const t = await obtainToken(st, { hash: '#token=abc', pathname: '/' }, (p) => replaced.push(p), sink)
      expect(t).toBe('abc')
      expect(replaced).toEqual(['/'])
      expect(st.m.get('lifeline-token')).toBe('abc')
    })
  })
  describe('when there is no key at all', () => {
    it('reports no-token and gives null (nothing is sent to the server)', async () => {
      const c = createConnectionStore()
      const t = await obtainToken(storage(), { hash: '', pathname: '/' }, () => undefined, c.getState())
      expect(t).toBeNull()
      expect(c.getState().state.kind).toBe('no-token')
    })
  })
  describe('when the tab already holds a key (a reload)', () => {
    it('uses it', async () => {
      const st = storage()
      st.setItem('lifeline-token', 'held')
      const c = createConnectionStore()
      expect(await obtainToken(st, { hash: '', pathname: '/' }, () => undefined, c.getState())).toBe('held')
      expect(c.getState().state.kind).toBe('connecting')
    })
  })
})
