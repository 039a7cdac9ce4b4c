/**
 * The lab's synthetic machine: an Ubuntu noble root (`etc/os-release`, dpkg status, apt sources) that uses only the
 * primary lab mirror, and, in the Copy Fail story (main/lab/copy-fail.ts), its kernel in each state: the files
 * `setMachine` rewrites (dpkg status, `proc/version_signature`, `var/run/reboot-required`, the saved Livepatch
 * status).
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { CoreError } from '../core/errors'
import { SAVED_LIVEPATCH_STATUS } from '../core/system/local-system'
import { NOBLE_RELEASE_PACKAGES, NOBLE_SECURITY_PACKAGES } from './archive'
import type { MachineState } from './copy-fail'
import {
  installedKernelPackages,
  livepatchStatusJson,
  MACHINE_STATES,
  rebootRequiredPkgs,
  versionSignature,
} from './copy-fail'
import type { LabErrorCode } from './faults'

/** Where the lab machine stands: a Copy Fail state, or `no-kernel` (a container-like machine without one). */
export type LabMachine = MachineState | 'no-kernel'

/**
 * The synthetic machine's dpkg status: noble with the vulnerable expat installed and, in the Copy Fail story, its
 * kernel in the given state (main/lab/copy-fail.ts); without a state, no kernel (a container-like machine).
 */
export function labDpkgStatus(machine?: MachineState): string {
  const installed = [
    ...NOBLE_RELEASE_PACKAGES.filter((p) => !['sudo', 'libssl3t64', 'openssl', 'expat'].includes(p.name)),
    ...NOBLE_SECURITY_PACKAGES.filter((p) => ['sudo', 'libssl3t64'].includes(p.name)),
    ...(machine ? installedKernelPackages(machine) : []),
  ]
  return `${installed
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((p) =>
      [
        `Package: ${p.name}`,
        'Status: install ok installed',
        'Priority: optional',
        'Section: libs',
        'Installed-Size: 100',
        'Maintainer: Lifeline Lab <lab@lifeline.invalid>',
        'Architecture: amd64',
        ...(p.source ? [`Source: ${p.source}`] : []),
        `Version: ${p.version}`,
        `Description: ${p.name} (Lifeline lab)`,
      ].join('\n'),
    )
    .join('\n\n')}\n`
}

const OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
UBUNTU_CODENAME=noble
`

/** The machine state called `name`; LAB_BAD_FAULT (the control endpoint's "bad request" code) otherwise. */
export function machineStateNamed(name: string): MachineState {
  const state = MACHINE_STATES.find((s) => s === name)
  if (!state) {
    throw new CoreError<LabErrorCode>(
      'LAB_BAD_FAULT',
      `unknown machine state ${JSON.stringify(name)}; known: ${MACHINE_STATES.join(', ')}`,
    )
  }
  return state
}

/**
 * Writes the machine's fixed files under `rootDir`: os-release and the apt source on `primaryUrl`, signed by
 * `archiveKeyFile`. Its dpkg status comes from `writeMachineState` or `writeKernelFreeMachine`.
 */
export async function writeMachineRoot(
  rootDir: string,
  primaryUrl: string,
  archiveKeyFile: string,
): Promise<void> {
  await mkdir(join(rootDir, 'etc', 'apt', 'sources.list.d'), { recursive: true })
  await mkdir(join(rootDir, 'var', 'lib', 'dpkg'), { recursive: true })
  await writeFile(join(rootDir, 'etc', 'os-release'), OS_RELEASE)
  await writeFile(
    join(rootDir, 'etc', 'apt', 'sources.list.d', 'ubuntu.sources'),
    `Types: deb\nURIs: ${primaryUrl}\nSuites: noble noble-security\nComponents: main\nSigned-By: ${archiveKeyFile}\n`,
  )
}

/** The machine without kernel packages (the scenarios outside the Copy Fail story). */
export async function writeKernelFreeMachine(rootDir: string): Promise<void> {
  await writeFile(join(rootDir, 'var', 'lib', 'dpkg', 'status'), labDpkgStatus())
}

/** Rewrites the machine's kernel files for `state`: dpkg status, running kernel, reboot flag, Livepatch status. */
export async function writeMachineState(rootDir: string, state: MachineState): Promise<void> {
  await mkdir(join(rootDir, 'proc'), { recursive: true })
  await mkdir(join(rootDir, 'var', 'run'), { recursive: true })
  await writeFile(join(rootDir, 'var', 'lib', 'dpkg', 'status'), labDpkgStatus(state))
  await writeFile(join(rootDir, 'proc', 'version_signature'), versionSignature(state))
  const pkgs = rebootRequiredPkgs(state)
  if (pkgs === undefined) {
    await rm(join(rootDir, 'var', 'run', 'reboot-required'), { force: true })
    await rm(join(rootDir, 'var', 'run', 'reboot-required.pkgs'), { force: true })
  } else {
    await writeFile(join(rootDir, 'var', 'run', 'reboot-required'), '*** System restart required ***\n')
    await writeFile(join(rootDir, 'var', 'run', 'reboot-required.pkgs'), pkgs)
  }
  await writeLivepatchStatus(rootDir, livepatchStatusJson(state))
}

/** Writes (or, when undefined, removes) the saved Livepatch status as a root-owned timer would leave it. */
async function writeLivepatchStatus(rootDir: string, status: string | undefined): Promise<void> {
  const file = join(rootDir, SAVED_LIVEPATCH_STATUS)
  if (status === undefined) {
    await rm(file, { force: true })
    return
  }
  // Only the tree's owner can write the file and its folder.
  const folder = dirname(file)
  await mkdir(folder, { recursive: true })
  await chmod(folder, 0o755)
  await writeFile(file, status, { mode: 0o644 })
  await chmod(file, 0o644)
}
