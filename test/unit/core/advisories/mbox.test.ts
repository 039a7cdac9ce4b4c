import { beforeAll, describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { parseMbox, parseUsnAnnouncement, readMboxChannel } from '../../../../main/core/advisories/mbox'
import type { Keyring } from '../../../../main/core/pgp/keyring'
import {
  NOW,
  advisoryKeyring,
  clearsign,
  makeTestKey,
  mboxMessage,
  usnEmailText,
  type TestKey,
} from './advisory-test-kit'

let key: TestKey
let stranger: TestKey
let keyring: Keyring

beforeAll(async () => {
  key = await makeTestKey('Test Ubuntu Security Team')
  stranger = await makeTestKey('Not pinned')
  keyring = await advisoryKeyring(key)
})

describe('parseMbox', () => {
  describe('when the mbox holds several messages with quoted From lines', () => {
    it('splits on From_ lines and unquotes >From', () => {
      const text = `${mboxMessage('first body\n>From the archive\n', 'a@x')}\n${mboxMessage('second', 'b@x')}`
      const msgs = parseMbox(text)
      expect(msgs).toHaveLength(2)
      expect(msgs[0]?.headers.get('message-id')).toBe('<a@x>')
      expect(msgs[0]?.body).toBe('first body\nFrom the archive\n')
      expect(msgs[1]?.headers.get('subject')).toBe('[USN-7000-1] Expat vulnerabilities')
    })
  })

  describe('when a body is quoted-printable', () => {
    it('decodes it', () => {
      const text = mboxMessage('caf=C3=A9 =3D soft=\nbreak', 'q@x').replace(
        'Content-Type: text/plain; charset=utf-8',
        'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable',
      )
      expect(parseMbox(text)[0]?.body).toBe('café = softbreak')
    })
  })

  describe('when the text is not an mbox', () => {
    it('throws ADV_MBOX_SYNTAX', () => {
      expect(() => parseMbox('Hello')).toThrow(expect.objectContaining({ code: 'ADV_MBOX_SYNTAX' }))
    })
  })
})

describe('parseUsnAnnouncement', () => {
  describe('when given a notice in the ubuntu-security-announce format', () => {
    it('reads id, date, title, summary, details, releases, binaries, sources, mitigations and references', () => {
      const a = parseUsnAnnouncement(usnEmailText())
      expect(a).toMatchObject({
        id: 'USN-7000-1',
        title: 'expat vulnerabilities',
        summary: 'Several security issues were fixed in Expat.',
        published: Date.UTC(2024, 8, 12),
        cves: ['CVE-2024-45490', 'CVE-2024-45491', 'CVE-2024-45492'],
        mitigations: ['In general, a standard system update will make all the necessary changes.'],
      })
      expect(a.details).toMatch(/^Shang-Hung Wan discovered/)
      expect(a.releases.map((r) => [r.codename, r.pro])).toEqual([
        ['noble', false],
        ['jammy', false],
        ['trusty', true],
      ])
      expect(a.releases[1]?.binaries).toEqual([
        { name: 'expat', fixedVersion: '2.4.7-1ubuntu0.4' },
        { name: 'libexpat1', fixedVersion: '2.4.7-1ubuntu0.4' },
      ])
      expect(a.releases[0]?.sources).toEqual([{ name: 'expat', fixedVersion: '2.6.1-2ubuntu0.1' }])
      expect(a.references).toContainEqual({
        type: 'ADVISORY',
        url: 'https://ubuntu.com/security/notices/USN-7000-1',
      })
      expect(a.references).toContainEqual({
        type: 'PACKAGE',
        url: 'https://launchpad.net/ubuntu/+source/expat/2.6.1-2ubuntu0.1',
      })
    })
  })

  describe('when the text is not a notice', () => {
    it('throws ADV_MAIL_NOT_USN', () => {
      expect(() => parseUsnAnnouncement('Hello list')).toThrow(
        expect.objectContaining({ code: 'ADV_MAIL_NOT_USN' }),
      )
    })
  })
})

describe('readMboxChannel', () => {
  describe('when messages are signed by a pinned key, unsigned, or signed by an unknown key', () => {
    it('keeps only the verified notice, signed, and reports the others with their codes', async () => {
      const good = await clearsign(usnEmailText(), key)
      const foreign = await clearsign(usnEmailText({ id: 'USN-7001-1' }), stranger)
      const mbox = [
        mboxMessage(good, 'good@x'),
        mboxMessage(usnEmailText({ id: 'USN-7002-1' }), 'plain@x'),
        mboxMessage(foreign, 'foreign@x'),
      ].join('\n')
      const r = await readMboxChannel(mbox, {
        keyring,
        now: NOW,
        channelId: 'announce',
        url: 'file:///archive.mbox',
      })
      expect(r.advisories.map((a) => a.id)).toEqual(['USN-7000-1'])
      expect(r.advisories[0]?.trust).toBe('signed')
      expect(r.advisories[0]?.provenance[0]).toMatchObject({
        channelType: 'mbox',
        signedBy: key.fingerprint,
        url: 'file:///archive.mbox#good%40x',
      })
      expect(r.issues.map((i) => [i.record, i.code])).toEqual([
        ['plain@x', 'ADV_MAIL_UNSIGNED'],
        ['foreign@x', 'PGP_UNKNOWN_SIGNER'],
      ])
    })
  })

  describe('when the mbox is bigger than the cap', () => {
    it('throws ADV_TOO_LARGE', async () => {
      const huge = new Uint8Array(64 * 1024 * 1024 + 1)
      await expect(
        readMboxChannel(huge, { keyring, now: NOW, channelId: 'a', url: 'file:///a' }),
      ).rejects.toSatisfy((e: unknown) => isCoreError(e, 'ADV_TOO_LARGE'))
    })
  })
})
