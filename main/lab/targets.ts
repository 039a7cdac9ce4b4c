/**
 * The lab's targets: what each host serves (main/lab/content.ts, main/lab/osv-hosts.ts), which content faults it
 * has a variant for, and the running table of them: start each on its own port, look one up, switch its fault.
 */
import { CoreError } from '../core/errors'
import type { LabArchive, LabKeys } from './archive'
import {
  mboxContent,
  noticesApiContent,
  osvContent,
  postContent,
  REAL_MIRROR_CONTENT_FAULTS,
  realMirrorContent,
  signedFeedContent,
  syntheticMirrorContent,
} from './content'
import type { Fault, FaultName, LabErrorCode } from './faults'
import { parseFault, TRANSPORT_FAULTS } from './faults'
import { listenError } from './loopback'
import { GITHUB_OSV_REPO_PATH, githubRawContent, osvApiContent, osvHostRecords } from './osv-hosts'
import type { LabTargetId } from './scenarios'
import { LAB_TARGET_IDS } from './scenarios'
import type { Site, SiteContent } from './site'
import { startSite } from './site'

/** What kind of thing a target is. */
export type LabTargetKind = 'mirror' | 'channel' | 'post'

/** One target as reported (CLI, control endpoint). */
export interface LabTargetInfo {
  readonly id: LabTargetId
  readonly kind: LabTargetKind
  readonly name: string
  /** The URL a client configures: a mirror's base URL, a channel's first URL, the post's URL. */
  readonly url: string
  readonly fault: Fault
}

/** What a target serves, before it is started. */
export interface TargetSpec {
  readonly id: LabTargetId
  readonly kind: LabTargetKind
  readonly name: string
  /** Where the target's content starts on its host (a mirror's `/ubuntu`, a channel's first file...). */
  readonly path: string
  readonly content: SiteContent
  /** Content faults this target has a variant for. */
  readonly contentFaults: ReadonlySet<FaultName>
}

/** A started target. */
export interface Target extends Omit<TargetSpec, 'content'> {
  readonly site: Site
}

/** Faults of a signed, dated document the lab can re-sign: an older, expired, tampered or mismatching copy. */
const RE_SIGNED_FAULTS: readonly FaultName[] = [
  'stale',
  'frozen',
  'rolled-back',
  'lagging',
  'tampered-signature',
  'wrong-index-hash',
]
const SYNTHETIC_MIRROR_FAULTS = new Set<FaultName>([...RE_SIGNED_FAULTS, 'wrong-suite'])
const SIGNED_FEED_FAULTS = new Set<FaultName>([...RE_SIGNED_FAULTS, 'conflicting-advisory'])
const ADVISORY_COPY_FAULTS = new Set<FaultName>(['conflicting-advisory'])
const NO_CONTENT_FAULTS = new Set<FaultName>()

/** The three synthetic mirrors: the same archive, each on its own host. */
function syntheticMirrors(archive: LabArchive): TargetSpec[] {
  const names: readonly (readonly [LabTargetId, string])[] = [
    ['primary', 'Ubuntu archive (primary, lab)'],
    ['mirror-a', 'University mirror (lab)'],
    ['mirror-b', 'Cloud mirror (lab)'],
  ]
  return names.map(([id, name]) => ({
    id,
    kind: 'mirror',
    name,
    path: '/ubuntu',
    content: syntheticMirrorContent(archive),
    contentFaults: SYNTHETIC_MIRROR_FAULTS,
  }))
}

/** The real Canonical-signed fixture mirror: it cannot be re-signed, so it has only the variants that need none. */
function realMirror(fixtures: ReadonlyMap<string, Uint8Array>): TargetSpec {
  return {
    id: 'real-ubuntu',
    kind: 'mirror',
    name: 'Real Ubuntu noble-security metadata (fixture of 2026-06-06)',
    path: '/ubuntu',
    content: realMirrorContent(fixtures),
    contentFaults: REAL_MIRROR_CONTENT_FAULTS as ReadonlySet<FaultName>,
  }
}

/** The advisory channels, the signed ones signed at `now` with the lab's advisory key. */
async function advisoryChannels(
  fixtures: ReadonlyMap<string, Uint8Array>,
  keys: LabKeys,
  now: number,
): Promise<TargetSpec[]> {
  const [feed, mbox] = await Promise.all([signedFeedContent(fixtures, keys, now), mboxContent(keys, now)])
  const osvRecords = osvHostRecords(fixtures, now)
  const channel = (
    id: LabTargetId,
    name: string,
    path: string,
    served: Pick<TargetSpec, 'content' | 'contentFaults'>,
  ): TargetSpec => ({ id, kind: 'channel', name, path, ...served })
  return [
    channel('notices-api', 'ubuntu.com security notices API (lab)', '/security/notices.json', {
      content: noticesApiContent(fixtures),
      contentFaults: NO_CONTENT_FAULTS,
    }),
    channel('osv', 'Ubuntu OSV data (lab copy)', '/osv/', {
      content: osvContent(fixtures),
      contentFaults: ADVISORY_COPY_FAULTS,
    }),
    channel('osv-api', 'OSV.dev API (lab)', '', {
      content: osvApiContent(osvRecords),
      contentFaults: ADVISORY_COPY_FAULTS,
    }),
    channel('github-osv', 'GitHub raw files: canonical/ubuntu-security-notices (lab)', GITHUB_OSV_REPO_PATH, {
      content: githubRawContent(osvRecords),
      contentFaults: ADVISORY_COPY_FAULTS,
    }),
    channel('helpdesk-feed', 'Helpdesk signed feed (lab)', '/feed/', {
      content: feed,
      contentFaults: SIGNED_FEED_FAULTS,
    }),
    channel('announce', 'ubuntu-security-announce archive (lab)', '/archive/announce.mbox', {
      content: mbox,
      contentFaults: new Set<FaultName>(['tampered-signature', 'conflicting-advisory']),
    }),
  ]
}

/** Builds every target's content, in the order of LAB_TARGET_IDS (each target's port follows that order). */
export async function labTargetSpecs(opts: {
  readonly fixtures: ReadonlyMap<string, Uint8Array>
  readonly keys: LabKeys
  readonly archive: LabArchive
  readonly now: number
}): Promise<TargetSpec[]> {
  return [
    ...syntheticMirrors(opts.archive),
    realMirror(opts.fixtures),
    ...(await advisoryChannels(opts.fixtures, opts.keys, opts.now)),
    {
      id: 'social',
      kind: 'post',
      name: 'Social media post (fake fix)',
      path: '/post/emergency-fix.txt',
      content: postContent(),
      contentFaults: NO_CONTENT_FAULTS,
    },
  ]
}

/** The running targets. */
export interface TargetTable {
  readonly sites: readonly Site[]
  /** The target `id`; LAB_UNKNOWN_TARGET for a name that is none. */
  target(id: string): Target
  /** The URL a client configures for target `id`. */
  url(id: LabTargetId): string
  /** Switches a target's fault; LAB_BAD_FAULT when the target has no variant for it. */
  setFault(id: string, fault: Fault | FaultName): Promise<void>
  info(): LabTargetInfo[]
}

/**
 * Starts every target, each on its own port (`basePort + 1 + i`, or a free one without `basePort`), and hands each
 * started host to `opened` so a failed start can close it.
 */
export async function startTargets(
  specs: readonly TargetSpec[],
  basePort: number | undefined,
  opened: (site: Site) => void,
): Promise<TargetTable> {
  const targets = new Map<LabTargetId, Target>()
  for (const [i, spec] of specs.entries()) {
    const port = basePort ? basePort + 1 + i : 0
    let site: Site
    try {
      site = await startSite({ port, content: spec.content })
    } catch (e) {
      throw listenError(e, port, `target ${spec.id}`)
    }
    opened(site)
    const { content: _content, ...described } = spec
    targets.set(spec.id, { ...described, site })
  }
  return targetTable(targets)
}

function targetTable(targets: ReadonlyMap<LabTargetId, Target>): TargetTable {
  const target = (id: string): Target => {
    const found = targets.get(id as LabTargetId)
    if (!found) {
      throw new CoreError<LabErrorCode>(
        'LAB_UNKNOWN_TARGET',
        `unknown target ${JSON.stringify(id)}; known: ${LAB_TARGET_IDS.join(', ')}`,
      )
    }
    return found
  }
  const url = (id: LabTargetId): string => {
    const found = target(id)
    return `${found.site.origin}${found.path}`
  }
  return {
    sites: [...targets.values()].map((t) => t.site),
    target,
    url,
    async setFault(id, value) {
      const found = target(id)
      const fault = parseFault(value)
      if (!TRANSPORT_FAULTS.has(fault.name) && !found.contentFaults.has(fault.name)) {
        throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', `${id} has no "${fault.name}" variant`, {
          target: id,
          fault: fault.name,
        })
      }
      await found.site.setFault(fault)
    },
    info: () =>
      [...targets.values()].map((t) => ({
        id: t.id,
        kind: t.kind,
        name: t.name,
        url: url(t.id),
        fault: t.site.fault(),
      })),
  }
}
