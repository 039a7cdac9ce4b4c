/**
 * Which saved mirror data may still vouch for a package version (docs/trust.md, points 1–3: fail closed).
 *
 * The poller keeps a mirror × suite's last verified indexes when a later poll fails, so the app can show the last
 * good state while a mirror is unreachable. That data must stop counting as evidence when the reason it was
 * trusted is gone: the key that signed it is no longer pinned (a policy removed a compromised key), its
 * Valid-Until has passed, or the mirror has since served something that may mean an attack.
 */
import type { MirrorsState, SuiteRecord } from '../apt/mirror-state'
import type { Keyring } from '../pgp/keyring'
import { isSuspiciousState } from './predicates'

/** Why a saved record no longer vouches for anything; undefined when it still does. */
export function distrustReason(rec: SuiteRecord, keyring: Keyring, now: number): string | undefined {
  const v = rec.verified
  if (!v) return 'never verified'
  if (!keyring.byFingerprint(v.signedBy, 'archive'))
    return `signed by ${v.signedBy}, which is no longer a pinned archive key`
  if (v.validUntil !== undefined && v.validUntil < now) return 'its Valid-Until has passed'
  if (rec.last && isSuspiciousState(rec.last.state)) return `the mirror has since been ${rec.last.state}`
  return undefined
}

/** The state with every record that no longer vouches for its versions left out. */
export function trustedMirrorsState(
  state: MirrorsState | undefined,
  keyring: Keyring,
  now: number,
): MirrorsState | undefined {
  if (!state) return undefined
  const suites: Record<string, SuiteRecord> = {}
  for (const [k, rec] of Object.entries(state.suites)) {
    if (distrustReason(rec, keyring, now) === undefined) suites[k] = rec
  }
  return { ...state, suites }
}
