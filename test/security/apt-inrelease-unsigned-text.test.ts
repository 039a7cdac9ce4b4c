/**
 * Attack: unsigned text appended after the signature of a genuine InRelease (or put before its signed block), for
 * a parser or a person that reads the whole file. apt refuses such a file ("contains unsigned lines"); so does
 * Lifeline, as its signed feed already does: APT_UNSIGNED_TEXT, and the mirror is not used.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { suiteKey } from '../../main/core/apt/mirror-state'
import { verifyInRelease } from '../../main/core/apt/signed-release'
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { startMirrorServer } from '../support/mirror-server'
import type { MirrorServer } from '../support/mirror-server'
import { pollOne, publishTree } from '../support/poll-harness'
import { codeOf } from '../unit/core/apt/apt-fixtures'

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)))
const NOW = Date.parse('2026-06-06T18:46:54Z')
const IN_RELEASE = fixture('ubuntu/apt/noble-security_InRelease')
const EVIL = 'SHA256:\n 0000000000000000000000000000000000000000000000000000000000000000 1 multiverse/evil\n'

function join(...parts: (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p))
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.byteLength, 0))
  let at = 0
  for (const b of bytes) {
    out.set(b, at)
    at += b.byteLength
  }
  return out
}

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

describe('attack: unsigned text around a real InRelease', () => {
  describe('when a mirror serves the real noble-security InRelease with text after the signature', () => {
    it('reports bad-signature with APT_UNSIGNED_TEXT', async () => {
      publishTree(m, 'noble-security', join(IN_RELEASE, EVIL), {})
      const r = await pollOne(m, 'noble-security', ubuntu, NOW, undefined, 'multiverse')
      expect(r.statuses[0]?.code).toBe('APT_UNSIGNED_TEXT')
      expect(r.statuses[0]?.state).toBe('bad-signature')
      expect(r.state.suites[suiteKey('m', 'noble-security')]?.verified).toBeUndefined()
    })
  })

  describe('when the text stands before the signed block', () => {
    it('throws APT_UNSIGNED_TEXT', async () => {
      expect(await codeOf(() => verifyInRelease(join(EVIL, IN_RELEASE), ubuntu, NOW))).toBe(
        'APT_UNSIGNED_TEXT',
      )
    })
  })

  describe('when only whitespace follows the signature', () => {
    it('verifies (the test can fail)', async () => {
      const v = await verifyInRelease(join(IN_RELEASE, '\n\n'), ubuntu, NOW)
      expect(v.signedText).toContain('Suite: noble-security')
    })
  })
})
