/**
 * How Lifeline writes an instant and a duration for people and for JSON: one ISO-8601 helper and one duration
 * formatter, used by the CLI, the `lifeline.check/1` report, the app's DTOs, the tray and the verdict sentences.
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** An instant (epoch ms) as ISO-8601 UTC with milliseconds, e.g. `2026-06-06T12:00:00.000Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** `isoTime`, or null when the instant is absent (the JSON report writes absent values as null). */
export function isoTimeOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : isoTime(ms)
}

/** A duration in whole seconds, or null when absent (the JSON report's `…Seconds` fields). */
export function secondsOrNull(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms / SECOND)
}

/** One unit of a duration scale: used while the rounded count stays below `below`. */
interface DurationUnit {
  readonly name: string
  readonly ms: number
  readonly below: number
}

/** A way of writing durations: words for what is too short to count, then units from small to large. */
interface DurationScale {
  readonly tooShort: { readonly belowMs: number; readonly words: string } | null
  readonly units: readonly DurationUnit[]
}

/**
 * Exact enough to compare dates ("signed 90 seconds ago", "60 minutes behind"): seconds up to two minutes,
 * minutes up to two hours, hours up to two days.
 */
const PRECISE: DurationScale = {
  tooShort: null,
  units: [
    { name: 'second', ms: SECOND, below: 120 },
    { name: 'minute', ms: MINUTE, below: 120 },
    { name: 'hour', ms: HOUR, below: 48 },
    { name: 'day', ms: DAY, below: Infinity },
  ],
}

/** For a glance (the tray, the app window): never "0 minutes", hours from the first full hour. */
const GLANCE: DurationScale = {
  tooShort: { belowMs: MINUTE, words: 'less than a minute' },
  units: [
    { name: 'minute', ms: MINUTE, below: 60 },
    { name: 'hour', ms: HOUR, below: 48 },
    { name: 'day', ms: DAY, below: Infinity },
  ],
}

function durationWords(ms: number, scale: DurationScale): string {
  const abs = Math.abs(ms)
  if (scale.tooShort && abs < scale.tooShort.belowMs) return scale.tooShort.words
  for (const unit of scale.units) {
    const count = Math.round(abs / unit.ms)
    if (count < unit.below) return `${count} ${unit.name}${count === 1 ? '' : 's'}`
  }
  // The last unit of every scale has no upper bound; this line is only for the type checker.
  return `${Math.round(abs / DAY)} days`
}

/** A duration in words for sentences about signed dates and lags: "30 seconds", "90 minutes", "5 hours", "3 days". */
export function describeDuration(ms: number): string {
  return durationWords(ms, PRECISE)
}

/** A duration in words for a glance: "less than a minute", "5 minutes", "2 hours", "3 days". */
export function describeAge(ms: number): string {
  return durationWords(ms, GLANCE)
}
