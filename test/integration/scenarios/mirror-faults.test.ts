/**
 * Every mirror fault of the outage lab, through the real poller over real sockets: the faulty mirror gets the
 * right status, code and evidence; the other mirrors are unaffected; nothing unverified is shown as verified; and
 * the last good state of the faulty mirror survives the failed poll (docs/trust.md, "3. Freshness and rollback").
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { suiteKey } from '../../../main/core/apt/mirror-state'
import { availableVersions } from '../../../main/core/apt/mirror-store'
import type { MirrorsState } from '../../../main/core/apt/mirror-state'
import type { MirrorSuiteState } from '../../../main/core/model'
import { EXPAT_FIXED } from '../../../main/lab/archive'
import { REAL_NOBLE_SECURITY_DATE } from '../../../main/lab/content'
import type { FaultName } from '../../../main/lab/faults'
import { startLab } from '../../../main/lab/lab'
import type { Lab } from '../../../main/lab/lab'
import { pollLab, syntheticMirrors } from './lab-kit'

let lab: Lab
let baseline: MirrorsState
let passed = 0

beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
  const r = await pollLab(lab, syntheticMirrors(lab))
  expect(r.statuses.map((s) => s.state)).toEqual(Array(6).fill('ok'))
  baseline = r.state
})
afterEach(async () => {
  await lab.setScenario('calm')
})
afterAll(async () => {
  console.log(`[scenarios] mirror faults: ${passed} scenario(s) passed`)
  await lab.close()
})

interface Case {
  readonly fault: FaultName
  readonly bytesPerSecond?: number
  readonly state: MirrorSuiteState
  readonly codes: readonly string[]
  /** What the `noble` release pocket shows instead, when it differs (it has no maximum age). */
  readonly noble?: MirrorSuiteState
  /** Poll with the good baseline state (rollback protection on) or from nothing. */
  readonly withBaseline: boolean
  /**
   * Poll mirror-a first, one job at a time: an index another mirror already verified under the same signed
   * hash is not fetched again (main/core/apt/index-pieces.ts storeIndexPiece), so a fault in the index bytes
   * shows only when mirror-a is the one that fetches it.
   */
  readonly mirrorAFirst?: boolean
}

const CASES: readonly Case[] = [
  { fault: 'down', state: 'unreachable', codes: ['NET_UNREACHABLE'], withBaseline: true },
  { fault: 'refused', state: 'unreachable', codes: ['NET_UNREACHABLE'], withBaseline: true },
  { fault: 'slow', bytesPerSecond: 256, state: 'too-slow', codes: ['NET_TOO_SLOW'], withBaseline: true },
  { fault: 'stalled', state: 'too-slow', codes: ['NET_TOO_SLOW'], withBaseline: true },
  // An older Release than the high-water mark is a rollback before it is stale; from nothing it is stale.
  // The release pocket has no maximum age (release.ts maxAgeFor): there it is only 10 days behind.
  { fault: 'stale', state: 'stale', codes: ['APT_STALE'], withBaseline: false, noble: 'lagging' },
  { fault: 'frozen', state: 'frozen', codes: ['APT_FROZEN'], withBaseline: true },
  { fault: 'rolled-back', state: 'rolled-back', codes: ['APT_ROLLBACK'], withBaseline: true },
  { fault: 'tampered-signature', state: 'bad-signature', codes: ['PGP_BAD_SIGNATURE'], withBaseline: true },
  // With the baseline the index hash is unchanged and never refetched (the cheap path): test from nothing.
  {
    fault: 'wrong-index-hash',
    state: 'hash-mismatch',
    codes: ['APT_HASH_MISMATCH', 'APT_SIZE_MISMATCH'],
    withBaseline: false,
    mirrorAFirst: true,
  },
  // noble-security's Release answers for noble too: its Codename (noble) matches, but its Suite names another
  // pocket, so it is refused there as well (release.ts releaseMatchesSuite; the pocket substitution attack).
  { fault: 'wrong-suite', state: 'wrong-suite', codes: ['APT_WRONG_SUITE'], withBaseline: true },
  { fault: 'oversized', state: 'too-large', codes: ['NET_TOO_LARGE'], withBaseline: true },
  { fault: 'endless', state: 'too-large', codes: ['NET_TOO_LARGE'], withBaseline: true },
  { fault: 'redirect-loop', state: 'unreachable', codes: ['NET_REDIRECT_LIMIT'], withBaseline: true },
  // apt mirrors may use plain http (the signature covers every byte), so the redirect is followed and fails.
  // (What answers at the documentation address depends on the network: nothing, a reset, or a proxy's 404.)
  {
    fault: 'redirect-to-http',
    state: 'unreachable',
    codes: ['NET_TIMEOUT', 'NET_UNREACHABLE', 'NET_NOT_FOUND', 'NET_HTTP_STATUS'],
    withBaseline: true,
  },
]

describe('outage lab mirrors', () => {
  for (const c of CASES) {
    describe(`when mirror-a is ${c.fault}`, () => {
      it(`reports ${c.state} (${c.codes.join('|')}) for it alone and keeps its last good data`, async () => {
        await lab.setFault('mirror-a', { name: c.fault, bytesPerSecond: c.bytesPerSecond })
        const previous = c.withBaseline ? baseline : undefined
        const all = syntheticMirrors(lab)
        const r = c.mirrorAFirst
          ? await pollLab(
              lab,
              [...all.filter((m) => m.id === 'lab-mirror-a'), ...all.filter((m) => m.id !== 'lab-mirror-a')],
              previous,
              lab.now,
              1,
            )
          : await pollLab(lab, all, previous)
        const mine = r.statuses.filter((s) => s.mirrorId === 'lab-mirror-a')
        const others = r.statuses.filter((s) => s.mirrorId !== 'lab-mirror-a')
        expect(mine).toHaveLength(2)
        for (const s of mine) {
          const expected = s.suite === 'noble' && c.noble ? c.noble : c.state
          expect(s.state).toBe(expected)
          if (expected === c.state) expect(c.codes).toContain(s.code)
          expect(s.detail.length).toBeGreaterThan(10)
          expect(s.url).toMatch(/^http:\/\/(127\.0\.0\.1|203\.0\.113\.7)/)
          const rec = r.state.suites[suiteKey('lab-mirror-a', s.suite)]
          if (expected !== c.state) continue
          if (c.withBaseline) {
            // The last good state survives, with its age shown in the detail.
            const before = baseline.suites[suiteKey('lab-mirror-a', s.suite)]
            expect(rec?.verified).toEqual(before?.verified)
            expect(rec?.indexes).toEqual(before?.indexes)
            expect(rec?.highWater).toBe(before?.highWater)
          } else {
            expect(rec?.verified).toBeUndefined()
          }
        }
        expect(others.map((s) => s.state)).toEqual(Array(4).fill('ok'))
        // Nothing unverified is shown as verified: the altered index's version never appears.
        const offered = await availableVersions(r.state, r.indexes, 'libexpat1', 'amd64')
        expect(offered.map((v) => v.version)).not.toContain(EXPAT_FIXED.replace(/1$/, '9'))
        for (const v of offered) expect(['2.6.1-2', EXPAT_FIXED]).toContain(v.version)
        passed++
      })
    })
  }

  describe('when mirror-b is lagging', () => {
    it('reports it lagging by about 19 hours without the expat fix, the others ok', async () => {
      await lab.setFault('mirror-b', 'lagging')
      const r = await pollLab(lab, syntheticMirrors(lab))
      const b = r.statuses.filter((s) => s.mirrorId === 'lab-mirror-b')
      for (const s of b) {
        expect(s.state).toBe('lagging')
        expect(s.lagMs).toBe(19 * 3600_000)
      }
      const fixes = (await availableVersions(r.state, r.indexes, 'libexpat1', 'amd64')).filter(
        (v) => v.version === EXPAT_FIXED,
      )
      expect(fixes.map((v) => v.mirrorId).sort()).toEqual(['lab-mirror-a', 'lab-primary'])
      passed++
    })
  })

  describe('when the fault is switched off again', () => {
    it('verifies the mirror again on the next poll', async () => {
      await lab.setFault('mirror-a', 'refused')
      const down = await pollLab(lab, syntheticMirrors(lab), baseline)
      expect(down.statuses.find((s) => s.mirrorId === 'lab-mirror-a')?.state).toBe('unreachable')
      await lab.setFault('mirror-a', 'none')
      const up = await pollLab(lab, syntheticMirrors(lab), down.state)
      expect(up.statuses.every((s) => s.state === 'ok')).toBe(true)
      passed++
    })
  })

  describe('when the real Canonical-signed fixture mirror is tampered with', () => {
    const real = () => lab.mirrors.filter((m) => m.id === 'lab-real-ubuntu')
    const now = REAL_NOBLE_SECURITY_DATE + 3600_000
    it('verifies it byte-exact with the real Ubuntu key when untouched', async () => {
      const r = await pollLab(lab, real(), undefined, now)
      expect(r.statuses[0]?.state).toBe('ok')
      expect(r.statuses[0]?.signedBy).toBe('F6ECB3762474EDA9D21B7022871920D1991BC93C')
      passed++
    })
    for (const [fault, state, code] of [
      ['tampered-signature', 'bad-signature', 'PGP_BAD_SIGNATURE'],
      ['wrong-index-hash', 'hash-mismatch', 'APT_HASH_MISMATCH'],
      ['wrong-suite', 'wrong-suite', 'APT_WRONG_SUITE'],
    ] as const) {
      it(`reports ${state} (${code}) for ${fault}`, async () => {
        await lab.setFault('real-ubuntu', fault)
        const r = await pollLab(lab, real(), undefined, now)
        expect(r.statuses[0]?.state).toBe(state)
        expect(r.statuses[0]?.code).toBe(code)
        passed++
      })
    }
  })
})
