import { describe, expect, it } from 'vitest'
import { mapWithLimit, Semaphore } from '../../../main/core/concurrency'

/** Counts tasks running at once; each task waits until the test releases it, so overlap is real, not timing. */
function gate() {
  let running = 0
  let peak = 0
  const waiting: (() => void)[] = []
  return {
    get running() {
      return running
    },
    get peak() {
      return peak
    },
    get waiting() {
      return waiting.length
    },
    async enter(): Promise<void> {
      running++
      peak = Math.max(peak, running)
      await new Promise<void>((resolve) => waiting.push(resolve))
      running--
    },
    releaseOne(): void {
      waiting.shift()?.()
    },
  }
}

/** Lets every promise callback that is ready run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('mapWithLimit', () => {
  describe('when tasks finish out of order', () => {
    it('returns the results in the order of the items', async () => {
      const delays = [5, 1, 4, 0, 3]
      const out = await mapWithLimit(delays, 3, async (d, i) => {
        for (let k = 0; k < d; k++) await Promise.resolve()
        return `${i}:${d}`
      })
      expect(out).toEqual(['0:5', '1:1', '2:4', '3:0', '4:3'])
    })
  })

  describe('when there are more items than the limit', () => {
    it('never runs more than `limit` at once, and starts the next as soon as one finishes', async () => {
      const g = gate()
      const run = mapWithLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
        await g.enter()
        return n * 10
      })
      await settle()
      expect(g.running).toBe(3)
      for (let i = 0; i < 7; i++) {
        g.releaseOne()
        await settle()
        expect(g.running).toBeLessThanOrEqual(3)
      }
      expect(await run).toEqual([10, 20, 30, 40, 50, 60, 70])
      expect(g.peak).toBe(3)
    })
  })

  describe('when the limit is below 1 or there are no items', () => {
    it('runs one at a time, and returns an empty list for no items', async () => {
      const g = gate()
      const run = mapWithLimit(['a', 'b'], 0, async (s) => {
        await g.enter()
        return s.toUpperCase()
      })
      await settle()
      expect(g.running).toBe(1)
      g.releaseOne()
      await settle()
      g.releaseOne()
      expect(await run).toEqual(['A', 'B'])
      expect(g.peak).toBe(1)
      expect(await mapWithLimit([], 4, () => Promise.resolve(1))).toEqual([])
    })
  })

  describe('when a task rejects', () => {
    it('rejects with that error and starts no item that had not started', async () => {
      const started: number[] = []
      const boom = new Error('port failed')
      const run = mapWithLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n)
        await Promise.resolve()
        if (n === 1) throw boom
        return n
      })
      await expect(run).rejects.toBe(boom)
      await settle()
      // 0 and 1 start together; 1 fails while 2 takes 0's slot; nothing after that starts.
      expect(started).toEqual([0, 1, 2])
    })
  })
})

describe('Semaphore', () => {
  describe('when more callers arrive than there are slots', () => {
    it('runs at most `slots` at once, in arrival order, and frees a slot on rejection too', async () => {
      const slots = new Semaphore(2)
      const g = gate()
      const order: string[] = []
      const job = (name: string, fail = false) =>
        slots.run(async () => {
          order.push(name)
          await g.enter()
          if (fail) throw new Error(name)
          return name
        })
      const a = job('a', true)
      const b = job('b')
      const c = job('c')
      const d = job('d')
      await settle()
      expect(g.running).toBe(2)
      expect(order).toEqual(['a', 'b'])
      g.releaseOne()
      await expect(a).rejects.toThrow('a')
      await settle()
      expect(order).toEqual(['a', 'b', 'c'])
      expect(g.running).toBe(2)
      g.releaseOne()
      g.releaseOne()
      await settle()
      g.releaseOne()
      expect(await Promise.all([b, c, d])).toEqual(['b', 'c', 'd'])
      expect(g.peak).toBe(2)
    })
  })
})
