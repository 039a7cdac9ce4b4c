// `npm run demo`: the outage, on this machine. Builds the UI if needed, starts the outage lab (`lifeline lab`,
// scenario "outage" unless given), then the app in browser mode pointed at the lab's config and synthetic root
// (`lifeline serve --config … --root … --open`). Ctrl+C stops both.
//
// LIFELINE_RESOURCES points at the lab's resources folder, whose keys manifest pins the real Ubuntu keys and the
// lab's TEST-ONLY keys, so the lab mirrors verify even in builds that read only the built-in keyring.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const scenario = process.argv[2] ?? 'outage'
if (!existsSync(join('out', 'renderer', 'index.html'))) {
  console.log('Building the UI (npx electron-vite build)…')
  const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) {
    console.error('The build failed; see the errors above.')
    process.exit(build.status || 1)
  }
}

const work = mkdtempSync(join(tmpdir(), 'lifeline-demo-'))
const lab = spawn(
  process.execPath,
  ['bin/lifeline.mjs', 'lab', '--json', '--scenario', scenario, '--out', join(work, 'lab')],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
const children = [lab]
const stopAll = (sig) => {
  for (const c of children) if (c.exitCode === null) c.kill(sig)
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(sig))
lab.on('exit', (code) => {
  if (code !== 0) console.error(`The lab stopped (exit ${code}).`)
  stopAll('SIGTERM')
})

const lines = createInterface({ input: lab.stdout })
lines.once('line', (line) => {
  const info = JSON.parse(line)
  console.log(`Outage lab running — scenario "${info.scenario}"`)
  for (const t of info.targets) console.log(`  ${t.id.padEnd(14)} ${t.fault.name.padEnd(20)} ${t.url}`)
  console.log(`  fake fix to paste in the instruction checker: ${info.fakeFixUrl}`)
  console.log(
    `  switch faults: curl -X POST ${info.controlUrl}/fault -d '{"target":"mirror-a","fault":"down"}'\n`,
  )
  const app = spawn(
    process.execPath,
    [
      'bin/lifeline.mjs',
      'serve',
      '--config',
      info.configFile,
      '--root',
      info.rootDir,
      '--data-dir',
      join(work, 'data'),
      '--open',
    ],
    { stdio: 'inherit', env: { ...process.env, LIFELINE_RESOURCES: info.resourcesDir } },
  )
  children.push(app)
  app.on('exit', () => stopAll('SIGTERM'))
})
