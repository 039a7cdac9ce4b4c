/**
 * `npm run bench`: prints every figure the issues name (3, 5, 6, 7, 8), side by side with its native anchor
 * (gpgv, grep-dctrl, dpkg) measured in the same run, and writes bench/results.json and bench/RESULTS.md.
 *
 * Flags: --quick (fewer iterations), --soak (also a short soak when bench/soak.ts exists), --only id,id
 * (figure groups: inrelease, packages, versions, poll, assess, check, inspect, overview, soak, scale), --no-write
 * (print only), --build (rebuild the renderer before the overview figure).
 *
 * Performance is measured, not asserted: this never runs under `npm test`, and a figure that fails to run is
 * printed as `error` without stopping the others (product owners' rule).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assessFigure } from './figures/assess'
import { checkOfflineFigure } from './figures/check-offline'
import { inReleaseFigures } from './figures/inrelease'
import { inspectFigure } from './figures/inspect'
import { overviewFigure } from './figures/overview'
import { packagesFigure } from './figures/packages'
import { pollFigure } from './figures/poll'
import { scaleFigures } from './figures/scale'
import { soakFigure } from './figures/soak'
import { versionsFigure } from './figures/versions'
import { machineInfo, machineLines, markdownTable, notesLines, textTable } from './lib/report'
import type { BenchContext, FigureRow } from './lib/report'

type Group = (ctx: BenchContext) => Promise<FigureRow[]>

const GROUPS: readonly (readonly [string, string, Group])[] = [
  ['inrelease', 'InRelease verification', inReleaseFigures],
  ['packages', 'Packages parsing', packagesFigure],
  ['versions', 'version comparisons', versionsFigure],
  ['poll', 'unchanged-mirror poll', pollFigure],
  ['assess', 'assessment', assessFigure],
  ['check', 'lifeline check --offline', checkOfflineFigure],
  ['inspect', 'instruction checker', inspectFigure],
  ['overview', 'overview first render', overviewFigure],
  ['soak', 'soak', soakFigure],
  ['scale', 'full-size archive, 11 mirrors', scaleFigures],
]

function parseArgs(argv: readonly string[]): {
  quick: boolean
  soak: boolean
  only: Set<string> | undefined
  write: boolean
} {
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
  const i = argv.indexOf('--only')
  const only = onlyArg ?? (i >= 0 ? argv[i + 1] : undefined)
  return {
    quick: argv.includes('--quick'),
    soak: argv.includes('--soak'),
    only: only === undefined ? undefined : new Set(only.split(',')),
    // A partial or quick run never overwrites the committed snapshot (it would leave the work tree dirty with
    // figures that are not comparable); pass --write to force it.
    write:
      argv.includes('--write') ||
      (!argv.includes('--no-write') && !argv.includes('--quick') && only === undefined),
  }
}

function errorRow(id: string, label: string, e: unknown): FigureRow {
  const message = e instanceof Error ? e.message : String(e)
  return {
    id,
    issue: '-',
    figure: label,
    measured: `error: ${message.split('\n')[0]?.slice(0, 100) ?? ''}`,
    target: '-',
    anchor: '-',
    verdict: 'error',
    numbers: { error: message },
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const tmp = mkdtempSync(join(tmpdir(), 'lifeline-bench-'))
  const ctx: BenchContext = {
    quick: args.quick,
    root,
    tmp,
    log: (line) => process.stderr.write(`  ${line}\n`),
  }
  const before = machineInfo()
  for (const l of machineLines(before, 'machine')) console.log(l)
  console.log(args.quick ? 'mode: --quick (fewer iterations)\n' : '')
  const rows: FigureRow[] = []
  const started = performance.now()
  try {
    for (const [id, label, group] of GROUPS) {
      if (args.only ? !args.only.has(id) : id === 'soak' && !args.soak) continue
      const t0 = performance.now()
      process.stderr.write(`- ${label}…`)
      try {
        rows.push(...(await group(ctx)))
      } catch (e) {
        rows.push(errorRow(id, label, e))
      }
      process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  const after = machineInfo()
  const seconds = (performance.now() - started) / 1000
  console.log('')
  console.log(textTable(rows))
  console.log('')
  for (const n of notesLines(rows)) console.log(n)
  console.log('')
  console.log(
    `load average after the run: ${after.loadavg.join(' ')}${after.loaded ? ' (busy machine)' : ''}`,
  )
  console.log(`total ${seconds.toFixed(1)} s`)

  if (args.write) {
    const flags = process.argv
      .slice(2)
      .filter((f) => f !== '--no-write')
      .join(' ')
    const results = {
      generatedAt: after.date,
      quick: args.quick,
      seconds,
      machine: { before, after },
      figures: rows,
    }
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`)
    const md = [
      '# Benchmark results',
      '',
      `Produced by \`npm run bench${flags === '' ? '' : ` -- ${flags}`}\` on ${after.date} (${seconds.toFixed(0)} s). ` +
        'Each native anchor was measured in the same run. Regenerate with `npm run bench`; the raw numbers are in ' +
        '`bench/results.json`.',
      '',
      ...machineLines(before, 'Machine').map((l) => `- ${l}`),
      `- load average after the run: ${after.loadavg.join(' ')}${after.loaded ? ' (busy machine)' : ''}`,
      '',
      markdownTable(rows),
      '',
      '## How each figure is measured',
      '',
      ...notesLines(rows),
      '',
    ].join('\n')
    writeFileSync(join(root, 'bench/RESULTS.md'), md)
    console.log('wrote bench/results.json and bench/RESULTS.md')
  }
  return 0
}

process.exitCode = await main()
