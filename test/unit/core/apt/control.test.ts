import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ControlScanner,
  ControlToken,
  iterateStanzas,
  parseControl,
  parseSingleStanza,
} from '../../../../main/core/apt/control'
import { codeOfSync, fixtureText, PACKAGES_FIXTURES } from './apt-fixtures'

function errorLine(fn: () => unknown): number | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { details?: { line?: number } }).details?.line
  }
  return undefined
}

describe('parseControl', () => {
  describe('when given real Packages indexes', () => {
    it.each(PACKAGES_FIXTURES.map((f) => [f.packages, f.count] as const))(
      'reads every stanza of %s',
      (rel, n) => {
        const stanzas = parseControl(fixtureText(rel))
        expect(stanzas).toHaveLength(n)
        for (const s of stanzas) expect(s.get('Package')).toMatch(/^[a-z0-9][a-z0-9+.-]+$/)
      },
    )

    it('keeps multi-line fields with their lines trimmed', () => {
      const text = 'Package: a\nDescription: short\n long line one\n .\n line two\nVersion: 1\n'
      const [s] = parseControl(text)
      expect(s?.get('description')).toBe('short\nlong line one\n.\nline two')
      expect(s?.get('VERSION')).toBe('1')
      expect(s?.field('Version')?.line).toBe(6)
    })
  })

  describe('when lines end with CRLF, stanzas are separated by several or whitespace-only lines', () => {
    it('reads the same stanzas as with LF', () => {
      const lf = 'A: 1\nB: x\n y\n\n\n \t\nA: 2\n'
      const crlf = lf.replace(/\n/g, '\r\n')
      const read = (t: string) =>
        parseControl(t).map((s) => [...s.fields.values()].map((f) => [f.name, f.value, f.line]))
      expect(read(crlf)).toEqual(read(lf))
      expect(read(lf)).toEqual([
        [
          ['A', '1', 1],
          ['B', 'x\ny', 2],
        ],
        [['A', '2', 7]],
      ])
    })

    it('ignores a UTF-8 byte order mark', () => {
      expect(parseControl('\ufeffTypes: deb\n')[0]?.get('Types')).toBe('deb')
    })
  })

  describe('when comments appear', () => {
    const text =
      '# deb822 sources\nTypes: deb\n# a comment inside\nURIs: http://x\n  y\n# between lines\n  z\n'

    it('skips them when allowComments is set', () => {
      const [s] = parseControl(text, { allowComments: true })
      expect(s?.get('Types')).toBe('deb')
      expect(s?.get('URIs')).toBe('http://x\ny\nz')
    })

    it('throws APT_PARSE with the line number when comments are not allowed', () => {
      expect(codeOfSync(() => parseControl(text))).toBe('APT_PARSE')
      expect(errorLine(() => parseControl(text))).toBe(1)
    })
  })

  describe('when the input is malformed', () => {
    it.each([
      ['a line without a colon', 'A: 1\nB 2\n', 2],
      ['a continuation line first', ' A: 1\n', 1],
      ['a continuation after a blank line', 'A: 1\n\n x\n', 3],
      ['an empty field name', 'A: 1\n: 2\n', 2],
      ['a field name starting with "-"', 'A: 1\n-B: 2\n', 2],
      ['a space in the field name', 'A: 1\nB C: 2\n', 2],
      ['a duplicate field (any case)', 'Suite: a\nsuite: b\n', 2],
    ])('throws APT_PARSE for %s, with the line number', (_what, text, line) => {
      expect(codeOfSync(() => parseControl(text))).toBe('APT_PARSE')
      expect(errorLine(() => parseControl(text))).toBe(line)
    })

    it('throws only CoreErrors on arbitrary input', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom('A', 'b', ':', ' ', '\n', '\r', '\t', '#', '-', 'é') }),
          (s) => {
            const c = codeOfSync(() => [...iterateStanzas(s)])
            expect(['no error', 'APT_PARSE']).toContain(c)
          },
        ),
        { numRuns: 3000 },
      )
    })
  })
})

describe('parseSingleStanza', () => {
  describe('when the text holds zero or two stanzas', () => {
    it('throws APT_PARSE', () => {
      expect(codeOfSync(() => parseSingleStanza('\n\n'))).toBe('APT_PARSE')
      expect(codeOfSync(() => parseSingleStanza('A: 1\n\nB: 2\n'))).toBe('APT_PARSE')
      expect(errorLine(() => parseSingleStanza('A: 1\n\nB: 2\n'))).toBe(3)
    })
  })
})

describe('ControlScanner', () => {
  describe('when scanning', () => {
    it('reports field offsets, stanza ends and EOF without slicing', () => {
      const text = 'Package: p\r\nVersion:  1.0  \r\n\r\nPackage: q\n'
      const sc = new ControlScanner(text)
      const seen: string[] = []
      for (;;) {
        const t = sc.next()
        if (t === ControlToken.Eof) break
        seen.push(
          t === ControlToken.Field
            ? `${sc.name()}=[${text.slice(sc.valueStart, sc.valueEnd)}]@${sc.line}`
            : '|',
        )
      }
      expect(seen).toEqual(['Package=[p]@1', 'Version=[1.0]@2', '|', 'Package=[q]@4', '|'])
    })

    it('matches names case-insensitively with nameIs', () => {
      const sc = new ControlScanner('SHA256: x\n')
      sc.next()
      expect(sc.nameIs('sha256')).toBe(true)
      expect(sc.nameIs('sha25')).toBe(false)
      expect(sc.nameIs('sha512')).toBe(false)
    })
  })
})
