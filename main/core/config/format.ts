/**
 * Presenting an effective configuration: one line per value with the layer that set it (`lifeline policy check`).
 */
import type { ConfigProblem } from './schema'
import type { EffectiveConfig, Origin } from './merge'

/** "system, locked by /etc/…/x.json" / "user (settings.json)" / "built-in default". */
export function describeOrigin(o: Origin | undefined): string {
  if (!o) return 'built-in default'
  if (o.layer === 'default') return o.file ? `default (${o.file})` : 'built-in default'
  const kind = o.locked ? 'mandatory' : o.layer === 'user' ? 'user' : 'recommended'
  const where = o.file ? ` ${o.file}` : ''
  return o.locked
    ? `${o.layer} ${kind}, locked by${where}`
    : `${o.layer} ${kind}${where ? ` (${o.file})` : ''}`
}

/** "FILE: FIELD: REASON" (FIELD omitted for a problem with the whole file). */
export function formatProblem(p: ConfigProblem): string {
  return p.field ? `${p.file}: ${p.field}: ${p.reason}` : `${p.file}: ${p.reason}`
}

function row(label: string, value: string, origin: Origin | undefined, indent = '  '): string {
  return `${(indent + label).padEnd(24)} ${value.padEnd(44)} ${describeOrigin(origin)}`
}

/** The human listing of an effective configuration: values, their layers, then problems. */
export function formatEffectiveConfig(eff: EffectiveConfig): string {
  const { config: c, origins: o } = eff
  const lines: string[] = ['Effective configuration (value, then the layer that set it):']
  lines.push(row('pollIntervalMinutes', String(c.pollIntervalMs / 60_000), o.pollIntervalMinutes))
  lines.push(row('notificationLevel', String(c.notificationLevel), o.notificationLevel))
  lines.push(row('allowClipboardCheck', String(c.allowClipboardCheck), o.allowClipboardCheck))
  lines.push(row('allowAutostart', String(c.allowAutostart), o.allowAutostart))
  if (c.maxAgeMs) {
    lines.push(
      row('maxAgeHours.security', String(c.maxAgeMs.securityMs / 3600_000), o['maxAgeHours.security']),
    )
    lines.push(row('maxAgeHours.other', String(c.maxAgeMs.otherMs / 3600_000), o['maxAgeHours.other']))
  }
  lines.push(
    row(
      'brandingText',
      c.brandingText === undefined ? '(none)' : JSON.stringify(c.brandingText),
      o.brandingText,
    ),
  )
  const h = c.helpdesk
  const helpdesk = h ? [h.name, h.url, h.phone, h.email].filter((x) => x !== undefined).join(', ') : '(none)'
  lines.push(row('helpdesk', helpdesk, o.helpdesk))
  lines.push(row('mirrors', `${c.mirrors.length}`, o.mirrors))
  for (const m of c.mirrors)
    lines.push(row(m.id, `${m.url} [${m.suites.join(' ')}]`, o[`mirrors.${m.id}`], '    '))
  lines.push(row('channels', `${c.channels.length}`, o.channels))
  for (const ch of c.channels)
    lines.push(row(ch.id, `${ch.type} ${ch.urls.join(' ')}`, o[`channels.${ch.id}`], '    '))
  lines.push(row('keys', `${c.extraKeys.length} added to the built-in keyring`, o.keys))
  for (const k of c.extraKeys)
    lines.push(row(k.fingerprint, `${k.role} ${k.file}`, o[`keys.${k.fingerprint}`], '    '))
  const removed = Object.keys(o).filter((p) => p.startsWith('remove'))
  if (removed.length > 0) {
    lines.push('  removed:')
    for (const p of removed.sort()) lines.push(row(p, '', o[p], '    '))
  }
  if (eff.lastGoodSavedAt) {
    lines.push(
      '',
      `A file was refused: the last valid configuration (saved ${eff.lastGoodSavedAt}) stays in force.`,
    )
  }
  if (eff.problems.length > 0) {
    lines.push('', 'Problems:')
    for (const p of eff.problems) lines.push(`  ${formatProblem(p)}`)
  }
  return lines.map((l) => l.trimEnd()).join('\n') + '\n'
}
