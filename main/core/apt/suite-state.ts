/**
 * What a mirror × suite's state means: whether it verified (`isVerifiedState`), and which state a failure shows as
 * (docs/trust.md, "Mirrors"), one decision per error code.
 *
 * The map is over every code of `main/core/error-codes.ts`, so a new code cannot be added without deciding how a
 * mirror that fails with it is reported. Codes of the layers a poll runs through (network, OpenPGP, apt, saved
 * state) are decided one by one; codes of areas a poll never calls are reported as `unreachable`, as any failure
 * that says nothing about the mirror's data.
 */
import {
  ERROR_AREAS,
  isErrorCode,
  type AptErrorCode,
  type ErrorArea,
  type ErrorCode,
  type ErrorCodeOf,
  type NetErrorCode,
  type PgpErrorCode,
} from '../error-codes'
import type { MirrorSuiteState } from '../model'

/**
 * Apt failures. A Date in the future is, like a passed Valid-Until, a Release whose validity window does not hold
 * `now`. Malformed signed metadata cannot be trusted either: it is reported with the signature failures.
 */
const APT_STATES: Readonly<Record<AptErrorCode, MirrorSuiteState>> = {
  APT_FROZEN: 'frozen',
  APT_DATE_IN_FUTURE: 'frozen',
  APT_STALE: 'stale',
  APT_ROLLBACK: 'rolled-back',
  APT_WRONG_SUITE: 'wrong-suite',
  APT_HASH_MISMATCH: 'hash-mismatch',
  APT_SIZE_MISMATCH: 'hash-mismatch',
  APT_NOT_IN_RELEASE: 'hash-mismatch',
  APT_CORRUPT_COMPRESSION: 'hash-mismatch',
  APT_TOO_LARGE: 'too-large',
  APT_STATE_CAP: 'too-large',
  APT_BAD_VERSION: 'bad-signature',
  APT_PARSE: 'bad-signature',
  APT_MISSING_FIELD: 'bad-signature',
  APT_BAD_FIELD: 'bad-signature',
  APT_BAD_DATE: 'bad-signature',
  APT_UNSIGNED_TEXT: 'bad-signature',
  APT_BAD_TAR: 'bad-signature',
  APT_TAR_MEMBER_NOT_FOUND: 'bad-signature',
  APT_BAD_CHANGELOG: 'bad-signature',
}

/** Network failures: the mirror's data was not reached, except when it was too slow or too large to take. */
const NET_STATES: Readonly<Record<NetErrorCode, MirrorSuiteState>> = {
  NET_TOO_SLOW: 'too-slow',
  NET_TOO_LARGE: 'too-large',
  NET_BAD_URL: 'unreachable',
  NET_UNREACHABLE: 'unreachable',
  NET_TIMEOUT: 'unreachable',
  NET_HTTP_STATUS: 'unreachable',
  NET_REDIRECT_LIMIT: 'unreachable',
  NET_REDIRECT_DOWNGRADE: 'unreachable',
  NET_NOT_FOUND: 'unreachable',
  NET_ABORTED: 'unreachable',
}

/** Every OpenPGP failure means the Release is not vouched for by a pinned archive key. */
const PGP_STATES: Readonly<Record<PgpErrorCode, MirrorSuiteState>> = sameStateForArea('pgp', 'bad-signature')

/** `state` for every code of `area`. */
function sameStateForArea<A extends ErrorArea>(
  area: A,
  state: MirrorSuiteState,
): Readonly<Record<ErrorCodeOf<A>, MirrorSuiteState>> {
  const codes = Object.keys(ERROR_AREAS[area]) as ErrorCodeOf<A>[]
  return Object.fromEntries(codes.map((code) => [code, state])) as Record<ErrorCodeOf<A>, MirrorSuiteState>
}

const MIRROR_STATE_OF_CODE: Readonly<Record<ErrorCode, MirrorSuiteState>> = {
  ...APT_STATES,
  ...NET_STATES,
  ...PGP_STATES,
  // A saved package list that cannot be written or read back is data Lifeline does not have.
  ...sameStateForArea('state', 'unreachable'),
  ...sameStateForArea('evidence', 'unreachable'),
  ...sameStateForArea('api', 'unreachable'),
  ...sameStateForArea('advisory', 'unreachable'),
  ...sameStateForArea('system', 'unreachable'),
  ...sameStateForArea('inspect', 'unreachable'),
  ...sameStateForArea('config', 'unreachable'),
  ...sameStateForArea('key-file', 'unreachable'),
  ...sameStateForArea('app', 'unreachable'),
  ...sameStateForArea('cli', 'unreachable'),
  ...sameStateForArea('lab', 'unreachable'),
}

/**
 * The mirror status a failure code maps to. It takes a string because codes also come back from disk (a suite's
 * last failure) and from errors typed loosely on the way; a string that is no code at all is `unreachable`.
 */
export function stateForCode(code: string): MirrorSuiteState {
  return isErrorCode(code) ? MIRROR_STATE_OF_CODE[code] : 'unreachable'
}

/**
 * A mirror × suite whose Release verified in this check and is current: `ok`, or `lagging` (verified, but behind
 * another verified mirror). Its versions are offered and it counts as "a verified mirror". The check's predicates
 * (`main/core/check/predicates.ts`) re-export it; it lives here so the poller can ask it too.
 */
export function isVerifiedState(state: MirrorSuiteState): boolean {
  return state === 'ok' || state === 'lagging'
}
