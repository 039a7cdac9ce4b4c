import { describe, expect, it } from 'vitest'
import { mergeLayers } from '../../../../main/core/config/merge'
import { POLICY_ONLY_FIELDS, validatePolicy } from '../../../../main/core/config/schema'

describe('policy field autostart', () => {
  describe('when a policy sets it', () => {
    it('validates a boolean and reaches AppConfig.autostart with its origin', () => {
      const v = validatePolicy({ autostart: true }, '/etc/lifeline/policy.json')
      expect(v.ok).toBe(true)
      if (!v.ok) return
      const eff = mergeLayers(
        [{ layer: 'system', locked: true, file: '/etc/lifeline/policy.json', data: v.data }],
        { codename: 'noble' },
      )
      expect(eff.config.autostart).toBe(true)
      expect(eff.origins.autostart).toMatchObject({ layer: 'system', locked: true })
    })
  })
  describe('when nothing sets it', () => {
    it('is absent: start at login stays off by default', () => {
      expect(mergeLayers([], { codename: 'noble' }).config.autostart).toBeUndefined()
    })
  })
  describe('when it is not a boolean', () => {
    it('is refused with the field named', () => {
      const v = validatePolicy({ autostart: 'yes' }, 'org.json')
      expect(v.ok).toBe(false)
      if (v.ok) return
      expect(v.problems.map((p) => p.field)).toEqual(['autostart'])
    })
  })
  describe('when the user settings file sets it', () => {
    it('is ignored: only a policy may turn it on by default', () => {
      expect(POLICY_ONLY_FIELDS).toContain('autostart')
      const eff = mergeLayers(
        [{ layer: 'user', locked: false, file: 'settings.json', data: { autostart: true } }],
        {
          codename: 'noble',
        },
      )
      expect(eff.config.autostart).toBeUndefined()
      expect(eff.problems.map((p) => p.code)).toEqual(['CONFIG_POLICY_ONLY'])
    })
  })
})
