/**
 * The short soak (the long one is bench/soak.ts): 50 poll cycles against the outage lab with random faults. Open file
 * descriptors and timers come back to where they started, no rejection goes unhandled, heap growth stays bounded,
 * and no mirror under a blocking fault is ever shown as verified. `npm run soak` runs the 1,000-cycle version.
 */
import { describe, expect, it } from 'vitest'
import { formatSoak, runSoak } from '../../bench/soak'

describe('outage lab soak', () => {
  describe('when 50 poll cycles run with random faults', () => {
    it('leaks no descriptor, timer or rejection and never shows a blocked mirror as verified', async () => {
      const r = await runSoak({ cycles: 50, seed: Number(process.env.SOAK_SEED ?? Date.now() % 1e9) })
      console.log(`[soak] ${formatSoak(r)}`)
      expect(r.unhandledRejections).toBe(0)
      expect(r.timerLeak).toBeLessThanOrEqual(0)
      expect(r.falseVerified).toBe(0)
      if (r.fdStart !== undefined) expect(r.fdEnd ?? 0).toBeLessThanOrEqual(r.fdStart + 8)
      expect(r.heapEndMb - r.heapStartMb).toBeLessThan(64)
      expect(Object.values(r.states).reduce((a, b) => a + b, 0)).toBe(50 * 6)
    }, 60_000)
  })
})
