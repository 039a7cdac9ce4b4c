/**
 * Figure 9: a short soak. The soak itself is bench/soak.ts (`npm run soak`, 1,000 cycles, owned by
 * another engineer); with `--soak` the bench runs 100 cycles (30 with --quick) of it in a child process and
 * reports its leak figures with the same pass rule as `npm run soak`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext, FigureRow } from '../lib/report'

const LIMIT_MS = 240_000

/** The fields of bench/soak.ts `SoakReport` this figure reads. */
interface SoakFigures {
  readonly cycles: number
  readonly seconds: number
  readonly heapSlopeBytesPerCycle: number
  readonly fdStart?: number
  readonly fdEnd?: number
  readonly fdSlopePerCycle?: number
  readonly unhandledRejections: number
  readonly timerLeak: number
  readonly falseVerified: number
}

/** Runs figure 9; one row. */
export async function soakFigure(ctx: BenchContext): Promise<FigureRow[]> {
  if (!existsSync(join(ctx.root, 'bench/soak.ts'))) {
    return [
      {
        id: 'soak',
        issue: '8',
        figure: 'soak (bench/soak.ts)',
        measured: 'pending: bench/soak.ts does not exist yet',
        target: 'no leak',
        anchor: 'n/a',
        verdict: 'pending',
        numbers: {},
      },
    ]
  }
  const cycles = ctx.quick ? 30 : 100
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ctx.root, 'bench/lib/soak-child.ts')],
    {
      cwd: ctx.root,
      encoding: 'utf8',
      timeout: LIMIT_MS,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SOAK_CYCLES: String(cycles) },
    },
  )
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? ''
  if (r.status !== 0 || !line.startsWith('{')) {
    throw new Error(`soak exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').trim().slice(-200)}`)
  }
  const s = JSON.parse(line) as SoakFigures
  // The same pass rule as `npm run soak` (bench/soak.ts).
  const leak =
    s.unhandledRejections > 0 ||
    s.timerLeak > 0 ||
    s.falseVerified > 0 ||
    (s.fdEnd ?? 0) > (s.fdStart ?? 0) + 8
  return [
    {
      id: 'soak',
      issue: '8',
      figure: `soak, ${s.cycles} poll cycles with random faults`,
      measured:
        `heap ${(s.heapSlopeBytesPerCycle / 1024).toFixed(1)} KB/cycle, fds ${s.fdStart ?? '?'}->${s.fdEnd ?? '?'}, ` +
        `${s.unhandledRejections} rejections, ${s.timerLeak} timers, ${s.falseVerified} false ok`,
      target: 'no leak, 0 false ok',
      anchor: 'n/a',
      verdict: leak ? 'missed' : 'met',
      numbers: { ...s },
      notes: [
        `Soak: bench/soak.ts runSoak({ cycles: ${cycles} }) in a child process (${s.seconds.toFixed(0)} s): poll ` +
          'cycles against the outage lab with 0-3 random faults each; heap slope over the second half; "false ok" = ' +
          'a mirror shown ok/lagging under a fault that forbids it. The full 1,000-cycle run is `npm run soak`.',
      ],
    },
  ]
}
