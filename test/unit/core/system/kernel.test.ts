import { describe, expect, it } from 'vitest'
import { isCoreError } from '../../../../main/core/errors'
import {
  livepatchedCves,
  parseLivepatchStatus,
  parseRebootRequired,
  parseUnameRelease,
  parseVersionSignature,
} from '../../../../main/core/system/kernel'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return isCoreError(e) ? e.code : `not a CoreError: ${String(e)}`
  }
  return undefined
}

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
