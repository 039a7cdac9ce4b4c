import { describe, expect, it } from 'vitest'
import * as openpgp from 'openpgp'
import {
  createKeyring,
  holdsSecretPacket,
  loadKeyring,
  mergeKeyrings,
  normalizeFingerprint,
} from '../../../../main/core/pgp/keyring'
import { Limits } from '../../../../main/core/limits'
import {
  codeOf,
  DEBIAN_SECURITY_12,
  debianKeyring,
  fixtureBytes,
  fixtureText,
  testKey,
  UBUNTU_2012,
  UBUNTU_2018,
  ubuntuKeyring,
} from './pgp-test-kit'

const DEBIAN_FPRS = [
  '1F89983E0081FDE018F3CC9673A4F27B8DD47936',
  'AC530D520F2F3269F5E98313A48449044AAD5C5D',
  'A4285295FC7B1A81600062A9605C66F00D6C9793',
  '4D64FEC119C2029067D6E791F8D2585B8783D481',
  'B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8',
  '05AB90340C0C5E797F44A8C8254CF3B5AEC0A8F0',
  '04B54C3CDCA79751B16BC6B5225629DF75B188BD',
  '5E04A1E3223A19A20706E20F9904613D4CCE68C6',
  '41587F7DB8C774BCCF131416762F67A0B2C39DE4',
]

describe('loadKeyring', () => {
  describe('when given the real Ubuntu keys as armored text and binary bytes', () => {
    it('pins both by their full upper-case fingerprints with the role', async () => {
      const ring = await ubuntuKeyring()
      expect(ring.keys.map((k) => k.fingerprint)).toEqual([UBUNTU_2012, UBUNTU_2018])
      expect(ring.keys.every((k) => k.role === 'archive')).toBe(true)
      expect(ring.keys[1]?.userId).toBe('Ubuntu Archive Automatic Signing Key (2018) <ftpmaster@ubuntu.com>')
      expect(ring.keys[1]?.algorithm).toBe('rsaEncryptSign 4096')
      expect(ring.byKeyId('871920d1991bc93c').map((k) => k.fingerprint)).toEqual([UBUNTU_2018])
    })

    it('loads armored bytes the same as armored text', async () => {
      const ring = await loadKeyring([
        {
          data: fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.asc'),
          role: 'archive',
          name: 'u',
          fingerprint: UBUNTU_2018,
        },
      ])
      expect(ring.keys[0]?.fingerprint).toBe(UBUNTU_2018)
    })

    it('accepts the 2012 key, whose self-signatures use SHA-1 (openpgp.js rejects SHA-1 only on messages)', async () => {
      const ring = await ubuntuKeyring()
      const k2012 = ring.byFingerprint(UBUNTU_2012)!
      await expect(k2012.key.verifyPrimaryKey(new Date(Date.UTC(2026, 0, 1)))).resolves.toBeUndefined()
      expect(await k2012.key.getExpirationTime()).toBe(Infinity)
    })
  })

  describe('when given the nine-key Debian archive keyring', () => {
    it('pins every key and indexes their signing subkeys', async () => {
      const ring = await debianKeyring()
      expect(ring.keys.map((k) => k.fingerprint)).toEqual(DEBIAN_FPRS)
      expect(ring.byKeyId('BDE6D2B9216EC7A8').map((k) => k.fingerprint)).toEqual([DEBIAN_SECURITY_12])
    })

    it('accepts the exact list of its fingerprints', async () => {
      const ring = await loadKeyring([
        {
          data: fixtureBytes('debian/debian-archive-keyring.gpg'),
          role: 'archive',
          name: 'd',
          fingerprint: DEBIAN_FPRS,
        },
      ])
      expect(ring.keys).toHaveLength(9)
    })

    it('throws PGP_FINGERPRINT_MISMATCH when only one of its keys is pinned', async () => {
      const p = loadKeyring([
        {
          data: fixtureBytes('debian/debian-archive-keyring.gpg'),
          role: 'archive',
          name: 'd',
          fingerprint: DEBIAN_SECURITY_12,
        },
      ])
      expect(await codeOf(p)).toBe('PGP_FINGERPRINT_MISMATCH')
    })
  })

  describe('when the pinned fingerprint is not the key in the file', () => {
    it('throws PGP_FINGERPRINT_MISMATCH', async () => {
      const p = loadKeyring([
        {
          data: fixtureText('ubuntu/keys/ubuntu-keyring-2012-archive.asc'),
          role: 'archive',
          name: 'u',
          fingerprint: UBUNTU_2018,
        },
      ])
      expect(await codeOf(p)).toBe('PGP_FINGERPRINT_MISMATCH')
    })

    it('accepts a lower-case, spaced fingerprint as the same pin', async () => {
      const spaced = UBUNTU_2018.toLowerCase().replace(/(.{4})/g, '$1 ')
      const ring = await loadKeyring([
        {
          data: fixtureText('ubuntu/keys/ubuntu-keyring-2018-archive.asc'),
          role: 'archive',
          name: 'u',
          fingerprint: spaced,
        },
      ])
      expect(ring.keys[0]?.fingerprint).toBe(UBUNTU_2018)
    })

    it('throws PGP_MALFORMED for a key ID given as a fingerprint', async () => {
      const p = loadKeyring([
        {
          data: fixtureText('ubuntu/keys/ubuntu-keyring-2018-archive.asc'),
          role: 'archive',
          name: 'u',
          fingerprint: '871920D1991BC93C',
        },
      ])
      expect(await codeOf(p)).toBe('PGP_MALFORMED')
    })
  })

  describe('when the data is not a public key', () => {
    it('throws PGP_MALFORMED for garbage, an empty file and an oversized file', async () => {
      expect(await codeOf(loadKeyring([{ data: 'hello', role: 'archive', name: 'x' }]))).toBe('PGP_MALFORMED')
      expect(await codeOf(loadKeyring([{ data: new Uint8Array(0), role: 'archive', name: 'x' }]))).toBe(
        'PGP_MALFORMED',
      )
      const big = new Uint8Array(Limits.size.keyBytes + 1)
      expect(await codeOf(loadKeyring([{ data: big, role: 'archive', name: 'x' }]))).toBe('PGP_MALFORMED')
    })

    it('throws PGP_MALFORMED for secret key material', async () => {
      const k = await testKey('test-only-archive-ed25519')
      expect(await codeOf(loadKeyring([{ data: k.secret.armor(), role: 'archive', name: 'x' }]))).toBe(
        'PGP_MALFORMED',
      )
    })
  })

  describe('when the key is weak', () => {
    it('throws PGP_WEAK_KEY for an RSA-1024 primary key', async () => {
      const k = await testKey('test-only-rsa1024')
      expect(await codeOf(loadKeyring([{ data: k.publicArmored, role: 'archive', name: 'x' }]))).toBe(
        'PGP_WEAK_KEY',
      )
    })
  })
})

describe('createKeyring', () => {
  describe('when the same key is pinned twice', () => {
    it('keeps one entry per role, so a key can serve both roles', async () => {
      const a = await ubuntuKeyring('archive')
      const b = await ubuntuKeyring('advisory')
      const merged = mergeKeyrings(a, a, b)
      expect(merged.keys).toHaveLength(4)
      expect(merged.byRole('advisory').map((k) => k.fingerprint)).toEqual([UBUNTU_2012, UBUNTU_2018])
      expect(merged.byFingerprint(UBUNTU_2018, 'archive')?.role).toBe('archive')
      expect(createKeyring([]).byKeyId('871920D1991BC93C')).toEqual([])
    })
  })
})

describe('normalizeFingerprint', () => {
  describe('when given v4 and v6 lengths', () => {
    it('accepts 40 and 64 hex digits and refuses others with PGP_MALFORMED', async () => {
      expect(normalizeFingerprint(UBUNTU_2018.toLowerCase())).toBe(UBUNTU_2018)
      expect(normalizeFingerprint('a'.repeat(64))).toBe('A'.repeat(64))
      expect(await codeOf(Promise.resolve().then(() => normalizeFingerprint('ABC')))).toBe('PGP_MALFORMED')
    })
  })
})

describe('holdsSecretPacket', () => {
  describe('when the packets are public keys only', () => {
    it('is false for real binary keyrings (old-format headers) and an armored public key', async () => {
      expect(holdsSecretPacket(fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.gpg'))).toBe(false)
      expect(holdsSecretPacket(fixtureBytes('debian/debian-archive-keyring.gpg'))).toBe(false)
      const key = await testKey('test-only-signing-subkey')
      expect(holdsSecretPacket(key.secret.toPublic().write())).toBe(false)
    })
  })

  describe('when a secret key or subkey packet is there', () => {
    it('is true for a secret key and for a public key followed by one', async () => {
      const key = await testKey('test-only-signing-subkey')
      const secret = key.secret.write()
      expect(holdsSecretPacket(secret)).toBe(true)
      const pub = fixtureBytes('ubuntu/keys/ubuntu-keyring-2018-archive.gpg')
      const both = new Uint8Array(pub.byteLength + secret.byteLength)
      both.set(pub)
      both.set(secret, pub.byteLength)
      expect(holdsSecretPacket(both)).toBe(true)
      const armored = await openpgp.unarmor(fixtureText('keys/test-only-archive-ed25519.sec.asc'))
      expect(holdsSecretPacket(armored.data as Uint8Array)).toBe(true)
    })
  })

  describe('when the bytes are not packets', () => {
    it('is false (the parser reports them)', () => {
      expect(holdsSecretPacket(new TextEncoder().encode('hello'))).toBe(false)
      // A truncated public-key header: cannot be framed further.
      expect(holdsSecretPacket(new Uint8Array([0x99, 0x01]))).toBe(false)
      // A header that announces a secret key counts, even cut short: fail closed.
      expect(holdsSecretPacket(new Uint8Array([0xc5]))).toBe(true)
    })
  })
})
