/**
 * Soak: poll cycles against the outage lab with random faults switched between cycles, reporting the
 * heap and open-file-descriptor slopes, unhandled rejections and leaked timers.
 *
 * `npm run soak` runs 1,000 cycles (SOAK_CYCLES to change); test/integration/lab-soak.test.ts runs a short one.
 * Each cycle: set 0–3 random faults, poll the synthetic mirrors (state carried over), read the signed feed, the
 * OSV copy and the mbox, and save the mirror state through the real file state store.
 */
import { prng } from '../test/support/synthetic-assess'
import { readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { readMboxChannel } from '../main/core/advisories/mbox'
import { readSignedFeed } from '../main/core/advisories/signed-feed'
import type { FeedHighWater } from '../main/core/advisories/feed-index'
import { readOsvChannel } from '../main/core/advisories/unsigned-channels'
import { readMirrorsState, writeMirrorsState } from '../main/core/apt/mirror-store'
import { pollMirrors } from '../main/core/apt/poller'
import { Limits } from '../main/core/limits'
import { createDecompressor } from '../main/node/decompress'
import { createFileIndexStore } from '../main/node/file-index-store'
import { createFileStateStore } from '../main/node/file-state-store'
import { createFetcher } from '../main/node/http-fetcher'
import type { FaultName } from '../main/lab/faults'
import { startLab } from '../main/lab/lab'
import type { LabTargetId } from '../main/lab/scenarios'

/** What a soak run measured. */
export interface SoakReport {
  readonly cycles: number
  readonly seconds: number
  /** Least-squares slope of heapUsed over the second half of the run, bytes per cycle. */
  readonly heapSlopeBytesPerCycle: number
  readonly heapStartMb: number
  readonly heapEndMb: number
  /** Least-squares slope of the open fd count over the second half, fds per cycle (undefined without /proc). */
  readonly fdSlopePerCycle: number | undefined
  readonly fdStart: number | undefined
  readonly fdEnd: number | undefined
  readonly unhandledRejections: number
  /** Active Timeout handles after the run minus before it. */
  readonly timerLeak: number
  /** Mirror × suite outcomes by state over the run. */
  readonly states: Readonly<Record<string, number>>
  /** Statuses `ok`/`lagging` on a mirror whose fault forbids it (must be 0). */
  readonly falseVerified: number
}

const MIRROR_FAULTS: readonly FaultName[] = [
  'none',
  'none',
  'none',
  'down',
  'refused',
  'stalled',
  'frozen',
  'rolled-back',
  'lagging',
  'tampered-signature',
  'wrong-index-hash',
  'wrong-suite',
  'oversized',
  'endless',
  'redirect-loop',
  'slow',
]
const FEED_FAULTS: readonly FaultName[] = [
  'none',
  'none',
  'down',
  'refused',
  'tampered-signature',
  'wrong-index-hash',
  'endless',
  'redirect-loop',
  'stale',
]
const NEVER_VERIFIED = new Set<FaultName>([
  'down',
  'refused',
  'stalled',
  'frozen',
  'tampered-signature',
  'oversized',
  'endless',
  'redirect-loop',
  'slow',
])

function fdCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return undefined
  }
}

function timeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
}

/** Least-squares slope of ys over xs. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length)
  if (n < 2) return 0
  let sx = 0
  let sy = 0
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number
    sy += ys[i] as number
  }
  const mx = sx / n
  const my = sy / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx
    num += dx * ((ys[i] as number) - my)
    den += dx * dx
  }
  return den === 0 ? 0 : num / den
}

/** Runs `cycles` poll cycles against a fresh lab and returns the measurements. */
export async function runSoak(opts: {
  cycles: number
  seed?: number
  onProgress?: (done: number) => void
}): Promise<SoakReport> {
  let unhandled = 0
  const onUnhandled = (): void => {
    unhandled++
  }
  process.on('unhandledRejection', onUnhandled)
  const gc = (globalThis as { gc?: () => void }).gc
  const random = prng(opts.seed ?? 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
  const dataDir = await mkdtemp(join(tmpdir(), 'lifeline-soak-'))
  const timersBefore = timeouts()
  const lab = await startLab({ scenario: 'calm' })
  const fetcher = createFetcher({ minBytesPerSecond: 4096, minRateWindowMs: 200, connectTimeoutMs: 500 })
  const decompressor = createDecompressor()
  const store = createFileStateStore(join(dataDir, 'state'))
  const indexes = createFileIndexStore(join(dataDir, 'state', 'indexes'))
  const mirrors = lab.mirrors.filter((m) => m.id !== 'lab-real-ubuntu')
  const channelUrl = (id: string) => lab.channels.find((c) => c.id === id)?.urls ?? []
  const states: Record<string, number> = {}
  const xs: number[] = []
  const heap: number[] = []
  const fds: number[] = []
  let falseVerified = 0
  let feedHigh: FeedHighWater | undefined
  const started = Date.now()
  const fdStart = fdCount()
  gc?.()
  const heapStart = process.memoryUsage().heapUsed
  try {
    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      await lab.setScenario('calm')
      const faults = new Map<LabTargetId, FaultName>()
      for (let k = Math.floor(random() * 4); k > 0; k--) {
        const target = pick<LabTargetId>([
          'primary',
          'mirror-a',
          'mirror-b',
          'helpdesk-feed',
          'osv',
          'announce',
        ])
        const f =
          target.startsWith('mirror') || target === 'primary' ? pick(MIRROR_FAULTS) : pick(FEED_FAULTS)
        const ok =
          target === 'osv' || target === 'announce'
            ? (['none', 'down', 'refused', 'endless'] as FaultName[]).includes(f)
            : true
        if (!ok) continue
        faults.set(target, f)
        await lab.setFault(target, { name: f, bytesPerSecond: 256 })
      }
      const previous = await readMirrorsState(store, indexes)
      const r = await pollMirrors({
        mirrors,
        keyring: lab.keyring,
        now: lab.now,
        previous,
        ports: { fetcher, decompressor, indexes },
      })
      for (const s of r.statuses) {
        states[s.state] = (states[s.state] ?? 0) + 1
        const f = faults.get(s.mirrorId.replace(/^lab-/, '') as LabTargetId)
        if (f && NEVER_VERIFIED.has(f) && (s.state === 'ok' || s.state === 'lagging') && !s.notModified)
          falseVerified++
      }
      await writeMirrorsState(store, indexes, r.state)
      try {
        const feed = await readSignedFeed(channelUrl('lab-helpdesk-feed')[0] ?? '', {
          keyring: lab.keyring,
          fetcher,
          now: lab.now,
          previous: feedHigh,
        })
        feedHigh = feed.highWater
      } catch {
        // Expected under faults: the failure is the channel's status; the soak only watches resources.
      }
      await readOsvChannel(channelUrl('lab-osv'), { fetcher, now: lab.now, channelId: 'lab-osv' })
      try {
        const url = channelUrl('lab-announce')[0] ?? ''
        const body = (
          await fetcher({ url, maxBytes: Limits.advisories.mboxBytes, timeoutMs: 5_000, allowHttp: true })
        ).body
        await readMboxChannel(body, { keyring: lab.keyring, now: lab.now, channelId: 'lab-announce', url })
      } catch {
        // As above.
      }
      if (cycle % 10 === 0 || cycle === opts.cycles) {
        gc?.()
        xs.push(cycle)
        heap.push(process.memoryUsage().heapUsed)
        fds.push(fdCount() ?? 0)
        opts.onProgress?.(cycle)
      }
    }
  } finally {
    await lab.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  // Let sockets closed by the lab finish closing before counting handles.
  await new Promise((resolve) => setTimeout(resolve, 50))
  process.off('unhandledRejection', onUnhandled)
  const half = Math.floor(xs.length / 2)
  gc?.()
  return {
    cycles: opts.cycles,
    seconds: (Date.now() - started) / 1000,
    heapSlopeBytesPerCycle: slope(xs.slice(half), heap.slice(half)),
    heapStartMb: heapStart / 1048576,
    heapEndMb: process.memoryUsage().heapUsed / 1048576,
    fdSlopePerCycle: fdStart === undefined ? undefined : slope(xs.slice(half), fds.slice(half)),
    fdStart,
    fdEnd: fdCount(),
    unhandledRejections: unhandled,
    timerLeak: timeouts() - timersBefore,
    states,
    falseVerified,
  }
}

/** One line per figure, for the bench output and the README's "Reliability" section. */
export function formatSoak(r: SoakReport): string {
  return [
    `soak: ${r.cycles} poll cycles with random faults in ${r.seconds.toFixed(1)} s`,
    `  heap: ${r.heapStartMb.toFixed(1)} MB -> ${r.heapEndMb.toFixed(1)} MB, slope ${(r.heapSlopeBytesPerCycle / 1024).toFixed(2)} KB/cycle (second half)`,
    `  open fds: ${r.fdStart ?? '?'} -> ${r.fdEnd ?? '?'}, slope ${r.fdSlopePerCycle?.toFixed(4) ?? 'n/a'} fds/cycle`,
    `  unhandled rejections: ${r.unhandledRejections}; timer leak: ${r.timerLeak}; shown verified under a blocking fault: ${r.falseVerified}`,
    `  mirror outcomes: ${Object.entries(r.states)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ].join('\n')
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) {
  const cycles = Number(process.env.SOAK_CYCLES ?? 1000)
  const report = await runSoak({
    cycles,
    seed: Number(process.env.SOAK_SEED ?? 1),
    onProgress: (n) => {
      if (n % 100 === 0) process.stderr.write(`  ${n}/${cycles}\n`)
    },
  })
  console.log(formatSoak(report))
  const leak =
    report.unhandledRejections > 0 ||
    report.timerLeak > 0 ||
    report.falseVerified > 0 ||
    (report.fdEnd ?? 0) > (report.fdStart ?? 0) + 8
  process.exitCode = leak ? 1 : 0
}
