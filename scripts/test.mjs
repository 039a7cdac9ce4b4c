// `npm test`: typecheck, lint, unit/security/integration tests, then the UI tests in Debian's Chromium.
// Stops at the first failing step and exits with its code; ends with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

// Not under test-results/: Playwright empties that folder when it starts.
const REPORTS = 'test-reports'
const VITEST_JSON = `${REPORTS}/vitest.json`
const PLAYWRIGHT_JSON = `${REPORTS}/playwright.json`
mkdirSync(REPORTS, { recursive: true })
for (const f of [VITEST_JSON, PLAYWRIGHT_JSON]) rmSync(f, { force: true })

const env = {
  ...process.env,
  ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
  PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON,
}
const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  [
    'unit, security and integration tests',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
  ],
  ['UI tests (Chromium, browser mode)', 'npm', ['run', '--silent', 'test:ui', '--', '--reporter=list,json']],
]

/** Passed/failed/skipped counts from the two runners' JSON reports, when present. */
function counts() {
  const c = { passed: 0, failed: 0, skipped: 0 }
  if (existsSync(VITEST_JSON)) {
    const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'))
    c.passed += v.numPassedTests ?? 0
    c.failed += v.numFailedTests ?? 0
    c.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  }
  if (existsSync(PLAYWRIGHT_JSON)) {
    const s = JSON.parse(readFileSync(PLAYWRIGHT_JSON, 'utf8')).stats ?? {}
    c.passed += (s.expected ?? 0) + (s.flaky ?? 0)
    c.failed += s.unexpected ?? 0
    c.skipped += s.skipped ?? 0
  }
  return c
}

const summary = () => {
  const c = counts()
  return `tests: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`
}

const started = Date.now()
for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}`)
  const t = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed (exit ${r.status ?? r.signal})`)
    console.log(summary())
    process.exit(r.status || 1)
  }
  console.log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`)
}
console.log(`\nAll test steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
console.log(summary())
