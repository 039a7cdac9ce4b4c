/**
 * The outage lab (main/lab/README.md): several apt mirrors and advisory channels on 127.0.0.1,
 * each on its own port (its own "host"), with faults switchable while running, plus the files that point the app
 * at them: a config file in the format of `loadConfigFile`, a synthetic machine root, the lab's public keys and a
 * resources folder (keys manifest + default config) for `LIFELINE_RESOURCES`.
 *
 * Tests, the soak bench and the demo all run against it. Loopback only; every key is generated at start-up and
 * is TEST ONLY.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { SAVED_LIVEPATCH_STATUS } from '../core/system/local-system'
import { CoreError, isCoreError } from '../core/errors'
import type { ChannelConfig, MirrorConfig } from '../core/model'
import { loadKeyring } from '../core/pgp/keyring'
import type { Keyring } from '../core/pgp/keyring'
import type { LabArchive, LabKeys } from './archive'
import { buildLabArchive, generateLabKeys, NOBLE_RELEASE_PACKAGES, NOBLE_SECURITY_PACKAGES } from './archive'
import {
  FAKE_FIX_POST,
  labFixturesDir,
  mboxContent,
  noticesApiContent,
  osvContent,
  osvUrls,
  postContent,
  readLabFixtures,
  REAL_FIXTURES,
  REAL_MIRROR_CONTENT_FAULTS,
  realMirrorContent,
  signedFeedContent,
  syntheticMirrorContent,
} from './content'
import type { Fault, FaultName, LabErrorCode } from './faults'
import { parseFault, TRANSPORT_FAULTS } from './faults'
import type { LabTargetId } from './scenarios'
import { LAB_TARGET_IDS, scenarioNamed } from './scenarios'
import type { MachineState } from './copy-fail'
import {
  installedKernelPackages,
  livepatchStatusJson,
  MACHINE_STATES,
  rebootRequiredPkgs,
  versionSignature,
} from './copy-fail'
import { GITHUB_OSV_REPO_PATH, githubRawContent, osvApiContent, osvHostRecords } from './osv-hosts'
import type { Site, SiteContent } from './site'
import { startSite } from './site'

/** Fingerprints of the real Ubuntu archive keys (shared fixtures PROVENANCE.md). */
export const UBUNTU_ARCHIVE_KEYS = [
  {
    fixture: REAL_FIXTURES.ubuntuKey2018,
    fingerprint: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
    name: 'Ubuntu Archive Automatic Signing Key (2018)',
  },
  {
    fixture: REAL_FIXTURES.ubuntuKey2012,
    fingerprint: '790BC7277767219C42C86F933B4FE6ACC0B21F32',
    name: 'Ubuntu Archive Automatic Signing Key (2012)',
  },
] as const

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

/** What kind of thing a target is. */
export type LabTargetKind = 'mirror' | 'channel' | 'post'

/** One target as reported (CLI, control endpoint). */
export interface LabTargetInfo {
  readonly id: LabTargetId
  readonly kind: LabTargetKind
  readonly name: string
  /** The URL a client configures: a mirror's base URL, a channel's first URL, the post's URL. */
  readonly url: string
  readonly fault: Fault
}

/** A running lab. */
export interface Lab {
  readonly now: number
  readonly scenario: string
  readonly outDir: string
  /** The config file (format of main/node/config.ts `loadConfigFile`). */
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
  machine(): MachineState | 'no-kernel'
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

interface Target {
  readonly id: LabTargetId
  readonly kind: LabTargetKind
  readonly name: string
  readonly site: Site
  readonly path: string
  /** Content faults this target has a variant for. */
  readonly contentFaults: ReadonlySet<FaultName>
}

const HOUR = 3600_000
const MIRROR_CONTENT_FAULTS = new Set<FaultName>([
  'stale',
  'frozen',
  'rolled-back',
  'lagging',
  'tampered-signature',
  'wrong-index-hash',
  'wrong-suite',
])

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

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let n = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length
    if (n > max) throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', 'request body too large')
    chunks.push(c)
  }
  return Buffer.concat(chunks).toString('utf8')
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

/** Why `startLab` could not listen (its other failures are the fixtures' LAB_* codes or file-system errors). */
export type LabStartErrorCode =
  | 'LAB_PORT_BUSY' // EADDRINUSE: another program listens on the port
  | 'LAB_PORT_FORBIDDEN' // EACCES: a privileged port (below 1024) without the right to bind it
  | 'LAB_LISTEN_FAILED' // any other listen error

/** What a start-up has opened so far (listeners, its own temp folder), so a failure part-way closes exactly that. */
interface Opened {
  readonly closers: (() => Promise<void>)[]
}

/** A coded error for a listener that could not start on `port` of 127.0.0.1 (`what` names it). */
function listenError(e: unknown, port: number, what: string): CoreError<LabStartErrorCode> {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const details = {
    port,
    listener: what,
    errno: errno ?? null,
    reason: e instanceof Error ? e.message : String(e),
  }
  if (errno === 'EADDRINUSE')
    return new CoreError<LabStartErrorCode>(
      'LAB_PORT_BUSY',
      `port ${port} on 127.0.0.1 is already in use: choose another with --port, or leave --port out for a free one`,
      details,
    )
  if (errno === 'EACCES')
    return new CoreError<LabStartErrorCode>(
      'LAB_PORT_FORBIDDEN',
      `not allowed to listen on port ${port}: choose a port above 1023 with --port`,
      details,
    )
  return new CoreError<LabStartErrorCode>(
    'LAB_LISTEN_FAILED',
    `cannot listen on port ${port} of 127.0.0.1 for the ${what}: ${details.reason}`,
    details,
  )
}

/** Starts the targets, writes the files and starts the control endpoint; registers each opened thing in `opened`. */
async function buildLab(opts: LabOptions, opened: Opened): Promise<Lab> {
  const now = opts.now ?? Date.now()
  const scenario = scenarioNamed(opts.scenario ?? 'outage')
  const fixtures = await readLabFixtures(opts.fixturesDir ?? labFixturesDir())
  // Keys are created a day before the lab's oldest signature (the stale Release, 10 days back).
  const keys = await generateLabKeys(now - 30 * 24 * HOUR)
  const archive = await buildLabArchive(keys.archive.privateKey, now)
  const [feed, mbox] = await Promise.all([signedFeedContent(fixtures, keys, now), mboxContent(keys, now)])
  const osvRecords = osvHostRecords(fixtures, now)

  const specs: {
    id: LabTargetId
    kind: LabTargetKind
    name: string
    path: string
    content: SiteContent
    faults: ReadonlySet<FaultName>
  }[] = [
    {
      id: 'primary',
      kind: 'mirror',
      name: 'Ubuntu archive (primary, lab)',
      path: '/ubuntu',
      content: syntheticMirrorContent(archive),
      faults: MIRROR_CONTENT_FAULTS,
    },
    {
      id: 'mirror-a',
      kind: 'mirror',
      name: 'University mirror (lab)',
      path: '/ubuntu',
      content: syntheticMirrorContent(archive),
      faults: MIRROR_CONTENT_FAULTS,
    },
    {
      id: 'mirror-b',
      kind: 'mirror',
      name: 'Cloud mirror (lab)',
      path: '/ubuntu',
      content: syntheticMirrorContent(archive),
      faults: MIRROR_CONTENT_FAULTS,
    },
    {
      id: 'real-ubuntu',
      kind: 'mirror',
      name: 'Real Ubuntu noble-security metadata (fixture of 2026-06-06)',
      path: '/ubuntu',
      content: realMirrorContent(fixtures),
      faults: REAL_MIRROR_CONTENT_FAULTS as ReadonlySet<FaultName>,
    },
    {
      id: 'notices-api',
      kind: 'channel',
      name: 'ubuntu.com security notices API (lab)',
      path: '/security/notices.json',
      content: noticesApiContent(fixtures),
      faults: new Set(),
    },
    {
      id: 'osv',
      kind: 'channel',
      name: 'Ubuntu OSV data (lab copy)',
      path: '/osv/',
      content: osvContent(fixtures),
      faults: new Set(['conflicting-advisory']),
    },
    {
      id: 'osv-api',
      kind: 'channel',
      name: 'OSV.dev API (lab)',
      path: '',
      content: osvApiContent(osvRecords),
      faults: new Set(['conflicting-advisory']),
    },
    {
      id: 'github-osv',
      kind: 'channel',
      name: 'GitHub raw files: canonical/ubuntu-security-notices (lab)',
      path: GITHUB_OSV_REPO_PATH,
      content: githubRawContent(osvRecords),
      faults: new Set(['conflicting-advisory']),
    },
    {
      id: 'helpdesk-feed',
      kind: 'channel',
      name: 'Helpdesk signed feed (lab)',
      path: '/feed/',
      content: feed,
      faults: new Set([
        'stale',
        'frozen',
        'rolled-back',
        'lagging',
        'tampered-signature',
        'wrong-index-hash',
        'conflicting-advisory',
      ]),
    },
    {
      id: 'announce',
      kind: 'channel',
      name: 'ubuntu-security-announce archive (lab)',
      path: '/archive/announce.mbox',
      content: mbox,
      faults: new Set(['tampered-signature', 'conflicting-advisory']),
    },
    {
      id: 'social',
      kind: 'post',
      name: 'Social media post (fake fix)',
      path: '/post/emergency-fix.txt',
      content: postContent(),
      faults: new Set(),
    },
  ]

  const targets = new Map<LabTargetId, Target>()
  const sites: Site[] = []
  for (const [i, s] of specs.entries()) {
    const port = opts.port ? opts.port + 1 + i : 0
    let site: Site
    try {
      site = await startSite({ port, content: s.content })
    } catch (e) {
      throw listenError(e, port, `target ${s.id}`)
    }
    opened.closers.push(() => site.close())
    sites.push(site)
    targets.set(s.id, { id: s.id, kind: s.kind, name: s.name, site, path: s.path, contentFaults: s.faults })
  }
  const target = (id: string): Target => {
    const t = targets.get(id as LabTargetId)
    if (!t) {
      throw new CoreError<LabErrorCode>(
        'LAB_UNKNOWN_TARGET',
        `unknown target ${JSON.stringify(id)}; known: ${LAB_TARGET_IDS.join(', ')}`,
      )
    }
    return t
  }
  const url = (id: LabTargetId): string => {
    const t = target(id)
    return `${t.site.origin}${t.path}`
  }

  const setFault = async (id: string, f: Fault | FaultName): Promise<void> => {
    const t = target(id)
    const fault = parseFault(f)
    if (!TRANSPORT_FAULTS.has(fault.name) && !t.contentFaults.has(fault.name)) {
      throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', `${id} has no "${fault.name}" variant`, {
        target: id,
        fault: fault.name,
      })
    }
    await t.site.setFault(fault)
  }
  let scenarioName = scenario.name
  const setScenario = async (name: string): Promise<void> => {
    const s = scenarioNamed(name)
    for (const id of LAB_TARGET_IDS) await setFault(id, s.faults[id] ?? { name: 'none' })
    scenarioName = s.name
  }

  const mirrorSuites = (id: 'primary' | 'mirror-a' | 'mirror-b', name: string): MirrorConfig => ({
    id: `lab-${id}`,
    name,
    url: url(id),
    suites: ['noble', 'noble-security'],
    components: ['main'],
    architectures: ['amd64'],
  })
  const mirrors: MirrorConfig[] = [
    mirrorSuites('primary', target('primary').name),
    mirrorSuites('mirror-a', target('mirror-a').name),
    mirrorSuites('mirror-b', target('mirror-b').name),
    {
      id: 'lab-real-ubuntu',
      name: target('real-ubuntu').name,
      url: url('real-ubuntu'),
      suites: ['noble-security'],
      components: ['multiverse'],
      architectures: ['amd64'],
    },
  ]
  const channels: ChannelConfig[] = [
    { id: 'lab-notices-api', name: target('notices-api').name, type: 'usn-api', urls: [url('notices-api')] },
    { id: 'lab-osv', name: target('osv').name, type: 'osv', urls: osvUrls(target('osv').site.origin) },
    { id: 'lab-osv-api', name: target('osv-api').name, type: 'osv-api', urls: [url('osv-api')] },
    { id: 'lab-github-osv', name: target('github-osv').name, type: 'github-osv', urls: [url('github-osv')] },
    {
      id: 'lab-helpdesk-feed',
      name: target('helpdesk-feed').name,
      type: 'signed-feed',
      urls: [url('helpdesk-feed')],
    },
    { id: 'lab-announce', name: target('announce').name, type: 'mbox', urls: [url('announce')] },
  ]

  // Files for the app and the CLI.
  const outDir = opts.outDir ?? (await mkdtemp(join(tmpdir(), 'lifeline-lab-')))
  // A folder the lab made itself goes with a failed start too; one the caller named is theirs to keep.
  if (opts.outDir === undefined) opened.closers.push(() => rm(outDir, { recursive: true, force: true }))
  const keysDir = join(outDir, 'keys')
  const rootDir = join(outDir, 'root')
  const resourcesDir = join(outDir, 'resources')
  await mkdir(keysDir, { recursive: true })
  await mkdir(join(rootDir, 'etc', 'apt', 'sources.list.d'), { recursive: true })
  await mkdir(join(rootDir, 'var', 'lib', 'dpkg'), { recursive: true })
  await mkdir(join(resourcesDir, 'keys'), { recursive: true })
  await mkdir(join(resourcesDir, 'config'), { recursive: true })
  const archiveKeyFile = join(keysDir, 'lab-archive.asc')
  const advisoryKeyFile = join(keysDir, 'lab-advisory.asc')
  await writeFile(archiveKeyFile, keys.archive.armoredPublic)
  await writeFile(advisoryKeyFile, keys.advisory.armoredPublic)
  const keyEntries = [
    {
      file: archiveKeyFile,
      fingerprint: keys.archive.fingerprint,
      role: 'archive' as const,
      name: keys.archive.name,
    },
    {
      file: advisoryKeyFile,
      fingerprint: keys.advisory.fingerprint,
      role: 'advisory' as const,
      name: keys.advisory.name,
    },
  ]
  const config = {
    $comment: `Lifeline outage lab (scenario ${scenario.name}), TEST ONLY keys. Control: see lab.json.`,
    pollIntervalMinutes: 5,
    mirrors,
    channels,
    keys: keyEntries,
    removeKeys: [],
  }
  const configFile = join(outDir, 'lifeline-lab.json')
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`)
  // A resources folder whose built-in keyring pins the Ubuntu keys and the lab keys, for apps that read only that.
  const manifest: { file: string; fingerprint: string; role: 'archive' | 'advisory'; name: string }[] = []
  for (const k of UBUNTU_ARCHIVE_KEYS) {
    const file = k.fixture.split('/').pop() ?? 'ubuntu.asc'
    await writeFile(join(resourcesDir, 'keys', file), fixtures.get(k.fixture) ?? new Uint8Array())
    manifest.push({ file, fingerprint: k.fingerprint, role: 'archive', name: k.name })
  }
  for (const k of [keys.archive, keys.advisory]) {
    const file = `lab-${k.role}.asc`
    await writeFile(join(resourcesDir, 'keys', file), k.armoredPublic)
    manifest.push({ file, fingerprint: k.fingerprint, role: k.role, name: k.name })
  }
  await writeFile(
    join(resourcesDir, 'keys', 'keys.json'),
    `${JSON.stringify({ version: 1, keys: manifest }, null, 2)}\n`,
  )
  await writeFile(
    join(resourcesDir, 'config', 'default.json'),
    `${JSON.stringify({ ...config, keys: [] }, null, 2)}\n`,
  )
  // The synthetic machine: Ubuntu noble using only the primary archive (down in the outage).
  await writeFile(join(rootDir, 'etc', 'os-release'), OS_RELEASE)
  let machineState: MachineState | 'no-kernel' = 'no-kernel'
  const setMachine = async (name: string): Promise<void> => {
    const state = MACHINE_STATES.find((s) => s === name)
    if (!state) {
      throw new CoreError<LabErrorCode>(
        'LAB_BAD_FAULT',
        `unknown machine state ${JSON.stringify(name)}; known: ${MACHINE_STATES.join(', ')}`,
      )
    }
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
    // As a root-owned timer would leave it: only the tree's owner can write the file and its folder.
    const lpFile = join(rootDir, SAVED_LIVEPATCH_STATUS)
    const lpDir = dirname(lpFile)
    const lp = livepatchStatusJson(state)
    if (lp === undefined) await rm(lpFile, { force: true })
    else {
      await mkdir(lpDir, { recursive: true })
      await chmod(lpDir, 0o755)
      await writeFile(lpFile, lp, { mode: 0o644 })
      await chmod(lpFile, 0o644)
    }
    machineState = state
  }
  if (opts.kernelStory ?? scenario.name === 'copy-fail') await setMachine('affected')
  else await writeFile(join(rootDir, 'var', 'lib', 'dpkg', 'status'), labDpkgStatus())
  await writeFile(
    join(rootDir, 'etc', 'apt', 'sources.list.d', 'ubuntu.sources'),
    `Types: deb\nURIs: ${url('primary')}\nSuites: noble noble-security\nComponents: main\nSigned-By: ${archiveKeyFile}\n`,
  )
  await writeFile(join(outDir, 'fake-fix.txt'), FAKE_FIX_POST)

  const keyring = await loadKeyring([
    ...UBUNTU_ARCHIVE_KEYS.map((k) => ({
      data: fixtures.get(k.fixture) ?? new Uint8Array(),
      role: 'archive' as const,
      name: k.name,
      fingerprint: k.fingerprint,
    })),
    {
      data: keys.archive.armoredPublic,
      role: 'archive',
      name: keys.archive.name,
      fingerprint: keys.archive.fingerprint,
    },
    {
      data: keys.advisory.armoredPublic,
      role: 'advisory',
      name: keys.advisory.name,
      fingerprint: keys.advisory.fingerprint,
    },
  ])

  const targetsInfo = (): LabTargetInfo[] =>
    [...targets.values()].map((t) => ({
      id: t.id,
      kind: t.kind,
      name: t.name,
      url: url(t.id),
      fault: t.site.fault(),
    }))

  // Control endpoint.
  const controlSockets = new Set<Socket>()
  const control = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body, null, 2)
      res
        .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
        .end(text)
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    void (async () => {
      try {
        if (req.method === 'GET' && (path === '/_lab' || path === '/')) return send(200, info())
        if (req.method === 'POST' && path === '/_lab/fault') {
          const body = JSON.parse(await readBody(req, 64 * 1024)) as { target?: unknown; fault?: unknown }
          await setFault(String(body.target), parseFault(body.fault))
          return send(200, info())
        }
        if (req.method === 'POST' && path === '/_lab/machine') {
          const body = JSON.parse(await readBody(req, 64 * 1024)) as { state?: unknown }
          await setMachine(String(body.state))
          return send(200, info())
        }
        if (req.method === 'POST' && path === '/_lab/scenario') {
          const body = JSON.parse(await readBody(req, 64 * 1024)) as { name?: unknown }
          await setScenario(String(body.name))
          return send(200, info())
        }
        return send(404, { error: 'not found' })
      } catch (e) {
        if (isCoreError(e)) return send(400, { code: e.code, message: e.message })
        return send(400, { code: 'LAB_BAD_REQUEST', message: e instanceof Error ? e.message : String(e) })
      }
    })()
  })
  control.on('connection', (s: Socket) => {
    controlSockets.add(s)
    s.on('close', () => controlSockets.delete(s))
  })
  const closeControl = async (): Promise<void> => {
    for (const s of controlSockets) s.destroy()
    if (control.listening) await new Promise<void>((resolve) => control.close(() => resolve()))
  }
  try {
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject)
      control.listen(opts.port ?? 0, '127.0.0.1', () => {
        control.off('error', reject)
        resolve()
      })
    })
  } catch (e) {
    throw listenError(e, opts.port ?? 0, 'control endpoint')
  }
  opened.closers.push(closeControl)
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/_lab`
  const info = () => ({
    scenario: scenarioName,
    machine: machineState,
    now: new Date(now).toISOString(),
    configFile,
    rootDir,
    resourcesDir,
    fakeFixUrl: url('social'),
    keys: [keys.archive, keys.advisory].map((k) => ({
      name: k.name,
      role: k.role,
      fingerprint: k.fingerprint,
    })),
    targets: targetsInfo(),
  })
  await setScenario(scenario.name)
  await writeFile(join(outDir, 'lab.json'), `${JSON.stringify({ controlUrl, ...info() }, null, 2)}\n`)

  return {
    now,
    get scenario() {
      return scenarioName
    },
    outDir,
    configFile,
    resourcesDir,
    rootDir,
    controlUrl,
    fakeFixUrl: url('social'),
    fakeFixText: FAKE_FIX_POST,
    keys,
    keyring,
    mirrors,
    channels,
    archive,
    targets: targetsInfo,
    url,
    setFault,
    setScenario,
    machine: () => machineState,
    setMachine,
    requestCount: () => sites.reduce((n, s) => n + s.requestCount(), 0),
    async close() {
      await closeControl()
      await Promise.all(sites.map((s) => s.close()))
      // A folder the lab made itself goes with it; one the caller named (--out) is theirs to keep.
      if (opts.outDir === undefined) await rm(outDir, { recursive: true, force: true })
    },
  }
}
