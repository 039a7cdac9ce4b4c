/**
 * Attack: a mirror serves the Packages index of a genuine Release with a planted stanza appended, so the body is
 * longer than the size the signed Release gives it. The signed size is the download cap, so the download stops at
 * the first byte too many; that is a mismatch with the signed Release (apt: "File has unexpected size") and must be
 * reported as `hash-mismatch` (APT_SIZE_MISMATCH), not as a mirror that merely sent too much (`too-large`).
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
const IN_RELEASE = fixture('ubuntu/apt/noble-security_InRelease')
const PACKAGES = fixture('ubuntu/apt/noble-security_multiverse_binary-amd64_Packages')
const INDEX = 'multiverse/binary-amd64/Packages'

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

describe('attack: Packages index longer than its signed size', () => {
  describe('when a stanza is appended to the real noble-security multiverse index', () => {
    it('reports hash-mismatch with APT_SIZE_MISMATCH', async () => {
      const planted = new TextEncoder().encode('\nPackage: sudo\nArchitecture: amd64\nVersion: 9:9.9\n')
      const padded = new Uint8Array(PACKAGES.byteLength + planted.byteLength)
      padded.set(PACKAGES)
      padded.set(planted, PACKAGES.byteLength)
      publishTree(m, 'noble-security', IN_RELEASE, { [INDEX]: padded })
      const r = await pollOne(m, 'noble-security', ubuntu, NOW, undefined, 'multiverse')
      expect(r.statuses[0]?.code).toBe('APT_SIZE_MISMATCH')
      expect(r.statuses[0]?.state).toBe('hash-mismatch')
    })

    it('verifies the index as published (the test can fail)', async () => {
      m.files.clear()
      publishTree(m, 'noble-security', IN_RELEASE, { [INDEX]: PACKAGES })
      const r = await pollOne(m, 'noble-security', ubuntu, NOW, undefined, 'multiverse')
      expect(r.statuses[0]?.state).toBe('ok')
    })
  })
})
