/**
 * Attack: a secret key wrapped inside a packet that openpgp.js skips, in a binary keyring or a public key block.
 *
 * openpgp.js ignores packets of a type it does not know (config.ignoreUnsupportedPackets) and never looks inside a
 * trust or marker packet. A genuine public keyring followed by such a packet holding a whole secret key loaded as
 * the public key alone: the "ship public keys only" check saw a packet of type 60 (or 10, or 12), not a secret key
 * packet, so the file was accepted with the secret inside. Now a key file may hold only the packets of a public key
 * (RFC 9580 10.1), gpg's few-byte trust packets and a "PGP" marker; anything else is PGP_MALFORMED.
 */
import { enums, unarmor } from 'openpgp'
import { describe, expect, it } from 'vitest'
import { foreignPacket, loadKeyring } from '../../main/core/pgp/keyring'
import { codeOf, fixtureText, UBUNTU_2018 } from '../unit/core/pgp/pgp-test-kit'
import { fixtureBytes } from '../unit/core/apt/apt-fixtures'

const PUBLIC = fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.gpg')

/** A new-format packet with a five-octet length. */
function packet(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length
  return new Uint8Array([
    0xc0 | tag,
    0xff,
    (n >>> 24) & 255,
    (n >>> 16) & 255,
    (n >>> 8) & 255,
    n & 255,
    ...body,
  ])
}

async function secretBytes(): Promise<Uint8Array> {
  return (await unarmor(fixtureText('keys/test-only-archive-ed25519.sec.asc'))).data as Uint8Array
}

const load = (data: Uint8Array | string) =>
  loadKeyring([{ data, role: 'archive', name: 'org.gpg', fingerprint: UBUNTU_2018 }])

describe('attack: a secret key inside a packet the OpenPGP parser skips', () => {
  describe.each([
    ['an unknown packet type (60)', 60],
    ['a marker packet', enums.packet.marker],
    ['a trust packet', enums.packet.trust],
    ['a literal data packet', enums.packet.literalData],
  ])('when it is wrapped in %s after a genuine binary keyring', (_what, tag) => {
    it('throws PGP_MALFORMED', async () => {
      const file = new Uint8Array([...PUBLIC, ...packet(tag, await secretBytes())])
      const p = load(file)
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
      await expect(p).rejects.toThrow(`a packet of type ${tag}`)
    })
  })

  describe('when it is wrapped in an unknown packet inside a PUBLIC KEY BLOCK', () => {
    it('throws PGP_MALFORMED', async () => {
      const { armor } = await import('openpgp')
      const text = armor(
        enums.armor.publicKey,
        new Uint8Array([...PUBLIC, ...packet(60, await secretBytes())]),
      )
      expect(await codeOf(load(text))).toBe('PGP_MALFORMED')
    })
  })

  describe('when the keyring carries only what gpg writes (a trust packet, a leading marker)', () => {
    it('still loads the pinned key', async () => {
      const marker = packet(enums.packet.marker, new TextEncoder().encode('PGP'))
      const trust = new Uint8Array([0xb0, 0x02, 0x00, 0x00]) // old format, tag 12, two bytes
      expect(foreignPacket(new Uint8Array([...marker, ...PUBLIC, ...trust]))).toBeUndefined()
      const ring = await load(new Uint8Array([...PUBLIC, ...trust]))
      expect(ring.keys.map((k) => k.fingerprint)).toEqual([UBUNTU_2018])
      expect((await load(fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.gpg'))).keys).toHaveLength(1)
    })
  })
})
