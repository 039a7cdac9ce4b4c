/**
 * Trust and merging of advisories read from several channels (docs/trust.md, "Merging copies of the same advisory").
 *
 * Rules, in order:
 * 1. Copies are grouped by advisory id.
 * 2. A copy signed by a pinned advisory key makes the advisory `signed`, and the shown text is a signed copy's.
 *    Unsigned copies that disagree with it are kept in `conflicts` (shown), but cannot lower a signed advisory:
 *    otherwise anyone able to serve an unsigned channel could discredit a signed notice.
 *    Signed copies that disagree with each other make it a `conflict`.
 * 3. Without a signed copy, any disagreement on a fixed version (same release, same package, different version)
 *    makes it a `conflict`, with every claim and its sources kept.
 * 4. Otherwise it is `corroborated` when two INDEPENDENT copies (served by different hosts: docs/trust.md,
 *    "Which copies count as independent") agree on at least one fixed version, and `single-source` when not.
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

/**
 * Two copies are independent when different hosts served them (docs/trust.md, "Which copies count as
 * independent"). Two formats from one host are one point of failure: whoever controls that server writes both, so
 * the channel type does not count. `file:` copies all share one local "host".
 */
export function independent(a: AdvisorySource, b: AdvisorySource): boolean {
  return sourceHost(a) !== sourceHost(b)
}

interface Claim {
  readonly codename: string
  readonly pro: boolean
  readonly kind: 'source' | 'binary'
  readonly packageName: string
  readonly version: string
}

/**
 * One copy with what the trust rules ask of it computed once: its claims (built once per copy, not once per
 * rule and pair of copies) and its host.
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
    for (const s of r.sources) {
      if (s.fixedVersion === undefined || s.fixedVersion === '') continue
      const version = normalizeVersion(s.fixedVersion)
      out.push({ codename: r.codename, pro: r.pro, kind: 'source', packageName: s.name, version })
    }
    for (const b of r.binaries) {
      if (b.fixedVersion === undefined || b.fixedVersion === '') continue
      const version = normalizeVersion(b.fixedVersion)
      out.push({ codename: r.codename, pro: r.pro, kind: 'binary', packageName: b.name, version })
    }
  }
  return out
}

/** The claim as one string (release, pro, kind, package and version), for set lookups. */
function claimId(c: Claim): string {
  return `${c.codename}|${c.pro ? 'pro' : ''}|${c.kind}|${c.packageName}=${c.version}`
}

function sameClaim(a: Claim, b: Claim): boolean {
  return (
    a.packageName === b.packageName &&
    a.version === b.version &&
    a.codename === b.codename &&
    a.kind === b.kind &&
    a.pro === b.pro
  )
}

function copyOf(adv: Advisory): Copy {
  return { adv, src: adv.provenance[0], claims: claimsOf(adv) }
}

interface VersionClaims {
  readonly sources: AdvisorySource[]
  /** Index of the last copy that claimed it: a copy counts once per version. */
  lastCopy: number
}

interface PackageClaims {
  readonly claim: Claim
  readonly versions: Map<string, VersionClaims>
}

/**
 * Disagreements on fixed versions among the copies.
 *
 * Claims are indexed by release, then package (then pro and kind, a short scan) with the parsed strings
 * themselves as keys, so no key string is built and hashed per claim.
 */
function conflictsOf(copies: readonly Copy[]): FixConflict[] {
  const index = new Map<string, Map<string, PackageClaims[]>>()
  const order: PackageClaims[] = []
  let multi = false
  for (const [ci, copy] of copies.entries()) {
    const src = copy.src
    if (!src) continue
    for (const c of copy.claims) {
      let byPackage = index.get(c.codename)
      if (!byPackage) {
        byPackage = new Map()
        index.set(c.codename, byPackage)
      }
      let list = byPackage.get(c.packageName)
      if (!list) {
        list = []
        byPackage.set(c.packageName, list)
      }
      let entry: PackageClaims | undefined
      for (const e of list) {
        if (e.claim.pro === c.pro && e.claim.kind === c.kind) {
          entry = e
          break
        }
      }
      if (!entry) {
        entry = { claim: c, versions: new Map() }
        list.push(entry)
        order.push(entry)
      }
      const v = entry.versions.get(c.version)
      if (v) {
        if (v.lastCopy === ci) continue
        v.lastCopy = ci
        v.sources.push(src)
      } else {
        entry.versions.set(c.version, { sources: [src], lastCopy: ci })
        if (entry.versions.size > 1) multi = true
      }
    }
  }
  if (!multi) return []
  const out: FixConflict[] = []
  for (const { claim, versions } of order) {
    if (versions.size < 2) continue
    out.push({
      codename: claim.codename,
      pro: claim.pro,
      kind: claim.kind,
      packageName: claim.packageName,
      claims: [...versions.entries()].map(([fixedVersion, v]) => ({ fixedVersion, sources: v.sources })),
    })
  }
  return out
}

function hostOf(c: Copy, src: AdvisorySource): string {
  c.host ??= sourceHost(src)
  return c.host
}

/** True when the two copies share at least one claim (same release, pro, kind, package and version). */
function agree(a: Copy, b: Copy): boolean {
  // Copies of one notice usually list their claims in the same order: try positions first.
  const n = Math.min(a.claims.length, b.claims.length)
  for (let k = 0; k < n; k++) if (sameClaim(a.claims[k] as Claim, b.claims[k] as Claim)) return true
  a.ids ??= new Set(a.claims.map(claimId))
  const ids = a.ids
  return b.claims.some((c) => ids.has(claimId(c)))
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
      // independent(): different hosts.
      if (hostOf(a, sa) === hostOf(b, sb)) continue
      if (agree(a, b)) return true
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
 * fixed version's changelog inside the signed archive (docs/trust.md, "The archive itself is evidence"). Never lowers trust and
 * never clears a conflict.
 */
export function markArchiveConfirmed(advisory: Advisory): Advisory {
  if (STRENGTH[advisory.trust] < 0 || STRENGTH[advisory.trust] >= STRENGTH['archive-confirmed'])
    return advisory
  return { ...advisory, trust: 'archive-confirmed' }
}
