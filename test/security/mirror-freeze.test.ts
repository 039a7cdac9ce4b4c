/** Attack: a freeze — a mirror keeps serving a signed Release past its Valid-Until so updates never arrive. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { pollOne, publishTree } from '../support/poll-harness'
import { makeTestArchiveKey } from '../support/test-archive'
import { packagesIndex, signedInRelease } from '../../main/lab/archive'
import type { TestArchiveKey } from '../support/test-archive'

const PACKAGES = packagesIndex([
  { name: 'openssl', version: '3.0.13-0ubuntu3.5' },
  { name: 'libssl3t64', source: 'openssl', version: '3.0.13-0ubuntu3.5' },
])
const T = Date.parse('2026-06-06T12:00:00Z')
let key: TestArchiveKey
let m: MirrorServer
beforeAll(async () => {
  key = await makeTestArchiveKey()
  m = await startMirrorServer()
})
afterAll(() => m.close())

describe('mirror freeze attack', () => {
  describe('when Valid-Until has passed', () => {
    it('is refused with APT_FROZEN', async () => {
      const files = { 'main/binary-amd64/Packages': PACKAGES }
      const rel = await signedInRelease(
        { suite: 'trixie-security', date: T, validUntil: T + 3_600_000, files },
        key.privateKey,
      )
      publishTree(m, 'trixie-security', rel, files)
      const r = await pollOne(m, 'trixie-security', key.keyring, T + 2 * 3_600_000)
      expect(r.statuses[0]?.state).toBe('frozen')
      expect(r.statuses[0]?.code).toBe('APT_FROZEN')
    })
  })
  describe('when an unchanged (304) Release passes its Valid-Until later', () => {
    it('is reported frozen with APT_FROZEN without refetching', async () => {
      const files = { 'main/binary-amd64/Packages': PACKAGES }
      const rel = await signedInRelease(
        { suite: 'sid', date: T, validUntil: T + 3_600_000, files },
        key.privateKey,
      )
      publishTree(m, 'sid', rel, files)
      const first = await pollOne(m, 'sid', key.keyring, T + 60_000)
      expect(first.statuses[0]?.state).toBe('ok')
      const later = await pollOne(m, 'sid', key.keyring, T + 2 * 3_600_000, first.state)
      expect(later.statuses[0]?.notModified).toBe(true)
      expect(later.statuses[0]?.code).toBe('APT_FROZEN')
    })
  })
})
