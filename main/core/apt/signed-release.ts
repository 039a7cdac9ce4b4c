/**
 * Verifying an InRelease: the clearsigned Release of a suite, with nothing outside its signature.
 *
 * Shared by the mirror poller and the archive evidence chain, so both refuse the same documents.
 */
import { CoreError } from '../errors'
import type { Keyring } from '../pgp/keyring'
import { verifyCleartext } from '../pgp/verify'
import type { VerifiedText } from '../pgp/verify'
import { aptError } from './errors'

/**
 * Verifies an InRelease with the pinned `archive` keys at `now`.
 *
 * Throws PGP_MALFORMED when the body is not UTF-8, any PGP_* code from `verifyCleartext`, and APT_UNSIGNED_TEXT
 * when anything but whitespace stands before the signed block or after the signature. apt refuses such a file
 * ("Clearsigned file ... contains unsigned lines", apt-pkg/contrib/gpgv.cc SplitClearSignedFile), as the signed
 * advisory feed does: a Release is read whole by parsers that must never see unsigned bytes.
 */
export async function verifyInRelease(
  body: Uint8Array,
  keyring: Keyring,
  now: number,
): Promise<VerifiedText> {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new CoreError('PGP_MALFORMED', 'InRelease is not valid UTF-8 text')
  }
  const v = await verifyCleartext(text, keyring, { role: 'archive', now })
  const before = v.unsignedBefore.trim().length
  const after = v.unsignedAfter.trim().length
  if (before > 0 || after > 0) {
    throw aptError(
      'APT_UNSIGNED_TEXT',
      `InRelease has unsigned text ${before > 0 ? 'before its signed block' : 'after its signature'}`,
      { before, after },
    )
  }
  return v
}
