/**
 * Archive evidence for a native package (`3.0 (native)`): no `.debian.tar`, the changelog is
 * `<package>-<version>/debian/changelog` inside the whole source tarball, whose size and SHA256 the verified Sources
 * entry vouches for. Served over a loopback mirror; the tarball is built here (ustar, gzip).
 */
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  changelogArtifact,
  readSourceChangelog,
  type EvidencePorts,
} from '../../../../main/core/apt/evidence'
import type { SourceEntry } from '../../../../main/core/apt/indexes'
import { createKeyring } from '../../../../main/core/pgp/keyring'
import { createDecompressor } from '../../../../main/node/decompress'
import { createFetcher } from '../../../../main/node/http-fetcher'
import { startMirrorServer, type MirrorServer } from '../../../support/mirror-server'
import { sha256Hex } from '../../../../main/lab/archive'
import { fixtureBytes } from './apt-fixtures'

/** A one-file-per-entry ustar archive (regular files only), as `tar --format=ustar` writes it. */
function ustar(files: Readonly<Record<string, string>>): Uint8Array {
  const parts: Uint8Array[] = []
  for (const [name, body] of Object.entries(files)) {
    const data = new TextEncoder().encode(body)
    const h = new Uint8Array(512)
    const put = (s: string, off: number): void => h.set(new TextEncoder().encode(s), off)
    put(name, 0)
    put('0000644\0', 100)
    put('0000000\0', 108)
    put('0000000\0', 116)
    put(data.length.toString(8).padStart(11, '0') + '\0', 124)
    put('15026451756\0', 136)
    put('0', 156)
    put('ustar\u000000', 257)
    let sum = 0
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0)
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148)
    const padded = new Uint8Array(Math.ceil(data.length / 512) * 512)
    padded.set(data)
    parts.push(h, padded)
  }
  parts.push(new Uint8Array(1024))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

const CHANGELOG = [
  'base-files (12.4+deb12u9) bookworm-security; urgency=medium',
  '',
  '  * Test entry naming CVE-2026-1111.',
  '',
  ' -- Lifeline Test <test@lifeline.invalid>  Mon, 01 Jun 2026 10:00:00 +0000',
  '',
].join('\n')

let server: MirrorServer
let ports: EvidencePorts
let entry: SourceEntry

beforeAll(async () => {
  const tarball = new Uint8Array(
    gzipSync(
      ustar({
        'base-files-12.4+deb12u9/README': 'not the changelog\n',
        'base-files-12.4+deb12u9/debian/changelog': CHANGELOG,
      }),
    ),
  )
  server = await startMirrorServer([
    ['/debian/pool/main/b/base-files/base-files_12.4+deb12u9.tar.gz', tarball],
  ])
  entry = {
    package: 'base-files',
    version: '12.4+deb12u9',
    directory: 'pool/main/b/base-files',
    files: [
      { name: 'base-files_12.4+deb12u9.dsc', size: 1000, sha256: '0'.repeat(64) },
      { name: 'base-files_12.4+deb12u9.tar.gz', size: tarball.length, sha256: sha256Hex(tarball) },
    ],
  }
  ports = {
    fetcher: createFetcher(),
    decompressor: createDecompressor(),
    keyring: createKeyring([]),
    now: Date.parse('2026-06-06T12:00:00Z'),
  }
})

afterAll(async () => {
  await server.close()
})

describe('readSourceChangelog', () => {
  describe('when the source package is native (the whole tree in one tarball)', () => {
    it('picks the source tarball and reads <dir>/debian/changelog from it', async () => {
      expect(changelogArtifact(entry)?.name).toBe('base-files_12.4+deb12u9.tar.gz')
      const rec = await readSourceChangelog(
        `${server.url}/debian`,
        entry,
        { mirrorId: 'm', suite: 'bookworm-security', component: 'main' },
        ports,
      )
      expect(rec.entries).toEqual([{ version: '12.4+deb12u9', cves: ['CVE-2026-1111'] }])
    })
  })

  describe('when the tarball does not match the signed Sources hash', () => {
    it('throws APT_HASH_MISMATCH before reading it', async () => {
      const bad = {
        ...entry,
        files: entry.files.map((f) => (f.name.endsWith('.tar.gz') ? { ...f, sha256: 'f'.repeat(64) } : f)),
      }
      const code = await readSourceChangelog(
        `${server.url}/debian`,
        bad,
        { mirrorId: 'm', suite: 'bookworm-security', component: 'main' },
        ports,
      ).then(
        () => 'no error',
        (e: unknown) => (e as { code?: string }).code,
      )
      expect(code).toBe('APT_HASH_MISMATCH')
    })
  })

  describe('when only a .debian.tar.bz2 is listed (bzip2 1.0.8-5.1, the real file from the Ubuntu archive)', () => {
    it('reads debian/changelog from it and finds the CVEs bzip2 fixed', async () => {
      const bz = fixtureBytes('ubuntu/source-evidence/bzip2_1.0.8-5.1.debian.tar.bz2')
      const bzEntry: SourceEntry = {
        package: 'bzip2',
        version: '1.0.8-5.1',
        directory: 'pool/main/b/bzip2',
        files: [
          { name: 'bzip2_1.0.8.orig.tar.gz', size: 810029, sha256: '0'.repeat(64) },
          // Size and SHA256 as noble's signed main/source/Sources lists them (test/fixtures/PROVENANCE.md).
          {
            name: 'bzip2_1.0.8-5.1.debian.tar.bz2',
            size: 26823,
            sha256: '8d07df2356a8105cc1ad4a64eba54c89aeb732fdc285e845cea1f6f66dda432d',
          },
        ],
      }
      expect(changelogArtifact(bzEntry)?.name).toBe('bzip2_1.0.8-5.1.debian.tar.bz2')
      const mirror = await startMirrorServer([
        ['/ubuntu/pool/main/b/bzip2/bzip2_1.0.8-5.1.debian.tar.bz2', bz],
      ])
      try {
        const rec = await readSourceChangelog(
          `${mirror.url}/ubuntu`,
          bzEntry,
          { mirrorId: 'm', suite: 'noble', component: 'main' },
          ports,
        )
        const cves = rec.entries.flatMap((e) => e.cves)
        expect(cves).toContain('CVE-2019-12900')
        expect(cves).toContain('CVE-2016-3189')
        expect(rec.entries.find((e) => e.cves.includes('CVE-2019-12900'))?.version).toBe('1.0.6-9.1')
      } finally {
        await mirror.close()
      }
    })
  })
})
