import { describe, expect, it } from 'vitest'
import { MIRRORS_STATE_NAME, suiteKey } from '../../../../main/core/apt/mirror-state'
import type { MirrorsState } from '../../../../main/core/apt/mirror-state'
import {
  availableVersions,
  createMemoryIndexStore,
  loadPieces,
  migrateMirrorsState,
  readMirrorsState,
  withoutMissing,
  writeMirrorsState,
} from '../../../../main/core/apt/mirror-store'
import { CoreError } from '../../../../main/core/errors'
import type { StateStore } from '../../../../main/core/ports'

const SHA = 'c'.repeat(64)

/** A version 1 state: two mirrors whose Releases named the same index, and one damaged record. */
function v1(): unknown {
  const rec = (mirrorId: string, packages: unknown, sha256 = SHA) => ({
    mirrorId,
    suite: 'noble',
    baseUrl: `http://${mirrorId}.invalid/ubuntu`,
    highWater: 1000,
    etag: '"x"',
    verified: {
      date: 1000,
      suite: 'noble',
      signedBy: 'F'.repeat(40),
      verifiedAt: 2000,
      file: 'InRelease',
      url: 'u',
    },
    indexes: {
      'main/binary-amd64': {
        component: 'main',
        arch: 'amd64',
        sha256,
        size: 10,
        fetchedPath: 'main/binary-amd64/Packages.xz',
        packages,
      },
    },
    last: { state: 'ok', at: 2000 },
  })
  const good = [
    ['openssl', 'amd64', '3.0.13-0ubuntu3.5'],
    ['libssl3t64', 'amd64', '3.0.13-0ubuntu3.5', 'openssl'],
  ]
  return {
    version: 1,
    suites: {
      [suiteKey('a', 'noble')]: rec('a', good),
      [suiteKey('b', 'noble')]: rec('b', good),
      [suiteKey('c', 'noble')]: { ...rec('c', [[1, 2, 3]], 'e'.repeat(64)), highWater: 5000 },
    },
  }
}

function memoryStateStore(
  initial?: unknown,
  maxBytes = Infinity,
): StateStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(initial === undefined ? [] : [[MIRRORS_STATE_NAME, initial]])
  return {
    data,
    read: <T>(name: string) => Promise.resolve(data.get(name) as T | undefined),
    write: (name: string, value: unknown) => {
      if (JSON.stringify(value).length > maxBytes) {
        return Promise.reject(new CoreError('STATE_TOO_LARGE', `${name} would be too large`))
      }
      data.set(name, value)
      return Promise.resolve()
    },
  }
}

describe('migrateMirrorsState', () => {
  describe('when given a version 1 state', () => {
    it('stores each index once, keeps every record, and keeps a damaged record’s high-water mark only', async () => {
      const indexes = createMemoryIndexStore()
      const s = (await migrateMirrorsState(v1(), indexes)) as MirrorsState
      expect(s.version).toBe(2)
      const a = s.suites[suiteKey('a', 'noble')]
      const b = s.suites[suiteKey('b', 'noble')]
      expect(a?.indexes['main/binary-amd64']).toMatchObject({ sha256: SHA, entries: 2 })
      expect(b?.indexes['main/binary-amd64']).toEqual(a?.indexes['main/binary-amd64'])
      expect(a?.highWater).toBe(1000)
      expect(a?.etag).toBe('"x"')
      const c = s.suites[suiteKey('c', 'noble')]
      expect(c).toMatchObject({ highWater: 5000, indexes: {} })
      expect(c?.verified).toBeUndefined()
      expect(c?.etag).toBeUndefined()
      expect(
        (await availableVersions(s, indexes, 'libssl3t64', 'amd64')).map((v) => [v.mirrorId, v.source]),
      ).toEqual([
        ['a', 'openssl'],
        ['b', 'openssl'],
      ])
    })
  })

  describe('when given anything else', () => {
    it('returns undefined', async () => {
      for (const v of [undefined, null, 3, { version: 3, suites: {} }, { version: 1, suites: { k: 1 } }]) {
        expect(await migrateMirrorsState(v, createMemoryIndexStore())).toBeUndefined()
      }
    })
  })
})

describe('readMirrorsState', () => {
  it('migrates a version 1 state and saves it at once', async () => {
    const store = memoryStateStore(v1())
    const s = await readMirrorsState(store, createMemoryIndexStore())
    expect(s?.version).toBe(2)
    expect((store.data.get(MIRRORS_STATE_NAME) as MirrorsState).version).toBe(2)
  })
})

describe('writeMirrorsState', () => {
  describe('when the store refuses the state', () => {
    it('returns the coded problem instead of throwing, and prunes nothing', async () => {
      const indexes = createMemoryIndexStore()
      const s = (await migrateMirrorsState(v1(), indexes)) as MirrorsState
      await indexes.put('d'.repeat(64), new Uint8Array(5))
      const p = await writeMirrorsState(memoryStateStore(undefined, 10), indexes, s)
      expect(p?.code).toBe('STATE_TOO_LARGE')
      expect(await indexes.has('d'.repeat(64))).toBe(true)
    })
  })

  describe('when the state is saved', () => {
    it('deletes the pieces it no longer references', async () => {
      const indexes = createMemoryIndexStore()
      const s = (await migrateMirrorsState(v1(), indexes)) as MirrorsState
      await indexes.put('d'.repeat(64), new Uint8Array(5))
      expect(await writeMirrorsState(memoryStateStore(), indexes, s)).toBeUndefined()
      expect(await indexes.has('d'.repeat(64))).toBe(false)
      expect(await indexes.has(SHA)).toBe(true)
    })
  })
})

describe('loadPieces and withoutMissing', () => {
  it('drop every record that uses a missing piece, and only those', async () => {
    const indexes = createMemoryIndexStore()
    const s = (await migrateMirrorsState(v1(), indexes)) as MirrorsState
    await indexes.discard(SHA, 'gone')
    const loaded = await loadPieces(s, indexes)
    expect([...loaded.missing.keys()]).toEqual([SHA])
    expect(Object.keys(withoutMissing(s, loaded.missing).suites)).toEqual([suiteKey('c', 'noble')])
  })
})
