import { describe, expect, it } from 'vitest'
import { splitCleartext } from '../../../../main/core/pgp/cleartext'

const SIG = '-----BEGIN PGP SIGNATURE-----\n\niQ==\n-----END PGP SIGNATURE-----'

/** Throws → its code. */
function codeOfSync(fn: () => unknown): string {
  try {
    fn()
    return 'RETURNED'
  } catch (e) {
    return (e as { code?: string }).code ?? 'NOT_CODED'
  }
}

describe('splitCleartext', () => {
  describe('when the document has text around the signed block', () => {
    it('returns it as before/after and the canonical text with CR LF and no final line ending', () => {
      const doc = `junk\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nA: 1\nB: 2\n${SIG}\ntrailer\n`
      const p = splitCleartext(doc)
      expect(p.before).toBe('junk\n')
      expect(p.after).toBe('trailer\n')
      expect(p.hashHeaders).toEqual(['SHA512'])
      expect(p.canonicalText).toBe('A: 1\r\nB: 2')
      expect(p.signatureArmor).toBe(`${SIG}\n`)
    })
  })

  describe('when lines are dash-escaped or carry trailing whitespace', () => {
    it('unescapes "- " and strips spaces, tabs and CRs at line ends (RFC 9580 7.1, 7.2)', () => {
      const doc = `-----BEGIN PGP SIGNED MESSAGE-----\r\n\r\n- -----x\r\nkeep  inner \t\r\n- - y\r\n${SIG}\r\n`
      expect(splitCleartext(doc).canonicalText).toBe('-----x\r\nkeep  inner\r\n- y')
    })
  })

  describe('when the signed text is empty', () => {
    it('returns an empty canonical text', () => {
      expect(splitCleartext(`-----BEGIN PGP SIGNED MESSAGE-----\n\n${SIG}\n`).canonicalText).toBe('')
    })
  })

  describe('when the BEGIN line is not at a line start', () => {
    it('throws PGP_NO_SIGNATURE', () => {
      expect(codeOfSync(() => splitCleartext(`x -----BEGIN PGP SIGNED MESSAGE-----\n\nA\n${SIG}\n`))).toBe(
        'PGP_NO_SIGNATURE',
      )
    })
  })

  describe('when the framework is broken', () => {
    it.each([
      ['an armor header other than Hash', `-----BEGIN PGP SIGNED MESSAGE-----\nComment: hi\n\nA\n${SIG}\n`],
      ['an unknown hash name', `-----BEGIN PGP SIGNED MESSAGE-----\nHash: WHIRLPOOL\n\nA\n${SIG}\n`],
      ['no blank line after the headers', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256'],
      ['no signature block', '-----BEGIN PGP SIGNED MESSAGE-----\n\nA\n'],
      ['no END line', '-----BEGIN PGP SIGNED MESSAGE-----\n\nA\n-----BEGIN PGP SIGNATURE-----\n\niQ==\n'],
      ['an unescaped dash line', `-----BEGIN PGP SIGNED MESSAGE-----\n\n-x\n${SIG}\n`],
    ])('throws PGP_MALFORMED for %s', (_what, doc) => {
      expect(codeOfSync(() => splitCleartext(doc))).toBe('PGP_MALFORMED')
    })

    it('throws PGP_MALFORMED over the size cap', () => {
      expect(
        codeOfSync(() =>
          splitCleartext(`-----BEGIN PGP SIGNED MESSAGE-----\n\n${'A'.repeat(100)}\n${SIG}\n`, 50),
        ),
      ).toBe('PGP_MALFORMED')
    })
  })
})
