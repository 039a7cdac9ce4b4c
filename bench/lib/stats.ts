/**
 * Timing helpers for the benchmark: in-process sample collection and summary statistics.
 *
 * Performance is measured here, never asserted in tests (the product owners' rule: figures vary by machine).
 */

/** Summary of a sample of durations, in milliseconds. */
export interface Summary {
  readonly runs: number
  readonly medianMs: number
  readonly p95Ms: number
  readonly minMs: number
  readonly meanMs: number
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

/** Median, p95, min and mean of a sample of durations (ms). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)
  return {
    runs: sorted.length,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    minMs: sorted[0] ?? Number.NaN,
    meanMs: mean,
  }
}

/** Runs `fn` `warmup` times untimed (JIT tiers, caches), then `runs` times timed; returns the summary. */
export async function timeAsync(
  fn: () => Promise<unknown> | unknown,
  runs: number,
  warmup: number,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  return summarize(samples)
}

/** Formats milliseconds with a precision that suits their size. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms < 10) return `${ms.toFixed(2)} ms`
  if (ms < 100) return `${ms.toFixed(1)} ms`
  return `${Math.round(ms)} ms`
}

/** Formats a rate with a unit, e.g. `fmtRate(2.3e6, 'cmp/s')` → "2.30 M cmp/s". */
export function fmtRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return 'n/a'
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M ${unit}`
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)} k ${unit}`
  return `${perSecond.toFixed(0)} ${unit}`
}
