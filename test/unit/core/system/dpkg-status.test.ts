import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { nativeArchitecture, parseDpkgStatus } from '../../../../main/core/system/dpkg-status'

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

describe('parseDpkgStatus', () => {
  describe('when given the real Ubuntu jammy status (2022-10-09)', () => {
    const pkgs = parseDpkgStatus(fixture('ubuntu/dpkg_status.jammy-2022-10-09'))
    it('returns every installed package, sorted', () => {
      expect(pkgs).toHaveLength(172)
      const names = pkgs.map((p) => p.package)
      expect([...names].sort()).toEqual(names)
    })
    it('reads version, architecture and defaults the source to the package', () => {
      expect(pkgs.find((p) => p.package === 'apt')).toEqual({
        package: 'apt',
        version: '2.4.8',
        architecture: 'amd64',
        source: 'apt',
        sourceVersion: '2.4.8',
        selection: 'install',
      })
      expect(nativeArchitecture(pkgs)).toBe('amd64')
    })
  })
  describe('when given the real Debian bookworm status', () => {
    const pkgs = parseDpkgStatus(fixture('debian/dpkg_status.bookworm'))
    it('reads "Source: name (version)" into source and source version', () => {
      expect(pkgs).toHaveLength(713)
      const bash = pkgs.find((p) => p.package === 'bash')
      expect(bash?.source).toBe('bash')
      expect(bash?.sourceVersion).toBe('5.2.15-2')
      expect(bash?.version).not.toBe(bash?.sourceVersion)
      const libcurl = pkgs.find((p) => p.package === 'libcurl4')
      expect(libcurl).toMatchObject({ source: 'curl', sourceVersion: libcurl?.version })
    })
  })
  describe('when stanzas are held, half-configured or removed', () => {
    const pkgs = parseDpkgStatus(fixture('systems/jammy-kernel/var/lib/dpkg/status'))
    it('keeps installed ones (hold included) and drops the others', () => {
      const names = pkgs.map((p) => `${p.package}:${p.architecture}`)
      expect(names).toContain('vim-tiny:amd64')
      expect(names).toContain('libssl3:i386')
      expect(names).not.toContain('half-done:amd64')
      expect(names).not.toContain('removed-pkg:amd64')
      expect(pkgs.find((p) => p.package === 'vim-tiny')?.selection).toBe('hold')
      expect(pkgs.find((p) => p.package === 'linux-image-5.15.0-53-generic')).toMatchObject({
        source: 'linux-signed',
        sourceVersion: '5.15.0-53.59',
      })
    })
  })
  describe('when the file uses CRLF line ends', () => {
    it('reads it the same', () => {
      const text = 'Package: a\r\nStatus: install ok installed\r\nVersion: 1.0\r\nArchitecture: all\r\n\r\n'
      expect(parseDpkgStatus(text)).toEqual([
        {
          package: 'a',
          version: '1.0',
          architecture: 'all',
          source: 'a',
          sourceVersion: '1.0',
          selection: 'install',
        },
      ])
    })
  })
  describe('when a line is neither a field nor a continuation', () => {
    it('throws SYS_DPKG_STATUS_SYNTAX with the line number', () => {
      const text = 'Package: a\nStatus: install ok installed\nnot a field\nVersion: 1\nArchitecture: all\n'
      let err: unknown
      try {
        parseDpkgStatus(text)
      } catch (e) {
        err = e
      }
      expect(isCoreError(err, 'SYS_DPKG_STATUS_SYNTAX')).toBe(true)
      expect((err as { details: { line: number } }).details.line).toBe(3)
    })
  })
  describe('when an installed stanza has no Version', () => {
    it('throws SYS_DPKG_STATUS_SYNTAX', () => {
      expect(
        code(() => parseDpkgStatus('Package: a\nStatus: install ok installed\nArchitecture: all\n')),
      ).toBe('SYS_DPKG_STATUS_SYNTAX')
    })
  })
  describe('when the status is larger than the cap', () => {
    it('throws SYS_TOO_LARGE', () => {
      expect(code(() => parseDpkgStatus(' '.repeat(64 * 1024 * 1024 + 1)))).toBe('SYS_TOO_LARGE')
    })
  })
})
