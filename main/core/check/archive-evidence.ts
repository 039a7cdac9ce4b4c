/**
 * The check's use of the archive's own evidence (docs/trust.md, "archive-confirmed"): assess, ask the evidence
 * chain (main/core/apt/evidence.ts) for the changelogs of the source versions that matter, raise advisories the
 * signed archive confirms, and assess again. The evidence chain itself never runs the assessment.
 */
import { markArchiveConfirmed } from '../advisories/merge'
import {
  archiveConfirmedCves,
  gatherArchiveEvidence,
  type EvidenceProblem,
  type EvidenceTarget,
  type GatherEvidenceInput,
  type SourceEvidenceState,
} from '../apt/evidence'
import { compareDebianVersions } from '../apt/version'
import { assess } from '../assess/assess'
import { advisorySourceName } from '../assess/package-names'
import type { Assessment, AssessInput, AvailableVersion, Evidence } from '../assess/types'

/**
 * The source versions a check wants evidence for: every upgrade of an installed package to a newer version in a
 * verified `-security` pocket (`securityUpdates`), and every upgrade or new install an advisory's finding asks for.
 * A kernel fix is a new ABI package (`linux-image-<abi>-<flavour>`, pulled in by the metapackage upgrade), and
 * kernel notices name the `linux` source: so the fixed kernel image a finding rests on, and its
 * `linux-modules-<abi>-<flavour>` (built from `linux` itself), are targets too. The real source name and version
 * come from the verified Packages index entry (so `linux-signed-*` and binNMUs resolve to what the Sources index
 * lists). The per-check fetch budget (Limits.evidence.maxSourcesPerCheck) still applies.
 */
export function evidenceTargets(
  assessment: Assessment,
  available: readonly AvailableVersion[],
): EvidenceTarget[] {
  const index = new Map<string, AvailableVersion>()
  for (const a of available) {
    index.set(`${a.mirrorId}\u0000${a.suite}\u0000${a.package}\u0000${a.arch}\u0000${a.version}`, a)
  }
  const find = (t: {
    package: string
    arch: string
    version: string
    repository: { mirrorId: string; suite: string }
  }): AvailableVersion | undefined => {
    const k = `${t.repository.mirrorId}\u0000${t.repository.suite}\u0000${t.package}\u0000`
    return index.get(`${k}${t.arch}\u0000${t.version}`) ?? index.get(`${k}all\u0000${t.version}`)
  }
  const out: EvidenceTarget[] = []
  const add = (
    upgrades: readonly {
      package: string
      arch: string
      version: string
      repository: { mirrorId: string; suite: string; component: string }
    }[],
    since: string | undefined,
    advisory: boolean,
  ): void => {
    for (const u of upgrades) {
      const a = find(u)
      if (!a) continue
      out.push({
        source: a.source,
        version: a.sourceVersion,
        sinceVersion: since,
        mirrorId: a.mirrorId,
        suite: a.suite,
        component: a.component,
        advisory,
      })
    }
  }
  for (const u of assessment.securityUpdates)
    add(u.upgrades, u.installedSourceVersion, u.advisoryIds.length > 0)
  for (const adv of assessment.advisories) {
    for (const f of adv.packages) {
      let since: string | undefined
      for (const i of f.installed)
        if (since === undefined || compareDebianVersions(i.sourceVersion, since) > 0) since = i.sourceVersion
      add(f.upgrades, since, true)
      add(f.newInstalls, since, true)
      add(kernelAbiTargets(f.evidence), since, true)
    }
  }
  return out
}

/** `linux-image-6.8.0-41-generic` (or `-unsigned-`): the ABI and the flavour. */
const KERNEL_ABI_IMAGE = /^linux-image-(?:unsigned-)?(\d+\.\d+\.\d+-\d+)-(.+)$/

/**
 * The fixed kernel image a finding points at (its `verified-mirror` evidence) and the modules package of the same
 * ABI, flavour, version and repository: what the metapackage upgrade installs.
 */
function kernelAbiTargets(evidence: readonly Evidence[]): {
  package: string
  arch: string
  version: string
  repository: { mirrorId: string; suite: string; component: string }
}[] {
  const out: ReturnType<typeof kernelAbiTargets> = []
  for (const e of evidence) {
    if (e.kind !== 'verified-mirror') continue
    const m = KERNEL_ABI_IMAGE.exec(e.package)
    if (!m) continue
    const repository = { mirrorId: e.mirrorId, suite: e.suite, component: e.component }
    out.push({ package: e.package, arch: e.arch, version: e.version, repository })
    out.push({ package: `linux-modules-${m[1]}-${m[2]}`, arch: e.arch, version: e.version, repository })
  }
  return out
}

/** What `assessWithArchiveEvidence` returns. */
export interface EvidencedAssessment {
  readonly assessment: Assessment
  /** The evidence cache to persist (unchanged when nothing was fetched). */
  readonly state: SourceEvidenceState | undefined
  readonly problems: readonly EvidenceProblem[]
  /** Advisory ids raised to `archive-confirmed`. */
  readonly confirmed: readonly string[]
  readonly fetched: number
  readonly deferred: number
  /** The input the returned assessment was made from (with the evidence), to assess again without fetching. */
  readonly input: AssessInput
}

/**
 * Assesses, then strengthens the assessment with archive evidence (docs/trust.md, "archive-confirmed"):
 *
 * 1. assess as usual, to learn which source versions matter (security updates, advisory fixes);
 * 2. gather their changelog evidence (cache first; at most `maxFetches` new source versions, 0 for offline);
 * 3. raise each unsigned advisory whose CVE the fixed version's changelog names to `archive-confirmed`
 *    (`markArchiveConfirmed`: never lowers trust, never clears a conflict), and assess again with the evidence, so
 *    security updates carry the CVEs the archive names.
 */
export async function assessWithArchiveEvidence(
  input: AssessInput,
  evidence: Omit<GatherEvidenceInput, 'targets'>,
): Promise<EvidencedAssessment> {
  const first = assess(input)
  const targets = evidenceTargets(first, input.available)
  if (targets.length === 0 && !evidence.cache) {
    return {
      assessment: first,
      state: evidence.cache,
      problems: [],
      confirmed: [],
      fetched: 0,
      deferred: 0,
      input,
    }
  }
  const got = await gatherArchiveEvidence({ ...evidence, targets })
  const codename = input.system.os.codename ?? ''
  const confirmed: string[] = []
  const advisories = input.advisories.map((a) => {
    if (archiveConfirmedCves(a, codename, got.state).length === 0) return a
    const raised = markArchiveConfirmed(a)
    if (raised !== a) confirmed.push(a.id)
    return raised
  })
  const archiveEvidence = got.evidence.map((e) => ({ ...e, source: advisorySourceName(e.source) }))
  if (archiveEvidence.length === 0 && confirmed.length === 0) {
    return {
      assessment: first,
      state: got.state,
      problems: got.problems,
      confirmed,
      fetched: got.fetched,
      deferred: got.deferred,
      input,
    }
  }
  const evidenced = { ...input, advisories, archiveEvidence }
  return {
    assessment: assess(evidenced),
    state: got.state,
    problems: got.problems,
    confirmed,
    fetched: got.fetched,
    deferred: got.deferred,
    input: evidenced,
  }
}
