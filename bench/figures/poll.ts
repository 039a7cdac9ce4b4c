/**
 * Figure 4: bytes on the wire for one poll of an unchanged mirror (target <= 1.5 KB per suite).
 *
 * Real Canonical-signed noble-security metadata served by the tests' loopback mirror (ETag, Last-Modified, 304),
 * polled twice by the real poller; the second poll's request + response bytes, headers included, are the figure.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryIndexStore } from '../../main/core/apt/mirror-store'
import { pollMirrors } from '../../main/core/apt/poller'
import type { MirrorConfig } from '../../main/core/model'
import { createDecompressor } from '../../main/node/decompress'
import { createFetcher } from '../../main/node/http-fetcher'
import { builtInKeysDir, loadKeyringFromManifest } from '../../main/node/keys'
import { startMirrorServer } from '../../test/support/mirror-server'
import { sha256Hex } from '../../main/lab/archive'
import type { BenchContext, FigureRow } from '../lib/report'
import { fmtMs } from '../lib/stats'

const TARGET_BYTES = 1536
const DIR = 'multiverse/binary-amd64'
const NOBLE_SECURITY_DATE = Date.parse('2026-06-06T17:46:54Z')
const HOUR = 3600_000

/** Runs figure 4; one row. */
export async function pollFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const fixtures = join(ctx.root, 'test/fixtures')
  const inRelease = new Uint8Array(readFileSync(join(fixtures, 'ubuntu/apt/noble-security_InRelease')))
  const packages = new Uint8Array(
    readFileSync(join(fixtures, 'ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')),
  )
  const dist = '/ubuntu/dists/noble-security'
  const mirror = await startMirrorServer([
    [`${dist}/InRelease`, inRelease],
    [`${dist}/${DIR}/Packages`, packages],
    [`${dist}/${DIR}/by-hash/SHA256/${sha256Hex(packages)}`, packages],
  ])
  try {
    const keyring = await loadKeyringFromManifest(builtInKeysDir())
    const mirrors: MirrorConfig[] = [
      {
        id: 'bench',
        name: 'Bench mirror',
        url: `${mirror.url}/ubuntu`,
        suites: ['noble-security'],
        components: ['multiverse'],
        architectures: ['amd64'],
      },
    ]
    // One piece store for both polls, as the app keeps one in its data folder: a fresh store per poll would make
    // the second poll fetch every index again (its pieces would be missing), which is not what a user's machine does.
    const ports = {
      fetcher: createFetcher(),
      decompressor: createDecompressor(),
      indexes: createMemoryIndexStore(),
    }
    const first = await pollMirrors({
      mirrors,
      keyring,
      now: NOBLE_SECURITY_DATE + HOUR,
      previous: undefined,
      ports,
    })
    const firstWire = mirror.wireBytes()
    if (first.statuses[0]?.state !== 'ok')
      throw new Error(`first poll: ${first.statuses[0]?.state ?? 'no status'}`)
    mirror.resetStats()
    const t0 = performance.now()
    const second = await pollMirrors({
      mirrors,
      keyring,
      now: NOBLE_SECURITY_DATE + 2 * HOUR,
      previous: first.state,
      ports,
    })
    const ms = performance.now() - t0
    const wire = mirror.wireBytes()
    const bytes = wire.read + wire.written
    const requests = mirror.requests.length
    const ok = second.statuses[0]?.state === 'ok' && second.statuses[0]?.notModified === true
    return [
      {
        id: 'poll.unchanged',
        issue: '3',
        figure: 'poll an unchanged mirror (noble-security)',
        measured: `${bytes} B/suite, ${requests} request, ${fmtMs(ms)}`,
        target: `<= ${TARGET_BYTES} B per suite`,
        anchor: `n/a (first poll ${(firstWire.read + firstWire.written).toLocaleString('en')} B)`,
        verdict: ok && bytes <= TARGET_BYTES ? 'met' : 'missed',
        numbers: {
          wireBytes: bytes,
          requestBytes: wire.read,
          responseBytes: wire.written,
          requests,
          bodyBytes: second.bytesTransferred,
          firstPollWireBytes: firstWire.read + firstWire.written,
          unchangedPollMs: ms,
          state: second.statuses[0]?.state ?? null,
        },
        notes: [
          'Poll: main/core/apt/poller.ts pollMirrors twice against test/support/mirror-server.ts on 127.0.0.1 ' +
            '(strong ETag + Last-Modified); the second poll sends If-None-Match/If-Modified-Since and gets a 304. ' +
            'Wire bytes = request + response, headers included. No native anchor: apt has no equivalent counter; ' +
            'the first (full) poll is shown for scale.',
        ],
      },
    ]
  } finally {
    await mirror.close()
  }
}
