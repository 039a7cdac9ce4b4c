/**
 * `lifeline check --prometheus FILE` on the lab's Copy Fail day: the file is valid Prometheus text format as the
 * real parser sees it (`promtool check metrics`, Debian's `prometheus` package; skipped with the reason where it is
 * not installed), says what the report says, and is replaced atomically.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkCommand } from '../../main/cli/commands/check'
import type { CliIo } from '../../main/cli/io'
import { escapeLabelValue } from '../../main/cli/prometheus'
import { startLab, type Lab } from '../../main/lab/lab'

const PROMTOOL = (() => {
  for (const p of ['/usr/bin/promtool', '/usr/local/bin/promtool']) {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' })
      return p
    } catch {
      // not there
    }
  }
  return undefined
})()

let lab: Lab
let dir: string

beforeAll(async () => {
  lab = await startLab({ scenario: 'copy-fail' })
  dir = await mkdtemp(join(tmpdir(), 'lifeline-prom-'))
})
afterAll(async () => {
  await lab.close()
  await rm(dir, { recursive: true, force: true })
})

async function check(file: string): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => {
      stderr += t
    },
    readStdin: async () => new Uint8Array(),
    env: { ...process.env, LIFELINE_RESOURCES: lab.resourcesDir, LIFELINE_DATA_DIR: undefined },
    cwd: dir,
  }
  const code = await checkCommand.run(
    [
      '--config',
      lab.configFile,
      '--root',
      lab.rootDir,
      '--data-dir',
      join(dir, 'data'),
      '--now',
      new Date(lab.now).toISOString(),
      '--prometheus',
      file,
    ],
    io,
  )
  return { code, stderr }
}

function promtool(text: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL as string, ['check', 'metrics'], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}${stderr}` })
    })
    child.stdin?.end(text)
  })
}

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('lifeline check --prometheus', () => {
  describe('when the Copy Fail fix waits on another mirror', () => {
    it('writes the verdict, exit code, counts and reboot state the report has', async () => {
      const file = join(dir, 'lifeline.prom')
      const r = await check(file)
      expect(r.code).toBe(1)
      const text = await readFile(file, 'utf8')
      expect(value(text, 'lifeline_check_exit_code')).toBe(1)
      expect(value(text, 'lifeline_check_verdict{verdict="attention"}')).toBe(1)
      expect(value(text, 'lifeline_check_verdict{verdict="safe"}')).toBe(0)
      expect(value(text, 'lifeline_advisories{status="fix-on-other-mirror"}')).toBeGreaterThanOrEqual(2)
      expect(value(text, 'lifeline_reboot_required')).toBe(0)
      // The lagging primary's suites count as verified (old is not forged: docs/trust.md, "Freshness").
      expect(value(text, 'lifeline_mirrors_verified')).toBe(5)
      expect(value(text, 'lifeline_advisory_sources_read')).toBe(5)
      expect(value(text, 'lifeline_advisory_sources')).toBe(6)
      expect(value(text, 'lifeline_data_age_seconds')).toBe(0)
      // No temporary file is left next to it for the collector to trip over.
      expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.tmp/))
    })

    it.skipIf(PROMTOOL === undefined)(
      'passes promtool check metrics (skipped where Debian package prometheus is not installed)',
      async () => {
        const file = join(dir, 'promtool.prom')
        await check(file)
        const r = await promtool(await readFile(file, 'utf8'))
        expect(r.out).toBe('')
        expect(r.code).toBe(0)
      },
    )
  })

  describe('when the fixed kernel is installed but not running', () => {
    it('reports the reboot as required', async () => {
      await lab.setMachine('installed')
      try {
        const file = join(dir, 'reboot.prom')
        await check(file)
        expect(value(await readFile(file, 'utf8'), 'lifeline_reboot_required')).toBe(1)
      } finally {
        await lab.setMachine('affected')
      }
    })
  })

  describe('when the file cannot be written', () => {
    it('says so and exits 74, so a stale file is never mistaken for a healthy machine', async () => {
      const r = await check(join(dir, 'no-such-folder', 'lifeline.prom'))
      expect(r.code).toBe(74)
      expect(r.stderr).toContain('cannot write')
    })
  })

  describe('escapeLabelValue', () => {
    it('escapes backslash, quote and newline as the text format requires', () => {
      expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd')
    })
  })
})
