import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  channelQueryOf,
  readOsvApiChannel,
  ubuntuEcosystem,
  type ChannelQuery,
} from '../../../../main/core/advisories/osv-api'
import {
  archiveCveHints,
  githubOsvPath,
  readGithubOsvChannel,
} from '../../../../main/core/advisories/github-osv'
import { mergeAdvisories } from '../../../../main/core/advisories/merge'
import { Limits } from '../../../../main/core/limits'
import type { InstalledPackage, LocalSystem } from '../../../../main/core/system/types'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { startLoopbackServer, type LoopbackServer } from '../../../support/loopback-server'
import { NOW, fixture } from './advisory-test-kit'

const USN_7000 = fixture('ubuntu/osv-usn/USN-7000-1.json')
const UBUNTU_CVE = fixture('ubuntu/osv-other/UBUNTU-CVE-2024-51988.json')
const fetcher = createFetcher()

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c)
  return Buffer.concat(chunks).toString('utf8')
}

interface Batch {
  readonly queries: { package: { name: string; ecosystem: string }; version: string; page_token?: string }[]
}

let api: LoopbackServer
let raw: LoopbackServer
const batches: Batch[] = []
/** What the API answers for one query (by package name); a test may change it. */
let answerFor: (q: Batch['queries'][number]) => unknown = () => ({})

beforeAll(async () => {
  api = await startLoopbackServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method === 'POST' && path === '/v1/querybatch') {
      const batch = JSON.parse(await bodyOf(req)) as Batch
      batches.push(batch)
      const text = JSON.stringify({ results: batch.queries.map((q) => answerFor(q)) })
      res.writeHead(200, { 'content-type': 'application/json' }).end(text)
      return
    }
    if (req.method === 'GET' && path === '/v1/vulns/USN-7000-1') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(USN_7000)
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":5,"message":"Bug not found."}')
  })
  raw = await startLoopbackServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const files: Record<string, Uint8Array> = {
      '/repo/main/osv/usn/USN-7000-1.json': USN_7000,
      '/repo/main/osv/cve/2024/UBUNTU-CVE-2024-51988.json': UBUNTU_CVE,
    }
    const body = files[path]
    if (!body) return res.writeHead(404).end('404: Not Found')
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body)
  })
})
afterAll(async () => {
  await api.close()
  await raw.close()
})
beforeEach(() => {
  batches.length = 0
  api.resetStats()
  raw.resetStats()
  answerFor = (q) =>
    q.package.name === 'expat' ? { vulns: [{ id: 'USN-7000-1', modified: '2024-09-12T10:00:00Z' }] } : {}
})

function pkg(name: string, version: string, source = name, selection = 'install'): InstalledPackage {
  return { package: name, version, architecture: 'amd64', source, sourceVersion: version, selection }
}

const NOBLE: Pick<LocalSystem, 'os' | 'packages'> = {
  os: {
    id: 'ubuntu',
    idLike: ['debian'],
    name: 'Ubuntu',
    prettyName: 'Ubuntu 24.04.1 LTS',
    versionId: '24.04',
    codename: 'noble',
    fields: { VERSION: '24.04.1 LTS (Noble Numbat)' },
  },
  packages: [
    pkg('libexpat1', '2.6.1-2', 'expat'),
    pkg('expat', '2.6.1-2'),
    pkg('linux-image-6.8.0-40-generic', '6.8.0-40.40', 'linux-signed'),
    pkg('old-thing', '1.0', 'old-thing', 'deinstall'),
  ],
}

describe('channelQueryOf', () => {
  it('asks about each installed source once, signed kernels under their kernel source, nothing removed', () => {
    const q = channelQueryOf(NOBLE)
    expect(q.ecosystem).toBe('Ubuntu:24.04:LTS')
    expect(q.sources).toEqual([
      { name: 'expat', version: '2.6.1-2' },
      { name: 'linux', version: '6.8.0-40.40' },
    ])
  })
  it('names interim releases without :LTS and asks nothing of another distribution', () => {
    expect(
      ubuntuEcosystem({ os: { ...NOBLE.os, versionId: '24.10', prettyName: 'Ubuntu 24.10', fields: {} } }),
    ).toBe('Ubuntu:24.10')
    expect(ubuntuEcosystem({ os: { ...NOBLE.os, id: 'debian', versionId: '12' } })).toBeUndefined()
  })
})

describe('readOsvApiChannel', () => {
  const query: ChannelQuery = channelQueryOf(NOBLE)
  const read = (q = query, previous = [] as Parameters<typeof readOsvApiChannel>[1]['previous']) =>
    readOsvApiChannel(api.url, { fetcher, now: NOW, channelId: 'osv-api', query: q, previous })

  describe('when OSV.dev lists a notice for an installed source', () => {
    it('posts the documented querybatch shape, then fetches the record by id', async () => {
      const r = await read()
      expect(batches).toHaveLength(1)
      expect(batches[0]?.queries).toEqual([
        { package: { name: 'expat', ecosystem: 'Ubuntu:24.04:LTS' }, version: '2.6.1-2' },
        { package: { name: 'linux', ecosystem: 'Ubuntu:24.04:LTS' }, version: '6.8.0-40.40' },
      ])
      expect(r.ids).toEqual(['USN-7000-1'])
      expect(r.advisories.map((a) => [a.id, a.provenance[0]?.channelType])).toEqual([
        ['USN-7000-1', 'osv-api'],
      ])
      expect(r.issues).toEqual([])
    })
    it('sends nothing but the source names, versions and the release', async () => {
      await read()
      const sent = JSON.stringify(batches[0])
      expect(sent).not.toContain('libexpat1')
      expect(sent).not.toContain('old-thing')
      expect(sent).not.toContain('noble')
    })
  })

  describe('when the record is already held at the listed modified date', () => {
    it('reuses it without downloading it again', async () => {
      const first = await read()
      api.resetStats()
      const again = await read(query, first.advisories)
      expect(again.advisories.map((a) => a.id)).toEqual(['USN-7000-1'])
      expect(api.requests.map((q) => q.method)).toEqual(['POST'])
    })
  })

  describe('when the machine has more sources than one batch holds', () => {
    it('splits them into batches of Limits.advisories.osvBatchSize', async () => {
      const many: ChannelQuery = {
        ...query,
        sources: Array.from({ length: Limits.advisories.osvBatchSize + 1 }, (_, i) => ({
          name: `p${i}`,
          version: '1',
        })),
      }
      await read(many)
      expect(batches.map((b) => b.queries.length)).toEqual([Limits.advisories.osvBatchSize, 1])
    })
  })

  describe('when a result carries next_page_token', () => {
    it('asks again for that package with the token', async () => {
      answerFor = (q) =>
        q.package.name === 'expat' && q.page_token === undefined
          ? { vulns: [], next_page_token: 'tok-1' }
          : q.page_token === 'tok-1'
            ? { vulns: [{ id: 'USN-7000-1', modified: '2024-09-12T10:00:00Z' }] }
            : {}
      const r = await read()
      expect(batches[1]?.queries).toEqual([
        {
          package: { name: 'expat', ecosystem: 'Ubuntu:24.04:LTS' },
          version: '2.6.1-2',
          page_token: 'tok-1',
        },
      ])
      expect(r.ids).toEqual(['USN-7000-1'])
    })
  })

  describe('when a listed record is missing', () => {
    it('reports it as an issue and keeps the rest', async () => {
      answerFor = () => ({ vulns: [{ id: 'USN-7000-1' }, { id: 'USN-9-9' }] })
      const r = await read()
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-7000-1'])
      expect(r.issues.map((i) => [i.record, i.code])).toEqual([['USN-9-9', 'NET_NOT_FOUND']])
    })
  })

  describe('when the machine is not Ubuntu', () => {
    it('asks nothing', async () => {
      const r = await read({ ecosystem: undefined, sources: query.sources, cves: [] })
      expect(r.advisories).toEqual([])
      expect(api.requests).toEqual([])
    })
  })

  describe('when the API is down', () => {
    it('fails with the transport code so the channel keeps its last good copy', async () => {
      const down = await startLoopbackServer((req) => req.socket.destroy())
      try {
        await expect(
          readOsvApiChannel(down.url, { fetcher, now: NOW, channelId: 'osv-api', query, previous: [] }),
        ).rejects.toMatchObject({ code: 'NET_UNREACHABLE' })
      } finally {
        await down.close()
      }
    })
  })
})

describe('githubOsvPath', () => {
  it('maps notices and CVE ids onto the repository layout', () => {
    expect(githubOsvPath('USN-7000-1')).toEqual({ id: 'USN-7000-1', path: 'osv/usn/USN-7000-1.json' })
    expect(githubOsvPath('CVE-2024-51988')).toEqual({
      id: 'UBUNTU-CVE-2024-51988',
      path: 'osv/cve/2024/UBUNTU-CVE-2024-51988.json',
    })
    expect(githubOsvPath('../../etc/passwd')).toBeUndefined()
    expect(githubOsvPath('DSA-5000-1')).toBeUndefined()
  })
})

describe('readGithubOsvChannel', () => {
  const read = (ids: readonly string[]) =>
    readGithubOsvChannel(`${raw.url}/repo/main/`, { fetcher, now: NOW, channelId: 'gh', ids, previous: [] })

  it('reads the files for the ids it is given, CVE ids as Ubuntu CVE records', async () => {
    const r = await read(['USN-7000-1', 'CVE-2024-51988', 'USN-7000-1'])
    expect(r.advisories.map((a) => a.id).sort()).toEqual(['UBUNTU-CVE-2024-51988', 'USN-7000-1'])
    expect(raw.requests.map((q) => q.path).sort()).toEqual([
      '/repo/main/osv/cve/2024/UBUNTU-CVE-2024-51988.json',
      '/repo/main/osv/usn/USN-7000-1.json',
    ])
  })

  it('does not download a file again while its last good copy is fresh (dated by OSV.dev, or under a day old)', async () => {
    const first = await read(['USN-7000-1', 'CVE-2024-51988'])
    raw.resetStats()
    const again = await readGithubOsvChannel(`${raw.url}/repo/main/`, {
      fetcher,
      now: NOW + 3600_000,
      channelId: 'gh',
      ids: ['USN-7000-1', 'CVE-2024-51988'],
      modified: new Map([['USN-7000-1', Date.parse('2024-09-12T10:00:00Z')]]),
      previous: first.advisories,
    })
    expect(again.advisories).toHaveLength(2)
    expect(raw.requests).toEqual([])
    const dayLater = await readGithubOsvChannel(`${raw.url}/repo/main/`, {
      fetcher,
      now: NOW + 25 * 3600_000,
      channelId: 'gh',
      ids: ['CVE-2024-51988'],
      previous: first.advisories,
    })
    expect(dayLater.advisories).toHaveLength(1)
    expect(raw.requests.map((q) => q.path)).toEqual(['/repo/main/osv/cve/2024/UBUNTU-CVE-2024-51988.json'])
  })

  it('corroborates the OSV.dev copy of the same notice (two hosts, two channel types)', async () => {
    const gh = await read(['USN-7000-1'])
    const osv = await readOsvApiChannel(api.url, {
      fetcher,
      now: NOW,
      channelId: 'osv-api',
      query: channelQueryOf(NOBLE),
      previous: [],
    })
    const [merged] = mergeAdvisories([gh, osv])
    expect(merged?.trust).toBe('corroborated')
    expect(mergeAdvisories([osv])[0]?.trust).toBe('single-source')
  })
})

describe('archiveCveHints', () => {
  it('takes the CVEs signed changelogs name for uploads newer than what is installed', () => {
    const hints = archiveCveHints(
      [
        {
          source: 'expat',
          version: '2.6.1-2ubuntu0.1',
          entries: [
            { version: '2.6.1-2ubuntu0.1', cves: ['CVE-2024-45490'] },
            { version: '2.6.1-1', cves: ['CVE-2023-1'] },
          ],
        },
        { source: 'not-installed', version: '1', entries: [{ version: '1', cves: ['CVE-2024-9'] }] },
      ],
      [{ name: 'expat', version: '2.6.1-2' }],
    )
    expect(hints).toEqual(['CVE-2024-45490'])
  })
})
