/**
 * Attack: a mirror serves another genuinely signed Release in place of the one asked for — another suite of the
 * same archive (the noble release pocket, frozen since April 2024, in place of noble-security), or another
 * distribution's Release signed by keys that are not pinned.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { pollOne, publishTree } from '../support/poll-harness'

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)))
const NOW = Date.parse('2026-06-06T18:46:54Z')
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

describe('substituted Release attack', () => {
  describe("when Canonical's real noble InRelease is served as noble-security", () => {
    it('is refused with APT_WRONG_SUITE', async () => {
      publishTree(m, 'noble-security', fixture('ubuntu/apt/noble_InRelease'), {})
      const r = await pollOne(m, 'noble-security', ubuntu, NOW)
      expect(r.statuses[0]?.state).toBe('wrong-suite')
      expect(r.statuses[0]?.code).toBe('APT_WRONG_SUITE')
      expect(r.statuses[0]?.signedBy).toBe('F6ECB3762474EDA9D21B7022871920D1991BC93C')
    })
  })
  describe("when Debian's real bookworm-security InRelease is served to a client pinning Ubuntu's keys", () => {
    it('is refused with PGP_UNKNOWN_SIGNER', async () => {
      publishTree(m, 'bookworm-security', fixture('debian/bookworm-security_InRelease'), {})
      const r = await pollOne(m, 'bookworm-security', ubuntu, Date.parse('2026-11-20T01:00:00Z'))
      expect(r.statuses[0]?.state).toBe('bad-signature')
      expect(r.statuses[0]?.code).toBe('PGP_UNKNOWN_SIGNER')
    })
  })
})
