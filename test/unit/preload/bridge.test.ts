import { describe, expect, it } from 'vitest'
import { createBridge, type Transport } from '../../../preload/bridge'
import type { Api } from '../../../preload/contract/api'
import { Channels } from '../../../preload/contract/channels'

function recordingTransport() {
  const calls: { channel: string; args: readonly unknown[] }[] = []
  const listeners = new Map<string, (p: unknown) => void>()
  const transport: Transport = {
    invoke: async (channel, args) => {
      calls.push({ channel, args })
      return { ok: true, value: channel }
    },
    on: (channel, l) => {
      listeners.set(channel, l)
      return () => listeners.delete(channel)
    },
  }
  return { transport, calls, listeners }
}

describe('createBridge', () => {
  it('exposes exactly one method per channel of the contract', () => {
    const api = createBridge(recordingTransport().transport)
    expect(Object.keys(api).sort()).toEqual(Object.keys(Channels).sort())
  })

  describe('when a request method is called', () => {
    it('invokes its own channel with the arguments', async () => {
      const t = recordingTransport()
      const api = createBridge(t.transport)
      const requests = (Object.keys(Channels) as (keyof Api)[]).filter((k) => !k.startsWith('on'))
      for (const m of requests) await (api[m] as () => Promise<unknown>)()
      expect(t.calls.map((c) => c.channel)).toEqual(requests.map((m) => Channels[m]))
    })
  })

  describe('when subscribing to an event', () => {
    it('delivers payloads and unsubscribes', () => {
      const t = recordingTransport()
      const api = createBridge(t.transport)
      const got: unknown[] = []
      const off = api.onStatusChanged((s) => got.push(s))
      t.listeners.get(Channels.onStatusChanged)?.({ revision: 3, kind: 'starting' })
      expect(got).toEqual([{ revision: 3, kind: 'starting' }])
      off()
      expect(t.listeners.has(Channels.onStatusChanged)).toBe(false)
    })
  })
})
