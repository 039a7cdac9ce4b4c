/**
 * The fleet units in resources/systemd: the service writes the Prometheus file, findings are not failures, the
 * timer spreads a fleet with a random delay, the .deb installs both, and systemd's own checker accepts them
 * (`systemd-analyze verify`, skipped where it is not installed).
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const REPO = join(import.meta.dirname, '..', '..', '..')
const DIR = join(REPO, 'resources', 'systemd')
const read = (name: string) => readFileSync(join(DIR, name), 'utf8')

/** `Key=value` lines of a unit file (comments and sections left out). */
function keys(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line)
    if (m) out.set(m[1] as string, [...(out.get(m[1] as string) ?? []), m[2] as string])
  }
  return out
}

const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p))

describe('resources/systemd', () => {
  it('runs lifeline check with --prometheus, and counts findings (exit 1-3) as success', () => {
    const k = keys(read('lifeline-check.service'))
    expect(k.get('Type')).toEqual(['oneshot'])
    expect(k.get('ExecStart')?.[0]).toMatch(
      /^\/usr\/bin\/lifeline check .*--prometheus \/var\/lib\/prometheus\/node-exporter\/lifeline\.prom$/,
    )
    expect(k.get('SuccessExitStatus')).toEqual(['1 2 3'])
  })

  it('runs hourly with a random per-machine delay', () => {
    const k = keys(read('lifeline-check.timer'))
    expect(k.get('OnCalendar')).toEqual(['hourly'])
    expect(k.get('RandomizedDelaySec')).toEqual(['45min'])
    expect(k.get('WantedBy')).toEqual(['timers.target'])
  })

  it('is installed by the .deb', () => {
    const builder = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')
    expect(builder).toContain(
      'resources/systemd/lifeline-check.service=/lib/systemd/system/lifeline-check.service',
    )
    expect(builder).toContain(
      'resources/systemd/lifeline-check.timer=/lib/systemd/system/lifeline-check.timer',
    )
  })

  it.skipIf(ANALYZE === undefined)('passes systemd-analyze verify (skipped without systemd)', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'lifeline-units-'))
    try {
      for (const f of ['lifeline-check.service', 'lifeline-check.timer'])
        await copyFile(join(DIR, f), join(tmp, f))
      const out = await new Promise<string>((resolve) =>
        execFile(
          ANALYZE as string,
          ['verify', '--man=no', join(tmp, 'lifeline-check.timer'), join(tmp, 'lifeline-check.service')],
          { timeout: 30_000 },
          (_err, stdout, stderr) => resolve(`${stdout}${stderr}`),
        ),
      )
      // The only complaint allowed: /usr/bin/lifeline is not installed on the test machine.
      const problems = out
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.includes('/usr/bin/lifeline is not executable'))
      expect(problems).toEqual([])
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  })
})
