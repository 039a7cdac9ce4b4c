// `npm test`: typecheck, lint, unit/security/integration tests, then the UI tests in Debian's Chromium.
// Stops at the first failing step and exits with its code.
import { spawnSync } from 'node:child_process'

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit, security and integration tests', 'npx', ['vitest', 'run']],
  ['UI tests (Chromium, browser mode)', 'npm', ['run', '--silent', 'test:ui']],
]
const started = Date.now()
for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}`)
  const t = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status || 1)
  }
  console.log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`)
}
console.log(`\nAll test steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
