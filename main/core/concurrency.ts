/**
 * Bounded concurrency: the one home for "at most N at a time".
 *
 * Two shapes, because callers have two kinds of work: `mapWithLimit` runs a list known up front (the mirror ×
 * suite jobs of a poll, the files of a signed feed, the saved pieces to load), and `Semaphore` bounds work that
 * arrives over time from many places (the Packages indexes being fetched and decoded during a poll, whichever
 * mirror asks). Pure: no timers, no node:*.
 */

/**
 * Runs `task` over `items` with at most `limit` running at once and returns the results in the order of `items`.
 *
 * A `limit` below 1 counts as 1. When a task rejects, the returned promise rejects with that error (the first one
 * when several do), and no item that has not started yet is started; tasks already running are not awaited. Every
 * caller in this code base turns expected failures into values inside its task, so a rejection means a bug or a
 * failing port, and the whole run fails with it.
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let nextIndex = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < items.length) {
      const index = nextIndex++
      try {
        results[index] = await task(items[index] as T, index)
      } catch (e) {
        failed = true
        throw e
      }
    }
  }
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}

/** A counting semaphore: `run` waits for a free slot, so at most `slots` functions run at once. */
export class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []

  /** `slots` below 1 counts as 1. */
  constructor(slots: number) {
    this.free = Math.max(1, slots)
  }

  /** Runs `fn` once a slot is free and frees the slot when it settles (resolved or rejected), in arrival order. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
