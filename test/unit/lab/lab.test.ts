/**
 * The outage lab itself: its fault API, control endpoint, loopback-only hosts, the synthetic archive's source
 * evidence chain, and the files it writes for the app (config, root, resources).
 */
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changelogFromDebianTar, cvesFixedSince } from '../../../main/core/apt/changelog'
import { parseSources } from '../../../main/core/apt/indexes'
import { isCoreError } from '../../../main/core/errors'
import { loadConfigFile } from '../../../main/node/config'
import { loadKeyringFromManifest } from '../../../main/node/keys'
import { EXPAT_FIXED, sha256Hex } from '../../../main/lab/archive'
import { parseFault } from '../../../main/lab/faults'
import { startLab } from '../../../main/lab/lab'
import { canConnect } from './can-connect'
import type { Lab } from '../../../main/lab/lab'
import { scenarioNamed } from '../../../main/lab/scenarios'
import { labCommand } from '../../../main/cli/commands/lab'

let lab: Lab
beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
})
afterAll(() => lab.close())

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return isCoreError(e) ? e.code : 'not a CoreError'
  }
  return undefined
}

async function asyncCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return isCoreError(e) ? e.code : 'not a CoreError'
  }
  return undefined
}

describe('lab faults', () => {
  describe('when a fault is unknown or its rate is bad', () => {
    it('throws LAB_BAD_FAULT', () => {
      expect(codeOf(() => parseFault('melted'))).toBe('LAB_BAD_FAULT')
      expect(codeOf(() => parseFault({ name: 'slow', bytesPerSecond: -1 }))).toBe('LAB_BAD_FAULT')
      expect(parseFault({ name: 'slow', bytesPerSecond: 100 })).toEqual({ name: 'slow', bytesPerSecond: 100 })
    })
  })
  describe('when a target or scenario is unknown, or has no variant for a content fault', () => {
    it('throws LAB_UNKNOWN_TARGET, LAB_UNKNOWN_SCENARIO, LAB_BAD_FAULT', async () => {
      expect(await asyncCodeOf(lab.setFault('nowhere', 'down'))).toBe('LAB_UNKNOWN_TARGET')
      expect(codeOf(() => scenarioNamed('apocalypse'))).toBe('LAB_UNKNOWN_SCENARIO')
      expect(await asyncCodeOf(lab.setFault('notices-api', 'rolled-back'))).toBe('LAB_BAD_FAULT')
      expect(await asyncCodeOf(lab.setFault('real-ubuntu', 'frozen'))).toBe('LAB_BAD_FAULT')
    })
  })
  describe('when a target is refused and then restored', () => {
    it('stops listening on its port, then listens on the same port again', async () => {
      const port = Number(new URL(lab.url('mirror-a')).port)
      await lab.setFault('mirror-a', 'refused')
      expect(await canConnect(port)).toBe(false)
      await lab.setFault('mirror-a', 'none')
      expect(await canConnect(port)).toBe(true)
    })
  })
})

describe('lab control endpoint', () => {
  describe('when a fault is posted', () => {
    it('switches it, and answers 400 with the code for a bad one', async () => {
      const post = (path: string, body: unknown) =>
        fetch(`${lab.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) })
      const ok = await post('/fault', { target: 'osv', fault: 'conflicting-advisory' })
      expect(ok.status).toBe(200)
      expect(lab.targets().find((t) => t.id === 'osv')?.fault.name).toBe('conflicting-advisory')
      const bad = await post('/fault', { target: 'osv', fault: 'melted' })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { code: string }).code).toBe('LAB_BAD_FAULT')
      const sc = await post('/scenario', { name: 'outage' })
      expect(sc.status).toBe(200)
      expect(lab.targets().find((t) => t.id === 'primary')?.fault.name).toBe('down')
      await lab.setScenario('calm')
      const info = (await (await fetch(lab.controlUrl)).json()) as { scenario: string; targets: unknown[] }
      expect(info.scenario).toBe('calm')
      expect(info.targets).toHaveLength(11)
    })
  })
})

describe('lab hosts', () => {
  describe('when listed', () => {
    it('are all on 127.0.0.1', () => {
      for (const t of lab.targets()) expect(new URL(t.url).hostname).toBe('127.0.0.1')
      expect(new URL(lab.controlUrl).hostname).toBe('127.0.0.1')
    })
  })
})

describe('lab synthetic archive', () => {
  describe('when the signed chain is followed to the source package', () => {
    it('reaches a changelog naming the CVEs of USN-7000-1', () => {
      const files = lab.archive.current.files
      const sources = new TextDecoder().decode(files.get('dists/noble-security/main/source/Sources'))
      const expat = parseSources(sources).find((s) => s.package === 'expat')
      expect(expat?.version).toBe(EXPAT_FIXED)
      const tarFile = expat?.files.find((f) => f.name.endsWith('.debian.tar.gz'))
      const data = files.get(`${expat?.directory}/${tarFile?.name}`)
      expect(data && sha256Hex(data)).toBe(tarFile?.sha256)
      const changelog = changelogFromDebianTar(new Uint8Array(gunzipSync(data ?? new Uint8Array())))
      expect(cvesFixedSince(changelog, '2.6.1-2')).toEqual([
        { version: EXPAT_FIXED, cves: ['CVE-2024-45490', 'CVE-2024-45491', 'CVE-2024-45492'] },
      ])
      const release = new TextDecoder().decode(files.get('dists/noble-security/Release'))
      expect(release).toContain(sha256Hex(new TextEncoder().encode(sources)))
    })
  })
})

describe('lab output files', () => {
  describe('when the app reads them', () => {
    it('loads the config file and the resources keys manifest', async () => {
      const config = await loadConfigFile(lab.configFile, 'noble')
      expect(config.mirrors.map((m) => m.id)).toEqual([
        'lab-primary',
        'lab-mirror-a',
        'lab-mirror-b',
        'lab-real-ubuntu',
      ])
      expect(config.channels.map((c) => c.type)).toEqual([
        'usn-api',
        'osv',
        'osv-api',
        'github-osv',
        'signed-feed',
        'mbox',
      ])
      expect(config.extraKeys.map((k) => k.fingerprint)).toEqual([
        lab.keys.archive.fingerprint,
        lab.keys.advisory.fingerprint,
      ])
      const ring = await loadKeyringFromManifest(`${lab.resourcesDir}/keys`)
      expect(ring.keys.map((k) => k.name)).toContain('Lifeline Lab archive key (TEST ONLY)')
    })
  })
})

describe('lifeline lab', () => {
  describe('when the scenario is unknown', () => {
    it('exits 64 with the known names', async () => {
      let err = ''
      const code = await labCommand.run(['--scenario', 'apocalypse'], {
        stdout: () => undefined,
        stderr: (t) => {
          err += t
        },
        readStdin: async () => new Uint8Array(),
        env: {},
        cwd: process.cwd(),
      })
      expect(code).toBe(64)
      expect(err).toContain('outage')
    })
  })
})
