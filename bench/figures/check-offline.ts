/**
 * Figure 6: `lifeline check --offline` from process start to exit, target < 1.5 s, on a synthetic
 * machine with a saved state (bench/lib/saved-state.ts). Anchor: `dpkg --compare-versions` as the cost of starting
 * a native process, and `lifeline --version` as this CLI's own floor (Node + tsx start-up, no engine work).
 *
 * When the `check` command is not there yet, only the floor is measured and the figure is marked pending.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext, FigureRow } from '../lib/report'
import { timeProcess } from '../lib/native'
import { savedState } from '../lib/saved-state'
import { fmtMs } from '../lib/stats'

const TARGET_MS = 1500

function hasCheckCommand(root: string): boolean {
  if (!existsSync(join(root, 'main/cli/commands/check.ts'))) return false
  const r = spawnSync(process.execPath, [join(root, 'bin/lifeline.mjs'), '--help'], { encoding: 'utf8' })
  return /^\s+check\s/m.test(r.stdout)
}

/**
 * Bundles the CLI with esbuild into a packaged-app layout under the bench's temp dir (`<app>/out/cli/main.mjs`,
 * as a packaged build ships out/cli/main.js: no TypeScript compile at start). `<app>/node_modules` is a symlink to
 * the checkout's, so the external packages resolve as they would in the package. Undefined when esbuild fails.
 */
function bundleCli(ctx: BenchContext): string | undefined {
  const app = join(ctx.tmp, 'packaged')
  mkdirSync(join(app, 'out/cli'), { recursive: true })
  symlinkSync(join(ctx.root, 'node_modules'), join(app, 'node_modules'), 'dir')
  copyFileSync(join(ctx.root, 'package.json'), join(app, 'package.json'))
  const entry = join(ctx.tmp, 'cli-entry.mjs')
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(join(ctx.root, 'main/cli/main.ts'))}\n` +
      'process.exitCode = await main(process.argv.slice(2))\n',
  )
  const out = join(app, 'out/cli/main.mjs')
  const r = spawnSync(
    'npx',
    [
      'esbuild',
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--packages=external',
      `--outfile=${out}`,
      '--log-level=error',
    ],
    { cwd: ctx.root, encoding: 'utf8' },
  )
  return r.status === 0 && existsSync(out) ? out : undefined
}

/** Runs figure 6; one or two rows (the CLI through tsx as in a checkout, and bundled as packaged). */
export async function checkOfflineFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const cli = join(ctx.root, 'bin/lifeline.mjs')
  const runs = ctx.quick ? 3 : 10
  const dpkg = timeProcess('dpkg', ['--compare-versions', '1', 'lt', '2'], {
    runs: ctx.quick ? 20 : 50,
    warmup: 3,
  })
  const floor = timeProcess(process.execPath, [cli, '--version'], { runs, warmup: 1 })
  const anchor =
    (dpkg.ok ? `dpkg ${fmtMs(dpkg.summary.medianMs)}` : `dpkg: ${dpkg.reason}`) +
    `; lifeline --version ${floor.ok ? fmtMs(floor.summary.medianMs) : floor.reason}`
  const numbers = {
    dpkgProcessMs: dpkg.ok ? dpkg.summary.medianMs : null,
    versionFloorMs: floor.ok ? floor.summary.medianMs : null,
  }
  if (!hasCheckCommand(ctx.root)) {
    return [
      {
        id: 'check.offline',
        issue: '7',
        figure: 'lifeline check --offline, start to exit',
        measured: 'pending: no check command yet',
        target: `< ${(TARGET_MS / 1000).toFixed(1)} s`,
        anchor,
        verdict: 'pending',
        numbers: { ...numbers, medianMs: null },
        notes: [
          'Check: main/cli/commands/check.ts is not registered yet; only the process floor (`node bin/lifeline.mjs ' +
            '--version`) was measured. Re-run `npm run bench -- --only check` once it lands.',
        ],
      },
    ]
  }
  const env = await savedState(ctx.tmp)
  const envVars = { LIFELINE_RESOURCES: env.resourcesDir }
  const tail = [
    'check',
    '--offline',
    '--config',
    env.configFile,
    '--root',
    env.rootDir,
    '--data-dir',
    env.dataDir,
  ]
  const bundled = bundleCli(ctx)
  const variants: [string, string, string][] = [['tsx', 'as in a checkout (tsx)', cli]]
  if (bundled) variants.push(['bundled', 'bundled CLI, as packaged', bundled])
  const rows: FigureRow[] = []
  for (const [key, label, script] of variants) {
    const args = [script, ...tail]
    // One checked run: the figure only means something if the command did its job (0-3 are verdicts, 64 usage).
    const probe = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...envVars } })
    if (probe.status === null || probe.status === 64) {
      throw new Error(
        `lifeline check --offline exited ${probe.status}: ${(probe.stderr || probe.stdout).trim().slice(0, 200)}`,
      )
    }
    const t = timeProcess(process.execPath, args, { runs, warmup: 1, env: envVars, anyExit: true })
    if (!t.ok) throw new Error(t.reason)
    const floorHere =
      key === 'tsx' ? floor : timeProcess(process.execPath, [script, '--version'], { runs, warmup: 1 })
    rows.push({
      id: `check.offline.${key}`,
      issue: '7',
      figure: `lifeline check --offline, ${label}`,
      measured: `${fmtMs(t.summary.medianMs)} med, p95 ${fmtMs(t.summary.p95Ms)}, n=${t.summary.runs}, exit ${probe.status}`,
      target: `< ${(TARGET_MS / 1000).toFixed(1)} s`,
      anchor:
        (dpkg.ok ? `dpkg ${fmtMs(dpkg.summary.medianMs)}` : `dpkg: ${dpkg.reason}`) +
        `; --version ${floorHere.ok ? fmtMs(floorHere.summary.medianMs) : floorHere.reason}`,
      verdict: t.summary.medianMs < TARGET_MS ? 'met' : 'missed',
      numbers: {
        ...numbers,
        versionFloorMs: floorHere.ok ? floorHere.summary.medianMs : null,
        medianMs: t.summary.medianMs,
        p95Ms: t.summary.p95Ms,
        exitCode: probe.status,
      },
      notes:
        key === 'tsx'
          ? [
              "Check: `node bin/lifeline.mjs check --offline --config C --root R --data-dir D` on the outage lab's " +
                `synthetic noble machine, after one online check saved its state (${env.stateFiles.join(', ')}); ` +
                `timed whole-process by ${t.timer}. "tsx" = TypeScript compiled at start, as bin/lifeline.mjs does ` +
                'in a checkout; "bundled" = the same sources bundled by esbuild into a temp packaged-app layout, as a ' +
                "packaged out/cli/main.js would run. Anchors: one dpkg process, and the same CLI's `--version` floor.",
            ]
          : [],
    })
  }
  return rows
}
