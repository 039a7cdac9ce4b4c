/**
 * `lifeline verify`: check a clearsigned file (or a file and its detached signature) against pinned keys.
 *
 * Prints only the signed text (docs/trust.md, "Only signed text is shown as signed"). Exit codes: 0 verified, 1 verification failed,
 * 2 usage or input error.
 */
import { CoreError } from '../../core/errors'
import { Limits } from '../../core/limits'
import type { KeyRole } from '../../core/model'
import { loadKeyring } from '../../core/pgp/keyring'
import type { Keyring, KeyringEntry } from '../../core/pgp/keyring'
import { verifyCleartext, verifyDetached } from '../../core/pgp/verify'
import type { Signer } from '../../core/pgp/verify'
import { builtInKeysDir, loadKeyringFromManifest } from '../../node/keys'
import type { CliCommand, CliIo } from '../io'
import { parseNowOption, readCliInput, UsageError } from '../options'
import { parseOptions } from '../run'

/** Exit code: the document verified. */
export const EXIT_VERIFIED = 0
/** Exit code: the document did not verify (bad, unknown, expired... signature). */
export const EXIT_NOT_VERIFIED = 1
/** Exit code: usage or input error (bad flag, unreadable file, bad date). */
export const EXIT_VERIFY_USAGE = 2

const HELP = `Usage: lifeline verify [--keyring FILE]... [--role archive|advisory] [--now ISO-8601]
                       [--signature FILE] [--json] FILE|-

Verifies a clearsigned OpenPGP document (an apt InRelease file, a signed announcement) against
pinned keys and prints ONLY the signed text. Text before or after the signed block is never
printed as signed; a warning on stderr says how much was ignored.

With --signature FILE, FILE is the detached signature of the data file (apt's Release + Release.gpg).

Options:
  --keyring FILE   trust the key(s) in FILE (armored or binary; repeatable). Without it, the
                   built-in keyring is used (Ubuntu Archive Automatic Signing Keys, role "archive").
  --role ROLE      the role the signing key must have: archive (default) or advisory
  --now ISO-8601   judge key expiry and signature dates at this time instead of now,
                   e.g. 2024-05-01T00:00:00Z
  --signature FILE verify FILE|- against this detached signature
  --json           print { ok, signers, signedText, unsigned: { before, after }, code?, message? }

Exit status: 0 verified, 1 not verified (reason on stderr), 2 usage or input error.
`

/** Builds the keyring: the given files (every key in them pinned with `role`), or the built-in one. */
async function buildKeyring(io: CliIo, files: readonly string[], role: KeyRole): Promise<Keyring> {
  try {
    if (files.length === 0) return await loadKeyringFromManifest(builtInKeysDir(io.env))
    const entries: KeyringEntry[] = []
    for (const f of files)
      entries.push({ data: await readCliInput(io, f, Limits.size.keyBytes), role, name: f })
    return await loadKeyring(entries)
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`cannot load keyring: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** One line, for stderr. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

/** A signer as printed in --json output (ISO dates). */
function signerJson(s: Signer): Record<string, string> {
  return {
    fingerprint: s.fingerprint,
    signingKeyId: s.signingKeyId,
    signingKeyFingerprint: s.signingKeyFingerprint,
    created: new Date(s.created).toISOString(),
    role: s.role,
    name: s.name,
    hash: s.hash,
  }
}

/** `lifeline verify`. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify a clearsigned file (or file + detached signature) and print only the signed text',
  help: HELP,
  async run(args, io) {
    const parsed = parseOptions(args, {
      keyring: 'multi',
      role: 'value',
      now: 'value',
      signature: 'value',
      json: 'flag',
      help: 'flag',
    })
    if ('error' in parsed) {
      io.stderr(`lifeline verify: ${parsed.error}\n`)
      return EXIT_VERIFY_USAGE
    }
    const { options, positional } = parsed
    if (options.help === true) {
      io.stdout(HELP)
      return EXIT_VERIFIED
    }
    const json = options.json === true
    let signedText = ''
    let before = ''
    let after = ''
    let signers: readonly Signer[] = []
    try {
      if (positional.length !== 1) throw new UsageError('give exactly one FILE (or - for standard input)')
      const role = (options.role ?? 'archive') as string
      if (role !== 'archive' && role !== 'advisory')
        throw new UsageError('--role must be archive or advisory')
      const now = typeof options.now === 'string' ? parseNowOption(options.now) : Date.now()
      const keyringFiles = Array.isArray(options.keyring) ? options.keyring : []
      const sigFile = typeof options.signature === 'string' ? options.signature : undefined
      if (sigFile === '-' && positional[0] === '-')
        throw new UsageError('FILE and --signature cannot both be -')
      const data = await readCliInput(io, positional[0] as string, Limits.size.releaseBytes)
      const sig =
        sigFile === undefined ? undefined : await readCliInput(io, sigFile, Limits.size.signatureBytes)
      const keyring = await buildKeyring(io, keyringFiles, role)

      if (sig !== undefined) {
        const v = await verifyDetached(data, sig, keyring, { role, now })
        signedText = new TextDecoder().decode(v.signedBytes)
        signers = v.signers
      } else {
        let text: string
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(data)
        } catch {
          throw new CoreError(
            'PGP_MALFORMED',
            'the file is not UTF-8 text, so it cannot be a clearsigned document',
          )
        }
        const v = await verifyCleartext(text, keyring, { role, now })
        signedText = v.signedText
        signers = v.signers
        before = v.unsignedBefore
        after = v.unsignedAfter
      }
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`lifeline verify: ${oneLine(e.message)}\n`)
        return EXIT_VERIFY_USAGE
      }
      if (e instanceof CoreError) {
        if (json) {
          const out = {
            ok: false,
            signers: [],
            signedText: null,
            unsigned: null,
            code: e.code,
            message: e.message,
          }
          io.stdout(JSON.stringify(out, null, 2) + '\n')
        }
        io.stderr(`lifeline verify: NOT verified (${e.code}): ${oneLine(e.message)}\n`)
        return EXIT_NOT_VERIFIED
      }
      throw e
    }

    if (json) {
      const out = { ok: true, signers: signers.map(signerJson), signedText, unsigned: { before, after } }
      io.stdout(JSON.stringify(out, null, 2) + '\n')
    } else {
      io.stdout(signedText.endsWith('\n') || signedText === '' ? signedText : signedText + '\n')
    }
    for (const s of signers) {
      io.stderr(
        `lifeline verify: good signature by ${s.name} (${s.fingerprint}), made ${new Date(s.created).toISOString()}\n`,
      )
    }
    if (before.trim() !== '')
      io.stderr(
        `lifeline verify: warning: ${before.length} characters before the signed block are NOT signed and were not printed\n`,
      )
    if (after.trim() !== '')
      io.stderr(
        `lifeline verify: warning: ${after.length} characters after the signature are NOT signed and were not printed\n`,
      )
    return EXIT_VERIFIED
  },
}
