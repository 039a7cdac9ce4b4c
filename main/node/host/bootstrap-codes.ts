/**
 * The one-time bootstrap codes of browser mode: what a browser started by Lifeline gets on its command line instead
 * of the session token (readable by every local user in /proc/PID/cmdline), exchanged once at `POST /session`.
 */
import { randomBytes } from 'node:crypto'
import { Limits } from '../../core/limits'
import { timingSafeEqualStrings } from './sender-policy'

/** Why a bootstrap code was refused (`POST /session`). */
export type BootstrapRefusal = 'unknown-code' | 'expired-code' | 'other-user' | 'unknown-user'

/** The codes issued by one host, each alive for `Limits.host.bootstrapCodeTtlMs` and good for one exchange. */
export interface BootstrapCodes {
  /** A fresh code; the oldest outstanding one goes when `Limits.host.maxBootstrapCodes` are out. */
  issue(): string
  /** Uses up a code: undefined when it was valid (it is now dead), the refusal otherwise. */
  redeem(code: string): BootstrapRefusal | undefined
  /** Kills every outstanding code (the host is stopping). */
  clear(): void
}

/** Creates the ledger of codes, on the host's clock. */
export function createBootstrapCodes(now: () => number): BootstrapCodes {
  // Code → when it stops working. A used code is deleted, so it is refused like one never issued.
  const codes = new Map<string, number>()
  return {
    issue() {
      const t = now()
      for (const [c, until] of codes) if (until <= t) codes.delete(c)
      // Bounded: the oldest outstanding code goes first.
      while (codes.size >= Limits.host.maxBootstrapCodes) {
        const oldest = codes.keys().next().value
        if (oldest === undefined) break
        codes.delete(oldest)
      }
      const code = randomBytes(24).toString('base64url')
      codes.set(code, t + Limits.host.bootstrapCodeTtlMs)
      return code
    },
    redeem(code) {
      const t = now()
      let found: string | undefined
      for (const [c, until] of codes) {
        if (until <= t && c !== code) codes.delete(c)
        // Compare every candidate in constant time; the map lookup alone would leak timing on the code's hash.
        if (timingSafeEqualStrings(c, code)) found = c
      }
      if (found === undefined) return 'unknown-code'
      const until = codes.get(found) ?? 0
      codes.delete(found)
      return until > t ? undefined : 'expired-code'
    },
    clear() {
      codes.clear()
    },
  }
}

/** The sentence the page shows for a refused code. */
export function bootstrapMessage(why: BootstrapRefusal): string {
  switch (why) {
    case 'expired-code':
      return 'This link has expired: it works only in the first minute after Lifeline opens it.'
    case 'unknown-code':
      return 'This link was already used, or it is not from this run of Lifeline.'
    case 'other-user':
      return 'This link belongs to the user running Lifeline; it does not work from another user account.'
    case 'unknown-user':
      return 'Lifeline could not tell which user opened this link, so it does not trust it.'
  }
}
