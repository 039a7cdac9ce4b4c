/**
 * The Copy Fail story end to end (the lab's `copy-fail` scenario, main/lab/copy-fail.ts) through the lab's own
 * config, the synthetic machine root and the real engine: ubuntu.com down, this machine's mirror behind, the fixed
 * kernel on the university mirror, OSV.dev and the GitHub copy up.
 *
 * Expected: with both new channels up, the Copy Fail records are `corroborated` as the channels say them, and
 * `archive-confirmed` in the assessment: the notice lists only the `linux` source (as real kernel notices do), and
 * the fixed ABI's `linux` changelog, read from the signed archive because the metapackage upgrade installs that ABI,
 * names the CVE; with one channel down, `single-source` before the archive's evidence. The machine goes affected
 * (fix on another mirror) → installed (fixed after a reboot) → rebooted (fixed); or, with Livepatch, affected →
 * livepatched (covered now, the old kernel still running, the fixed kernel still to install).
 */
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mergeAdvisories } from '../../main/core/advisories/merge'
import { summarize, type CheckParts } from '../../main/core/check'
import { asChannelsState, CHANNELS_STATE_NAME } from '../../main/core/engine/channels'
import { loadConfigFile } from '../../main/node/config'
import { createDecompressor } from '../../main/node/decompress'
import { createEngine, effectiveKeyring } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { builtInKeysDir, loadKeyringFromManifest } from '../../main/node/keys'
import { COPY_FAIL_CVE, COPY_FAIL_UBUNTU_CVE, COPY_FAIL_USN, KERNEL_FIXED } from '../../main/lab/copy-fail'
import { startLab, type Lab } from '../../main/lab/lab'
import { quickFetcher } from './scenarios/lab-kit'

let lab: Lab
let run = 0

beforeAll(async () => {
  lab = await startLab({ scenario: 'copy-fail' })
})
afterAll(() => lab.close())
beforeEach(async () => {
  await lab.setScenario('copy-fail')
  await lab.setMachine('affected')
})

/** One check in a fresh (or the given) data folder; returns the parts and the channels' merged trust by id. */
async function check(dataDir = join(lab.outDir, `data-${++run}`)): Promise<{
  parts: CheckParts
  channelTrust: Map<string, string>
  dataDir: string
}> {
  const config = await loadConfigFile(lab.configFile, 'noble')
  const keyring = await effectiveKeyring(
    await loadKeyringFromManifest(builtInKeysDir()),
    config,
    dirname(lab.configFile),
  )
  const store = createFileStateStore(dataDir)
  const engine = createEngine({
    config,
    keyring,
    fetcher: quickFetcher,
    decompressor: createDecompressor(),
    store,
    root: lab.rootDir,
  })
  const parts = await engine.run(lab.now, () => undefined)
  const state = asChannelsState(await store.read(CHANNELS_STATE_NAME))
  const merged = mergeAdvisories(Object.values(state?.snapshots ?? {}).map((s) => s.advisories))
  return { parts, channelTrust: new Map(merged.map((a) => [a.id, a.trust])), dataDir }
}

const advisory = (parts: CheckParts, id: string) => parts.assessment?.advisories.find((a) => a.id === id)
const channel = (parts: CheckParts, id: string) => parts.channels.find((c) => c.channelId === id)

describe('the copy-fail scenario', () => {
  describe('when ubuntu.com is down and both OSV copies are up', () => {
    it('corroborates Copy Fail, confirms the notice from the archive and points at the other mirror', async () => {
      const { parts, channelTrust } = await check()
      expect(channel(parts, 'lab-notices-api')?.state).toBe('failed')
      expect(channel(parts, 'lab-osv-api')?.state).toBe('ok')
      expect(channel(parts, 'lab-github-osv')?.state).toBe('ok')
      // What the two independent hosts say, before the archive's own evidence.
      expect(channelTrust.get(COPY_FAIL_USN)).toBe('corroborated')
      expect(channelTrust.get(COPY_FAIL_UBUNTU_CVE)).toBe('corroborated')
      // The notice names only `linux`; the new ABI's signed `linux` changelog names the CVE: archive-confirmed.
      const usn = advisory(parts, COPY_FAIL_USN)
      expect(usn?.packages.map((p) => p.source)).toEqual(['linux'])
      expect(usn?.trust).toBe('archive-confirmed')
      expect(usn?.cves).toContain(COPY_FAIL_CVE)
      expect(usn?.status).toBe('fix-on-other-mirror')
      expect(advisory(parts, COPY_FAIL_UBUNTU_CVE)?.trust).toBe('archive-confirmed')
      // The metapackage upgrade is the notice's fix: its archive update names the notice.
      expect(parts.assessment?.securityUpdates.find((u) => u.source === 'linux-meta')?.advisoryIds).toContain(
        COPY_FAIL_USN,
      )
      const upgrades = usn?.packages.flatMap((p) => p.upgrades.map((u) => `${u.package}=${u.version}`)) ?? []
      expect(upgrades).toEqual(
        expect.arrayContaining([
          `linux-generic=${KERNEL_FIXED.version}`,
          `linux-image-generic=${KERNEL_FIXED.version}`,
        ]),
      )
      expect(
        usn?.packages
          .flatMap((p) => p.upgrades.map((u) => u.repository.mirrorId))
          .every((m) => m === 'lab-mirror-a'),
      ).toBe(true)
    })
  })

  describe('when the GitHub copy is down', () => {
    it('leaves the OSV.dev copy single-source', async () => {
      await lab.setFault('github-osv', 'down')
      const { parts, channelTrust } = await check()
      expect(channel(parts, 'lab-github-osv')?.state).toBe('failed')
      expect(channelTrust.get(COPY_FAIL_USN)).toBe('single-source')
      expect(channelTrust.get(COPY_FAIL_UBUNTU_CVE)).toBe('single-source')
      // The archive still confirms both on its own.
      expect(advisory(parts, COPY_FAIL_USN)?.trust).toBe('archive-confirmed')
      expect(advisory(parts, COPY_FAIL_UBUNTU_CVE)?.trust).toBe('archive-confirmed')
    })
  })

  describe('when OSV.dev is down', () => {
    it('reads the CVE record the signed archive named in an earlier check from GitHub, single-source', async () => {
      await lab.setFault('osv-api', 'down')
      const first = await check()
      // Nothing to ask GitHub for yet: no OSV.dev answer, no earlier check.
      expect(first.channelTrust.has(COPY_FAIL_UBUNTU_CVE)).toBe(false)
      const second = await check(first.dataDir)
      expect(channel(second.parts, 'lab-osv-api')?.state).toBe('failed')
      // `partial`: expat's changelog names CVEs whose Ubuntu CVE records the lab's GitHub copy does not hold (404).
      expect(channel(second.parts, 'lab-github-osv')?.state).toBe('partial')
      expect(second.channelTrust.get(COPY_FAIL_UBUNTU_CVE)).toBe('single-source')
      expect(advisory(second.parts, COPY_FAIL_UBUNTU_CVE)?.status).toBe('fix-on-other-mirror')
    })
  })

  describe('when the two copies disagree on the fixed kernel', () => {
    it('is a conflict', async () => {
      await lab.setFault('github-osv', 'conflicting-advisory')
      const { channelTrust } = await check()
      expect(channelTrust.get(COPY_FAIL_UBUNTU_CVE)).toBe('conflict')
    })
  })

  describe('when the machine installs the fixed kernel and reboots', () => {
    it('goes fixed-pending-reboot, then fixed', async () => {
      await lab.setMachine('installed')
      const installed = await check()
      expect(advisory(installed.parts, COPY_FAIL_USN)?.status).toBe('fixed-pending-reboot')
      await lab.setMachine('rebooted')
      const rebooted = await check()
      expect(advisory(rebooted.parts, COPY_FAIL_USN)?.status).toBe('fixed')
      expect(advisory(rebooted.parts, COPY_FAIL_UBUNTU_CVE)?.status).toBe('fixed')
    })
  })

  describe('when Livepatch has applied a fix for the CVE to the running kernel', () => {
    it('reads the advisory as covered by Livepatch now, the metapackage upgrade kept for later', async () => {
      await lab.setMachine('livepatched')
      expect(lab.machine()).toBe('livepatched')
      const { parts } = await check()
      expect(parts.systemProblems).toEqual([])
      expect(parts.assessment?.kernel?.livepatchCves).toEqual([COPY_FAIL_CVE])
      const usn = advisory(parts, COPY_FAIL_USN)
      expect(usn?.trust).toBe('archive-confirmed')
      expect(usn?.status).toBe('livepatched')
      const linux = usn?.packages.find((p) => p.source === 'linux')
      expect(linux?.evidence).toContainEqual({ kind: 'livepatch', cves: [COPY_FAIL_CVE] })
      // Covered now; the fixed kernel (the metapackage upgrade) is the next maintenance window's work.
      expect(linux?.upgrades.map((u) => `${u.package}=${u.version}`)).toEqual(
        expect.arrayContaining([`linux-generic=${KERNEL_FIXED.version}`]),
      )
      expect(usn?.steps[0]?.text).toContain('Livepatch already covers the running kernel')
      expect(advisory(parts, COPY_FAIL_UBUNTU_CVE)?.status).toBe('livepatched')
      // expat's signed fix still waits on this machine, so the whole check stays fix-ready (not "nothing is urgent").
      expect(summarize(parts, lab.now).row).toBe('fix-ready')
      // Back to the start: the saved status is gone and the kernel is affected again.
      await lab.setMachine('affected')
      const again = await check()
      expect(advisory(again.parts, COPY_FAIL_USN)?.status).toBe('fix-on-other-mirror')
    })
  })

  describe('when the user turns both OSV copies off after a check (Settings)', () => {
    it('no longer counts what they said, even from the saved copies', async () => {
      const first = await check()
      expect(advisory(first.parts, COPY_FAIL_UBUNTU_CVE)).toBeDefined()
      const config = await loadConfigFile(lab.configFile, 'noble')
      const engine = createEngine({
        config,
        keyring: await effectiveKeyring(
          await loadKeyringFromManifest(builtInKeysDir()),
          config,
          dirname(lab.configFile),
        ),
        fetcher: quickFetcher,
        decompressor: createDecompressor(),
        store: createFileStateStore(first.dataDir),
        root: lab.rootDir,
        channels: () => config.channels.filter((c) => c.id === 'lab-notices-api'),
      })
      const offline = await engine.runOffline(lab.now, () => undefined)
      expect(offline.channels.map((c) => c.channelId)).toEqual(['lab-notices-api'])
      expect(advisory(offline, COPY_FAIL_UBUNTU_CVE)).toBeUndefined()
      expect(advisory(offline, COPY_FAIL_USN)).toBeUndefined()
    })
  })
})
