/**
 * A helpdesk policy end to end (docs/helpdesk.md): a mandatory system policy in a temporary /etc that removes the Ubuntu
 * defaults, adds the organisation's mirror, its signed advisory feed and the keys for both is loaded by the layered
 * loader, and the real engine then verifies that mirror and that feed over loopback (the outage lab, "calm").
 *
 * The engine is built here exactly as main/node/app.ts builds it (effectiveKeyring + createEngine), from the
 * effective configuration of loadEffectiveConfig. `lifeline check` itself still reads a single --config file
 * (main/node/app.ts `createAppEngine`); switching it to loadEffectiveConfig is the lead's one-line change.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../main/lab/lab'
import { startLab } from '../../main/lab/lab'
import { createDecompressor } from '../../main/node/decompress'
import { createEngine, effectiveKeyring } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { loadKeyringFromManifest } from '../../main/node/keys'
import { loadEffectiveConfig } from '../../main/node/config/layers'
import { quickFetcher } from './scenarios/lab-kit'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const RESOURCES = join(__dirname, '..', '..', 'resources')

let lab: Lab
let tmp: TempDir

beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
  tmp = await makeTempDir()
})
afterAll(async () => {
  await lab?.close()
  await tmp?.cleanup()
})

describe('a helpdesk policy that adds a mirror and a signed feed', () => {
  describe('when installed as a mandatory system policy', () => {
    it('is in the effective configuration, locked, with the Ubuntu defaults removed', async () => {
      const { src } = await installPolicy()
      const eff = await loadEffectiveConfig(src)
      expect(eff.problems).toEqual([])
      expect(eff.config.mirrors.map((m) => m.id)).toEqual(['lab-primary'])
      expect(eff.config.channels.map((c) => `${c.id}:${c.type}`)).toEqual(['lab-helpdesk-feed:signed-feed'])
      expect(eff.origins['mirrors.lab-primary']).toMatchObject({ layer: 'system', locked: true })
      expect(eff.origins['removeMirrors.ubuntu-archive']).toMatchObject({ layer: 'system', locked: true })
      expect(eff.config.extraKeys.map((k) => k.fingerprint)).toEqual([
        lab.keys.archive.fingerprint.toUpperCase(),
        lab.keys.advisory.fingerprint.toUpperCase(),
      ])
    })

    it("makes the engine verify that mirror and that feed with the policy's keys", async () => {
      const { src } = await installPolicy()
      const eff = await loadEffectiveConfig(src)
      const keysDir = join(RESOURCES, 'keys')
      const keyring = await effectiveKeyring(await loadKeyringFromManifest(keysDir), eff.config, keysDir)
      const engine = createEngine({
        config: eff.config,
        keyring,
        fetcher: quickFetcher,
        decompressor: createDecompressor(),
        store: createFileStateStore(join(tmp.path, 'engine-state')),
        root: lab.rootDir,
      })
      const parts = await engine.run(lab.now, () => {})
      expect(parts.mirrors.map((m) => `${m.mirrorId} ${m.suite} ${m.state}`)).toEqual([
        'lab-primary noble ok',
        'lab-primary noble-security ok',
      ])
      expect(parts.mirrors.every((m) => m.signedBy === lab.keys.archive.fingerprint.toUpperCase())).toBe(true)
      expect(parts.channels).toHaveLength(1)
      expect(parts.channels[0]).toMatchObject({
        channelId: 'lab-helpdesk-feed',
        state: 'ok',
        signedBy: lab.keys.advisory.fingerprint.toUpperCase(),
      })
      expect(parts.channels[0]?.advisoryCount).toBeGreaterThan(0)
    })

    it('verifies nothing from the feed once a later policy removes its key', async () => {
      const { src, managed } = await installPolicy()
      await writeFile(
        join(managed, '99-revoke.json'),
        JSON.stringify({ removeKeys: [lab.keys.advisory.fingerprint] }),
        { mode: 0o644 },
      )
      const eff = await loadEffectiveConfig(src)
      const keysDir = join(RESOURCES, 'keys')
      const keyring = await effectiveKeyring(await loadKeyringFromManifest(keysDir), eff.config, keysDir)
      const engine = createEngine({
        config: eff.config,
        keyring,
        fetcher: quickFetcher,
        decompressor: createDecompressor(),
        store: createFileStateStore(join(tmp.path, 'engine-state-revoked')),
        root: lab.rootDir,
      })
      const parts = await engine.run(lab.now, () => {})
      expect(parts.channels[0]?.state).toBe('failed')
      expect(parts.channels[0]?.code).toMatch(/^PGP_/)
    })
  })
})

let installs = 0

/** Writes the helpdesk's policy and its two public keys into a fresh temporary /etc/lifeline/policies/managed. */
async function installPolicy() {
  const base = join(tmp.path, `install-${++installs}`)
  const managed = join(base, 'etc', 'lifeline', 'policies', 'managed')
  await mkdir(managed, { recursive: true, mode: 0o755 })
  await copyFile(join(lab.outDir, 'keys', 'lab-archive.asc'), join(managed, 'org-archive.asc'))
  await copyFile(join(lab.outDir, 'keys', 'lab-advisory.asc'), join(managed, 'org-advisory.asc'))
  const primary = lab.mirrors.find((m) => m.id === 'lab-primary')
  const feed = lab.channels.find((c) => c.id === 'lab-helpdesk-feed')
  const policy = {
    $comment: 'Example organisation: internal mirror and signed feed only',
    removeMirrors: ['ubuntu-archive', 'ubuntu-security'],
    removeChannels: ['ubuntu-notices-api', 'osv-dev-api', 'ubuntu-osv-github'],
    mirrors: [primary],
    channels: [feed],
    keys: [
      {
        file: 'org-archive.asc',
        fingerprint: lab.keys.archive.fingerprint,
        role: 'archive',
        name: 'Org archive (TEST ONLY)',
      },
      {
        file: 'org-advisory.asc',
        fingerprint: lab.keys.advisory.fingerprint,
        role: 'advisory',
        name: 'Org advisory (TEST ONLY)',
      },
    ],
    helpdesk: { name: 'Example IT', email: 'it@example.org' },
  }
  await writeFile(join(managed, '10-org.json'), JSON.stringify(policy), { mode: 0o644 })
  const src = {
    resourcesDir: RESOURCES,
    dataDir: join(base, 'data'),
    etcDir: join(base, 'etc'),
    codename: 'noble',
    trustedUid: process.getuid?.() ?? 0,
  }
  return { src, managed }
}
