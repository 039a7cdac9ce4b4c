/**
 * Trust and merging of advisories read from several channels (docs/trust.md; DESIGN.md, trust model point 4).
 *
 * Rules, in order:
 * 1. Copies are grouped by advisory id.
 * 2. A copy signed by a pinned advisory key makes the advisory `signed`, and the shown text is a signed copy's.
 *    Unsigned copies that disagree with it are kept in `conflicts` (shown), but cannot lower a signed advisory:
 *    otherwise anyone able to serve an unsigned channel could discredit a signed notice.
 *    Signed copies that disagree with each other make it a `conflict`.
 * 3. Without a signed copy, any disagreement on a fixed version (same release, same package, different version)
 *    makes it a `conflict`, with every claim and its sources kept.
 * 4. Otherwise it is `corroborated` when two INDEPENDENT copies (different channel types, or different hosts)
 *    agree on at least one fixed version, and `single-source` when not.
 */
import type { Advisory, AdvisorySource, AdvisoryTrust, ChannelRecords, FixConflict } from './model'
import { unionSorted } from './parse-util'

/** Versions compare as strings after dropping a zero epoch (`0:1.2-1` is `1.2-1` for dpkg). */
function normalizeVersion(v: string): string {
  return v.trim().replace(/^0:/, '')
}

/** The host a copy came from; `file:` copies share one local "host". */
export function sourceHost(source: AdvisorySource): string {
  try {
    const u = new URL(source.url)
    return u.protocol === 'file:' ? 'file:' : u.host.toLowerCase()
  } catch {
    return source.url
  }
}

/** Two copies are independent when their channel types differ or their hosts differ (docs/trust.md). */
export function independent(a: AdvisorySource, b: AdvisorySource): boolean {
  return a.channelType !== b.channelType || sourceHost(a) !== sourceHost(b)
}

interface Claim {
  readonly key: string
  /** `key=version`: the claim itself, compared between copies. */
  readonly id: string
  readonly codename: string
  readonly pro: boolean
  readonly kind: 'source' | 'binary'
  readonly packageName: string
  readonly version: string
}

/**
 * One copy with what the trust rules ask of it computed once: its claims (built once per copy, not once per
 * rule and pair of copies, which made merging quadratic in practice) and its host.
 */
interface Copy {
  readonly adv: Advisory
  readonly src: AdvisorySource | undefined
  readonly claims: readonly Claim[]
  host?: string
  ids?: ReadonlySet<string>
}

function claimsOf(a: Advisory): Claim[] {
  const out: Claim[] = []
  for (const r of a.releases) {
    const prefix = `${r.codename}|${r.pro ? 'pro' : ''}|`
    const push = (kind: 'source' | 'binary', packageName: string, v: string | undefined): void => {
      if (v === undefined || v === '') return
      const key = `${prefix}${kind}|${packageName}`
      const version = normalizeVersion(v)
      out.push({ key, id: `${key}=${version}`, codename: r.codename, pro: r.pro, kind, packageName, version })
    }
    for (const s of r.sources) push('source', s.name, s.fixedVersion)
    for (const b of r.binaries) push('binary', b.name, b.fixedVersion)
  }
  return out
}

function copyOf(adv: Advisory): Copy {
  return { adv, src: adv.provenance[0], claims: claimsOf(adv) }
}

/** Disagreements on fixed versions among the copies. */
function conflictsOf(copies: readonly Copy[]): FixConflict[] {
  const byKey = new Map<string, { claim: Claim; versions: Map<string, AdvisorySource[]> }>()
  let multi = false
  for (const copy of copies) {
    const src = copy.src
    if (!src) continue
    const seen = new Set<string>()
    for (const c of copy.claims) {
      if (seen.has(c.id)) continue
      seen.add(c.id)
      let entry = byKey.get(c.key)
      if (!entry) {
        entry = { claim: c, versions: new Map<string, AdvisorySource[]>() }
        byKey.set(c.key, entry)
      }
      const list = entry.versions.get(c.version)
      if (list) list.push(src)
      else {
        entry.versions.set(c.version, [src])
        if (entry.versions.size > 1) multi = true
      }
    }
  }
  if (!multi) return []
  const out: FixConflict[] = []
  for (const { claim, versions } of byKey.values()) {
    if (versions.size < 2) continue
    out.push({
      codename: claim.codename,
      pro: claim.pro,
      kind: claim.kind,
      packageName: claim.packageName,
      claims: [...versions.entries()].map(([fixedVersion, sources]) => ({ fixedVersion, sources })),
    })
  }
  return out
}

function hostOf(c: Copy, src: AdvisorySource): string {
  c.host ??= sourceHost(src)
  return c.host
}

/** True when two independent copies agree on at least one fixed version. */
function corroborated(copies: readonly Copy[]): boolean {
  for (let i = 0; i < copies.length; i++) {
    for (let j = i + 1; j < copies.length; j++) {
      const a = copies[i]
      const b = copies[j]
      const sa = a?.src
      const sb = b?.src
      if (!a || !b || !sa || !sb) continue
      // independent(): different channel types, or different hosts.
      if (sa.channelType === sb.channelType && hostOf(a, sa) === hostOf(b, sb)) continue
      a.ids ??= new Set(a.claims.map((c) => c.id))
      const claimsA = a.ids
      if (b.claims.some((c) => claimsA.has(c.id))) return true
    }
  }
  return false
}

function rank(a: Advisory): number {
  return a.provenance[0]?.signedBy ? 1 : 0
}

/**
 * Merges the advisories of several channels into one list, one entry per id, each with its trust, every copy's
 * provenance (the shown copy first) and the fixed-version conflicts. Input copies are single-source parser
 * output (one provenance entry each); entries with several are split back into their sources' copies.
 */
export function mergeAdvisories(perChannel: readonly (ChannelRecords | readonly Advisory[])[]): Advisory[] {
  const groups = new Map<string, Advisory[]>()
  for (const ch of perChannel) {
    const list = 'advisories' in ch ? (ch as ChannelRecords).advisories : (ch as readonly Advisory[])
    for (const a of list) {
      const g = groups.get(a.id)
      if (g) g.push(a)
      else groups.set(a.id, [a])
    }
  }
  const out: Advisory[] = []
  for (const [id, copies] of groups) {
    // The shown copy: signed first, then the most recently modified/published.
    const ordered =
      copies.length === 1
        ? copies
        : [...copies].sort(
            (x, y) =>
              rank(y) - rank(x) || (y.modified ?? y.published ?? 0) - (x.modified ?? x.published ?? 0),
          )
    const primary = ordered[0]
    if (!primary) continue
    const infos = ordered.map(copyOf)
    const conflicts = conflictsOf(infos)
    const signed = infos.filter((c) => rank(c.adv) === 1)
    let trust: AdvisoryTrust
    if (signed.length > 0)
      trust =
        (signed.length === infos.length ? conflicts : conflictsOf(signed)).length > 0 ? 'conflict' : 'signed'
    else if (conflicts.length > 0) trust = 'conflict'
    else trust = corroborated(infos) ? 'corroborated' : 'single-source'
    const provenance: AdvisorySource[] = []
    const seen = new Set<string>()
    for (const c of ordered) {
      for (const p of c.provenance) {
        const k = `${p.channelId}\n${p.url}`
        if (!seen.has(k)) {
          seen.add(k)
          provenance.push(p)
        }
      }
    }
    out.push({
      ...primary,
      id,
      aliases: unionSorted(ordered.map((c) => c.aliases)).filter((a) => a !== id),
      cves: unionSorted(ordered.map((c) => c.cves)),
      provenance,
      trust,
      conflicts,
    })
  }
  return out.sort(
    (a, b) => (b.published ?? 0) - (a.published ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

const STRENGTH: Record<AdvisoryTrust, number> = {
  conflict: -1,
  'single-source': 0,
  corroborated: 1,
  'archive-confirmed': 2,
  signed: 3,
}

/**
 * Raises an unsigned, unconflicted advisory to `archive-confirmed` once the trust core found its CVE named in the
 * fixed version's changelog inside the signed archive (DESIGN.md, trust model point 5). Never lowers trust and
 * never clears a conflict.
 */
export function markArchiveConfirmed(advisory: Advisory): Advisory {
  if (STRENGTH[advisory.trust] < 0 || STRENGTH[advisory.trust] >= STRENGTH['archive-confirmed'])
    return advisory
  return { ...advisory, trust: 'archive-confirmed' }
}
