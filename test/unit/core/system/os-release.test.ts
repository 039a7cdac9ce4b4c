import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { parseOsRelease } from '../../../../main/core/system/os-release'

const fixture = (p: string): string =>
  readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url), 'utf8')

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return isCoreError(e) ? e.code : `not a CoreError: ${String(e)}`
  }
  return undefined
}

describe('parseOsRelease', () => {
  describe('when given the Ubuntu 22.04 file', () => {
    it('reads id, codename and version', () => {
      const os = parseOsRelease(fixture('systems/jammy-kernel/etc/os-release'))
      expect(os).toMatchObject({ id: 'ubuntu', codename: 'jammy', versionId: '22.04', idLike: ['debian'] })
      expect(os.prettyName).toBe('Ubuntu 22.04.1 LTS')
    })
  })
  describe('when only UBUNTU_CODENAME is set (a derivative)', () => {
    it('uses it as the codename and unescapes quoted values', () => {
      const os = parseOsRelease(
        'ID=linuxmint\nNAME="Linux \\"Mint\\""\nUBUNTU_CODENAME=jammy\n# comment\nbad line\n',
      )
      expect(os.codename).toBe('jammy')
      expect(os.name).toBe('Linux "Mint"')
    })
  })
  describe('when no line is an assignment', () => {
    it('throws SYS_OS_RELEASE_SYNTAX', () => {
      expect(code(() => parseOsRelease('hello\nworld\n'))).toBe('SYS_OS_RELEASE_SYNTAX')
    })
  })
})
