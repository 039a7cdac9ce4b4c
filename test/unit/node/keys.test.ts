import { copyFile, mkdir, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Limits } from '../../../main/core/limits'
import {
  builtInKeysDir,
  loadKeyringFromManifest,
  readFileCapped,
  resourcesDir,
} from '../../../main/node/keys'
import { makeTempDir } from '../../support/temp-dir'
import type { TempDir } from '../../support/temp-dir'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const TEST_KEYS = join(REPO, 'test', 'fixtures', 'keys')

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'RESOLVED'
  } catch (e) {
    return (e as { code?: string }).code ?? `NOT_CODED: ${String(e)}`
  }
}

let tmp: TempDir
beforeEach(async () => {
  tmp = await makeTempDir('lifeline-keys-')
})
afterEach(async () => {
  await tmp.cleanup()
})

/** A keys dir holding the 2018 key file and a manifest written by the test. */
async function keysDir(manifest: unknown): Promise<string> {
  const dir = join(tmp.path, 'keys')
  await mkdir(dir, { recursive: true })
  await copyFile(join(REPO, 'resources', 'keys', 'ubuntu-keyring-2018-archive.asc'), join(dir, 'k.asc'))
  await writeFile(join(dir, 'keys.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
  return dir
}

const ENTRY = {
  file: 'k.asc',
  fingerprint: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
  role: 'archive',
  name: 'Ubuntu 2018',
}

describe('loadKeyringFromManifest', () => {
  describe('when given the built-in resources/keys', () => {
    it('pins the Ubuntu 2012 and 2018 archive keys by fingerprint', async () => {
      const ring = await loadKeyringFromManifest(join(REPO, 'resources', 'keys'))
      expect(ring.keys.map((k) => [k.fingerprint, k.role, k.name])).toEqual([
        [
          '790BC7277767219C42C86F933B4FE6ACC0B21F32',
          'archive',
          'Ubuntu Archive Automatic Signing Key (2012)',
        ],
        [
          'F6ECB3762474EDA9D21B7022871920D1991BC93C',
          'archive',
          'Ubuntu Archive Automatic Signing Key (2018)',
        ],
      ])
    })
  })

  describe('when given the TEST-ONLY keys manifest', () => {
    it('loads one archive and one advisory key', async () => {
      const ring = await loadKeyringFromManifest(TEST_KEYS)
      expect(ring.keys.map((k) => k.role)).toEqual(['archive', 'advisory'])
    })
  })

  describe('when the manifest pins another fingerprint than the file holds', () => {
    it('throws PGP_FINGERPRINT_MISMATCH', async () => {
      const dir = await keysDir({
        version: 1,
        keys: [{ ...ENTRY, fingerprint: '790BC7277767219C42C86F933B4FE6ACC0B21F32' }],
      })
      expect(await codeOf(loadKeyringFromManifest(dir))).toBe('PGP_FINGERPRINT_MISMATCH')
    })
  })

  describe('when the manifest is invalid', () => {
    it.each([
      ['not JSON', '{'],
      ['a path outside the directory', { version: 1, keys: [{ ...ENTRY, file: '../k.asc' }] }],
      [
        'a key ID instead of a fingerprint',
        { version: 1, keys: [{ ...ENTRY, fingerprint: '871920D1991BC93C' }] },
      ],
      ['an unknown role', { version: 1, keys: [{ ...ENTRY, role: 'root' }] }],
      ['an unknown version', { version: 2, keys: [ENTRY] }],
      ['no keys', { version: 1, keys: [] }],
    ])('throws KEYS_BAD_MANIFEST for %s', async (_what, manifest) => {
      expect(await codeOf(loadKeyringFromManifest(await keysDir(manifest)))).toBe('KEYS_BAD_MANIFEST')
    })
  })

  describe('when a key file is missing', () => {
    it('throws KEYS_UNREADABLE', async () => {
      const dir = await keysDir({ version: 1, keys: [{ ...ENTRY, file: 'missing.asc' }] })
      expect(await codeOf(loadKeyringFromManifest(dir))).toBe('KEYS_UNREADABLE')
      expect(await codeOf(loadKeyringFromManifest(join(tmp.path, 'nowhere')))).toBe('KEYS_UNREADABLE')
    })
  })
})

describe('readFileCapped', () => {
  describe('when the file is over the cap', () => {
    it('throws KEYS_TOO_LARGE without reading it all', async () => {
      const path = join(tmp.path, 'big.gpg')
      await writeFile(path, '')
      await truncate(path, Limits.size.keyBytes + 1)
      expect(await codeOf(readFileCapped(path))).toBe('KEYS_TOO_LARGE')
    })
  })

  describe('when the path is a directory', () => {
    it('throws KEYS_UNREADABLE', async () => {
      expect(await codeOf(readFileCapped(tmp.path))).toBe('KEYS_UNREADABLE')
    })
  })
})

describe('resourcesDir', () => {
  describe('when LIFELINE_RESOURCES is unset', () => {
    it('is <repo>/resources, and builtInKeysDir is its keys folder', () => {
      expect(resourcesDir({})).toBe(join(REPO, 'resources'))
      expect(builtInKeysDir({})).toBe(join(REPO, 'resources', 'keys'))
    })
  })

  describe('when LIFELINE_RESOURCES is set', () => {
    it('uses it', () => {
      expect(resourcesDir({ LIFELINE_RESOURCES: tmp.path })).toBe(tmp.path)
    })
  })
})
