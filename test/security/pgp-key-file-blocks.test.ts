/**
 * Attack: a key file with more than one armored block. Only the first block used to be read, so a secret key in a
 * second block passed the "public keys only" check, and `cat a.asc b.asc > keys.asc` silently lost b's key (a
 * helpdesk would pin a file that does not hold the key it believes). Every block is read now; secret material
 * anywhere in the file is refused with PGP_MALFORMED.
 */
import * as openpgp from 'openpgp'
import { describe, expect, it } from 'vitest'
import { holdsSecretPacket, loadKeyring } from '../../main/core/pgp/keyring'
import { codeOf, fixtureText, testKey, UBUNTU_2012, UBUNTU_2018 } from '../unit/core/pgp/pgp-test-kit'

const A = fixtureText('ubuntu/keys/ubuntu-keyring-2012-archive.asc')
const B = fixtureText('ubuntu/keys/ubuntu-keyring-2018-archive.asc')

describe('attack: key file with several armored blocks', () => {
  describe('when a secret key is the second block after a genuine public key', () => {
    it('throws PGP_MALFORMED naming secret key material', async () => {
      const secret = fixtureText('keys/test-only-archive-ed25519.sec.asc')
      const p = loadKeyring([{ data: `${A}\n${secret}`, role: 'archive', name: 'org.asc' }])
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
      await expect(p).rejects.toThrow(/secret key material/)
    })
  })

  describe('when a secret subkey packet hides inside a PUBLIC KEY BLOCK', () => {
    it('throws PGP_MALFORMED naming secret key material', async () => {
      const key = await testKey('test-only-signing-subkey')
      const list = new openpgp.PacketList<openpgp.AnyKeyPacket | openpgp.AnyPacket>()
      for (const pkt of key.secret.toPublic().toPacketList()) list.push(pkt)
      const secretSub = [...key.secret.toPacketList()].find(
        (pkt) => pkt instanceof openpgp.SecretSubkeyPacket,
      )
      const at = [...list].findIndex((pkt) => pkt instanceof openpgp.PublicSubkeyPacket)
      expect(secretSub).toBeDefined()
      list[at] = secretSub as openpgp.SecretSubkeyPacket
      const bytes = list.write()
      expect(holdsSecretPacket(bytes)).toBe(true)
      const armored = openpgp.armor(openpgp.enums.armor.publicKey, bytes)
      const p = loadKeyring([{ data: armored, role: 'archive', name: 'org.asc' }])
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
      await expect(p).rejects.toThrow(/secret key material/)
      const q = loadKeyring([{ data: bytes, role: 'archive', name: 'org.gpg' }])
      await expect(q).rejects.toThrow(/secret key material/)
    })
  })

  describe('when two public key files are concatenated (cat a.asc b.asc)', () => {
    it('keeps both keys (the test can fail)', async () => {
      const ring = await loadKeyring([
        { data: `${A}${B}`, role: 'archive', name: 'both.asc', fingerprint: [UBUNTU_2012, UBUNTU_2018] },
      ])
      expect(ring.keys.map((k) => k.fingerprint).sort()).toEqual([UBUNTU_2012, UBUNTU_2018].sort())
    })

    it('fails the pin when only the first key is pinned (PGP_FINGERPRINT_MISMATCH)', async () => {
      expect(
        await codeOf(
          loadKeyring([{ data: `${A}${B}`, role: 'archive', name: 'both.asc', fingerprint: UBUNTU_2012 }]),
        ),
      ).toBe('PGP_FINGERPRINT_MISMATCH')
    })
  })

  describe('when the file has CR LF line endings and a byte order mark (a Windows editor)', () => {
    it('still reads both keys (the test can fail)', async () => {
      const data = `\uFEFF${A}${B}`.replaceAll('\n', '\r\n')
      const ring = await loadKeyring([{ data, role: 'archive', name: 'win.asc' }])
      expect(ring.keys).toHaveLength(2)
    })
  })

  describe('when unsigned text is put between the blocks', () => {
    it('throws PGP_MALFORMED', async () => {
      expect(
        await codeOf(loadKeyring([{ data: `${A}\nnot a key\n${B}`, role: 'archive', name: 'x.asc' }])),
      ).toBe('PGP_MALFORMED')
    })
  })
})
