/**
 * Figure 9: soak figures come from bench/soak.ts (`npm run soak`, owned by another engineer). With `--soak`,
 * this runs it for a short while (with `--quick`, and a 3-minute limit) and quotes its last lines.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext, FigureRow } from '../lib/report'

const LIMIT_MS = 180_000

/** Runs figure 9; one row. */
export async function soakFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const script = join(ctx.root, 'bench/soak.ts')
  if (!existsSync(script)) {
    return [
      {
        id: 'soak',
        issue: '8',
        figure: 'soak (bench/soak.ts)',
        measured: 'pending: bench/soak.ts does not exist yet',
        target: 'see npm run soak',
        anchor: 'n/a',
        verdict: 'pending',
        numbers: {},
      },
    ]
  }
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--quick'], {
    cwd: ctx.root,
    encoding: 'utf8',
    timeout: LIMIT_MS,
    maxBuffer: 64 * 1024 * 1024,
  })
  const seconds = (performance.now() - t0) / 1000
  const tail = `${r.stdout ?? ''}`.trim().split('\n').slice(-3).join(' / ')
  return [
    {
      id: 'soak',
      issue: '8',
      figure: `soak, short run (npm run soak -- --quick, ${seconds.toFixed(0)} s)`,
      measured: r.error ? `error: ${r.error.message}` : tail.slice(0, 160) || '(no output)',
      target: 'see npm run soak',
      anchor: 'n/a',
      verdict: r.status === 0 ? 'info' : 'error',
      numbers: { exitCode: r.status, seconds, output: `${r.stdout ?? ''}`.slice(-4000) },
    },
  ]
}
