/**
 * Figure 8: the overview renders the cached state within 1 s of the window opening.
 *
 * `lifeline serve` (browser mode: the real backend, host and renderer) on a machine whose last report is saved and
 * whose sources are all down (bench/lib/saved-state.ts); Debian's Chromium, headless, driven by Playwright. The
 * figure is the time from `page.goto` to the verdict element (data-testid="verdict") showing a tone other than
 * `checking`. Anchor: the same browser loading a blank page (the floor of "opening a window").
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, statSync } from 'node:fs'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import type { Browser } from '@playwright/test'
import type { BenchContext, FigureRow } from '../lib/report'
import { savedState } from '../lib/saved-state'
import type { SavedState } from '../lib/saved-state'
import { fmtMs, summarize } from '../lib/stats'

const TARGET_MS = 1000
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Newest modification time (ms) of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return newest
}

/** Builds the renderer when it is missing (or when asked); says whether the build is older than the sources. */
function ensureBuilt(ctx: BenchContext, force: boolean): { built: boolean; stale: boolean } {
  const index = join(ctx.root, 'out/renderer/index.html')
  if (force || !existsSync(index)) {
    ctx.log('building the renderer (npx electron-vite build)…')
    const r = spawnSync('npx', ['electron-vite', 'build'], {
      cwd: ctx.root,
      encoding: 'utf8',
      env: process.env,
    })
    if (r.status !== 0)
      throw new Error(`electron-vite build failed: ${(r.stderr || r.stdout).trim().slice(-300)}`)
    return { built: true, stale: false }
  }
  return { built: false, stale: newestMtime(join(ctx.root, 'renderer/src')) > statSync(index).mtimeMs }
}

interface Served {
  readonly url: string
  stop(): Promise<void>
}

async function serve(ctx: BenchContext, env: SavedState, dataDir: string): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ctx.root, 'bin/lifeline.mjs'),
      'serve',
      '--config',
      env.configFile,
      '--root',
      env.rootDir,
      '--data-dir',
      dataDir,
    ],
    {
      cwd: ctx.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LIFELINE_RESOURCES: env.resourcesDir },
    },
  )
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  }
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`lifeline serve did not start in 30 s:\n${out}`)),
        30_000,
      )
      const poll = setInterval(() => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out)
        if (m?.[1]) {
          clearTimeout(timer)
          clearInterval(poll)
          resolve(m[1])
        }
      }, 20)
      child.once('exit', (code) => {
        clearTimeout(timer)
        clearInterval(poll)
        reject(new Error(`lifeline serve exited with ${code}:\n${out.slice(0, 300)}`))
      })
    })
    return { url, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** One window: ms from goto to a settled verdict, the in-page ms since navigation start, and the tone shown. */
async function openOnce(
  browser: Browser,
  url: string,
): Promise<{ ms: number; pageMs: number; tone: string }> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const t0 = performance.now()
    await page.goto(url, { waitUntil: 'commit' })
    const handle = await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="verdict"]')
        const tone = el?.getAttribute('data-tone')
        return tone && tone !== 'checking' ? { tone, at: performance.now() } : false
      },
      undefined,
      { timeout: 15_000, polling: 'raf' },
    )
    const ms = performance.now() - t0
    const v = (await handle.jsonValue()) as { tone: string; at: number }
    return { ms, pageMs: v.at, tone: v.tone }
  } finally {
    await context.close()
  }
}

/** Runs figure 8; one row. */
export async function overviewFigure(ctx: BenchContext): Promise<FigureRow[]> {
  if (!existsSync(CHROMIUM)) {
    return [
      {
        id: 'overview.first-render',
        issue: '8',
        figure: 'overview shows the cached state after the window opens',
        measured: 'not measured: no Chromium',
        target: `< ${TARGET_MS} ms`,
        anchor: `chromium: not installed (${CHROMIUM})`,
        verdict: 'pending',
        numbers: { medianMs: null },
      },
    ]
  }
  const build = ensureBuilt(ctx, process.argv.includes('--build'))
  const env = await savedState(ctx.tmp)
  const runs = ctx.quick ? 2 : 5
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  try {
    // The floor: the same browser opening a window on a blank page.
    const blank: number[] = []
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      const t0 = performance.now()
      await page.goto('data:text/html,<p>blank</p>', { waitUntil: 'load' })
      if (i > 0) blank.push(performance.now() - t0)
      await context.close()
    }
    const samples: { ms: number; pageMs: number; tone: string }[] = []
    for (let i = 0; i < runs; i++) {
      // A fresh copy of the saved data dir and a fresh server each time: every window meets the cached state.
      const dataDir = join(ctx.tmp, `overview-data-${i}`)
      cpSync(env.dataDir, dataDir, { recursive: true })
      const served = await serve(ctx, env, dataDir)
      try {
        samples.push(await openOnce(browser, served.url))
      } finally {
        await served.stop()
      }
    }
    const s = summarize(samples.map((x) => x.ms))
    const inPage = summarize(samples.map((x) => x.pageMs))
    const b = summarize(blank)
    const tones = [...new Set(samples.map((x) => x.tone))].join(', ')
    return [
      {
        id: 'overview.first-render',
        issue: '8',
        figure: 'overview shows cached state (window open)',
        measured: `${fmtMs(s.medianMs)} med, max ${fmtMs(samples.reduce((m, x) => Math.max(m, x.ms), 0))}, n=${s.runs}`,
        target: `< ${TARGET_MS} ms`,
        anchor: `Chromium blank page ${fmtMs(b.medianMs)}`,
        verdict: s.medianMs < TARGET_MS ? 'met' : 'missed',
        numbers: {
          medianMs: s.medianMs,
          p95Ms: s.p95Ms,
          inPageMedianMs: inPage.medianMs,
          blankPageMedianMs: b.medianMs,
          runs: s.runs,
          tones,
          rendererStale: build.stale ? 'yes' : 'no',
        },
        notes: [
          'Overview: `lifeline serve --config C --root R --data-dir D` (browser mode) with a saved last report and ' +
            'every source down, Debian Chromium headless via Playwright; time from page.goto to ' +
            '[data-testid="verdict"] with data-tone other than "checking" (in-page, since navigation start: ' +
            `${fmtMs(inPage.medianMs)}); tone shown: ${tones}.` +
            (build.stale
              ? ' NOTE: out/renderer is older than renderer/src; run with --build to rebuild first.'
              : ''),
        ],
      },
    ]
  } finally {
    await browser.close()
  }
}
