/**
 * Attack: a mirror of a signed feed serves a modified OSV file (a fixed version changed) under the valid, signed
 * index. The file's SHA256 no longer matches the index: it is refused with ADV_HASH_MISMATCH and never parsed.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSignedFeed } from '../../main/core/advisories/signed-feed'
import { createFetcher } from '../../main/node/http-fetcher'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { NOW, advisoryKeyring, makeTestKey, writeSignedFeed } from '../unit/core/advisories/advisory-test-kit'

let dir: TempDir
beforeAll(async () => {
  dir = await makeTempDir('lifeline-attack-tamper-')
})
afterAll(() => dir.cleanup())

describe('attack: tampered OSV file under a valid index', () => {
  describe('when one byte-count-preserving edit changes a fixed version', () => {
    it('refuses that file with ADV_HASH_MISMATCH and keeps the untouched ones', async () => {
      const key = await makeTestKey('Helpdesk')
      await writeSignedFeed(dir.path, key)
      const path = join(dir.path, 'osv', 'USN-7000-1.json')
      const text = await readFile(path, 'utf8')
      // Same length, so only the hash can tell.
      await writeFile(path, text.replace('"fixed": "2.6.1-2ubuntu0.1"', '"fixed": "2.6.1-2ubuntu0.0"'))
      const r = await readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
        fetcher: createFetcher(),
        keyring: await advisoryKeyring(key),
        now: NOW,
      })
      expect(r.issues).toEqual([
        expect.objectContaining({ record: 'osv/USN-7000-1.json', code: 'ADV_HASH_MISMATCH' }),
      ])
      expect(r.advisories.map((a) => a.id)).not.toContain('USN-7000-1')
      expect(r.advisories).toHaveLength(5)
    })
  })

  describe('when a file grows beyond its listed size', () => {
    it('refuses it with ADV_SIZE_MISMATCH', async () => {
      const key = await makeTestKey('Helpdesk')
      await writeSignedFeed(dir.path, key)
      const path = join(dir.path, 'osv', 'USN-7500-1.json')
      await writeFile(path, `${await readFile(path, 'utf8')}\n`)
      const r = await readSignedFeed(pathToFileURL(`${dir.path}/`).href, {
        fetcher: createFetcher(),
        keyring: await advisoryKeyring(key),
        now: NOW,
      })
      expect(r.issues).toEqual([
        expect.objectContaining({ record: 'osv/USN-7500-1.json', code: 'ADV_SIZE_MISMATCH' }),
      ])
    })
  })
})
