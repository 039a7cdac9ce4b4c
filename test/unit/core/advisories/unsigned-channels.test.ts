import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  readOsvChannel,
  readUsnApiChannel,
  readUsnDbChannel,
} from '../../../../main/core/advisories/unsigned-channels'
import { mergeAdvisories } from '../../../../main/core/advisories/merge'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../../../support/loopback-server'
import { NOW, fixture } from './advisory-test-kit'

let server: LoopbackServer
const fetcher = createFetcher()

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const routes: Record<string, Uint8Array> = {
      '/osv/USN-7000-1.json': fixture('ubuntu/osv-usn/USN-7000-1.json'),
      '/osv/broken.json': new TextEncoder().encode('{"id":"USN-1-1"}'),
      '/notices.json': fixture('ubuntu/notices-api/notices_offset0_limit20.json'),
      '/database.json': fixture('ubuntu/usn-db/database-excerpt.json'),
    }
    const body =
      u.pathname === '/notices.json' && u.searchParams.get('offset') !== '0' ? undefined : routes[u.pathname]
    if (!body) {
      res.writeHead(404)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  })
})
afterAll(() => server.close())

describe('readOsvChannel', () => {
  describe('when one URL is good, one malformed and one missing', () => {
    it('keeps the good advisory and reports the others with their codes', async () => {
      const r = await readOsvChannel(
        [`${server.url}/osv/USN-7000-1.json`, `${server.url}/osv/broken.json`, `${server.url}/osv/none.json`],
        { fetcher, now: NOW, channelId: 'osv' },
      )
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-7000-1'])
      expect(r.advisories[0]?.provenance[0]).toMatchObject({ channelType: 'osv', fetchedAt: NOW })
      expect(r.issues.map((i) => [i.record, i.code])).toEqual([
        ['USN-1-1', 'ADV_SCHEMA'],
        [`${server.url}/osv/none.json`, 'NET_NOT_FOUND'],
      ])
    })
  })
})

describe('readUsnApiChannel', () => {
  describe('when the second page fails', () => {
    it('keeps the first page and reports the failing page', async () => {
      const r = await readUsnApiChannel(`${server.url}/notices.json`, { fetcher, now: NOW, channelId: 'api' })
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-1-1', 'USN-2-1'])
      expect(r.issues).toEqual([expect.objectContaining({ code: 'NET_NOT_FOUND' })])
      expect(server.requests.some((q) => q.path === '/notices.json?offset=2&limit=20')).toBe(true)
    })
  })
})

describe('readUsnDbChannel', () => {
  describe('when served over loopback', () => {
    it('reads every notice', async () => {
      const r = await readUsnDbChannel(`${server.url}/database.json`, { fetcher, now: NOW, channelId: 'db' })
      expect(r.advisories).toHaveLength(3)
    })
  })
})

describe('unsigned channels together', () => {
  describe('when the OSV file and the notices API carry different ids', () => {
    it('leaves each single-source', async () => {
      const osv = await readOsvChannel([`${server.url}/osv/USN-7000-1.json`], {
        fetcher,
        now: NOW,
        channelId: 'osv',
      })
      const api = await readUsnApiChannel(`${server.url}/notices.json`, {
        fetcher,
        now: NOW,
        channelId: 'api',
      })
      expect(new Set(mergeAdvisories([osv, api]).map((a) => a.trust))).toEqual(new Set(['single-source']))
    })
  })
})
