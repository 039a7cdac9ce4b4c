/**
 * The outage day end to end (main/lab/README.md): the lab's `outage` scenario — primary archive and advisory
 * website down, two mirrors up (one lagging), a fake fix circulating — through the lab's own config file, the
 * synthetic machine root and the real engine (main/node/engine.ts), then the fake fix through the instruction
 * checker. Expected: primary unreachable, the expat fix verified on the up-to-date mirror only (this machine does
 * not use it: fix-on-other-mirror), the lagging mirror flagged, the notices API failed with its last good copy
 * kept, and the fake fix `dangerous`.
 */
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { CheckParts } from '../../main/core/check'
import { createDecompressor } from '../../main/node/decompress'
import { loadConfigFile } from '../../main/node/config'
import { createEngine, effectiveKeyring } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { loadKeyringFromManifest, builtInKeysDir } from '../../main/node/keys'
import { readLocalSystem } from '../../main/node/local-system'
import { loadShellParser } from '../../main/node/shell-parser'
import { EXPAT_FIXED } from '../../main/lab/archive'
import { startLab } from '../../main/lab/lab'
import type { Lab } from '../../main/lab/lab'
import { quickFetcher } from './scenarios/lab-kit'

let lab: Lab
let parts: CheckParts

beforeAll(async () => {
  lab = await startLab({ scenario: 'outage' })
  const config = await loadConfigFile(lab.configFile, 'noble')
  const keyring = await effectiveKeyring(
    await loadKeyringFromManifest(builtInKeysDir()),
    config,
    dirname(lab.configFile),
  )
  const engine = createEngine({
    config,
    keyring,
    fetcher: quickFetcher,
    decompressor: createDecompressor(),
    store: createFileStateStore(`${lab.outDir}/data`),
    root: lab.rootDir,
  })
  parts = await engine.run(lab.now, () => undefined)
})
afterAll(() => lab.close())

describe('the outage scenario', () => {
  describe('when the app checks through the lab config and the synthetic root', () => {
    it('reads the lab machine: noble with the vulnerable expat, using only the primary archive', async () => {
      const sys = await readLocalSystem(lab.rootDir)
      expect(sys.os.codename).toBe('noble')
      expect(sys.packages.find((p) => p.package === 'libexpat1')?.version).toBe('2.6.1-2')
      expect([...new Set(sys.sources.map((s) => s.uri))]).toEqual([lab.url('primary')])
      expect(sys.sources.map((s) => s.suite).sort()).toEqual(['noble', 'noble-security'])
    })

    it('reports the primary unreachable, mirror-a verified, mirror-b lagging', () => {
      const by = (id: string) => [
        ...new Set(parts.mirrors.filter((m) => m.mirrorId === id).map((m) => m.state)),
      ]
      expect(by('lab-primary')).toEqual(['unreachable'])
      expect(by('lab-mirror-a')).toEqual(['ok'])
      expect(by('lab-mirror-b')).toEqual(['lagging'])
      const lag = parts.mirrors.find((m) => m.mirrorId === 'lab-mirror-b' && m.suite === 'noble-security')
      expect(lag?.lagMs).toBe(19 * 3600_000)
      expect(parts.mirrors.find((m) => m.mirrorId === 'lab-mirror-a')?.signedBy).toBe(
        lab.keys.archive.fingerprint,
      )
    })

    it('reports the advisory website failed and the other channels read', () => {
      const by = Object.fromEntries(parts.channels.map((c) => [c.channelId, c]))
      expect(by['lab-notices-api']?.state).toBe('failed')
      expect(by['lab-osv']?.state).toBe('ok')
      expect(by['lab-helpdesk-feed']?.signedBy).toBe(lab.keys.advisory.fingerprint)
      // The unsigned fake fix in the announce archive is skipped and reported, the signed notice read.
      expect(by['lab-announce']?.state).toBe('partial')
      expect(by['lab-announce']?.advisoryCount).toBe(1)
    })

    it('finds USN-7000-1 signed, affecting this machine, fixed only on a mirror it does not use', () => {
      const usn = parts.assessment?.advisories.find((a) => a.id === 'USN-7000-1')
      expect(usn?.trust).toBe('signed')
      expect(usn?.status).toBe('fix-on-other-mirror')
      const text = JSON.stringify(usn?.steps)
      expect(text).toContain(`libexpat1=${EXPAT_FIXED}`)
      expect(text).toContain(lab.url('mirror-a'))
      expect(text).not.toContain(lab.url('mirror-b'))
    })
  })

  describe('when the circulating fake fix is pasted into the instruction checker', () => {
    it('is dangerous: pipe to a root shell, a trusted=yes source, unauthenticated install', async () => {
      const res = await quickFetcher({
        url: lab.fakeFixUrl,
        maxBytes: 65536,
        timeoutMs: 5000,
        allowHttp: false,
      })
      const text = new TextDecoder().decode(res.body)
      expect(text).toBe(lab.fakeFixText)
      const report = await inspectText(text, { parser: await loadShellParser() })
      expect(report.verdict).toBe('dangerous')
      expect(report.findings.length).toBeGreaterThanOrEqual(3)
    })
  })
})
