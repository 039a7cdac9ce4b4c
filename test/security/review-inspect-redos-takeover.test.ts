/**
 * Review follow-up: the rules added for downgrades, uid-0 accounts, DNS hijacking, AppArmor off through the kernel
 * or modprobe, and privileged containers run their regular expressions on attacker-chosen pasted text (up to 1 MB,
 * Limits.size.pastedTextBytes). Each one must stay linear-time: here each meets 100 KB built to make a backtracking
 * pattern quadratic (long runs of the characters its quantifiers accept, with a near-match that fails at the end).
 * Linear patterns take about a millisecond on this input; a quadratic one takes seconds, far over the bound.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { DOWNGRADE_APT, PIN_PRIORITY } from '../../main/core/inspect/rules/apt-sources'
import { ipv4s, kernelParamOff, MODPROBE_OFF, MOUNT_SOURCE } from '../../main/core/inspect/rules/system'
import { NAMESERVER } from '../../main/core/inspect/text-rules'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const N = 100_000
const REGEX_BOUND_MS = 250
const REPORT_BOUND_MS = 2_500

/** `s` repeated to about N characters. */
function fill(s: string): string {
  return s.repeat(Math.ceil(N / s.length))
}

/** Runs `scan` on `text` and returns the milliseconds it took. */
function timed(scan: () => unknown): number {
  const t0 = performance.now()
  scan()
  return performance.now() - t0
}

const REGEX_CASES: readonly (readonly [string, () => unknown])[] = [
  [
    'DOWNGRADE_APT on spaces after the option name',
    () => DOWNGRADE_APT.exec('APT::Get::allow-downgrades' + ' '.repeat(N) + 'x'),
  ],
  [
    'DOWNGRADE_APT on the option name repeated',
    () => DOWNGRADE_APT.exec(fill('APT::Get::allow-downgrades= ')),
  ],
  [
    'PIN_PRIORITY on blanks after the field name',
    () => [...(' ' + 'Pin-Priority:' + ' \t'.repeat(N / 2)).matchAll(PIN_PRIORITY)],
  ],
  [
    'PIN_PRIORITY on the field repeated with long numbers',
    () => [...fill('Pin-Priority:1234567890').matchAll(PIN_PRIORITY)],
  ],
  ['KERNEL_OFF on near-miss parameters', () => kernelParamOff(fill('apparmor=0x security=nonex '))],
  ['KERNEL_OFF on one long word', () => kernelParamOff('a'.repeat(N) + 'pparmor=0')],
  ['MODPROBE_OFF on many blank lines', () => MODPROBE_OFF.exec('\n'.repeat(N) + ' blacklist')],
  [
    'MODPROBE_OFF on blanks before and after blacklist',
    () => MODPROBE_OFF.exec(' '.repeat(N / 2) + 'blacklist' + ' '.repeat(N / 2)),
  ],
  ['MODPROBE_OFF on blacklist repeated on one line', () => MODPROBE_OFF.exec(fill('blacklist '))],
  ['the IPv4 scan on a long dotted run', () => ipv4s(fill('1.'))],
  ['the IPv4 scan on quads glued by dots', () => ipv4s(fill('1.2.3.4.'))],
  ['MOUNT_SOURCE on repeated src= keys', () => MOUNT_SOURCE.exec(fill(',src'))],
  [
    'NAMESERVER on blanks around the address',
    () => NAMESERVER.exec(' '.repeat(N / 2) + 'nameserver 1.2.3.4' + ' \t'.repeat(N / 4) + 'x'),
  ],
  ['NAMESERVER on blanks after the keyword', () => NAMESERVER.exec('nameserver' + ' '.repeat(N) + '1.2.3.4')],
]

describe('review: linear-time regular expressions of the takeover rules', () => {
  describe.each(REGEX_CASES)('when %s (100 KB)', (_name, scan) => {
    it(`scans within ${REGEX_BOUND_MS} ms`, () => {
      expect(timed(scan)).toBeLessThan(REGEX_BOUND_MS)
    })
  })

  describe.each([
    ['a GRUB line of near-miss parameters', 'GRUB_CMDLINE_LINUX="' + fill('apparmor=0x ')],
    ['a resolv.conf line with a long dotted address', 'nameserver ' + fill('1.')],
    [
      'an apt.conf line with blanks after allow-downgrades',
      'APT::Get::allow-downgrades' + ' '.repeat(N) + 'x',
    ],
    ['a preferences line of repeated pins', fill('Pin-Priority: 99 ')],
    ['a modprobe line of repeated blacklists', fill('blacklist blacklist ')],
  ])('when the pasted text is %s', (_name, text) => {
    it(`returns a report within ${REPORT_BOUND_MS} ms`, async () => {
      const t0 = performance.now()
      const r = await inspectText(text, { parser })
      expect(performance.now() - t0).toBeLessThan(REPORT_BOUND_MS)
      expect(['caution', 'dangerous']).toContain(r.verdict)
    })
  })

  describe('when the patterns meet the texts they exist for', () => {
    it('still finds each of them', () => {
      expect(DOWNGRADE_APT.test('APT::Get::allow-downgrades "true";')).toBe(true)
      expect([...'Pin-Priority: 1001'.matchAll(PIN_PRIORITY)].map((m) => m[1])).toEqual(['1001'])
      expect(kernelParamOff('GRUB_CMDLINE_LINUX="quiet apparmor=0"')).toBe('apparmor=0')
      expect(MODPROBE_OFF.exec('# fix\nblacklist apparmor\n')?.[1]).toBe('apparmor')
      expect(ipv4s('nameserver 45.83.12.7')).toEqual(['45.83.12.7'])
      expect(MOUNT_SOURCE.exec('type=bind,source=/,target=/host')?.[1]).toBe('/')
      expect(NAMESERVER.exec('nameserver 45.83.12.7')?.[1]).toBe('45.83.12.7')
    })
  })
})
