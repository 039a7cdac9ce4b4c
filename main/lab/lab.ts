/**
 * The outage lab (main/lab/README.md): several apt mirrors and advisory channels on 127.0.0.1,
 * each on its own port (its own "host"), with faults switchable while running, plus the files that point the app
 * at them: a config file in the format of `loadConfigFile`, a synthetic machine root, the lab's public keys and a
 * resources folder (keys manifest + default config) for `LIFELINE_RESOURCES`.
 *
 * Tests, the soak bench and the demo all run against it. Loopback only; every key is generated at start-up and
 * is TEST ONLY. The pieces: targets and their faults (main/lab/targets.ts), the files for the app
 * (main/lab/lab-files.ts), the synthetic machine (main/lab/machine.ts), the control endpoint (main/lab/control.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChannelConfig, MirrorConfig } from '../core/model'
import type { Keyring } from '../core/pgp/keyring'
import type { LabArchive, LabKeys } from './archive'
import { buildLabArchive, generateLabKeys } from './archive'
import { FAKE_FIX_POST, labFixturesDir, readLabFixtures } from './content'
import { startControl } from './control'
import type { Fault, FaultName } from './faults'
import { labChannels, labKeyring, labMirrors, writeLabConfig } from './lab-files'
import type { LabMachine } from './machine'
import { machineStateNamed, writeKernelFreeMachine, writeMachineRoot, writeMachineState } from './machine'
import type { LabScenario, LabTargetId } from './scenarios'
import { LAB_TARGET_IDS, scenarioNamed } from './scenarios'
import type { LabTargetInfo, TargetTable } from './targets'
import { labTargetSpecs, startTargets } from './targets'

/** Options of `startLab`. */
export interface LabOptions {
  /** Scenario name (default `outage`). */
  readonly scenario?: string | undefined
  /** Control port; targets take the following ports. Default: all random. */
  readonly port?: number | undefined
  /** The lab's reference time: Release dates, feed dates and signatures are relative to it. Default now. */
  readonly now?: number | undefined
  /** Where config, keys and the synthetic root are written (default: a new temp folder, removed by `close`). */
  readonly outDir?: string | undefined
  /** The fixtures folder (default: the checkout's test/fixtures). */
  readonly fixturesDir?: string | undefined
  /**
   * Whether the lab machine has a kernel in the Copy Fail story (`affected` at start). Default: only for the
   * `copy-fail` scenario; `setMachine` turns it on at any time.
   */
  readonly kernelStory?: boolean | undefined
}

/** A running lab. */
export interface Lab {
  readonly now: number
  readonly scenario: string
  readonly outDir: string
  /** The config file (format of main/node/config/index.ts `loadConfigFile`). */
  readonly configFile: string
  /** A resources folder (keys/keys.json with the Ubuntu and lab keys, config/default.json) for LIFELINE_RESOURCES. */
  readonly resourcesDir: string
  /** The synthetic machine: etc/os-release, var/lib/dpkg/status, etc/apt/sources.list.d/ubuntu.sources. */
  readonly rootDir: string
  /** `http://127.0.0.1:<port>/_lab`: GET for state, POST /_lab/fault {target, fault}, POST /_lab/scenario {name}. */
  readonly controlUrl: string
  readonly fakeFixUrl: string
  readonly fakeFixText: string
  readonly keys: LabKeys
  /** Pins the real Ubuntu archive keys and the lab's archive and advisory keys. */
  readonly keyring: Keyring
  readonly mirrors: readonly MirrorConfig[]
  readonly channels: readonly ChannelConfig[]
  readonly archive: LabArchive
  targets(): LabTargetInfo[]
  url(target: LabTargetId): string
  setFault(target: string, fault: Fault | FaultName): Promise<void>
  setScenario(name: string): Promise<void>
  /**
   * Where the lab machine stands in the Copy Fail story (main/lab/copy-fail.ts); `no-kernel` when it has no kernel
   * packages (a container-like machine: the other scenarios' default, so their expat-only story stays as it was).
   */
  machine(): LabMachine
  /**
   * Moves the lab machine: `installed` writes the fixed kernel into its dpkg status with reboot-required (what
   * `apt upgrade` does), `rebooted` makes it the running kernel, `livepatched` keeps the old kernel with a saved Livepatch status covering
   * the CVE, `affected` starts again.
   */
  setMachine(state: string): Promise<void>
  /** Requests answered by all targets since start. */
  requestCount(): number
  close(): Promise<void>
}

const HOUR = 3600_000

/** What a start-up has opened so far (listeners, its own temp folder), so a failure part-way closes exactly that. */
interface Opened {
  readonly closers: (() => Promise<void>)[]
}

/** Starts the lab. */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const opened: Opened = { closers: [] }
  try {
    return await buildLab(opts, opened)
  } catch (e) {
    // Close what was started, newest first: a listener left open keeps the process alive for ever.
    for (const close of opened.closers.reverse()) await close().catch(() => undefined)
    throw e
  }
}

/** The lab's signed content (keys generated now, the archive in every state) and its started targets. */
async function startContent(
  opts: LabOptions,
  now: number,
  opened: Opened,
): Promise<{ fixtures: Map<string, Uint8Array>; keys: LabKeys; archive: LabArchive; targets: TargetTable }> {
  const fixtures = await readLabFixtures(opts.fixturesDir ?? labFixturesDir())
  // Keys are created well before the lab's oldest signature (the stale Release, 10 days back).
  const keys = await generateLabKeys(now - 30 * 24 * HOUR)
  const archive = await buildLabArchive(keys.archive.privateKey, now)
  const specs = await labTargetSpecs({ fixtures, keys, archive, now })
  const targets = await startTargets(specs, opts.port, (site) => opened.closers.push(() => site.close()))
  return { fixtures, keys, archive, targets }
}

/** The lab's output folder: the one asked for (the caller's to keep), or a new temp folder that goes with the lab. */
async function outputFolder(opts: LabOptions, opened: Opened): Promise<string> {
  if (opts.outDir !== undefined) return opts.outDir
  const outDir = await mkdtemp(join(tmpdir(), 'lifeline-lab-'))
  opened.closers.push(() => rm(outDir, { recursive: true, force: true }))
  return outDir
}

/** The machine's state and the moves of the Copy Fail story. */
interface MachineControl {
  current(): LabMachine
  set(name: string): Promise<void>
}

/** Writes the synthetic machine under `rootDir`: in the kernel story `affected`, else without a kernel. */
async function startMachine(
  rootDir: string,
  kernelStory: boolean,
  source: { readonly primaryUrl: string; readonly archiveKeyFile: string },
): Promise<MachineControl> {
  let machine: LabMachine = 'no-kernel'
  const set = async (name: string): Promise<void> => {
    const state = machineStateNamed(name)
    await writeMachineState(rootDir, state)
    machine = state
  }
  await writeMachineRoot(rootDir, source.primaryUrl, source.archiveKeyFile)
  if (kernelStory) await set('affected')
  else await writeKernelFreeMachine(rootDir)
  return { current: () => machine, set }
}

/** Starts the targets, writes the files and starts the control endpoint; registers each opened thing in `opened`. */
async function buildLab(opts: LabOptions, opened: Opened): Promise<Lab> {
  const now = opts.now ?? Date.now()
  const scenario = scenarioNamed(opts.scenario ?? 'outage')
  const { fixtures, keys, archive, targets } = await startContent(opts, now, opened)
  const mirrors = labMirrors(targets)
  const channels = labChannels(targets)
  const outDir = await outputFolder(opts, opened)
  const files = await writeLabConfig({ outDir, scenario: scenario.name, keys, fixtures, mirrors, channels })
  const rootDir = join(outDir, 'root')
  const machine = await startMachine(rootDir, opts.kernelStory ?? scenario.name === 'copy-fail', {
    primaryUrl: targets.url('primary'),
    archiveKeyFile: files.archiveKeyFile,
  })
  await writeFile(join(outDir, 'fake-fix.txt'), FAKE_FIX_POST)
  const keyring = await labKeyring(fixtures, keys)

  let scenarioName = scenario.name
  const setScenario = async (name: string): Promise<void> => {
    const next: LabScenario = scenarioNamed(name)
    for (const id of LAB_TARGET_IDS) await targets.setFault(id, next.faults[id] ?? { name: 'none' })
    scenarioName = next.name
  }
  const info = () => ({
    scenario: scenarioName,
    machine: machine.current(),
    now: new Date(now).toISOString(),
    configFile: files.configFile,
    rootDir,
    resourcesDir: files.resourcesDir,
    fakeFixUrl: targets.url('social'),
    keys: [keys.archive, keys.advisory].map((k) => ({
      name: k.name,
      role: k.role,
      fingerprint: k.fingerprint,
    })),
    targets: targets.info(),
  })
  const control = await startControl(opts.port ?? 0, {
    info,
    setFault: targets.setFault,
    setScenario,
    setMachine: machine.set,
  })
  opened.closers.push(control.close)
  await setScenario(scenario.name)
  await writeFile(
    join(outDir, 'lab.json'),
    `${JSON.stringify({ controlUrl: control.url, ...info() }, null, 2)}\n`,
  )

  return {
    now,
    get scenario() {
      return scenarioName
    },
    outDir,
    configFile: files.configFile,
    resourcesDir: files.resourcesDir,
    rootDir,
    controlUrl: control.url,
    fakeFixUrl: targets.url('social'),
    fakeFixText: FAKE_FIX_POST,
    keys,
    keyring,
    mirrors,
    channels,
    archive,
    targets: targets.info,
    url: targets.url,
    setFault: targets.setFault,
    setScenario,
    machine: machine.current,
    setMachine: machine.set,
    requestCount: () => targets.sites.reduce((n, s) => n + s.requestCount(), 0),
    async close() {
      await control.close()
      await Promise.all(targets.sites.map((s) => s.close()))
      // A folder the lab made itself goes with it; one the caller named (--out) is theirs to keep.
      if (opts.outDir === undefined) await rm(outDir, { recursive: true, force: true })
    },
  }
}
