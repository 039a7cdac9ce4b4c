/** Attack: a mirror (or a man in the middle on http) replays an older, genuinely signed Release to hide a fix. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableVersions } from '../../main/core/apt/mirror-store'
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

describe('mirror rollback attack', () => {
  describe('when a Release older than the high-water mark is served', () => {
    it('is refused with APT_ROLLBACK and the newer verified versions stay', async () => {
      const files = { 'main/binary-amd64/Packages': PACKAGES }
      publishTree(
        m,
        'noble-security',
        await signedInRelease({ suite: 'noble-security', date: T, files }, key.privateKey),
        files,
      )
      const first = await pollOne(m, 'noble-security', key.keyring, T + 60_000)
      expect(first.statuses[0]?.state).toBe('ok')

      const old = {
        'main/binary-amd64/Packages': packagesIndex([{ name: 'openssl', version: '3.0.13-0ubuntu3.1' }]),
      }
      publishTree(
        m,
        'noble-security',
        await signedInRelease({ suite: 'noble-security', date: T - 86_400_000, files: old }, key.privateKey),
        old,
      )
      const second = await pollOne(m, 'noble-security', key.keyring, T + 120_000, first.state)
      expect(second.statuses[0]?.state).toBe('rolled-back')
      expect(second.statuses[0]?.code).toBe('APT_ROLLBACK')
      expect(
        (await availableVersions(second.state, second.indexes, 'openssl', 'amd64')).map((v) => v.version),
      ).toEqual(['3.0.13-0ubuntu3.5'])
    })
  })
})
