/**
 * Attack: a root command in a form no rule has seen. The checker used to enumerate known-bad patterns, so every new
 * form passed; now anything run as root that is not a known-safe administrative action is at least `caution`, with
 * a finding that names the program, and Lifeline's own steps count as verified only when pasted back unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

const STEPS = ['sudo apt update', 'sudo apt install --only-upgrade openssl=3.0.13-0ubuntu3.5', 'sudo reboot']

describe('default-deny for root', () => {
  it.each([
    ['sudo fixer --apply', 'fixer'],
    ['doas patchtool --now', 'patchtool'],
    ['root@box:~# mystery-tool --now', 'mystery-tool'],
    ['sudo sh -c "mystery-tool --now"', 'mystery-tool'],
    ['echo "x=1" | sudo tee /etc/mystery.conf', '/etc/mystery.conf'],
    ['sudo -i\nmystery-tool --now', 'mystery-tool'],
  ])('judges %s as caution with unknown-root-command naming %s', async (text, name) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('caution')
    const f = r.findings.find((x) => x.rule === 'unknown-root-command')
    expect(f?.severity).toBe('medium')
    expect(f?.message).toContain(name)
  })

  it('does not apply to the same program run without root', async () => {
    const r = await inspectText('mystery-tool --now', { parser })
    expect(r.findings.map((f) => f.rule)).not.toContain('unknown-root-command')
  })

  it.each([
    'sudo apt update',
    'sudo apt install --only-upgrade openssl',
    'sudo pro fix CVE-2026-1234',
    'sudo systemctl restart ssh',
    'sudo needrestart -r a',
    'sudo reboot',
    'echo "blacklist firewire-core" | sudo tee /etc/modprobe.d/firewire.conf',
  ])('lets the known-safe action %s through without a finding', async (text) => {
    const r = await inspectText(text, { parser })
    expect(r.findings.filter((f) => f.severity !== 'low')).toEqual([])
  })
})

describe("Lifeline's own steps", () => {
  it('are verified when pasted back exactly', async () => {
    expect((await inspectText(STEPS.join('\n'), { parser, ownSteps: STEPS })).verdict).toBe('verified')
  })

  it.each([
    [
      'a step changed',
      'sudo apt update\nsudo apt install --only-upgrade openssl=3.0.13-0ubuntu3.4\nsudo reboot',
    ],
    ['a command added', `${STEPS.join('\n')}\nsudo fixer --apply`],
    ['a pipe added to a step', 'sudo apt update | sudo bash\nsudo reboot'],
  ])('are not verified with %s', async (_, text) => {
    const r = await inspectText(text, { parser, ownSteps: STEPS })
    expect(r.verdict).not.toBe('verified')
  })
})

describe('a source pinned to the Ubuntu archive key', () => {
  const source = (uri: string) =>
    `sudo tee /etc/apt/sources.list.d/m.sources <<'EOF'\nTypes: deb\nURIs: ${uri}\nSuites: noble-security\nComponents: main\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\nEOF`
  it('is a mirror switch (low) at a configured mirror', async () => {
    const r = await inspectText(source('http://10.0.0.5:8080/'), {
      parser,
      mirrors: ['http://10.0.0.5:8080'],
    })
    expect(r.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['mirror-change/low'])
  })

  it('is a mirror-change to check (medium) at a server nobody configured', async () => {
    const r = await inspectText(source('http://203.0.113.7/'), { parser })
    expect(r.findings.find((f) => f.rule === 'mirror-change')?.severity).toBe('medium')
    expect(r.verdict).not.toBe('verified')
  })
})

describe('a mirror switch that also writes elsewhere', () => {
  it('still gets default-deny for the other file', async () => {
    const text =
      'sudo tee /etc/apt/sources.list.d/x.list /usr/local/bin/evil <<EOF\ndeb http://archive.ubuntu.com/ubuntu noble main\nEOF'
    const r = await inspectText(text, { parser })
    const f = r.findings.find((x) => x.rule === 'unknown-root-command')
    expect(f?.severity).toBe('medium')
    expect(f?.message).toContain('/usr/local/bin/evil')
  })
})
