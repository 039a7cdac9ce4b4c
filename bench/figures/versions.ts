/**
 * Figure 3: Debian version comparisons per second in-process vs `dpkg --compare-versions` per process.
 *
 * Target: >= 2 million comparisons/s. The point of the anchor: a batch of in-process comparisons against a
 * process per comparison, which is what a shell script calling dpkg pays.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compareDebianVersions } from '../../main/core/apt/version'
import type { BenchContext, FigureRow } from '../lib/report'
import { timeProcess } from '../lib/native'
import { fmtMs, fmtRate, summarize } from '../lib/stats'

const TARGET_PER_SECOND = 2e6

/** Runs figure 3; one row. */
export async function versionsFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const rows = readFileSync(join(ctx.root, 'test/fixtures/versions/dpkg-expectations.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.endsWith('\terror'))
    .map((l) => l.split('\t'))
  const as = rows.map((r) => r[0] ?? '')
  const bs = rows.map((r) => r[1] ?? '')
  const expected = rows.map((r) => Number(r[2]))
  // Correctness first (a fast wrong comparison is worthless): the pairs carry dpkg's own answers.
  let disagreements = 0
  for (let i = 0; i < as.length; i++) {
    if (compareDebianVersions(as[i] ?? '', bs[i] ?? '') !== expected[i]) disagreements++
  }
  let sink = 0
  const rounds = ctx.quick ? 50 : 200
  const batch = () => {
    for (let k = 0; k < rounds; k++)
      for (let i = 0; i < as.length; i++) sink += compareDebianVersions(as[i] ?? '', bs[i] ?? '')
  }
  batch() // warm-up
  const times: number[] = []
  for (let i = 0; i < (ctx.quick ? 3 : 7); i++) {
    const t0 = performance.now()
    batch()
    times.push(performance.now() - t0)
  }
  const ms = summarize(times).medianMs
  const perSecond = (rounds * as.length) / (ms / 1000)

  // A real pair where `lt` holds, so dpkg exits 0 (it exits 1 when the relation is false).
  const lt = expected.findIndex((e) => e === -1)
  const dpkg = timeProcess('dpkg', ['--compare-versions', as[lt] ?? '1', 'lt', bs[lt] ?? '2'], {
    runs: ctx.quick ? 50 : 200,
    warmup: 5,
  })
  const dpkgPerSecond = dpkg.ok ? 1000 / dpkg.summary.medianMs : null
  return [
    {
      id: 'versions.compare',
      issue: '3',
      figure: `compare Debian versions (${as.length} real pairs)`,
      measured: `${fmtRate(perSecond, 'cmp/s')}${disagreements > 0 ? ` (${disagreements} disagree with dpkg!)` : ''}`,
      target: `>= ${fmtRate(TARGET_PER_SECOND, 'cmp/s')}`,
      anchor: dpkg.ok
        ? `dpkg ${fmtRate(dpkgPerSecond ?? 0, 'cmp/s')}, ${fmtMs(dpkg.summary.medianMs)}/process ` +
          `(ours ${Math.round(perSecond / (dpkgPerSecond ?? 1)).toLocaleString('en')}x)`
        : `dpkg: ${dpkg.reason}`,
      verdict: perSecond >= TARGET_PER_SECOND && disagreements === 0 ? 'met' : 'missed',
      numbers: {
        pairs: as.length,
        comparisonsPerSecond: perSecond,
        disagreementsWithDpkg: disagreements,
        dpkgPerProcessMs: dpkg.ok ? dpkg.summary.medianMs : null,
        dpkgComparisonsPerSecond: dpkgPerSecond,
        sink,
      },
      notes: [
        `Versions: main/core/apt/version.ts compareDebianVersions over the ${as.length} pairs of ` +
          "test/fixtures/versions/dpkg-expectations.tsv (real versions from the fixtures, with dpkg's answers, " +
          `all checked first: ${disagreements} disagreement(s)); the anchor is one dpkg process per comparison.`,
      ],
    },
  ]
}
