/**
 * Figure 7: the instruction checker on a 10 KB paste, once the bash parser is loaded: target < 20 ms
 * (docs/inspect.md, "Performance").
 */
import { benchInspect } from '../lib/inspect-sample'
import { loadShellParser } from '../../main/node/shell-parser'
import type { BenchContext, FigureRow } from '../lib/report'
import { fmtMs } from '../lib/stats'

const TARGET_MS = 20

/** Runs figure 7; one row. */
export async function inspectFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const t0 = performance.now()
  const parser = await loadShellParser()
  const loadMs = performance.now() - t0
  const r = await benchInspect(parser, ctx.quick ? 15 : 50)
  return [
    {
      id: 'inspect.10kb',
      issue: '6',
      figure: `check a ${(r.chars / 1024).toFixed(0)} KB paste (parser loaded)`,
      measured: `${fmtMs(r.medianMs)} med, max ${fmtMs(r.maxMs)}`,
      target: `< ${TARGET_MS} ms`,
      anchor: `n/a (parser load ${fmtMs(loadMs)})`,
      verdict: r.medianMs < TARGET_MS ? 'met' : 'missed',
      numbers: { chars: r.chars, medianMs: r.medianMs, maxMs: r.maxMs, parserLoadMs: loadMs },
      notes: [
        'Inspect: bench/lib/inspect-sample.ts benchInspect(await loadShellParser()) (main/node/shell-parser.ts, ' +
          'tree-sitter-bash WASM) on samplePaste(): forum prose, fenced commands and fake fixes.',
      ],
    },
  ]
}
