import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseDeb822Sources, parseMirrorList, parseSourcesList } from '../../../../main/core/system/sources'

const fixture = (p: string): string =>
  readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url), 'utf8')

describe('parseSourcesList', () => {
  describe('when given a sources.list with every one-line form and malformed lines', () => {
    const r = parseSourcesList(fixture('systems/jammy-kernel/etc/apt/sources.list'), '/etc/apt/sources.list')
    it('reads deb, deb-src, options and cdrom entries with their lines', () => {
      expect(r.entries.map((e) => [e.line, e.type, e.uri, e.suite, e.components.join(' ')])).toEqual([
        [3, 'deb', 'http://archive.ubuntu.com/ubuntu/', 'jammy', 'main restricted universe'],
        [4, 'deb', 'http://archive.ubuntu.com/ubuntu/', 'jammy-updates', 'main restricted universe'],
        [6, 'deb-src', 'http://archive.ubuntu.com/ubuntu/', 'jammy', 'main'],
        [
          7,
          'deb',
          'cdrom:[Ubuntu 22.04.1 LTS _Jammy Jellyfish_ - Release amd64 (20220809.1)]/',
          'jammy',
          'main restricted',
        ],
        [10, 'deb', 'http://security.ubuntu.com/ubuntu', 'jammy-security', 'main restricted universe'],
      ])
      const last = r.entries[4]
      expect(last?.architectures).toEqual(['amd64'])
      expect(last?.signedBy).toEqual({
        kind: 'keyrings',
        values: ['/usr/share/keyrings/ubuntu-archive-keyring.gpg'],
      })
      expect(r.entries[2]?.architectures).toEqual(['amd64'])
    })
    it('reports each malformed line with file, line and code, and still reads the rest', () => {
      expect(r.problems).toEqual([
        { file: '/etc/apt/sources.list', line: 8, code: 'SYS_SOURCES_MISSING_FIELD', message: 'no suite' },
        {
          file: '/etc/apt/sources.list',
          line: 9,
          code: 'SYS_SOURCES_BAD_TYPE',
          message: 'unknown type "dep" (expected deb or deb-src)',
        },
      ])
    })
  })
  describe('when options carry trusted=yes, flat suites and broken blocks', () => {
    const r = parseSourcesList(
      [
        'deb [trusted=yes] http://ppa.example/ubuntu ./',
        'deb [arch=amd64 http://x.example/ubuntu jammy main',
        'deb [trusted=maybe] http://x.example/ubuntu jammy main',
        'deb http://x.example/ubuntu ./ main',
        'deb not-a-uri jammy main',
        'deb http://x.example/ubuntu jammy',
        'deb [ arch+=i386 ] mirror+file:/etc/apt/mirrors.txt jammy main',
      ].join('\n'),
      'x.list',
    )
    it('marks trusted sources and flat repositories', () => {
      expect(r.entries[0]).toMatchObject({ trusted: true, suite: './', components: [] })
      expect(r.entries[1]).toMatchObject({
        uri: 'mirror+file:/etc/apt/mirrors.txt',
        architectures: undefined,
      })
    })
    it('reports the others with their codes', () => {
      expect(r.problems.map((p) => [p.line, p.code])).toEqual([
        [2, 'SYS_SOURCES_BAD_OPTIONS'],
        [3, 'SYS_SOURCES_BAD_OPTIONS'],
        [4, 'SYS_SOURCES_MISSING_FIELD'],
        [5, 'SYS_SOURCES_BAD_URI'],
        [6, 'SYS_SOURCES_MISSING_FIELD'],
      ])
    })
  })
})

describe('parseDeb822Sources', () => {
  describe('when given stanzas that are disabled, multi-suite and broken', () => {
    const file = '/etc/apt/sources.list.d/ubuntu-esm.sources'
    const r = parseDeb822Sources(
      fixture('systems/jammy-kernel/etc/apt/sources.list.d/ubuntu-esm.sources'),
      file,
    )
    it('expands type × URI × suite, keeps Enabled: no as disabled', () => {
      expect(r.entries.map((e) => [e.line, e.suite, e.enabled, e.components.join(' ')])).toEqual([
        [2, 'jammy-apps-security', false, 'main'],
        [2, 'jammy-apps-updates', false, 'main'],
        [9, 'jammy-backports', true, 'main universe'],
      ])
      expect(r.entries[2]?.architectures).toEqual(['amd64'])
      expect(r.entries[0]?.signedBy).toEqual({
        kind: 'keyrings',
        values: ['/usr/share/keyrings/ubuntu-pro-esm-apps.gpg'],
      })
    })
    it('reports the stanza without URIs by its first line', () => {
      expect(r.problems).toEqual([
        { file, line: 15, code: 'SYS_SOURCES_MISSING_FIELD', message: 'stanza without URIs' },
      ])
    })
  })
  describe('when Signed-By embeds an armoured key', () => {
    it('returns the key block with "." lines as empty lines', () => {
      const text = [
        'Types: deb deb-src',
        'URIs: https://ppa.example/ubuntu',
        'Suites: jammy',
        'Components: main',
        'Trusted: no',
        'Signed-By:',
        ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
        ' .',
        ' mQINBGJ0',
        ' =abcd',
        ' -----END PGP PUBLIC KEY BLOCK-----',
      ].join('\n')
      const r = parseDeb822Sources(text, 'ppa.sources')
      expect(r.entries).toHaveLength(2)
      expect(r.entries[0]?.signedBy).toEqual({
        kind: 'inline',
        armored:
          '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGJ0\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n',
      })
      expect(r.entries.map((e) => e.type)).toEqual(['deb', 'deb-src'])
    })
  })
  describe('when a stanza has a bad type, a bad yes/no or a junk line', () => {
    it('reports each and keeps the good stanza', () => {
      const text = [
        'Types: rpm',
        'URIs: http://a.example/',
        'Suites: x',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://b.example/',
        'Suites: x',
        'Components: main',
        'Enabled: sometimes',
        '',
        'Types: deb',
        'this line is junk',
        '',
        'Types: deb',
        'URIs: http://ok.example/',
        'Suites: x',
        'Components: main',
      ].join('\n')
      const r = parseDeb822Sources(text, 'f.sources')
      expect(r.problems.map((p) => [p.line, p.code])).toEqual([
        [1, 'SYS_SOURCES_BAD_TYPE'],
        [10, 'SYS_SOURCES_BAD_OPTIONS'],
        [13, 'SYS_SOURCES_SYNTAX'],
      ])
      expect(r.entries.map((e) => e.uri)).toEqual(['http://ok.example/'])
    })
  })
})

describe('parseMirrorList', () => {
  describe('when given an apt-transport-mirror list', () => {
    it('returns the URIs in order without their metadata', () => {
      expect(parseMirrorList(fixture('systems/jammy-kernel/etc/apt/mirrors.txt'), 'mirrors.txt')).toEqual([
        'http://mirror.example.net/ubuntu',
        'https://archive.ubuntu.com/ubuntu',
      ])
    })
  })
})
