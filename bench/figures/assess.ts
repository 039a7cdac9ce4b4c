/**
 * Figure 5: assessment of a 3,000-package status against 10,000 advisories, target < 100 ms.
 */
import { assess } from '../../main/core/assess/assess'
import { syntheticAssessInput } from '../../test/support/synthetic-assess'
import type { BenchContext, FigureRow } from '../lib/report'
import { fmtMs, timeAsync } from '../lib/stats'

const TARGET_MS = 100

/** Runs figure 5; one row. */
export async function assessFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const input = syntheticAssessInput({ packages: 3000, advisories: 10000 })
  const result = assess(input)
  const s = await timeAsync(() => assess(input), ctx.quick ? 5 : 20, 3)
  return [
    {
      id: 'assess.3000x10000',
      issue: '5',
      figure: `assess 3,000 packages x 10,000 advisories`,
      measured: `${fmtMs(s.medianMs)} med, p95 ${fmtMs(s.p95Ms)}, n=${s.runs}`,
      target: `< ${TARGET_MS} ms`,
      anchor: 'n/a',
      verdict: s.medianMs < TARGET_MS ? 'met' : 'missed',
      numbers: { medianMs: s.medianMs, p95Ms: s.p95Ms, runs: s.runs, advisories: result.advisories.length },
      notes: [
        'Assess: main/core/assess/assess.ts assess(syntheticAssessInput({ packages: 3000, advisories: 10000 })) ' +
          '(deterministic jammy-shaped input, test/support/synthetic-assess.ts), median after 3 warm-up runs.',
      ],
    },
  ]
}
