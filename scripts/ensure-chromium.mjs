// Makes sure a Chromium for the UI tests exists: Debian's `chromium` package, installed with apt when running as
// root, otherwise a one-line instruction. Never downloads a browser of its own.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
const found = candidates.find((p) => existsSync(p))
if (found) {
  console.log(`chromium: ${found}`)
  process.exit(0)
}
if (process.getuid?.() !== 0) {
  console.error(
    'No Chromium found for the UI tests. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium',
  )
  process.exit(1)
}
console.log("chromium: not found, installing Debian's chromium package (apt-get)…")
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
execFileSync('apt-get', ['update'], { stdio: 'inherit', env })
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env })
if (!existsSync('/usr/bin/chromium')) {
  console.error('apt-get finished but /usr/bin/chromium is still missing')
  process.exit(1)
}
