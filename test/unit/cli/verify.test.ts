import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { verifyCommand } from '../../../main/cli/commands/verify'
import type { CliIo } from '../../../main/cli/io'
import { detachSign, fixtureText, testKey } from '../core/pgp/pgp-test-kit'

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url))
const NOBLE = join(FIXTURES, 'ubuntu/apt/noble_InRelease')
const DEBIAN = join(FIXTURES, 'debian/bookworm-security_InRelease')
const DEBIAN_KEYRING = join(FIXTURES, 'debian/debian-archive-keyring.gpg')

function fakeIo(stdin = '', cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  const out: string[] = []
  const err: string[] = []
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new TextEncoder().encode(stdin),
    env: {},
    cwd,
  }
}

/** The signed text of noble_InRelease (between the blank line after the headers and the signature). */
function nobleSigned(): string {
  const doc = fixtureText('ubuntu/apt/noble_InRelease')
  return doc.slice(doc.indexOf('\n\n') + 2, doc.indexOf('\n-----BEGIN PGP SIGNATURE-----'))
}

describe('lifeline verify', () => {
  describe('when a real InRelease verifies with the built-in keyring', () => {
    it('exits 0 and prints only the signed text', async () => {
      const io = fakeIo()
      expect(await verifyCommand.run(['--now', '2024-05-01T00:00:00Z', NOBLE], io)).toBe(0)
      expect(io.out()).toBe(nobleSigned() + '\n')
      expect(io.err()).toContain('good signature by Ubuntu Archive Automatic Signing Key (2018)')
    })
  })

  describe('when --json is given', () => {
    it('prints ok, signers, signedText and the unsigned parts', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'verify-cli-'))
      writeFileSync(join(dir, 'r'), fixtureText('ubuntu/apt/noble_InRelease') + 'appended\n')
      const io = fakeIo('', dir)
      expect(await verifyCommand.run(['--json', '--now=2024-05-01', 'r'], io)).toBe(0)
      const out = JSON.parse(io.out()) as {
        ok: boolean
        signers: { fingerprint: string; created: string }[]
        signedText: string
        unsigned: { before: string; after: string }
      }
      expect(out.ok).toBe(true)
      expect(out.signers[0]?.fingerprint).toBe('F6ECB3762474EDA9D21B7022871920D1991BC93C')
      expect(out.signers[0]?.created.slice(0, 10)).toBe('2024-04-25')
      expect(out.signedText).toBe(nobleSigned())
      expect(out.unsigned).toEqual({ before: '', after: 'appended\n' })
      expect(io.err()).toContain('characters after the signature are NOT signed')
    })
  })

  describe('when --keyring names another distribution keyring', () => {
    it('exits 1 with the reason on one line', async () => {
      const io = fakeIo()
      expect(await verifyCommand.run(['--keyring', DEBIAN_KEYRING, '--now', '2024-05-01', NOBLE], io)).toBe(1)
      expect(io.out()).toBe('')
      expect(io.err()).toMatch(/^lifeline verify: NOT verified \(PGP_UNKNOWN_SIGNER\): [^\n]+\n$/)
    })

    it('verifies that distribution own file (exit 0)', async () => {
      const io = fakeIo()
      expect(await verifyCommand.run(['--keyring', DEBIAN_KEYRING, '--now', '2026-11-21', DEBIAN], io)).toBe(
        0,
      )
      expect(io.out().startsWith('Origin: Debian\n')).toBe(true)
    })
  })

  describe('when the document is read from standard input and tampered', () => {
    it('exits 1 with PGP_BAD_SIGNATURE, and --json reports the code', async () => {
      const tampered = fixtureText('ubuntu/apt/noble_InRelease').replace('Suite: noble', 'Suite: nobla')
      const io = fakeIo(tampered)
      expect(await verifyCommand.run(['--json', '--now', '2024-05-01', '-'], io)).toBe(1)
      expect(JSON.parse(io.out())).toMatchObject({ ok: false, code: 'PGP_BAD_SIGNATURE' })
    })
  })

  describe('when a detached signature is given', () => {
    it('verifies the data file against it with the given keyring', async () => {
      const key = await testKey('test-only-archive-ed25519')
      const dir = mkdtempSync(join(tmpdir(), 'verify-cli-'))
      const data = new TextEncoder().encode('Origin: Test\nSuite: test\n')
      writeFileSync(join(dir, 'Release'), data)
      writeFileSync(join(dir, 'Release.gpg'), await detachSign(data, key, { armor: false }))
      writeFileSync(join(dir, 'key.asc'), key.publicArmored)
      const io = fakeIo('', dir)
      const args = ['--keyring', 'key.asc', '--signature', 'Release.gpg', '--now', '2024-06-15', 'Release']
      expect(await verifyCommand.run(args, io)).toBe(0)
      expect(io.out()).toBe('Origin: Test\nSuite: test\n')
    })
  })

  describe('when the usage or the input is wrong', () => {
    it.each([
      ['an unknown flag', ['--bogus', NOBLE]],
      ['no file', []],
      ['two files', [NOBLE, NOBLE]],
      ['a bad date', ['--now', 'yesterday', NOBLE]],
      ['an impossible date', ['--now', '2024-13-45', NOBLE]],
      ['a day that does not exist (not read as 2 March)', ['--now', '2026-02-30', NOBLE]],
      ['a bad role', ['--role', 'root', NOBLE]],
      ['a missing file', ['/nonexistent/InRelease']],
      ['a keyring that is not a key', ['--keyring', NOBLE, NOBLE]],
    ])('exits 2 for %s', async (_what, args) => {
      const io = fakeIo()
      expect(await verifyCommand.run(args, io)).toBe(2)
      expect(io.out()).toBe('')
      expect(io.err()).toMatch(/^lifeline verify: /)
    })
  })

  describe('when the role asked for is advisory', () => {
    it('exits 1 with PGP_WRONG_ROLE for an archive-signed file', async () => {
      const io = fakeIo()
      const args = [
        '--role',
        'advisory',
        '--keyring',
        join(FIXTURES, 'ubuntu/keys/ubuntu-keyring-2018-archive.gpg'),
      ]
      // A keyring given with --role advisory pins its keys for that role, so the same file verifies...
      expect(await verifyCommand.run([...args, '--now', '2024-05-01', NOBLE], io)).toBe(0)
      // ...while the built-in keyring holds archive keys only.
      const io2 = fakeIo()
      expect(await verifyCommand.run(['--role', 'advisory', '--now', '2024-05-01', NOBLE], io2)).toBe(1)
      expect(io2.err()).toContain('PGP_WRONG_ROLE')
    })
  })
})

describe('lifeline verify --help', () => {
  describe('when --help is passed to the command itself', () => {
    it('prints the usage and exits 0', async () => {
      const io = fakeIo()
      expect(await verifyCommand.run(['--help'], io)).toBe(0)
      expect(io.out()).toContain('Usage: lifeline verify')
      expect(verifyCommand.help).toContain('--signature FILE')
    })
  })
})
