import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import { nativeArchitecture, parseDpkgStatus } from '../../../../main/core/system/dpkg-status'
import {
  livepatchedCves,
  parseLivepatchStatus,
  parseRebootRequired,
  parseUnameRelease,
  parseVersionSignature,
} from '../../../../main/core/system/kernel'
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

describe('parseVersionSignature', () => {
  describe('when given an Ubuntu signature', () => {
    it('splits ABI, flavour, package and upstream versions', () => {
      expect(parseVersionSignature('Ubuntu 5.15.0-52.58-generic 5.15.60\n')).toEqual({
        release: '5.15.0-52-generic',
        abi: '5.15.0-52',
        flavour: 'generic',
        packageVersion: '5.15.0-52.58',
        upstream: '5.15.60',
        from: 'version_signature',
      })
      expect(parseVersionSignature('Ubuntu 6.5.0-14.14~22.04.1-generic-64k 6.5.3').packageVersion).toBe(
        '6.5.0-14.14~22.04.1',
      )
    })
  })
  describe('when the text is not a signature', () => {
    it('throws SYS_KERNEL_SYNTAX', () => {
      expect(code(() => parseVersionSignature('garbage'))).toBe('SYS_KERNEL_SYNTAX')
    })
  })
})

describe('parseUnameRelease', () => {
  describe('when given Ubuntu, Debian and custom releases', () => {
    it('finds ABI and flavour where there are any', () => {
      expect(parseUnameRelease('5.15.0-52-generic\n')).toMatchObject({ abi: '5.15.0-52', flavour: 'generic' })
      expect(parseUnameRelease('6.1.0-13-amd64')).toMatchObject({ abi: '6.1.0-13', flavour: 'amd64' })
      expect(parseUnameRelease('6.8.0')).toMatchObject({ abi: '6.8.0', flavour: '' })
    })
  })
  describe('when empty', () => {
    it('throws SYS_KERNEL_SYNTAX', () => {
      expect(code(() => parseUnameRelease('  '))).toBe('SYS_KERNEL_SYNTAX')
    })
  })
})

describe('parseRebootRequired', () => {
  describe('when the flag and a package list exist', () => {
    it('returns the sorted unique packages', () => {
      expect(parseRebootRequired(true, 'linux-base\nlibc6\nlinux-base\n')).toEqual({
        required: true,
        packages: ['libc6', 'linux-base'],
      })
    })
  })
  describe('when nothing exists', () => {
    it('says no reboot is required', () => {
      expect(parseRebootRequired(false, undefined)).toEqual({ required: false, packages: [] })
    })
  })
})

describe('parseLivepatchStatus', () => {
  describe('when given the lower-camel client output', () => {
    it('reads kernels and CVE fixes; only applied patches on the running kernel count', () => {
      const s = parseLivepatchStatus(
        JSON.stringify({
          'client-version': '10.1.0',
          status: [
            {
              kernel: '5.15.0-52.58-generic',
              running: true,
              livepatch: {
                checkState: 'checked',
                patchState: 'applied',
                version: '89.1',
                fixes: '* CVE-2022-2588\n* CVE-2022-29581',
              },
            },
          ],
        }),
      )
      expect(s.kernels[0]?.fixes).toEqual(['CVE-2022-2588', 'CVE-2022-29581'])
      expect([...livepatchedCves(s)]).toEqual(['CVE-2022-2588', 'CVE-2022-29581'])
    })
  })
  describe('when given the capitalised output with a failed patch', () => {
    it('reads it but reports no protection', () => {
      const s = parseLivepatchStatus(
        JSON.stringify({
          Status: [
            {
              Kernel: 'k',
              Running: true,
              Livepatch: { CheckState: 'checked', State: 'apply-failed', Fixes: [{ Name: 'CVE-2022-2588' }] },
            },
          ],
        }),
      )
      expect(s.kernels[0]?.patchState).toBe('apply-failed')
      expect(livepatchedCves(s).size).toBe(0)
    })
  })
  describe('when the output is not JSON or has no status list', () => {
    it('throws SYS_LIVEPATCH_SYNTAX', () => {
      expect(code(() => parseLivepatchStatus('Machine is not enabled'))).toBe('SYS_LIVEPATCH_SYNTAX')
      expect(code(() => parseLivepatchStatus('{}'))).toBe('SYS_LIVEPATCH_SYNTAX')
    })
  })
})
