/**
 * docs/fleets.md: its alert rules are valid for Prometheus (`promtool check rules`, Debian package prometheus;
 * skipped with the reason where it is not installed) and name only metrics `lifeline check --prometheus` writes.
 */
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const REPO = join(import.meta.dirname, '..', '..', '..')
const doc = readFileSync(join(REPO, 'docs', 'fleets.md'), 'utf8')
const rules = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''
const writer = readFileSync(join(REPO, 'main', 'cli', 'prometheus.ts'), 'utf8')

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => {
  try {
    execFileSync(p, ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

describe('docs/fleets.md', () => {
  it('has alert rules that use only metrics the writer produces', () => {
    const used = new Set(rules.match(/lifeline_[a-z_]+/g) ?? [])
    expect(used.size).toBeGreaterThan(5)
    for (const m of used) expect(writer, m).toContain(`'${m}'`)
  })

  it.skipIf(PROMTOOL === undefined)(
    'has alert rules promtool accepts (skipped where Debian package prometheus is not installed)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeline-rules-'))
      try {
        const file = join(dir, 'lifeline.rules.yml')
        await writeFile(file, rules)
        const r = await new Promise<{ code: number; out: string }>((resolve) =>
          execFile(PROMTOOL as string, ['check', 'rules', file], (err, stdout, stderr) =>
            resolve({
              code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
              out: `${stdout}${stderr}`,
            }),
          ),
        )
        expect(r.out).toContain('SUCCESS: 7 rules found')
        expect(r.code).toBe(0)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  )
})
