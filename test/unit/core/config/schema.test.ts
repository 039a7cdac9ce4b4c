import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  formatPath,
  parsePolicyText,
  policyJsonSchema,
  validatePolicy,
} from '../../../../main/core/config/schema'

const ROOT = join(__dirname, '..', '..', '..', '..')
const SCHEMA_FILE = join(ROOT, 'docs', 'policy.schema.json')

const MIRROR = {
  id: 'org-mirror',
  name: 'Org mirror',
  url: 'https://mirror.example.org/ubuntu',
  suites: ['{codename}-security'],
  components: ['main'],
  architectures: ['amd64'],
}

function problemsOf(json: unknown): string[] {
  const r = validatePolicy(json, 'p.json')
  return r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.reason}`)
}

describe('policy schema', () => {
  describe('when a file uses every setting correctly', () => {
    it('accepts it', () => {
      const full = {
        $schema: 'https://lifeline.invalid/policy.schema.json',
        $comment: 'org policy',
        pollIntervalMinutes: 30,
        mirrors: [MIRROR],
        channels: [
          { id: 'org-feed', name: 'Org feed', type: 'signed-feed', urls: ['https://feed.example.org/'] },
        ],
        keys: [
          {
            file: 'org-advisory.asc',
            fingerprint: 'A'.repeat(40),
            role: 'advisory',
            name: 'Org advisory key',
          },
        ],
        removeMirrors: ['ubuntu-security'],
        removeChannels: ['ubuntu-notices-api'],
        removeKeys: ['b'.repeat(64)],
        maxAgeHours: { security: 24, other: 96 },
        notificationLevel: 'alarm',
        allowClipboardCheck: false,
        allowAutostart: false,
        helpdesk: {
          name: 'IT desk',
          url: 'https://help.example.org/',
          phone: '+44 (0)20 7946 0000',
          email: 'it@example.org',
        },
        brandingText: 'Provided by Example IT',
      }
      expect(problemsOf(full)).toEqual([])
    })
  })

  describe('when a file is wrong', () => {
    it.each([
      [{ pollIntervalMinutes: 1 }, 'pollIntervalMinutes: Too small: expected number to be >=5'],
      [{ pollIntervalMinutes: 7.5 }, 'pollIntervalMinutes: Invalid input: expected int, received number'],
      [{ pollIntervalMinutse: 60 }, 'pollIntervalMinutse: unknown setting (see docs/policy.schema.json)'],
      [{ helpdesk: { fax: '1' } }, 'helpdesk.fax: unknown setting (see docs/policy.schema.json)'],
      [{ helpdesk: { url: 'http://help.example.org' } }, 'helpdesk.url: must be an https: URL'],
      [{ helpdesk: { email: 'not-an-address' } }, 'helpdesk.email: must be an e-mail address'],
      [
        { mirrors: [{ ...MIRROR, url: 'ftp://x/' }] },
        'mirrors[0].url: must be an http:, https: or file: URL',
      ],
      [
        { mirrors: [{ ...MIRROR, id: 'Org' }] },
        'mirrors[0].id: must be 1-64 lower-case letters, digits and dashes',
      ],
      [{ mirrors: [MIRROR, MIRROR] }, 'mirrors[1].id: duplicate id "org-mirror"'],
      [
        { mirrors: [{ ...MIRROR, trusted: true }] },
        'mirrors[0].trusted: unknown setting (see docs/policy.schema.json)',
      ],
      [
        { keys: [{ file: 'k.asc', fingerprint: '3B4FE6ACC0B21F32', role: 'advisory', name: 'short id' }] },
        'keys[0].fingerprint: must be a full 40- or 64-hex-digit fingerprint (key IDs are not accepted)',
      ],
      [
        { keys: [{ file: 'k.asc', fingerprint: 'A'.repeat(40), role: 'root', name: 'x' }] },
        'keys[0].role: Invalid option: expected one of "archive"|"advisory"',
      ],
      [
        { notificationLevel: 'loud' },
        'notificationLevel: Invalid option: expected one of "none"|"alarm"|"attention"',
      ],
      [{ allowAutostart: 'no' }, 'allowAutostart: Invalid input: expected boolean, received string'],
      [[], ': Invalid input: expected object, received array'],
    ])('reports %j as "%s"', (json, message) => {
      expect(problemsOf(json)).toEqual([message])
    })

    it('reports text that is not JSON as one problem for the whole file', () => {
      const r = parsePolicyText('{ "pollIntervalMinutes": 60, }', '/etc/lifeline/policy.json')
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.problems).toHaveLength(1)
      expect(r.problems[0]).toMatchObject({
        file: '/etc/lifeline/policy.json',
        field: '',
        code: 'CONFIG_INVALID',
      })
      expect(r.problems[0]?.reason).toMatch(/^not valid JSON \(/)
    })
  })

  describe('formatPath', () => {
    it('writes indexes in brackets and names with dots', () => {
      expect(formatPath(['mirrors', 3, 'suites', 0])).toBe('mirrors[3].suites[0]')
      expect(formatPath([])).toBe('')
    })
  })

  describe('when exported as JSON Schema', () => {
    it('matches the committed docs/policy.schema.json (UPDATE_POLICY_SCHEMA=1 rewrites it)', () => {
      const text = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`
      if (process.env.UPDATE_POLICY_SCHEMA === '1') writeFileSync(SCHEMA_FILE, text)
      expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(text)
    })

    it('forbids unknown keys at every object level', () => {
      const schema = policyJsonSchema() as {
        additionalProperties: boolean
        properties: Record<string, unknown>
      }
      expect(schema.additionalProperties).toBe(false)
      expect(JSON.stringify(schema.properties.helpdesk)).toContain('"additionalProperties":false')
      expect(JSON.stringify(schema.properties.mirrors)).toContain('"additionalProperties":false')
    })
  })
})
