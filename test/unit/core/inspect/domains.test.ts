import { describe, expect, it } from 'vitest'
import { classifyHost, decodePunycode, editDistance } from '../../../../main/core/inspect/domains'
import { isOfficialHost } from '../../../../main/core/inspect/official-domains'

describe('classifyHost', () => {
  describe('when the host is official', () => {
    it.each([
      'security.ubuntu.com',
      'archive.ubuntu.com',
      'keyserver.ubuntu.com',
      'ppa.launchpadcontent.net',
      'canonical.com',
    ])('returns official for %s', (h) => expect(classifyHost(h).kind).toBe('official'))
  })

  describe('when the host imitates Ubuntu', () => {
    it.each([
      ['ubuntu.com.example.io', 'subdomain'],
      ['security.ubuntu.com.patch-cdn.io', 'subdomain'],
      ['ubuntu.сom', 'homoglyph'], // Cyrillic с
      ['ubuntu.com\u200b'.replace('\u200b', '').replace('u', 'ս'), 'homoglyph'], // Armenian ս
      ['xn--ubntu-3ve.com', 'punycode'],
      ['ubunto.com', 'typosquat'],
      ['ubnutu.com', 'typosquat'],
      ['lanchpad.net', 'typosquat'],
      ['canonical-updates.net', 'brand-word'],
      ['keyserver.ubuntu-keys.org', 'brand-word'],
      ['ubuntu.co', 'brand-word'],
    ])('returns lookalike for %s (%s)', (h, why) => {
      const k = classifyHost(h)
      expect(k.kind).toBe('lookalike')
      if (k.kind === 'lookalike') expect(k.why).toBe(why)
    })
  })

  describe('when the host is an ordinary or community site', () => {
    it.each([
      'askubuntu.com',
      'ubuntu.mirror.garr.it',
      'mirror.math.princeton.edu',
      'github.com',
      'snapchat.com',
      'debian.org',
    ])('does not return lookalike for %s', (h) => expect(classifyHost(h).kind).not.toBe('lookalike'))
  })

  describe('when the host is an IP address or a paste site', () => {
    it('returns raw-ip with private set for RFC 1918 addresses', () => {
      expect(classifyHost('203.0.113.9')).toEqual({ kind: 'raw-ip', private: false })
      expect(classifyHost('192.168.1.10:8080')).toEqual({ kind: 'raw-ip', private: true })
    })
    it('returns paste for pastebin.com and transfer.sh', () => {
      expect(classifyHost('pastebin.com').kind).toBe('paste')
      expect(classifyHost('transfer.sh').kind).toBe('paste')
    })
  })
})

describe('isOfficialHost', () => {
  describe('when a suffix matches without a dot boundary', () => {
    it('returns false (notubuntu.com is not ubuntu.com)', () =>
      expect(isOfficialHost('notubuntu.com')).toBe(false))
  })
})

describe('editDistance', () => {
  it('counts a transposition as one edit', () => expect(editDistance('ubnutu', 'ubuntu')).toBe(1))
  it('stops past the cap', () => expect(editDistance('launchpad', 'xxxxxxxxx', 2)).toBe(3))
})

describe('decodePunycode', () => {
  it('decodes the RFC 3492 example of münchen', () => expect(decodePunycode('mnchen-3ya')).toBe('münchen'))
  it('returns undefined for malformed input', () => expect(decodePunycode('!!!')).toBeUndefined())
})
