/**
 * Fetching and verifying a suite's Release: the one place where the bytes of `InRelease` (or `Release` +
 * `Release.gpg`) become trusted text. Used by the mirror poller (`poller.ts`) and by the archive evidence chain
 * (`evidence.ts`), so a rule about what counts as a signed Release is written once (docs/trust.md).
 *
 * Only the text inside the verified signature moves on: `verifyInRelease` (signed-release.ts) returns the signed text
 * of an InRelease and refuses one with unsigned text around it, `verifyDetached` the signed bytes of a Release, and
 * nothing around them is ever parsed. Only `archive` keys may
 * sign. Checking what the Release says (suite, dates, rollback) is `checkRelease` in `release.ts`, by the caller.
 */
import { CoreError, isCoreError } from '../errors'
import { Limits } from '../limits'
import type { FetchResponse } from '../ports'
import type { Keyring } from '../pgp/keyring'
import { verifyDetached } from '../pgp/verify'
import type { Signer } from '../pgp/verify'
import { aptError } from './errors'
import { verifyInRelease } from './signed-release'

/** Which file carried the signed Release. */
export type ReleaseFile = 'InRelease' | 'Release'

/** HTTP validators of a previous response, for a conditional GET. */
export interface ReleaseValidators {
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
}

/** Input of `fetchSignedRelease`. */
export interface ReleaseFetchOptions {
  /** The suite's directory URL, ending in `/`: `<base>/dists/<suite>/`. */
  readonly dist: string
  /** Downloads one URL within `maxBytes` (the caller's fetcher, counting bytes as it likes). */
  readonly fetch: (url: string, maxBytes: number, validators?: ReleaseValidators) => Promise<FetchResponse>
  /** Pinned keys; only `archive` keys count. */
  readonly keyring: Keyring
  /** Reference time of the signature checks (epoch ms). */
  readonly now: number
  /**
   * Only this file (the evidence chain re-fetches the file the poller verified). Default: InRelease, then
   * Release + Release.gpg when the mirror has no InRelease (Debian repository format, "Release.gpg").
   */
  readonly file?: ReleaseFile | undefined
  /** Validators to send for a file; undefined sends an unconditional request. */
  readonly validators?: ((file: ReleaseFile) => ReleaseValidators | undefined) | undefined
  /** Told each URL as it is tried (for the status shown when something fails). */
  readonly onUrl?: ((url: string) => void) | undefined
}

/** What `fetchSignedRelease` found: unchanged since the validators were issued, or a verified Release. */
export type SignedRelease =
  | { readonly notModified: true; readonly file: ReleaseFile; readonly url: string }
  | {
      readonly notModified: false
      readonly file: ReleaseFile
      /** The URL the Release finally came from (after redirects). */
      readonly url: string
      /** The signed text, and only it. */
      readonly text: string
      /** Fingerprint of the pinned key behind the accepted signature. */
      readonly signedBy: string
      readonly etag?: string | undefined
      readonly lastModified?: string | undefined
    }

/**
 * Fetches a suite's Release and verifies its signature with the pinned archive keys.
 *
 * A 304 answer is returned as `notModified` only to a request that carried validators; to any other request it
 * is NET_HTTP_STATUS (keeping data we never asked to keep would be trusting the mirror). Failures throw PGP_*,
 * APT_PARSE or NET_* codes with the URL in their details.
 */
export async function fetchSignedRelease(opts: ReleaseFetchOptions): Promise<SignedRelease> {
  const tryFile = async (file: ReleaseFile): Promise<SignedRelease> => {
    const url = `${opts.dist}${file}`
    opts.onUrl?.(url)
    return withUrl(url, async () => {
      const validators = opts.validators?.(file)
      const res = await opts.fetch(url, Limits.size.releaseBytes, validators)
      if (res.notModified) {
        if (validators !== undefined) return { notModified: true, file, url: res.finalUrl }
        throw new CoreError('NET_HTTP_STATUS', `304 Not Modified to an unconditional request for ${url}`, {
          url,
          status: 304,
        })
      }
      let detached: Uint8Array | undefined
      if (file === 'Release') {
        const sigUrl = `${url}.gpg`
        opts.onUrl?.(sigUrl)
        detached = (await withUrl(sigUrl, () => opts.fetch(sigUrl, Limits.size.signatureBytes))).body
        opts.onUrl?.(url)
      }
      const v = await verifyReleaseSignature(res.body, detached, opts.keyring, opts.now)
      return {
        notModified: false,
        file,
        url: res.finalUrl,
        text: v.text,
        signedBy: v.signedBy,
        etag: res.etag,
        lastModified: res.lastModified,
      }
    })
  }
  if (opts.file !== undefined) return tryFile(opts.file)
  try {
    return await tryFile('InRelease')
  } catch (e) {
    if (!isCoreError(e, 'NET_NOT_FOUND')) throw e
    return tryFile('Release')
  }
}

/**
 * Verifies a Release signature with the pinned archive keys; returns only the signed text.
 *
 * InRelease is clearsigned (`detached` undefined); Release comes with `Release.gpg`.
 */
async function verifyReleaseSignature(
  body: Uint8Array,
  detached: Uint8Array | undefined,
  keyring: Keyring,
  now: number,
): Promise<{ text: string; signedBy: string }> {
  const opts = { role: 'archive' as const, now }
  if (detached === undefined) {
    const v = await verifyInRelease(body, keyring, now)
    return { text: v.signedText, signedBy: firstSigner(v.signers) }
  }
  const v = await verifyDetached(body, detached, keyring, opts)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(v.signedBytes)
  } catch {
    throw aptError('APT_PARSE', 'Release is not valid UTF-8 text')
  }
  return { text, signedBy: firstSigner(v.signers) }
}

function firstSigner(signers: readonly Signer[]): string {
  // verify* guarantees at least one accepted signature; an empty list would be a bug there, so fail closed.
  const s = signers[0]
  if (!s) throw new CoreError('PGP_NO_SIGNATURE', 'no accepted signature')
  return s.fingerprint
}

/** Runs `fn`, adding `url` to the details of a CoreError it throws that names no URL yet (the evidence shown with a status). */
export async function withUrl<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof CoreError && e.details.url === undefined) {
      throw new CoreError(e.code, e.message, { ...e.details, url })
    }
    throw e
  }
}
