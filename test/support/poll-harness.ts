/**
 * One-call poll of a single loopback mirror × suite, for attack regressions (test/security/mirror-*.test.ts).
 */
import { pollMirrors } from '../../main/core/apt/poller'
import type { PollResult } from '../../main/core/apt/poller'
import type { MirrorsState } from '../../main/core/apt/mirror-state'
import type { Keyring } from '../../main/core/pgp/keyring'
import type { IndexStore } from '../../main/core/ports'
import { createFetcher } from '../../main/node/http-fetcher'
import { createDecompressor } from '../../main/node/decompress'
import type { MirrorServer } from './mirror-server'
import { sha256Hex } from '../../main/lab/archive'

/** Fetcher with a short minimum-rate window so slow cases end in well under a second. */
export const quickFetcher = createFetcher({ minBytesPerSecond: 4096, minRateWindowMs: 300 })

/** Puts an InRelease and its indexes (plain and by-hash names) under `/ubuntu/dists/<suite>/` on `m`. */
export function publishTree(
  m: MirrorServer,
  suite: string,
  inRelease: Uint8Array,
  files: Readonly<Record<string, Uint8Array>>,
): void {
  const dist = `/ubuntu/dists/${suite}`
  m.files.set(`${dist}/InRelease`, inRelease)
  for (const [path, data] of Object.entries(files)) {
    m.files.set(`${dist}/${path}`, data)
    m.files.set(`${dist}/${path.slice(0, path.lastIndexOf('/'))}/by-hash/SHA256/${sha256Hex(data)}`, data)
  }
}

/** Polls `m` for one suite (component `main` unless given, arch amd64). */
export function pollOne(
  m: MirrorServer,
  suite: string,
  keyring: Keyring,
  now: number,
  previous?: MirrorsState,
  component = 'main',
): Promise<PollResult> {
  return pollMirrors({
    mirrors: [
      {
        id: 'm',
        name: 'Test mirror',
        url: `${m.url}/ubuntu`,
        suites: [suite],
        components: [component],
        architectures: ['amd64'],
      },
    ],
    keyring,
    now,
    previous,
    // A follow-up poll uses the piece store of the poll that made `previous`, as the app keeps one per folder.
    ports: {
      fetcher: quickFetcher,
      decompressor: createDecompressor(),
      indexes: previous ? storeOf.get(previous) : undefined,
    },
  }).then((r) => {
    storeOf.set(r.state, r.indexes)
    return r
  })
}

const storeOf = new WeakMap<MirrorsState, IndexStore>()
