/**
 * Named lab scenarios: which fault each target starts with.
 *
 * `outage` is the day Lifeline was built for (README.md): the primary archive and the advisory website down, two mirrors up
 * (one lagging), and a fake fix circulating (served by the `social` host and appended, unsigned, to the mbox).
 */
import { CoreError } from '../core/errors'
import type { Fault, FaultName, LabErrorCode } from './faults'

/** Ids of the lab's targets. */
export const LAB_TARGET_IDS = [
  'primary',
  'mirror-a',
  'mirror-b',
  'real-ubuntu',
  'notices-api',
  'osv',
  'osv-api',
  'github-osv',
  'helpdesk-feed',
  'announce',
  'social',
] as const

/** A target id. */
export type LabTargetId = (typeof LAB_TARGET_IDS)[number]

/** A scenario: a one-line description and the starting fault of each target (others: none). */
export interface LabScenario {
  readonly name: string
  readonly description: string
  readonly faults: Readonly<Partial<Record<LabTargetId, Fault>>>
}

/** A fault by name, for the scenario table below. */
const fault = (name: FaultName): Fault => ({ name })

/** Every named scenario. */
export const SCENARIOS: readonly LabScenario[] = [
  { name: 'calm', description: 'Everything up and current.', faults: {} },
  {
    name: 'outage',
    description:
      'The primary archive and the advisory website are down; two mirrors are up, one of them lagging; a fake fix circulates.',
    faults: { primary: fault('down'), 'notices-api': fault('down'), 'mirror-b': fault('lagging') },
  },
  {
    name: 'copy-fail',
    description:
      "Copy Fail (CVE-2026-31431), a kernel root exploit: ubuntu.com down, this machine's mirror behind, the fixed kernel on the university mirror; OSV.dev and the GitHub copy up.",
    faults: { primary: fault('lagging'), 'notices-api': fault('down'), 'mirror-b': fault('down') },
  },
  {
    name: 'attack',
    description:
      'A mirror serves a tampered signature, another a frozen Release; the OSV copy and the feed disagree on the fix.',
    faults: {
      primary: fault('refused'),
      'mirror-a': fault('tampered-signature'),
      'mirror-b': fault('frozen'),
      osv: fault('conflicting-advisory'),
      'notices-api': fault('redirect-to-http'),
    },
  },
  {
    name: 'slow-network',
    description: 'Mirrors answer slowly or stall mid-body; channels trickle.',
    faults: {
      primary: fault('stalled'),
      'mirror-a': { name: 'slow', bytesPerSecond: 64 * 1024 },
      'mirror-b': { name: 'slow', bytesPerSecond: 256 },
      'notices-api': fault('endless'),
    },
  },
]

/** The scenario called `name`; LAB_UNKNOWN_SCENARIO otherwise. */
export function scenarioNamed(name: string): LabScenario {
  const s = SCENARIOS.find((x) => x.name === name)
  if (!s) {
    throw new CoreError<LabErrorCode>(
      'LAB_UNKNOWN_SCENARIO',
      `unknown scenario ${JSON.stringify(name)}; known: ${SCENARIOS.map((x) => x.name).join(', ')}`,
    )
  }
  return s
}
