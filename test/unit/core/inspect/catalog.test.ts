import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RULE_LIST, RULES, ruleMessage } from '../../../../main/core/inspect/catalog'

const DOC = readFileSync(join(__dirname, '../../../../docs/inspect.md'), 'utf8')
/** `| <a id="rule-x"></a>`x` | high / medium | title | family | message |` */
const ROW =
  /^\|\s*<a id="([\w-]+)"><\/a>`([\w-]+)`\s*\|\s*(high|medium|low)(?: \/ (high|medium|low))?\s*\|\s*([^|]+?)\s*\|/gm

describe('the rule catalog', () => {
  const rows = [...DOC.matchAll(ROW)].map((m) => ({
    anchor: m[1],
    id: m[2],
    severity: m[3],
    lower: m[4],
    title: (m[5] ?? '').trim(),
  }))

  it('has one row in docs/inspect.md per rule, with the same id, anchor, severities and title', () => {
    expect(rows.map((r) => r.id)).toEqual(RULE_LIST.map((r) => r.id))
    for (const r of rows) {
      const c = RULES[r.id as keyof typeof RULES]
      expect(r).toEqual({ anchor: c.anchor, id: c.id, severity: c.severity, lower: c.lower, title: c.title })
    }
  })

  it('gives every rule a sentence, and fills {what} with the subject or the default', () => {
    for (const r of RULE_LIST) {
      expect(ruleMessage(r.id)).not.toContain('{what}')
      expect(ruleMessage(r.id)).toMatch(/^[A-Z].*\.$/)
      if (r.message.includes('{what}')) expect(ruleMessage(r.id, 'XYZ')).toContain('XYZ')
    }
  })
})
