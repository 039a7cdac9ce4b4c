import { describe, expect, it } from 'vitest'
import type { LayerFile, LayerName } from '../../../../main/core/config/merge'
import { BUILT_IN_DEFAULTS, mergeLayers } from '../../../../main/core/config/merge'
import type { PolicyFile } from '../../../../main/core/config/schema'

interface Slot {
  readonly layer: LayerName
  readonly locked: boolean
  readonly file: string
  /** Distinct value each slot writes, so the winner is visible. */
  readonly minutes: number
}

// The six slots from lowest to highest precedence (docs/policy.md).
const SLOTS: readonly Slot[] = [
  { layer: 'default', locked: false, file: 'default.json', minutes: 10 },
  { layer: 'build', locked: false, file: 'build-recommended.json', minutes: 20 },
  { layer: 'system', locked: false, file: 'system-recommended.json', minutes: 30 },
  { layer: 'user', locked: false, file: 'settings.json', minutes: 40 },
  { layer: 'build', locked: true, file: 'build-managed.json', minutes: 50 },
  { layer: 'system', locked: true, file: 'system-managed.json', minutes: 60 },
]

function mirror(id: string) {
  return {
    id,
    name: id,
    url: `https://${id}.example/ubuntu`,
    suites: ['{codename}'],
    components: ['main'],
    architectures: ['amd64'],
  }
}

function slotData(s: Slot): PolicyFile {
  return {
    pollIntervalMinutes: s.minutes,
    mirrors: [mirror(`m${s.minutes}`)],
    helpdesk: { name: `desk ${s.minutes}` },
  }
}

function combos(): number[] {
  return Array.from({ length: 1 << SLOTS.length }, (_, i) => i)
}

function present(mask: number): Slot[] {
  return SLOTS.filter((_, i) => mask & (1 << i))
}

describe('mergeLayers', () => {
  describe('when every combination of the six layers sets the representative keys', () => {
    it.each(combos())(
      'layer mask %i: the highest layer wins, mandatory ones lock, the user is refused',
      (mask) => {
        const slots = present(mask)
        // Feed them in reverse to prove the order comes from the layer, not the argument order.
        const files: LayerFile[] = [...slots].reverse().map((s) => ({ ...s, data: slotData(s) }))
        const eff = mergeLayers(files, { codename: 'noble' })
        const managed = slots.filter((s) => s.locked)
        const user = slots.find((s) => s.layer === 'user')
        const top = slots.at(-1)

        // Scalar: the highest-precedence slot present, else the built-in value.
        expect(eff.config.pollIntervalMs).toBe(
          (top?.minutes ?? BUILT_IN_DEFAULTS.pollIntervalMinutes) * 60_000,
        )
        expect(eff.origins.pollIntervalMinutes).toEqual(
          top
            ? { layer: top.layer, file: top.file, locked: top.locked }
            : { layer: 'default', locked: false },
        )

        // Helpdesk is policy-only: the user's never applies.
        const topPolicy = slots.filter((s) => s.layer !== 'user').at(-1)
        expect(eff.config.helpdesk).toEqual(topPolicy ? { name: `desk ${topPolicy.minutes}` } : undefined)

        // Lists merge by id; the user's entries are dropped when a mandatory layer sets the list.
        const expectedMirrors = slots
          .filter((s) => !(s.layer === 'user' && managed.length > 0))
          .map((s) => `m${s.minutes}`)
        expect(eff.config.mirrors.map((m) => m.id)).toEqual(expectedMirrors)
        expect(eff.origins.mirrors?.locked ?? false).toBe(managed.length > 0)
        for (const s of slots) {
          if (expectedMirrors.includes(`m${s.minutes}`))
            expect(eff.origins[`mirrors.m${s.minutes}`]?.file).toBe(s.file)
        }

        // Problems: the user's helpdesk always; the user's interval and mirrors when locked, naming the lock's file.
        const expected: string[] = []
        if (user) {
          if (managed.length > 0) {
            const by = managed.at(-1)?.file
            expected.push(`pollIntervalMinutes CONFIG_LOCKED ${by}`, `mirrors CONFIG_LOCKED ${by}`)
          }
          expected.push('helpdesk CONFIG_POLICY_ONLY')
        }
        const got = eff.problems.map((p) => {
          const by = /policy (\S+);/.exec(p.reason)?.[1]
          return `${p.field} ${p.code}${by ? ` ${by}` : ''}`
        })
        expect(got.sort()).toEqual(expected.sort())
      },
    )
  })

  describe('when a higher layer lists an entry with the same id', () => {
    it('replaces the entry in place and keeps its position', () => {
      const eff = mergeLayers(
        [
          { layer: 'default', locked: false, file: 'd', data: { mirrors: [mirror('a'), mirror('b')] } },
          {
            layer: 'system',
            locked: true,
            file: 's',
            data: { mirrors: [{ ...mirror('a'), url: 'https://new.example/u' }] },
          },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.mirrors.map((m) => [m.id, m.url])).toEqual([
        ['a', 'https://new.example/u'],
        ['b', 'https://b.example/ubuntu'],
      ])
      expect(eff.origins['mirrors.a']).toEqual({ layer: 'system', file: 's', locked: true })
      expect(eff.origins['mirrors.b']).toEqual({ layer: 'default', file: 'd', locked: false })
    })
  })

  describe('when suites use {codename}', () => {
    it('substitutes the machine codename', () => {
      const eff = mergeLayers(
        [{ layer: 'default', locked: false, file: 'd', data: { mirrors: [mirror('a')] } }],
        {
          codename: 'jammy',
        },
      )
      expect(eff.config.mirrors[0]?.suites).toEqual(['jammy'])
    })
  })

  describe('when keys are added and removed', () => {
    const A = 'a'.repeat(40)
    const B = 'B'.repeat(40)
    const key = (fp: string) => ({
      file: `${fp.slice(0, 4)}.asc`,
      fingerprint: fp,
      role: 'advisory' as const,
      name: 'k',
    })

    it('applies removals last, whichever layer added the key (fingerprints upper-cased)', () => {
      const eff = mergeLayers(
        [
          { layer: 'build', locked: false, file: 'rec', data: { removeKeys: [A] } },
          { layer: 'system', locked: true, file: 'man', data: { keys: [key(A), key(B)] } },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.extraKeys.map((k) => k.fingerprint)).toEqual([B])
      expect(eff.config.removedKeys).toEqual([A.toUpperCase()])
      expect(eff.origins[`removeKeys.${A.toUpperCase()}`]).toEqual({
        layer: 'build',
        file: 'rec',
        locked: false,
      })
      expect(eff.origins[`keys.${A.toUpperCase()}`]).toBeUndefined()
    })

    it('refuses a user removal of a key a mandatory policy pinned (CONFIG_LOCKED)', () => {
      const eff = mergeLayers(
        [
          { layer: 'user', locked: false, file: 'settings.json', data: { removeKeys: [B] } },
          { layer: 'build', locked: true, file: 'org.json', data: { keys: [key(B)] } },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.extraKeys.map((k) => k.fingerprint)).toEqual([B])
      expect(eff.problems).toEqual([
        {
          file: 'settings.json',
          field: `removeKeys.${B}`,
          reason: 'locked by the mandatory policy org.json; your removal is ignored',
          code: 'CONFIG_LOCKED',
        },
      ])
    })

    it('lets the user remove a key only a recommended policy added', () => {
      const eff = mergeLayers(
        [
          { layer: 'user', locked: false, file: 'settings.json', data: { removeKeys: [B] } },
          { layer: 'system', locked: false, file: 'rec.json', data: { keys: [key(B)] } },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.extraKeys).toEqual([])
      expect(eff.problems).toEqual([])
    })
  })

  describe('when mirrors and channels are removed', () => {
    it('drops them from every layer and records the removal origin', () => {
      const eff = mergeLayers(
        [
          { layer: 'default', locked: false, file: 'd', data: { mirrors: [mirror('a'), mirror('b')] } },
          {
            layer: 'build',
            locked: true,
            file: 'org',
            data: {
              removeMirrors: ['a'],
              removeChannels: ['c'],
              channels: [{ id: 'c', name: 'c', type: 'osv', urls: ['https://c.example/'] }],
            },
          },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.mirrors.map((m) => m.id)).toEqual(['b'])
      expect(eff.config.channels).toEqual([])
      expect(eff.origins['removeMirrors.a']).toEqual({ layer: 'build', file: 'org', locked: true })
    })
  })

  describe('when max ages are set per field', () => {
    it('takes each field from its own highest layer', () => {
      const eff = mergeLayers(
        [
          { layer: 'build', locked: true, file: 'b', data: { maxAgeHours: { security: 12 } } },
          { layer: 'user', locked: false, file: 'u', data: { maxAgeHours: { security: 100, other: 72 } } },
        ],
        { codename: 'noble' },
      )
      expect(eff.config.maxAgeMs).toEqual({ securityMs: 12 * 3600_000, otherMs: 72 * 3600_000 })
      expect(eff.origins['maxAgeHours.other']).toEqual({ layer: 'user', file: 'u', locked: false })
      expect(eff.problems.map((p) => `${p.field} ${p.code}`)).toEqual(['maxAgeHours.security CONFIG_LOCKED'])
    })
  })

  describe('when nothing is set', () => {
    it('returns the built-in values with default origins', () => {
      const eff = mergeLayers([], { codename: 'noble' })
      expect(eff.config).toEqual({
        mirrors: [],
        channels: [],
        extraKeys: [],
        removedKeys: [],
        pollIntervalMs: 3600_000,
        maxAgeMs: { securityMs: 168 * 3600_000, otherMs: 168 * 3600_000 },
        notificationLevel: 'attention',
        allowClipboardCheck: true,
        allowAutostart: true,
      })
      expect(eff.origins.notificationLevel).toEqual({ layer: 'default', locked: false })
    })
  })
})
