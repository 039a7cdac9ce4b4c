/** "less than a minute", "5 minutes", "3 hours", "2 days" for a duration in ms. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return 'less than a minute'
  const m = Math.round(ms / 60_000)
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`
  const h = Math.round(m / 60)
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}`
  return `${Math.round(h / 24)} days`
}

/** Exhaustiveness guard for switches over unions: a new member is a type error here. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}
