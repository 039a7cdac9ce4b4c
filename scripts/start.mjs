// `npm start`: the Electron app when an Electron runtime is installed and a display exists; otherwise browser
// mode (`lifeline serve --open`), which opens the same UI in Chromium's app mode or prints its URL.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) {
  console.error('The build failed (npx electron-vite build); see the errors above.')
  process.exit(build.status || 1)
}

function electronBinary() {
  try {
    const p = require('electron')
    return typeof p === 'string' && existsSync(p) ? p : undefined
  } catch {
    return undefined
  }
}

const electron = electronBinary()
const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY
const extra = process.argv.slice(2)
if (electron && display) {
  const child = spawn(electron, ['.', ...extra], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  const why = electron
    ? 'no display found'
    : 'no Electron runtime installed (npm ci skips its download: see the README to fetch it)'
  console.log(`Lifeline: ${why}; starting browser mode instead.`)
  const child = spawn(process.execPath, ['bin/lifeline.mjs', 'serve', '--open', ...extra], {
    stdio: 'inherit',
  })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => process.exit(code ?? 0))
}
