/**
 * The faults the outage lab can put on a mirror or channel (main/lab/README.md; docs/cli.md, "lifeline lab").
 *
 * Transport faults act on any target; content faults need a content variant (a re-signed older Release, an
 * altered index...) and are accepted only by targets that have one (`supportsFault`).
 */
import { CoreError } from '../core/errors'

/** Failures of the lab's own API (bad fault, unknown target or scenario). */
export type LabErrorCode =
  'LAB_UNKNOWN_TARGET' | 'LAB_BAD_FAULT' | 'LAB_UNKNOWN_SCENARIO' | 'LAB_FIXTURES_MISSING'

/** Every fault name, in the order the lab documents them. */
export const FAULT_NAMES = [
  'none',
  'down', // accepts the connection, then resets it (ECONNRESET)
  'refused', // nothing listens on the port any more (ECONNREFUSED)
  'slow', // the real body, at `bytesPerSecond`
  'stalled', // headers and half the body, then silence
  'stale', // a validly signed Release 10 days old
  'frozen', // a validly signed Release whose Valid-Until has passed
  'rolled-back', // an older validly signed Release than one already served
  'lagging', // the older Release, as a mirror that stopped syncing would serve it
  'tampered-signature', // one byte of the signed text changed
  'wrong-index-hash', // an index whose bytes differ from the SHA256 in the signed Release
  'wrong-suite', // another suite's validly signed Release
  'oversized', // a body far over any cap, with an honest Content-Length
  'endless', // a body that never ends, without Content-Length
  'redirect-loop', // 302 to itself, forever
  'redirect-to-http', // 302 to plain http on a non-loopback host
  'conflicting-advisory', // the advisory names another fixed version
] as const

/** A fault's name. */
export type FaultName = (typeof FAULT_NAMES)[number]

/** A fault with its parameter. */
export interface Fault {
  readonly name: FaultName
  /** For `slow`: the rate served (default 512 bytes/s, under the fetcher's 2 KiB/s minimum). */
  readonly bytesPerSecond?: number | undefined
}

/** Faults that need no content variant and work on every target. */
export const TRANSPORT_FAULTS: ReadonlySet<FaultName> = new Set([
  'none',
  'down',
  'refused',
  'slow',
  'stalled',
  'oversized',
  'endless',
  'redirect-loop',
  'redirect-to-http',
])

/** Validates a fault from outside (CLI, control endpoint); throws LAB_BAD_FAULT. */
export function parseFault(value: unknown): Fault {
  const v = typeof value === 'string' ? { name: value } : value
  if (typeof v !== 'object' || v === null)
    throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', 'a fault is a name or {name}')
  const o = v as { name?: unknown; bytesPerSecond?: unknown }
  if (typeof o.name !== 'string' || !(FAULT_NAMES as readonly string[]).includes(o.name)) {
    throw new CoreError<LabErrorCode>(
      'LAB_BAD_FAULT',
      `unknown fault ${JSON.stringify(o.name)}; known: ${FAULT_NAMES.join(', ')}`,
    )
  }
  if (o.bytesPerSecond !== undefined) {
    if (
      typeof o.bytesPerSecond !== 'number' ||
      !Number.isFinite(o.bytesPerSecond) ||
      o.bytesPerSecond < 1 ||
      o.bytesPerSecond > 1e9
    ) {
      throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', 'bytesPerSecond must be a number from 1 to 1e9')
    }
  }
  return { name: o.name as FaultName, bytesPerSecond: o.bytesPerSecond as number | undefined }
}
