/**
 * Attack (pocket substitution): a network attacker on the plain-http mirror path answers the request for the
 * release pocket `dists/noble/InRelease` with Canonical's genuine, signed noble-security InRelease. Every Ubuntu
 * pocket's Release says `Codename: noble`, so a "Suite or Codename" match accepted it, raised the release pocket's
 * high-water mark to the security pocket's newer Date, and from then on the genuine noble Release was reported
 * rolled back forever. The Release must be refused (APT_WRONG_SUITE) and the mark left alone.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollMirrors } from '../../main/core/apt/poller'
import type { PollResult } from '../../main/core/apt/poller'
import { suiteKey } from '../../main/core/apt/mirror-state'
import type { MirrorsState } from '../../main/core/apt/mirror-state'
import { checkRelease, parseRelease } from '../../main/core/apt/release'
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { createDecompressor } from '../../main/node/decompress'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { quickFetcher } from '../support/poll-harness'
import { codeOfSync, releaseText } from '../unit/core/apt/apt-fixtures'

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)))
const NOBLE = fixture('ubuntu/apt/noble_InRelease')
const NOBLE_SECURITY = fixture('ubuntu/apt/noble-security_InRelease')
const NOBLE_DATE = Date.parse('2024-04-25T15:10:33Z')
const NOW = Date.parse('2026-06-06T18:46:54Z')
const KEY = suiteKey('m', 'noble')

let ubuntu: Keyring
let m: MirrorServer
beforeAll(async () => {
  ubuntu = await loadKeyring([
    {
      data: fixture('ubuntu/keys/ubuntu-keyring-2018-archive.gpg'),
      role: 'archive',
      name: 'Ubuntu Archive Automatic Signing Key (2018)',
      fingerprint: 'F6ECB3762474EDA9D21B7022871920D1991BC93C',
    },
  ])
  m = await startMirrorServer()
})
afterAll(() => m.close())

/** Polls the release pocket only; no index is asked for, since this attack is about the Release and its mark. */
function pollNoble(previous: MirrorsState | undefined, suite = 'noble'): Promise<PollResult> {
  return pollMirrors({
    mirrors: [
      {
        id: 'm',
        name: 'Mirror',
        url: `${m.url}/ubuntu`,
        suites: [suite],
        components: [],
        architectures: ['amd64'],
      },
    ],
    keyring: ubuntu,
    now: NOW,
    previous,
    ports: { fetcher: quickFetcher, decompressor: createDecompressor() },
  })
}

describe('attack: pocket substitution poisons the rollback mark', () => {
  describe("when Canonical's real noble-security InRelease is served as dists/noble/InRelease", () => {
    it('is refused with APT_WRONG_SUITE and the genuine noble Release still verifies afterwards', async () => {
      m.files.set('/ubuntu/dists/noble/InRelease', NOBLE)
      const first = await pollNoble(undefined)
      expect(first.statuses[0]?.state).toBe('ok')
      expect(first.state.suites[KEY]?.highWater).toBe(NOBLE_DATE)

      m.files.set('/ubuntu/dists/noble/InRelease', NOBLE_SECURITY)
      const attacked = await pollNoble(first.state)
      expect(attacked.statuses[0]?.code).toBe('APT_WRONG_SUITE')
      expect(attacked.statuses[0]?.state).toBe('wrong-suite')
      // Genuinely signed by Ubuntu: only the suite rule can tell.
      expect(attacked.statuses[0]?.signedBy).toBe('F6ECB3762474EDA9D21B7022871920D1991BC93C')
      expect(attacked.state.suites[KEY]?.highWater).toBe(NOBLE_DATE)

      m.files.set('/ubuntu/dists/noble/InRelease', NOBLE)
      const after = await pollNoble(attacked.state)
      expect(after.statuses[0]?.state).toBe('ok')
      expect(after.statuses[0]?.code).toBeUndefined()
    })
  })

  describe('when the state saved before this rule holds a mark the substitution already poisoned', () => {
    it('drops that record and verifies the genuine noble Release again', async () => {
      // What the old rule saved for `noble`: the noble-security Release accepted, its Date as the mark.
      m.files.set('/ubuntu/dists/noble-security/InRelease', NOBLE_SECURITY)
      const sec = await pollNoble(undefined, 'noble-security')
      const rec = sec.state.suites[suiteKey('m', 'noble-security')]
      expect(rec?.verified?.suite).toBe('noble-security')
      const poisoned: MirrorsState = { ...sec.state, suites: { [KEY]: { ...rec!, suite: 'noble' } } }
      expect(poisoned.suites[KEY]?.highWater).toBe(Date.parse('2026-06-06T17:46:54Z'))

      m.files.set('/ubuntu/dists/noble/InRelease', NOBLE)
      const healed = await pollNoble(poisoned)
      expect(healed.statuses[0]?.code).toBeUndefined()
      expect(healed.statuses[0]?.state).toBe('ok')
      expect(healed.state.suites[KEY]?.highWater).toBe(NOBLE_DATE)
      expect(healed.state.suites[KEY]?.verified?.suite).toBe('noble')
    })
  })

  describe('when the real -security and -backports Releases are checked for the release pocket', () => {
    it.each([
      ['ubuntu/apt/noble-security_InRelease', 'noble'],
      ['ubuntu/apt/jammy-security_InRelease.2022-10-09', 'jammy'],
      ['ubuntu/apt/jammy-backports_InRelease.2022-10-09', 'jammy'],
    ])('refuses %s as %s with APT_WRONG_SUITE', (file, suite) => {
      const info = parseRelease(releaseText(file))
      expect(info.codename).toBe(suite)
      expect(codeOfSync(() => checkRelease(info, { expectedSuite: suite, now: info.date }))).toBe(
        'APT_WRONG_SUITE',
      )
    })
  })

  describe("when Debian's real bookworm-security Release (Suite oldstable-security) is asked for by codename", () => {
    it('is still accepted: same pocket, named by its Codename', () => {
      const info = parseRelease(releaseText('debian/bookworm-security_InRelease'))
      expect(info.suite).toBe('oldstable-security')
      expect(checkRelease(info, { expectedSuite: 'bookworm-security', now: info.date }).ageMs).toBe(0)
    })
  })
})
