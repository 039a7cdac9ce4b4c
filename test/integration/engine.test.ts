import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { summarize } from '../../main/core/check'
import type { AppConfig } from '../../main/core/model'
import { createDecompressor } from '../../main/node/decompress'
import { createKeyring } from '../../main/core/pgp/keyring'
import { createEngine } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { quickFetcher, publishTree } from '../support/poll-harness'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { makeTestArchiveKey, type TestArchiveKey } from '../support/test-archive'
import { packagesIndex, signedInRelease } from '../../main/lab/archive'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const NOW = Date.parse('2026-11-21T12:00:00Z')
const progress = (): void => undefined

const dpkgStatus = (pkgs: readonly [string, string][]): string =>
  pkgs
    .map(([p, v]) => `Package: ${p}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n`)
    .join('\n')

async function writeRoot(dir: string, osRelease: string, mirrorUrl: string): Promise<void> {
  await mkdir(join(dir, 'etc/apt/sources.list.d'), { recursive: true })
  await mkdir(join(dir, 'var/lib/dpkg'), { recursive: true })
  await writeFile(join(dir, 'etc/os-release'), osRelease)
  await writeFile(
    join(dir, 'var/lib/dpkg/status'),
    dpkgStatus([
      ['dpkg', '1.22.6ubuntu6'],
      ['openssl', '3.0.13-0ubuntu3.4'],
    ]),
  )
  await writeFile(
    join(dir, 'etc/apt/sources.list.d/ubuntu.sources'),
    `Types: deb\nURIs: ${mirrorUrl}\nSuites: noble-security\nComponents: main\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n`,
  )
}

const NOBLE =
  'ID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=noble\nPRETTY_NAME="Ubuntu 24.04 LTS"\n'
const BOOKWORM =
  'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'

describe('engine', () => {
  let key: TestArchiveKey
  let mirror: MirrorServer
  let dir: TempDir
  let config: AppConfig
  let current: Uint8Array

  beforeAll(async () => {
    key = await makeTestArchiveKey()
    mirror = await startMirrorServer()
    const files = {
      'main/binary-amd64/Packages': packagesIndex([
        { name: 'openssl', version: '3.0.13-0ubuntu3.5' },
        { name: 'unrelated', version: '1.0' },
      ]),
    }
    current = await signedInRelease({ suite: 'noble-security', date: NOW - 3600_000, files }, key.privateKey)
    publishTree(mirror, 'noble-security', current, files)
    dir = await makeTempDir()
    config = {
      mirrors: [
        {
          id: 'lab',
          name: 'Test mirror',
          url: `${mirror.url}/ubuntu`,
          suites: ['noble-security'],
          components: ['main'],
          architectures: ['amd64'],
        },
      ],
      channels: [
        { id: 'osv-down', name: 'OSV (down)', type: 'osv', urls: [`${mirror.url}/osv/USN-1-1.json`] },
      ],
      extraKeys: [],
      removedKeys: [],
      pollIntervalMs: 3600_000,
    }
  })
  afterAll(async () => {
    await mirror.close()
    await dir.cleanup()
  })

  const engineFor = async (name: string, osRelease: string) => {
    const root = join(dir.path, name)
    await writeRoot(root, osRelease, `${mirror.url}/ubuntu`)
    return createEngine({
      config,
      keyring: key.keyring,
      fetcher: quickFetcher,
      decompressor: createDecompressor(),
      store: createFileStateStore(join(dir.path, `${name}-state`)),
      root,
    })
  }

  describe('when this machine runs the mirrors release', () => {
    it('reports the archive security update with the verified version', async () => {
      const engine = await engineFor('noble', NOBLE)
      const parts = await engine.run(NOW, progress)
      expect(parts.mirrors.map((m) => m.state)).toEqual(['ok'])
      const update = parts.assessment?.securityUpdates.find((u) => u.source === 'openssl')
      expect(update?.newSourceVersion).toBe('3.0.13-0ubuntu3.5')
      expect(update?.onUsedMirror).toBe(true)
      expect(parts.systemProblems).toEqual([])
    })

    it('gives the same report from saved state when offline, marked offline', async () => {
      const engine = await engineFor('noble', NOBLE)
      const online = await engine.run(NOW, progress)
      const offline = await engine.runOffline(NOW + 60_000, progress)
      expect(offline.offline).toBe(true)
      expect(offline.assessment?.securityUpdates).toEqual(online.assessment?.securityUpdates)
    })
  })

  describe('when this machine runs another release than the mirrors serve', () => {
    it('compares nothing and says why, instead of inventing updates', async () => {
      const engine = await engineFor('bookworm', BOOKWORM)
      const parts = await engine.run(NOW, progress)
      expect(parts.assessment?.securityUpdates).toEqual([])
      expect(parts.coverage?.release).toMatchObject({ codename: 'bookworm', served: false })
      const j = summarize(parts, NOW)
      expect(j).toMatchObject({ verdict: 'unknown', row: 'release-not-served', exitCode: 3 })
      // The release's name carries its codename already: said once.
      expect(j.summary).toBe(
        'This computer runs Debian GNU/Linux 12 (bookworm), but no configured mirror serves that release, so Lifeline cannot tell whether it is up to date.',
      )
    })
  })

  describe('when the reason to trust saved mirror data is gone (fail closed)', () => {
    it('stops counting data signed by a key a policy has since removed', async () => {
      const engine = await engineFor('noble-revoked', NOBLE)
      expect((await engine.run(NOW, progress)).assessment?.securityUpdates).toHaveLength(1)
      const root = join(dir.path, 'noble-revoked')
      const withoutKey = createEngine({
        config,
        keyring: createKeyring([]),
        fetcher: quickFetcher,
        decompressor: createDecompressor(),
        store: createFileStateStore(join(dir.path, 'noble-revoked-state')),
        root,
      })
      const offline = await withoutKey.runOffline(NOW + 60_000, progress)
      expect(offline.assessment?.securityUpdates).toEqual([])
      expect(offline.mirrors[0]).toMatchObject({ state: 'bad-signature', code: 'OFFLINE_DISTRUSTED' })
    })

    it('stops counting a mirror once it serves a rolled-back Release', async () => {
      const engine = await engineFor('noble-rollback', NOBLE)
      expect((await engine.run(NOW, progress)).assessment?.securityUpdates).toHaveLength(1)
      const files = {
        'main/binary-amd64/Packages': packagesIndex([{ name: 'openssl', version: '3.0.13-0ubuntu3.5' }]),
      }
      const older = await signedInRelease(
        { suite: 'noble-security', date: NOW - 5 * 3600_000, files },
        key.privateKey,
      )
      mirror.files.set('/ubuntu/dists/noble-security/InRelease', older)
      try {
        const parts = await engine.run(NOW + 60_000, progress)
        expect(parts.mirrors[0]?.state).toBe('rolled-back')
        expect(parts.assessment?.securityUpdates).toEqual([])
      } finally {
        mirror.files.set('/ubuntu/dists/noble-security/InRelease', current)
      }
    })
  })

  describe('when an advisory channel cannot be read at all', () => {
    it('reports it failed with the network code, not as a partial read', async () => {
      const engine = await engineFor('noble-ch', NOBLE)
      const parts = await engine.run(NOW, progress)
      expect(parts.channels).toEqual([
        expect.objectContaining({
          channelId: 'osv-down',
          state: 'failed',
          code: 'NET_NOT_FOUND',
          advisoryCount: 0,
        }),
      ])
    })
  })
})
