import { describe, expect, it } from 'vitest'
import type { AdvisoryAssessment, Assessment, AssessmentStatus } from '../../../main/core/assess/types'
import type { CheckParts, RunCheck } from '../../../main/core/check'
import { CHANNELS_STATE_NAME } from '../../../main/core/engine/channels'
import { Limits } from '../../../main/core/limits'
import type { AppConfig, MirrorSuiteStatus } from '../../../main/core/model'
import type { PlannedNotification } from '../../../main/core/notify/notify'
import type { StateStore } from '../../../main/core/ports'
import { RETRY_BASE_MS } from '../../../main/core/status/schedule'
import type { Autostart } from '../../../main/node/autostart'
import { createBackend, KICK_MIN_GAP_MS, type BackendOptions } from '../../../main/node/backend'
import { knownFixesFrom, ownStepsFrom } from '../../../main/node/backend/instruction-checker'
import { invokeHandler } from '../../../main/node/handlers'
import type { SettingsDto } from '../../../preload/contract/dto'
import { createFakeClock, type FakeClock } from '../../support/fake-clock'

const START = Date.parse('2026-06-07T10:00:00Z')
const HOUR = 3600_000

function memoryStore(): StateStore & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    read: async <T>(name: string) => (data.has(name) ? (JSON.parse(data.get(name) ?? '') as T) : undefined),
    write: async (name, value) => void data.set(name, JSON.stringify(value)),
  }
}

const mirror = (state: MirrorSuiteStatus['state']): MirrorSuiteStatus => ({
  mirrorId: 'm1',
  mirrorName: 'Mirror one',
  url: 'http://127.0.0.1:1/ubuntu',
  suite: 'noble-security',
  state,
  detail: state,
  checkedAt: START,
  signedBy: state === 'ok' ? 'F6ECB3762474EDA9D21B7022871920D1991BC93C' : undefined,
})

function advisory(id: string, status: AssessmentStatus): AdvisoryAssessment {
  const used = {
    mirrorId: 'm1',
    mirrorUrl: 'http://127.0.0.1:1/ubuntu',
    suite: 'noble-security',
    component: 'main',
    used: true,
  }
  return {
    id,
    title: 'openssl vulnerabilities',
    cves: ['CVE-2026-0001'],
    priority: 'high',
    trust: 'signed',
    status,
    packages: [
      {
        source: 'openssl',
        fixedVersion: '3.0.13-0ubuntu3.5',
        status,
        installed: [
          {
            package: 'libssl3t64',
            arch: 'amd64',
            version: '3.0.13-0ubuntu3.4',
            sourceVersion: '3.0.13-0ubuntu3.4',
          },
        ],
        upgrades:
          status === 'fix-available'
            ? [
                {
                  package: 'libssl3t64',
                  arch: 'amd64',
                  installed: '3.0.13-0ubuntu3.4',
                  version: '3.0.13-0ubuntu3.5',
                  repository: used,
                },
              ]
            : [],
        newInstalls: [],
        missing: [],
        needsReboot: false,
        evidence: [
          { kind: 'dpkg-status', package: 'libssl3t64', arch: 'amd64', version: '3.0.13-0ubuntu3.4' },
        ],
      },
    ],
    mitigations: [],
    steps: [],
    disagreements: [],
  }
}

function assessment(advisories: AdvisoryAssessment[]): Assessment {
  const counts = {
    fixed: 0,
    livepatched: 0,
    'fixed-pending-reboot': 0,
    'fix-available': 0,
    'fix-on-other-mirror': 0,
    'no-fix-yet': 0,
    'not-affected': 0,
  }
  for (const a of advisories) counts[a.status]++
  return {
    generatedAt: START,
    release: { id: 'ubuntu', codename: 'noble', versionId: '24.04' },
    advisories,
    otherReleases: 0,
    securityUpdates: [],
    kernel: {
      running: undefined,
      runningVersion: undefined,
      newestInstalled: undefined,
      newerInstalled: false,
      livepatchCves: [],
    },
    rebootRequired: false,
    mirrorsVerified: true,
    counts,
    steps: [],
  }
}

/** A backend over a scripted sequence of check results. */
async function setup(opts: {
  parts?: () => CheckParts
  extra?: Partial<BackendOptions>
  clock?: FakeClock
  store?: StateStore
}) {
  const clock = opts.clock ?? createFakeClock(START)
  let runs = 0
  let release: (() => void) | undefined
  let hold = false
  const runCheck: RunCheck = async () => {
    runs++
    if (hold) await new Promise<void>((r) => (release = r))
    return opts.parts?.() ?? { mirrors: [mirror('ok')], channels: [], assessment: assessment([]) }
  }
  const notes: PlannedNotification[] = []
  const backend = await createBackend({
    runCheck,
    clock,
    scheduler: clock,
    appInfo: { name: 'Lifeline', version: 'test', shell: 'browser' },
    store: opts.store ?? memoryStore(),
    random: () => 0.5,
    notify: (n) => notes.push(n),
    loadParser: async () => {
      throw new Error('no parser in this test')
    },
    ...opts.extra,
  })
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
  }
  return {
    backend,
    clock,
    notes,
    runs: () => runs,
    settle,
    holdChecks: () => (hold = true),
    releaseCheck: () => {
      hold = false
      release?.()
    },
  }
}

describe('backend schedule', () => {
  describe('when every source verifies', () => {
    it('checks at start, then hourly', async () => {
      const t = await setup({})
      await t.backend.start()
      await t.settle()
      expect(t.runs()).toBe(1)
      expect(t.backend.nextCheck()).toMatchObject({ delayMs: HOUR, reason: 'interval' })
      t.clock.advance(HOUR - 1)
      await t.settle()
      expect(t.runs()).toBe(1)
      t.clock.advance(1)
      await t.settle()
      expect(t.runs()).toBe(2)
    })
  })
  describe('when an affecting advisory has no verified fix', () => {
    it('checks every 15 minutes', async () => {
      const t = await setup({
        parts: () => ({
          mirrors: [mirror('ok')],
          channels: [],
          assessment: assessment([advisory('USN-1-1', 'no-fix-yet')]),
        }),
      })
      await t.backend.start()
      await t.settle()
      expect(t.backend.nextCheck()).toMatchObject({ delayMs: Limits.poll.urgentIntervalMs, reason: 'urgent' })
    })
  })
  describe('when nothing is reachable', () => {
    it('backs off exponentially', async () => {
      const t = await setup({ parts: () => ({ mirrors: [mirror('unreachable')], channels: [] }) })
      await t.backend.start()
      await t.settle()
      expect(t.backend.nextCheck()).toMatchObject({ delayMs: RETRY_BASE_MS, reason: 'check-retry' })
      t.clock.advance(RETRY_BASE_MS)
      await t.settle()
      expect(t.runs()).toBe(2)
      expect(t.backend.nextCheck()?.delayMs).toBe(2 * RETRY_BASE_MS)
    })
  })
  describe('when the computer resumes or the network returns', () => {
    it('re-checks at once, ignores a burst, and never runs two checks at once', async () => {
      const t = await setup({})
      await t.backend.start()
      await t.settle()
      t.clock.advance(KICK_MIN_GAP_MS)
      t.holdChecks()
      t.backend.kick('resume')
      t.backend.kick('online')
      await t.settle()
      expect(t.runs()).toBe(2)
      expect(t.backend.status.busy).toBe(true)
      t.releaseCheck()
      await t.settle()
      t.backend.kick('online')
      await t.settle()
      expect(t.runs()).toBe(2) // within KICK_MIN_GAP_MS of the last start
    })
    it('re-checks through the API when the page reports a network change', async () => {
      const t = await setup({})
      await t.backend.start()
      await t.settle()
      t.clock.advance(KICK_MIN_GAP_MS + 1)
      expect(await invokeHandler(t.backend.handlers, 'networkChanged', [])).toEqual({ ok: true, value: null })
      await t.settle()
      expect(t.runs()).toBe(2)
    })
  })
  describe('when stopped', () => {
    it('arms no timer', async () => {
      const t = await setup({})
      await t.backend.start()
      await t.settle()
      t.backend.stop()
      expect(t.clock.pending()).toBe(0)
      expect(t.backend.nextCheck()).toBeUndefined()
    })
  })
})

describe('backend notifications', () => {
  const affected = () => ({
    mirrors: [mirror('ok')],
    channels: [],
    assessment: assessment([advisory('USN-1-1', 'fix-available')]),
  })
  describe('when a verified advisory newly affects this computer', () => {
    it('notifies once, and not again after a restart (the seen state is persisted)', async () => {
      const store = memoryStore()
      const t = await setup({ parts: affected, store })
      await t.backend.start()
      await t.settle()
      expect(t.notes.map((n) => n.advisoryId)).toEqual(['USN-1-1'])
      t.clock.advance(HOUR)
      await t.settle()
      expect(t.notes).toHaveLength(1)
      t.backend.stop()
      const again = await setup({ parts: affected, store, clock: t.clock })
      await again.backend.start()
      await again.settle()
      expect(again.notes).toEqual([])
    })
  })
  describe('when paused from the tray', () => {
    it('suppresses the notification and says until when', async () => {
      const t = await setup({ parts: affected })
      await t.backend.pause('1h')
      await t.backend.start()
      await t.settle()
      expect(t.notes).toEqual([])
      expect(t.backend.trayContext().pausedUntil).toBe(START + HOUR)
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(s.value.notificationsPausedUntil).toBe(new Date(START + HOUR).toISOString())
    })
  })
  describe('when the user chose level none', () => {
    it('sends nothing', async () => {
      const t = await setup({ parts: affected })
      expect((await invokeHandler(t.backend.handlers, 'setSetting', ['notificationLevel', 'none'])).ok).toBe(
        true,
      )
      await t.backend.start()
      await t.settle()
      expect(t.notes).toEqual([])
    })
  })
})

const config = (partial: Partial<AppConfig> = {}): AppConfig => ({
  mirrors: [
    {
      id: 'm1',
      name: 'Mirror one',
      url: 'https://mirror.example/ubuntu',
      suites: ['noble'],
      components: ['main'],
      architectures: ['amd64'],
    },
  ],
  channels: [],
  extraKeys: [],
  removedKeys: [],
  pollIntervalMs: HOUR,
  ...partial,
})

describe('backend settings', () => {
  describe('when a policy locks a value', () => {
    it('refuses the change with SETTING_LOCKED and names the helpdesk', async () => {
      const t = await setup({
        extra: {
          config: {
            config: config({
              pollIntervalMs: 30 * 60_000,
              helpdesk: { name: 'Example IT', phone: '+1 555 0100' },
            }),
            origins: {
              pollIntervalMinutes: { layer: 'system', file: '/etc/lifeline/policy.json', locked: true },
            },
          },
        },
      })
      const r = await invokeHandler(t.backend.handlers, 'setSetting', ['pollIntervalMinutes', 15])
      expect(r).toMatchObject({ ok: false, code: 'SETTING_LOCKED' })
      expect(r.ok ? '' : r.message).toContain('Example IT')
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(s.value.pollIntervalMinutes).toMatchObject({
        value: 30,
        origin: { layer: 'system', locked: true, file: '/etc/lifeline/policy.json' },
      })
      expect(s.value.helpdesk).toEqual({ name: 'Example IT', phone: '+1 555 0100', email: null, url: null })
    })
  })
  describe('when one --config file stands in place of the layers', () => {
    it('says every value comes from that file, never "built-in default"', async () => {
      const t = await setup({ extra: { config: { config: config(), file: '/srv/lifeline/lab.json' } } })
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      const fromFile = { layer: 'config-file', locked: false, file: '/srv/lifeline/lab.json' }
      expect(s.value.pollIntervalMinutes.origin).toEqual(fromFile)
      expect(s.value.notificationLevel.origin).toEqual(fromFile)
    })
  })
  describe('when a value comes from a layer file without a lock', () => {
    it('names the file', async () => {
      const t = await setup({
        extra: {
          config: {
            config: config(),
            origins: {
              notificationLevel: { layer: 'build', file: '/opt/lifeline/policy/org.json', locked: false },
            },
          },
        },
      })
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(s.value.notificationLevel.origin).toEqual({
        layer: 'build',
        locked: false,
        file: '/opt/lifeline/policy/org.json',
      })
    })
  })
  describe('when the user changes the poll interval', () => {
    it('keeps it, reschedules, and pushes the new settings', async () => {
      const store = memoryStore()
      const t = await setup({ store, extra: { config: { config: config() } } })
      const pushed: SettingsDto[] = []
      t.backend.on('onSettingsChanged', (s) => pushed.push(s))
      await t.backend.start()
      await t.settle()
      const r = await invokeHandler(t.backend.handlers, 'setSetting', ['pollIntervalMinutes', 120])
      expect(r.ok).toBe(true)
      expect(t.backend.nextCheck()?.delayMs).toBe(2 * HOUR)
      expect(pushed.at(-1)?.pollIntervalMinutes).toMatchObject({
        value: 120,
        origin: { layer: 'user', locked: false },
      })
      expect(JSON.parse(store.data.get('user-settings') ?? '{}')).toMatchObject({ pollIntervalMinutes: 120 })
    })
    it('refuses out-of-range values before they reach the backend', async () => {
      const t = await setup({})
      expect(await invokeHandler(t.backend.handlers, 'setSetting', ['pollIntervalMinutes', 1])).toMatchObject(
        { code: 'API_BAD_ARGUMENT' },
      )
      expect(await invokeHandler(t.backend.handlers, 'setSetting', ['theme', 'dark'])).toMatchObject({
        code: 'API_BAD_ARGUMENT',
      })
    })
  })
  describe('autostart', () => {
    const fakeAutostart = (): Autostart & { on: boolean } => {
      const a = {
        on: false,
        path: '/tmp/x',
        isEnabled: async () => a.on,
        set: async (v: boolean) => void (a.on = v),
      }
      return a
    }
    it('is off by default and turned on through the port', async () => {
      const auto = fakeAutostart()
      const t = await setup({ extra: { autostart: auto } })
      const before = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(before.value.autostart).toMatchObject({ value: false, available: true })
      expect((await invokeHandler(t.backend.handlers, 'setSetting', ['autostart', true])).ok).toBe(true)
      expect(auto.on).toBe(true)
    })
    it('is refused when a policy forbids it, and unavailable in browser mode', async () => {
      const auto = fakeAutostart()
      const t = await setup({
        extra: {
          autostart: auto,
          config: {
            config: config({ allowAutostart: false }),
            origins: { allowAutostart: { layer: 'build', locked: true } },
          },
        },
      })
      expect(await invokeHandler(t.backend.handlers, 'setSetting', ['autostart', true])).toMatchObject({
        code: 'SETTING_LOCKED',
      })
      expect(auto.on).toBe(false)
      const browser = await setup({})
      expect(await invokeHandler(browser.backend.handlers, 'setSetting', ['autostart', true])).toMatchObject({
        code: 'SETTING_UNAVAILABLE',
      })
    })
  })
})

describe('backend advisory sources', () => {
  const osv = { id: 'osv-dev-api', name: 'OSV.dev', type: 'osv-api', urls: ['https://api.osv.dev'] } as const
  const gh = {
    id: 'ubuntu-osv-github',
    name: 'GitHub',
    type: 'github-osv',
    urls: ['https://x.invalid'],
  } as const
  describe('when the user turns a source off and on', () => {
    it('saves the removal, then tells the engine which sources to read next', async () => {
      const saved: unknown[] = []
      const told: string[][] = []
      const t = await setup({
        extra: {
          config: {
            config: config({ channels: [osv] }),
            origins: { 'removeChannels.ubuntu-osv-github': { layer: 'user', locked: false } },
            removedChannels: [{ channel: gh, by: { layer: 'user', locked: false } }],
          },
          saveUserSettings: async (s) => void saved.push(s),
          onChannelsChanged: (list) => void told.push(list.map((c) => c.id)),
        },
      })
      const off = await invokeHandler(t.backend.handlers, 'setChannelEnabled', ['osv-dev-api', false])
      expect(off.ok).toBe(true)
      expect(saved.at(-1)).toEqual({ removeChannels: ['osv-dev-api', 'ubuntu-osv-github'] })
      expect(told.at(-1)).toEqual([])
      const on = await invokeHandler(t.backend.handlers, 'setChannelEnabled', ['ubuntu-osv-github', true])
      expect(on.ok && (on.value as SettingsDto).channels.map((c) => [c.id, c.enabled])).toEqual([
        ['osv-dev-api', false],
        ['ubuntu-osv-github', true],
      ])
      expect(saved.at(-1)).toEqual({ removeChannels: ['osv-dev-api'] })
      expect(told.at(-1)).toEqual(['ubuntu-osv-github'])
    })
  })
  describe('when a policy decides whether a source is on', () => {
    it('refuses the switch with SETTING_LOCKED, writes nothing, and names the policy file', async () => {
      const saved: unknown[] = []
      const org = { layer: 'build', file: '/opt/lifeline/policy/org.json', locked: false } as const
      const t = await setup({
        extra: {
          config: {
            config: config({ channels: [osv] }),
            origins: {
              'channels.osv-dev-api': { layer: 'system', file: '/etc/lifeline/policy.json', locked: true },
              'removeChannels.ubuntu-osv-github': org,
            },
            removedChannels: [{ channel: gh, by: org }],
          },
          saveUserSettings: async (s) => void saved.push(s),
        },
      })
      for (const [id, enabled] of [
        ['osv-dev-api', false],
        ['ubuntu-osv-github', true],
      ] as const) {
        expect(await invokeHandler(t.backend.handlers, 'setChannelEnabled', [id, enabled])).toMatchObject({
          ok: false,
          code: 'SETTING_LOCKED',
        })
      }
      expect(saved).toEqual([])
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(s.value.channels.map((c) => [c.id, c.enabled, c.switchOrigin])).toEqual([
        ['osv-dev-api', true, { layer: 'system', locked: true, file: '/etc/lifeline/policy.json' }],
        ['ubuntu-osv-github', false, { layer: 'build', locked: true, file: '/opt/lifeline/policy/org.json' }],
      ])
    })
  })
  describe('when the settings file cannot be written', () => {
    it('fails and changes nothing', async () => {
      const told: unknown[] = []
      const t = await setup({
        extra: {
          config: { config: config({ channels: [osv] }), origins: {} },
          saveUserSettings: async () => {
            throw new Error('disk full')
          },
          onChannelsChanged: (list) => void told.push(list),
        },
      })
      const r = await invokeHandler(t.backend.handlers, 'setChannelEnabled', ['osv-dev-api', false])
      expect(r).toMatchObject({ ok: false, code: 'API_INTERNAL' })
      expect(told).toEqual([])
      const s = (await invokeHandler(t.backend.handlers, 'getSettings', [])) as {
        ok: true
        value: SettingsDto
      }
      expect(s.value.channels[0]?.enabled).toBe(true)
    })
  })
})

describe('backend openAdvisory', () => {
  const withChannels = async (references: { type: string; url: string }[]) => {
    const store = memoryStore()
    await store.write(CHANNELS_STATE_NAME, {
      version: 1,
      feeds: {},
      news: {},
      snapshots: { osv: { advisories: [{ id: 'USN-1-1', references }], issues: [] } },
    })
    return store
  }
  const affected = () => ({
    mirrors: [mirror('ok')],
    channels: [],
    assessment: assessment([advisory('USN-1-1', 'fix-available')]),
  })
  describe('in Electron', () => {
    it('opens the allowlisted reference main found in its own data', async () => {
      const opened: string[] = []
      const store = await withChannels([
        { type: 'ADVISORY', url: 'https://ubuntu.com/security/notices/USN-1-1' },
      ])
      const t = await setup({
        store,
        parts: affected,
        extra: { openExternal: async (u) => (opened.push(u), true) },
      })
      await t.backend.start()
      await t.settle()
      expect(await invokeHandler(t.backend.handlers, 'openAdvisory', ['USN-1-1'])).toEqual({
        ok: true,
        value: { opened: true, url: 'https://ubuntu.com/security/notices/USN-1-1' },
      })
      expect(opened).toEqual(['https://ubuntu.com/security/notices/USN-1-1'])
    })
  })
  describe('in browser mode', () => {
    it('returns the vetted link and skips references off the allowlist', async () => {
      const store = await withChannels([{ type: 'ADVISORY', url: 'https://ubuntu.com.evil.example/USN-1-1' }])
      const t = await setup({ store, parts: affected })
      await t.backend.start()
      await t.settle()
      expect(await invokeHandler(t.backend.handlers, 'openAdvisory', ['USN-1-1'])).toEqual({
        ok: true,
        value: { opened: false, url: 'https://ubuntu.com/security/notices/USN-1-1' },
      })
    })
  })
  describe('when the id is not in the report or is a URL', () => {
    it('refuses with API_UNKNOWN_ID or API_BAD_ARGUMENT', async () => {
      const t = await setup({ parts: affected })
      await t.backend.start()
      await t.settle()
      expect(await invokeHandler(t.backend.handlers, 'openAdvisory', ['USN-9-9'])).toMatchObject({
        code: 'API_UNKNOWN_ID',
      })
      expect(
        await invokeHandler(t.backend.handlers, 'openAdvisory', ['https://evil.example/']),
      ).toMatchObject({ code: 'API_BAD_ARGUMENT' })
    })
  })
})

describe('backend clipboard', () => {
  it('is refused when a policy turns it off, and unavailable without a reader', async () => {
    const off = await setup({
      extra: { config: { config: config({ allowClipboardCheck: false }) }, readClipboard: () => 'x' },
    })
    expect(await invokeHandler(off.backend.handlers, 'checkClipboard', [])).toMatchObject({
      code: 'CLIPBOARD_DISABLED',
    })
    const browser = await setup({})
    expect(await invokeHandler(browser.backend.handlers, 'checkClipboard', [])).toMatchObject({
      code: 'CLIPBOARD_UNAVAILABLE',
    })
  })
})

describe('ownStepsFrom', () => {
  it("lists the commands of Lifeline's overall and per-advisory steps once each", () => {
    const a = advisory('USN-1-1', 'fix-available')
    const withSteps: Assessment = {
      ...assessment([
        { ...a, steps: [{ number: 1, kind: 'command', text: 'Refresh:', command: 'sudo apt update' }] },
      ]),
      steps: [
        { number: 1, kind: 'command', text: 'Refresh:', command: 'sudo apt update' },
        { number: 2, kind: 'info', text: 'Nothing to run.' },
        { number: 3, kind: 'reboot', text: 'Restart:', command: 'sudo reboot' },
      ],
    }
    expect(ownStepsFrom(withSteps)).toEqual(['sudo apt update', 'sudo reboot'])
    expect(ownStepsFrom(undefined)).toEqual([])
  })
})

describe('knownFixesFrom', () => {
  it('lists the versions verified advisories name on used sources', () => {
    expect(
      knownFixesFrom(assessment([advisory('USN-1-1', 'fix-available'), advisory('USN-2-1', 'no-fix-yet')])),
    ).toEqual([{ package: 'libssl3t64', version: '3.0.13-0ubuntu3.5' }])
    expect(knownFixesFrom(undefined)).toEqual([])
  })
})
