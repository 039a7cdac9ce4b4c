/** The set of names one advisory has already assessed, reused from one advisory to the next. */

/** Past this many names the set switches from a scanned array to a hash set. */
const SMALL_SET_SIZE = 32

/**
 * A set of names, reused from one advisory to the next. An advisory names a few sources, so a linear scan of
 * one reused array beats a Set, whose clear() allocates a new table each time; past 32 names (a hostile or huge
 * advisory) it switches to a Set so the cost stays linear.
 */
export class SeenNames {
  // Slots are overwritten, never truncated: setting an array's length to 0 drops its backing store.
  private readonly small: string[] = []
  private size = 0
  private big: Set<string> | undefined

  /** Empties the set (keeps the array's storage). */
  reset(): void {
    this.size = 0
    this.big = undefined
  }

  /** True when `name` was added since the last reset. */
  has(name: string): boolean {
    if (this.big) return this.big.has(name)
    for (let i = 0; i < this.size; i++) if (this.small[i] === name) return true
    return false
  }

  /** Adds `name` (callers check `has` first). */
  add(name: string): void {
    if (this.big) this.big.add(name)
    else if (this.size < SMALL_SET_SIZE) this.small[this.size++] = name
    else this.big = new Set([...this.small, name])
  }
}
