/**
 * Shared helpers of the lab scenario tests: a quick fetcher (short minimum-rate window and connect timeout, so
 * slow and stalled faults end in well under a second) and one-call polls of the lab's mirrors.
 */
import type { MirrorsState } from '../../../main/core/apt/mirror-state'
import { pollMirrors } from '../../../main/core/apt/poller'
import type { PollResult } from '../../../main/core/apt/poller'
import type { MirrorConfig } from '../../../main/core/model'
import { createDecompressor } from '../../../main/node/decompress'
import { createFetcher } from '../../../main/node/http-fetcher'
import type { Lab } from '../../../main/lab/lab'

/** A fetcher whose slow-transfer and connect limits are short enough for tests. */
export const quickFetcher = createFetcher({
  minBytesPerSecond: 4096,
  minRateWindowMs: 300,
  connectTimeoutMs: 800,
})

/** The three synthetic mirrors (primary, mirror-a, mirror-b). */
export function syntheticMirrors(lab: Lab): MirrorConfig[] {
  return lab.mirrors.filter((m) => m.id !== 'lab-real-ubuntu')
}

/**
 * Polls `mirrors` of the lab at the lab's time (or `now`), with a fresh piece store, `concurrency` mirror ×
 * suite jobs at a time (default the poller's).
 */
export function pollLab(
  lab: Lab,
  mirrors: readonly MirrorConfig[],
  previous?: MirrorsState,
  now = lab.now,
  concurrency?: number,
): Promise<PollResult> {
  return pollMirrors({
    mirrors,
    keyring: lab.keyring,
    now,
    previous,
    ports: { fetcher: quickFetcher, decompressor: createDecompressor() },
    concurrency,
  })
}
