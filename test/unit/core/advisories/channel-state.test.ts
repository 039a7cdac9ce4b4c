import { describe, expect, it } from 'vitest'
import { applyChannelRead, channelAge } from '../../../../main/core/advisories/channel-state'
import { parseOsvUsn } from '../../../../main/core/advisories/osv'
import { fixture } from './advisory-test-kit'

const a7000 = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7000-1.json'))
const a7500 = parseOsvUsn(fixture('ubuntu/osv-usn/USN-7500-1.json'))

describe('applyChannelRead', () => {
  const first = applyChannelRead('osv', undefined, {
    ok: true,
    at: 100,
    records: { advisories: [a7000, a7500], issues: [] },
  })

  describe('when a record is malformed in a later read', () => {
    it('keeps the last good copy of that record', () => {
      const next = applyChannelRead('osv', first, {
        ok: true,
        at: 200,
        records: {
          advisories: [a7500],
          issues: [
            { channelId: 'osv', record: 'USN-7000-1', field: 'modified', code: 'ADV_SCHEMA', message: 'x' },
          ],
        },
      })
      expect(next.advisories.map((a) => a.id).sort()).toEqual(['USN-7000-1', 'USN-7500-1'])
      expect(next.keptFromBefore).toEqual(['USN-7000-1'])
      expect(next.verifiedAt).toBe(200)
    })
  })

  describe('when the whole channel fails', () => {
    it('keeps the last verified state and reports its age', () => {
      const failed = applyChannelRead('osv', first, {
        ok: false,
        at: 5_000,
        code: 'NET_UNREACHABLE',
        message: 'down',
      })
      expect(failed.advisories).toHaveLength(2)
      expect(failed.lastError).toEqual({ code: 'NET_UNREACHABLE', message: 'down', at: 5_000 })
      expect(channelAge(failed, 5_000)).toBe(4_900)
    })
  })

  describe('when a record disappears without an issue', () => {
    it('drops it', () => {
      const next = applyChannelRead('osv', first, {
        ok: true,
        at: 300,
        records: { advisories: [a7500], issues: [] },
      })
      expect(next.advisories.map((a) => a.id)).toEqual(['USN-7500-1'])
    })
  })
})
