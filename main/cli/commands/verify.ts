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
import { listOption, oneLine, parseCommandArgs, textOption, type CommandArgs } from '../args'

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

/** What to verify, read from the arguments: the document, its detached signature if any, the keys, the time. */
interface VerifyRequest {
  readonly data: Uint8Array
  readonly signature: Uint8Array | undefined
  readonly keyring: Keyring
  readonly role: KeyRole
  readonly now: number
}

/** The outcome of a verification: only the signed text, who signed it, and the unsigned text around it. */
interface VerifiedDocument {
  readonly signedText: string
  readonly signers: readonly Signer[]
  readonly before: string
  readonly after: string
}

/** Reads the request the arguments describe; a UsageError for anything a user must fix. */
async function readVerifyRequest(args: CommandArgs, io: CliIo): Promise<VerifyRequest> {
  const [file, ...extra] = args.positional
  if (file === undefined || extra.length > 0)
    throw new UsageError('give exactly one FILE (or - for standard input)')
  const role = textOption(args, 'role') ?? 'archive'
  if (role !== 'archive' && role !== 'advisory') throw new UsageError('--role must be archive or advisory')
  const nowText = textOption(args, 'now')
  const now = nowText !== undefined ? parseNowOption(nowText) : Date.now()
  const sigFile = textOption(args, 'signature')
  if (sigFile === '-' && file === '-') throw new UsageError('FILE and --signature cannot both be -')
  const data = await readCliInput(io, file, Limits.size.releaseBytes)
  const signature =
    sigFile === undefined ? undefined : await readCliInput(io, sigFile, Limits.size.signatureBytes)
  const keyring = await buildKeyring(io, listOption(args, 'keyring'), role)
  return { data, signature, keyring, role, now }
}

/** Verifies the request: detached when a signature was given, else as a clearsigned document. Throws CoreError. */
async function verifyRequest(req: VerifyRequest): Promise<VerifiedDocument> {
  const { keyring, role, now } = req
  if (req.signature !== undefined) {
    const v = await verifyDetached(req.data, req.signature, keyring, { role, now })
    return { signedText: new TextDecoder().decode(v.signedBytes), signers: v.signers, before: '', after: '' }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(req.data)
  } catch {
    throw new CoreError('PGP_MALFORMED', 'the file is not UTF-8 text, so it cannot be a clearsigned document')
  }
  const v = await verifyCleartext(text, keyring, { role, now })
  return { signedText: v.signedText, signers: v.signers, before: v.unsignedBefore, after: v.unsignedAfter }
}

/** Prints why the document did not verify (and the --json answer). */
function printNotVerified(io: CliIo, e: CoreError, json: boolean): void {
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
}

/** Prints the signed text only (or the --json answer), then the signers and warnings on stderr. */
function printVerified(io: CliIo, doc: VerifiedDocument, json: boolean): void {
  const { signedText, signers, before, after } = doc
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
}

/** The options `lifeline verify` takes. */
const VERIFY_OPTIONS = {
  keyring: 'multi',
  role: 'value',
  now: 'value',
  signature: 'value',
  json: 'flag',
  help: 'flag',
} as const

/** `lifeline verify`. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify a clearsigned file (or file + detached signature) and print only the signed text',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs(io, 'verify', argv, VERIFY_OPTIONS)
    if (args === undefined) return EXIT_VERIFY_USAGE
    if (args.options.help === true) {
      io.stdout(HELP)
      return EXIT_VERIFIED
    }
    const json = args.options.json === true
    let doc: VerifiedDocument
    try {
      doc = await verifyRequest(await readVerifyRequest(args, io))
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`lifeline verify: ${oneLine(e.message)}\n`)
        return EXIT_VERIFY_USAGE
      }
      if (!(e instanceof CoreError)) throw e
      printNotVerified(io, e, json)
      return EXIT_NOT_VERIFIED
    }
    printVerified(io, doc, json)
    return EXIT_VERIFIED
  },
}
