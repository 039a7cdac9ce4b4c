// `npm run demo`: the outage, on this machine. Builds the UI if needed, starts the outage lab (`lifeline lab`,
// scenario "copy-fail" unless given: the kernel root exploit of main/lab/copy-fail.ts), then the app in browser
// mode pointed at the lab's config and synthetic root (`lifeline serve --config … --root … --open`), and prints
// what to click. Ctrl+C stops both.
//
// LIFELINE_RESOURCES points at the lab's resources folder, whose keys manifest pins the real Ubuntu keys and the
// lab's TEST-ONLY keys, so the lab mirrors verify even in builds that read only the built-in keyring.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const scenario = process.argv[2] ?? 'copy-fail'
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
  if (info.scenario === 'copy-fail') {
    const machine = (state) => `curl -X POST ${info.controlUrl}/machine -d '{"state":"${state}"}'`
    console.log(`What to look at (Copy Fail, CVE-2026-31431, a kernel root exploit, on the day ubuntu.com is down):
  1. Overview: amber. "USN-8160-1 linux, linux-meta vulnerability": the fixed kernel is on the University mirror
     only (this computer's own mirror is 19 hours behind). Trust: confirmed by the signed archive (the
     metapackage's signed changelog names the CVE); UBUNTU-CVE-2026-31431 shows "two unsigned sources agree"
     (OSV.dev and Canonical's GitHub copy).
  2. Advisories > USN-8160-1: the steps (temporary deb822 source for the University mirror, apt update, the
     linux-generic / linux-image-generic upgrade, removing the source, reboot).
  3. Sources: ubuntu.com notices "not reachable", OSV.dev and the GitHub copy read, with what each one sends.
  4. "Install" the kernel:   ${machine('installed')}
     then Check now: the kernel advisories show "fixed after a reboot".
  5. "Reboot":              ${machine('rebooted')}
     then Check now: Copy Fail is fixed; expat (USN-7000-1) stays as the second advisory.
  Or with Livepatch:       ${machine('livepatched')}
     then Check now: the running kernel counts as fixed by Livepatch (no reboot); the metapackage upgrade is
     still listed so the fixed kernel gets installed. ${machine('affected')} starts again.
  6. Take one copy away:    curl -X POST ${info.controlUrl}/fault -d '{"target":"github-osv","fault":"down"}'
     Sources shows it failed; its last good copy is kept (with its age), so the agreement it gave still counts.
     A first check with one copy down shows "one unsigned source" (test/integration/lab-copy-fail.test.ts).
  Instruction checker: paste the fake fix from ${info.fakeFixUrl}
`)
  }
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
