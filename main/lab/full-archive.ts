/**
 * A synthetic Ubuntu archive at real sizes, for the scale test and the bench (main/lab/README.md): noble's four
 * components, any architectures, the release, -updates and -security pockets, tens of thousands of stanzas per
 * index with the fields and lengths of real ones, signed with the lab's archive key, served by several
 * "mirrors" on one loopback port (`http://127.0.0.1:<port>/m<i>/ubuntu`).
 *
 * The first `mirrors` serve identical bytes, as the mirrors of one archive do; `otherMirrors` more serve a later
 * snapshot (every index different), as a mirror of another moment does. Indexes are served as `Packages.gz` and
 * by-hash (the Release also signs the uncompressed size and hash, as Ubuntu's does). Release files answer
 * conditional GETs (ETag), as real mirrors do. Only content is synthetic; every byte Lifeline uses is signed.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type * as openpgp from 'openpgp'
import type { MirrorConfig } from '../core/model'
import { sha256Hex, signedInRelease } from './archive'
import { closeServer, listenOnLoopback, trackSockets } from './loopback'

/** Components and the share of an index's stanzas each one holds (noble amd64: universe is most of it). */
export const FULL_ARCHIVE_COMPONENTS: readonly (readonly [string, number])[] = [
  ['main', 0.07],
  ['restricted', 0.02],
  ['universe', 0.86],
  ['multiverse', 0.05],
]

/** Options of `startFullArchive`. */
export interface FullArchiveOptions {
  /** The lab archive key (signs every Release). */
  readonly key: openpgp.PrivateKey
  /** Date of the Releases (epoch ms). */
  readonly date: number
  /** Stanzas per architecture in each suite, all components together, e.g. `{ noble: 120000, ... }`. */
  readonly suites: Readonly<Record<string, number>>
  readonly architectures: readonly string[]
  /** Mirrors serving identical bytes. */
  readonly mirrors: number
  /** Mirrors serving a later snapshot (different indexes); default 0. */
  readonly otherMirrors?: number
}

/** A running full-size archive. */
export interface FullArchive {
  readonly origin: string
  /** One mirror config per mirror (identical ones first), every suite, component and architecture. */
  readonly mirrors: readonly MirrorConfig[]
  /** URL of one copy of each distinct index file (what a poll must download at least once). */
  readonly distinctIndexUrls: readonly string[]
  /** Bytes of those files (compressed, as served). */
  readonly distinctIndexBytes: number
  /** Uncompressed bytes of the distinct indexes. */
  readonly distinctUncompressedBytes: number
  /** Stanzas in the distinct indexes. */
  readonly distinctStanzas: number
  /** A package name present in every suite of every snapshot, and its versions (release → security). */
  readonly probe: { readonly name: string; readonly release: string; readonly security: string }
  /** Index files (Packages.gz, by name or by hash) answered with their bytes since start. */
  indexDownloads(): number
  /** Bytes on the wire (requests read + responses written, headers included) since the last reset. */
  wireBytes(): number
  resetStats(): void
  close(): Promise<void>
}

/** A small deterministic PRNG (xorshift32): the archive is the same on every run. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x
  }
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** `n` (even) pseudo-random hex digits. */
function hex(next: () => number, n: number): string {
  const parts: string[] = []
  for (let k = 0; k < n; k += 8) {
    const v = next()
    parts.push(
      (BYTE_HEX[v & 255] ?? '00') +
        (BYTE_HEX[(v >>> 8) & 255] ?? '00') +
        (BYTE_HEX[(v >>> 16) & 255] ?? '00') +
        (BYTE_HEX[v >>> 24] ?? '00'),
    )
  }
  return parts.join('').slice(0, n)
}

const SECTIONS = ['libs', 'utils', 'devel', 'python', 'net', 'admin', 'doc', 'games', 'science', 'x11']

/** Version of package `i` in `suite`; -updates and -security carry later uploads, a later snapshot more. */
function versionOf(i: number, suite: string, later: boolean): string {
  const base = `${1 + (i % 9)}.${i % 31}.${i % 7}-${1 + (i % 3)}`
  if (suite.endsWith('-security')) return `${base}ubuntu1.${later ? 4 : 2}`
  if (suite.endsWith('-updates')) return `${base}ubuntu1.${later ? 3 : 1}`
  return `${base}ubuntu1`
}

/**
 * One Packages index: `count` stanzas of about 700 bytes (the real average), package names unique within the
 * suite and architecture. -updates and -security list every 4th / 6th package of the release pocket at a later
 * version, as real pockets list a subset.
 */
export function fullPackagesIndex(opts: {
  readonly suite: string
  readonly component: string
  readonly arch: string
  readonly count: number
  /** Index of the first package of this component within the suite. */
  readonly first: number
  readonly later: boolean
}): Buffer {
  const next = prng(opts.first * 7919 + opts.count + opts.arch.length * 104729 + (opts.later ? 17 : 0))
  const step = opts.suite.endsWith('-security') ? 6 : opts.suite.endsWith('-updates') ? 4 : 1
  const parts: string[] = []
  for (let k = 0; k < opts.count; k++) {
    const i = (opts.first + k) * step
    const name = `lab${opts.component.slice(0, 3)}-pkg${i}`
    const source = i % 5 === 0 ? `lab-src${i - (i % 5)}` : undefined
    const archField = i % 9 === 4 ? 'all' : opts.arch
    const version = versionOf(i, opts.suite, opts.later)
    const section = SECTIONS[i % SECTIONS.length] ?? 'misc'
    const file = `pool/${opts.component}/${name.slice(0, 4)}/${source ?? name}/${name}_${version}_${archField}.deb`
    parts.push(
      `Package: ${name}\n` +
        `Architecture: ${archField}\n` +
        `Version: ${version}\n` +
        `Priority: optional\n` +
        `Section: ${opts.component === 'main' ? '' : `${opts.component}/`}${section}\n` +
        (source ? `Source: ${source}\n` : '') +
        `Origin: Ubuntu\n` +
        `Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n` +
        `Original-Maintainer: Lifeline Lab <lab@lifeline.invalid>\n` +
        `Bugs: https://bugs.launchpad.net/ubuntu/+filebug\n` +
        `Installed-Size: ${(next() % 50_000) + 10}\n` +
        `Depends: libc6 (>= 2.34), lab-common${i % 13} (>= 1.${i % 4})\n` +
        `Filename: ${file}\n` +
        `Size: ${(next() % 5_000_000) + 1000}\n` +
        `MD5sum: ${hex(next, 32)}\n` +
        `SHA1: ${hex(next, 40)}\n` +
        `SHA256: ${hex(next, 64)}\n` +
        `SHA512: ${hex(next, 128)}\n` +
        `Homepage: https://lab.lifeline.invalid/${name}\n` +
        `Description: synthetic package ${i} of the Lifeline lab full-size archive\n` +
        `Task: lab-desktop\n` +
        `Description-md5: ${hex(next, 32)}\n`,
    )
  }
  return Buffer.from(parts.join('\n'), 'utf8')
}

interface Served {
  readonly body: Buffer
  readonly etag: string
}

/** Builds every file of one snapshot (paths relative to the archive root). */
async function buildSnapshot(
  opts: FullArchiveOptions,
  later: boolean,
): Promise<{
  files: Map<string, Served>
  indexPaths: string[]
  indexBytes: number
  uncompressed: number
  stanzas: number
}> {
  const files = new Map<string, Served>()
  const indexPaths: string[] = []
  let indexBytes = 0
  let uncompressed = 0
  let stanzas = 0
  const date = later ? opts.date + 3600_000 : opts.date
  for (const [suite, perArch] of Object.entries(opts.suites)) {
    const signed: Record<string, Uint8Array> = {}
    for (const arch of opts.architectures) {
      let first = 0
      for (const [component, share] of FULL_ARCHIVE_COMPONENTS) {
        const count = Math.max(1, Math.round(perArch * share))
        const plain = fullPackagesIndex({ suite, component, arch, count, first, later })
        first += count
        const gz = gzipSync(plain)
        const dir = `${component}/binary-${arch}`
        const gzHash = sha256Hex(gz)
        const served = { body: gz, etag: `"${gzHash}"` }
        files.set(`dists/${suite}/${dir}/Packages.gz`, served)
        files.set(`dists/${suite}/${dir}/by-hash/SHA256/${gzHash}`, served)
        indexPaths.push(`dists/${suite}/${dir}/by-hash/SHA256/${gzHash}`)
        indexBytes += gz.byteLength
        uncompressed += plain.byteLength
        stanzas += count
        signed[`${dir}/Packages`] = plain
        signed[`${dir}/Packages.gz`] = gz
      }
    }
    const inRelease = Buffer.from(
      await signedInRelease(
        {
          origin: 'Ubuntu',
          suite,
          version: '24.04',
          date,
          architectures: opts.architectures,
          components: FULL_ARCHIVE_COMPONENTS.map(([c]) => c),
          description: 'Lifeline lab full-size archive (TEST ONLY)',
          acquireByHash: true,
          files: signed,
        },
        opts.key,
      ),
    )
    files.set(`dists/${suite}/InRelease`, { body: inRelease, etag: `"${sha256Hex(inRelease)}"` })
  }
  return { files, indexPaths, indexBytes, uncompressed, stanzas }
}

/** The files of one snapshot (paths relative to the archive root) and its index figures. */
type Snapshot = Awaited<ReturnType<typeof buildSnapshot>>

/**
 * The request handler: `/m<i>/ubuntu/<path>` answers from the snapshot mirror `i` serves (the first `mirrors` the
 * same one, the next `otherMirrors` the later one), with ETags and 304s; `countIndex` is called for each index
 * answered with its bytes.
 */
function archiveHandler(
  opts: FullArchiveOptions,
  snapshots: { readonly same: Snapshot; readonly other: Snapshot | undefined },
  countIndex: () => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const total = opts.mirrors + (opts.otherMirrors ?? 0)
  return (req, res) => {
    const match = /^\/m(\d+)\/ubuntu\/(.*)$/.exec((req.url ?? '').split('?')[0] ?? '')
    const mirror = match ? Number(match[1]) : -1
    const snapshot =
      mirror >= 0 && mirror < opts.mirrors
        ? snapshots.same
        : mirror >= opts.mirrors && mirror < total
          ? snapshots.other
          : undefined
    const rel = match?.[2] ?? ''
    const served = match && snapshot ? snapshot.files.get(rel) : undefined
    if (!served || req.method !== 'GET') {
      res.writeHead(404, { 'content-length': 0 })
      res.end()
      return
    }
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, { etag: served.etag })
      res.end()
      return
    }
    if (!rel.endsWith('InRelease')) countIndex()
    res.writeHead(200, { 'content-length': served.body.byteLength, etag: served.etag })
    res.end(served.body)
  }
}

/** Bytes on the wire of a server's connections (read + written, headers included), resettable. */
interface WireCounter {
  bytes(): number
  reset(): void
}

/**
 * Counts wire bytes: sockets closed since the reset, plus what live ones moved since it (their counters at the
 * reset are subtracted).
 */
function countWireBytes(server: Server, sockets: ReadonlySet<Socket>): WireCounter {
  let closedBytes = 0
  const baseline = new Map<Socket, number>()
  const moved = (socket: Socket) => socket.bytesRead + socket.bytesWritten
  server.on('connection', (socket: Socket) => {
    socket.on('close', () => {
      closedBytes += moved(socket) - (baseline.get(socket) ?? 0)
      baseline.delete(socket)
    })
  })
  return {
    bytes: () => {
      let n = closedBytes
      for (const socket of sockets) n += moved(socket) - (baseline.get(socket) ?? 0)
      return n
    },
    reset: () => {
      closedBytes = 0
      for (const socket of sockets) baseline.set(socket, moved(socket))
    },
  }
}

/** One mirror config per mirror (identical ones first), every suite, component and architecture. */
function fullArchiveMirrors(opts: FullArchiveOptions, origin: string): MirrorConfig[] {
  const total = opts.mirrors + (opts.otherMirrors ?? 0)
  return Array.from({ length: total }, (_, i) => ({
    id: `full-${i}`,
    name: `Full-size lab mirror ${i}${i >= opts.mirrors ? ' (later snapshot)' : ''}`,
    url: `${origin}/m${i}/ubuntu`,
    suites: Object.keys(opts.suites),
    components: FULL_ARCHIVE_COMPONENTS.map(([c]) => c),
    architectures: [...opts.architectures],
  }))
}

/** Builds the archive and serves it on 127.0.0.1 (loopback only). */
export async function startFullArchive(opts: FullArchiveOptions): Promise<FullArchive> {
  const same = await buildSnapshot(opts, false)
  const other = (opts.otherMirrors ?? 0) > 0 ? await buildSnapshot(opts, true) : undefined
  let indexDownloads = 0
  const server = createServer(archiveHandler(opts, { same, other }, () => indexDownloads++))
  const sockets = trackSockets(server)
  const wire = countWireBytes(server, sockets)
  await listenOnLoopback(server, 0)
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const snaps = other ? [same, other] : [same]
  const distinctIndexUrls = snaps.flatMap((s, k) =>
    s.indexPaths.map((p) => `${origin}/m${k === 0 ? 0 : opts.mirrors}/ubuntu/${p}`),
  )
  // Package 0 of main (`labmai-pkg0`) is in every pocket: -security lists every 6th package from 0.
  const probe = {
    name: 'labmai-pkg0',
    release: versionOf(0, 'noble', false),
    security: versionOf(0, 'noble-security', false),
  }
  return {
    origin,
    mirrors: fullArchiveMirrors(opts, origin),
    distinctIndexUrls,
    distinctIndexBytes: snaps.reduce((n, s) => n + s.indexBytes, 0),
    distinctUncompressedBytes: snaps.reduce((n, s) => n + s.uncompressed, 0),
    distinctStanzas: snaps.reduce((n, s) => n + s.stanzas, 0),
    probe,
    indexDownloads: () => indexDownloads,
    wireBytes: wire.bytes,
    resetStats: () => {
      indexDownloads = 0
      wire.reset()
    },
    close: () => closeServer(server, sockets),
  }
}

/**
 * Writes what the CLI needs to check a machine against `archive`: the archive key, a config pinning it with
 * every mirror, and a noble machine root with the probe package installed at its release version (so the
 * -security pocket holds a verified update for it), using mirror 0. Returns the paths.
 */
export async function writeFullArchiveMachine(
  dir: string,
  archive: FullArchive,
  key: { readonly armoredPublic: string; readonly fingerprint: string },
): Promise<{ configFile: string; rootDir: string }> {
  const keyFile = join(dir, 'lab-archive.asc')
  const rootDir = join(dir, 'root')
  await mkdir(join(rootDir, 'etc', 'apt', 'sources.list.d'), { recursive: true })
  await mkdir(join(rootDir, 'var', 'lib', 'dpkg'), { recursive: true })
  await writeFile(keyFile, key.armoredPublic)
  const configFile = join(dir, 'lifeline-full.json')
  await writeFile(
    configFile,
    `${JSON.stringify(
      {
        $comment: 'Lifeline lab full-size archive, TEST ONLY key.',
        mirrors: archive.mirrors,
        channels: [],
        keys: [{ file: keyFile, fingerprint: key.fingerprint, role: 'archive', name: 'Lab archive key' }],
        removeKeys: [],
      },
      null,
      2,
    )}\n`,
  )
  await writeFile(
    join(rootDir, 'etc', 'os-release'),
    'PRETTY_NAME="Ubuntu 24.04 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=noble\n',
  )
  const p = archive.probe
  await writeFile(
    join(rootDir, 'var', 'lib', 'dpkg', 'status'),
    `Package: ${p.name}\nStatus: install ok installed\nPriority: optional\nSection: libs\nArchitecture: amd64\nVersion: ${p.release}\nDescription: probe package\n\n` +
      `Package: libc6\nStatus: install ok installed\nPriority: optional\nSection: libs\nArchitecture: amd64\nVersion: 2.39-0ubuntu8\nDescription: C library\n`,
  )
  const m0 = archive.mirrors[0]
  await writeFile(
    join(rootDir, 'etc', 'apt', 'sources.list.d', 'ubuntu.sources'),
    `Types: deb\nURIs: ${m0?.url ?? ''}\nSuites: ${(m0?.suites ?? []).join(' ')}\nComponents: ${(m0?.components ?? []).join(' ')}\nSigned-By: ${keyFile}\n`,
  )
  return { configFile, rootDir }
}
