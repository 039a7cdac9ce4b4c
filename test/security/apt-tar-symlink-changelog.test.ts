/**
 * Attack: a source package whose `debian/changelog` is a symlink (to /etc/shadow, or to another member naming
 * fake CVEs) — the tar reader never follows links, it reports the member as not found.
 */
import { describe, expect, it } from 'vitest'
import { changelogFromDebianTar } from '../../main/core/apt/changelog'
import { codeOfSync } from '../unit/core/apt/apt-fixtures'

function symlinkTar(): Uint8Array {
  const h = new Uint8Array(512 * 3)
  const put = (s: string, off: number) => h.set(new TextEncoder().encode(s), off)
  put('debian/changelog', 0)
  put('0000777\0', 100)
  put('0000000\0', 108)
  put('0000000\0', 116)
  put('00000000000\0', 124)
  put('15026451756\0', 136)
  put('2', 156)
  put('/etc/shadow', 157)
  put('ustar\u000000', 257)
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0)
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return h
}

describe('attack: debian/changelog as a symlink', () => {
  describe('when the member is a symbolic link', () => {
    it('throws APT_TAR_MEMBER_NOT_FOUND', () => {
      expect(codeOfSync(() => changelogFromDebianTar(symlinkTar()))).toBe('APT_TAR_MEMBER_NOT_FOUND')
    })
  })
})
