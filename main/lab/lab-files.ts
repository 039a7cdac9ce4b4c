/**
 * What points the app and the CLI at a running lab: its mirrors and channels as config, the config file (format of
 * `loadConfigFile`, main/node/config/index.ts) with the lab's public keys, a resources folder for `LIFELINE_RESOURCES`
 * (keys manifest + default config), and the keyring pinning the real Ubuntu archive keys and the lab's keys.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChannelConfig, MirrorConfig } from '../core/model'
import { loadKeyring } from '../core/pgp/keyring'
import type { Keyring } from '../core/pgp/keyring'
import type { LabKey, LabKeys } from './archive'
import { pinnedKeyEntry } from './archive'
import { osvUrls, REAL_FIXTURES } from './content'
import type { TargetTable } from './targets'

/** Fingerprints of the real Ubuntu archive keys (test/fixtures/PROVENANCE.md). */
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

/** The lab's mirrors as the app configures them: the three synthetic ones and the real-fixture one. */
export function labMirrors(targets: TargetTable): MirrorConfig[] {
  const synthetic = (id: 'primary' | 'mirror-a' | 'mirror-b'): MirrorConfig => ({
    id: `lab-${id}`,
    name: targets.target(id).name,
    url: targets.url(id),
    suites: ['noble', 'noble-security'],
    components: ['main'],
    architectures: ['amd64'],
  })
  return [
    synthetic('primary'),
    synthetic('mirror-a'),
    synthetic('mirror-b'),
    {
      id: 'lab-real-ubuntu',
      name: targets.target('real-ubuntu').name,
      url: targets.url('real-ubuntu'),
      suites: ['noble-security'],
      components: ['multiverse'],
      architectures: ['amd64'],
    },
  ]
}

/** The lab's advisory channels as the app configures them. */
export function labChannels(targets: TargetTable): ChannelConfig[] {
  const name = (id: Parameters<TargetTable['target']>[0]) => targets.target(id).name
  return [
    { id: 'lab-notices-api', name: name('notices-api'), type: 'usn-api', urls: [targets.url('notices-api')] },
    { id: 'lab-osv', name: name('osv'), type: 'osv', urls: osvUrls(targets.target('osv').site.origin) },
    { id: 'lab-osv-api', name: name('osv-api'), type: 'osv-api', urls: [targets.url('osv-api')] },
    { id: 'lab-github-osv', name: name('github-osv'), type: 'github-osv', urls: [targets.url('github-osv')] },
    {
      id: 'lab-helpdesk-feed',
      name: name('helpdesk-feed'),
      type: 'signed-feed',
      urls: [targets.url('helpdesk-feed')],
    },
    { id: 'lab-announce', name: name('announce'), type: 'mbox', urls: [targets.url('announce')] },
  ]
}

/** A key as a config file or a keys manifest names it. */
interface KeyEntry {
  readonly file: string
  readonly fingerprint: string
  readonly role: 'archive' | 'advisory'
  readonly name: string
}

/** The entry naming `key` in `file`. */
function keyEntry(key: LabKey, file: string): KeyEntry {
  return { file, fingerprint: key.fingerprint, role: key.role, name: key.name }
}

/** Where `writeLabConfig` put things. */
export interface LabConfigFiles {
  readonly configFile: string
  readonly resourcesDir: string
  /** The lab archive key's public file (the machine's apt source names it in Signed-By). */
  readonly archiveKeyFile: string
}

/**
 * Writes `keys/` (the lab's public keys), the config file `lifeline-lab.json` and the `resources/` folder under
 * `outDir`.
 */
export async function writeLabConfig(opts: {
  readonly outDir: string
  readonly scenario: string
  readonly keys: LabKeys
  readonly fixtures: ReadonlyMap<string, Uint8Array>
  readonly mirrors: readonly MirrorConfig[]
  readonly channels: readonly ChannelConfig[]
}): Promise<LabConfigFiles> {
  const { outDir, keys } = opts
  const keysDir = join(outDir, 'keys')
  await mkdir(keysDir, { recursive: true })
  const archiveKeyFile = join(keysDir, 'lab-archive.asc')
  const advisoryKeyFile = join(keysDir, 'lab-advisory.asc')
  await writeFile(archiveKeyFile, keys.archive.armoredPublic)
  await writeFile(advisoryKeyFile, keys.advisory.armoredPublic)
  const config = {
    $comment: `Lifeline outage lab (scenario ${opts.scenario}), TEST ONLY keys. Control: see lab.json.`,
    pollIntervalMinutes: 5,
    mirrors: opts.mirrors,
    channels: opts.channels,
    keys: [keyEntry(keys.archive, archiveKeyFile), keyEntry(keys.advisory, advisoryKeyFile)],
    removeKeys: [],
  }
  const configFile = join(outDir, 'lifeline-lab.json')
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`)
  const resourcesDir = join(outDir, 'resources')
  await writeResources(resourcesDir, opts.fixtures, keys, { ...config, keys: [] })
  return { configFile, resourcesDir, archiveKeyFile }
}

/** A resources folder whose built-in keyring pins the Ubuntu keys and the lab keys, for apps that read only that. */
async function writeResources(
  resourcesDir: string,
  fixtures: ReadonlyMap<string, Uint8Array>,
  keys: LabKeys,
  defaultConfig: unknown,
): Promise<void> {
  await mkdir(join(resourcesDir, 'keys'), { recursive: true })
  await mkdir(join(resourcesDir, 'config'), { recursive: true })
  const manifest: KeyEntry[] = []
  for (const k of UBUNTU_ARCHIVE_KEYS) {
    const file = k.fixture.split('/').pop() ?? 'ubuntu.asc'
    await writeFile(join(resourcesDir, 'keys', file), fixtures.get(k.fixture) ?? new Uint8Array())
    manifest.push({ file, fingerprint: k.fingerprint, role: 'archive', name: k.name })
  }
  for (const k of [keys.archive, keys.advisory]) {
    const file = `lab-${k.role}.asc`
    await writeFile(join(resourcesDir, 'keys', file), k.armoredPublic)
    manifest.push(keyEntry(k, file))
  }
  await writeFile(
    join(resourcesDir, 'keys', 'keys.json'),
    `${JSON.stringify({ version: 1, keys: manifest }, null, 2)}\n`,
  )
  await writeFile(join(resourcesDir, 'config', 'default.json'), `${JSON.stringify(defaultConfig, null, 2)}\n`)
}

/** The keyring of a lab: the real Ubuntu archive keys (from the fixtures) and the lab's archive and advisory keys. */
export function labKeyring(fixtures: ReadonlyMap<string, Uint8Array>, keys: LabKeys): Promise<Keyring> {
  return loadKeyring([
    ...UBUNTU_ARCHIVE_KEYS.map((k) => ({
      data: fixtures.get(k.fixture) ?? new Uint8Array(),
      role: 'archive' as const,
      name: k.name,
      fingerprint: k.fingerprint,
    })),
    ...[keys.archive, keys.advisory].map(pinnedKeyEntry),
  ])
}
