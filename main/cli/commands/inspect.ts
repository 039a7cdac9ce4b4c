/**
 * `lifeline inspect`: is this "emergency fix" safe to run? (docs/inspect.md).
 *
 * Exit codes: 0 verified, 1 caution, 2 dangerous, 64 usage or input error (docs/inspect.md, "Exit status").
 */
import { isCoreError } from '../../core/errors'
import { inspectText } from '../../core/inspect/inspect'
import type { BlockVerifier, Finding, InspectReport, Verdict } from '../../core/inspect/types'
import { Limits } from '../../core/limits'
import { loadKeyring } from '../../core/pgp/keyring'
import type { Keyring, KeyringEntry } from '../../core/pgp/keyring'
import { verifyCleartext } from '../../core/pgp/verify'
import { builtInKeysDir, loadKeyringFromManifest, readFileCapped } from '../../node/keys'
import { loadShellParser } from '../../node/shell-parser'
import { EXIT_USAGE } from '../io'
import type { CliCommand, CliIo } from '../io'
import { cliPath, parseNowOption, readCliInput, UsageError } from '../options'
import { listOption, parseCommandArgs, textOption } from '../args'

/** Exit status for each verdict. */
export const INSPECT_EXIT: Readonly<Record<Verdict, number>> = { verified: 0, caution: 1, dangerous: 2 }

const HELP = `Usage: lifeline inspect [--json] [--keyring FILE]... [--mirror URL]... [--now ISO-8601] [FILE|-]

Checks pasted instructions (a forum post, a chat message, a script) before you run them, and
prints a verdict with every risky part highlighted and explained:

  verified   signed by a pinned Ubuntu advisory key, nothing dangerous inside
  caution    nothing dangerous found, but nothing verified either
  dangerous  at least one high-severity finding: do not run it

Reads FILE, or standard input when FILE is - or absent. Clearsigned blocks are checked against
the built-in advisory keys (or --keyring FILE, pinned with role "advisory").

Options:
  --json           print { verdict, findings: [ { rule, severity, title, line, start, end, message } ],
                   summary, blocks }
  --keyring FILE   trust the advisory key(s) in FILE instead of the built-in keyring (repeatable)
  --mirror URL     a mirror this computer uses (repeatable): a source pinned to the Ubuntu archive
                   key at it is a mirror switch
  --now ISO-8601   judge signatures at this time instead of now

Exit status: 0 verified, 1 caution, 2 dangerous, 64 usage or input error.
`

async function readInput(io: CliIo, path: string): Promise<string> {
  // Without a FILE on a terminal the command would otherwise wait silently for input.
  if (path === '-' && io.stdinIsTTY)
    io.stderr('Paste the instructions to check, then press Ctrl+D on an empty line:\n')
  const bytes = await readCliInput(io, path, Limits.size.pastedTextBytes)
  const text = new TextDecoder('utf-8').decode(bytes)
  // An empty paste is a mistake (an empty clipboard, a wrong file), not "prose only": never answer it with a verdict.
  if (text.trim() === '')
    throw new UsageError(`${path === '-' ? 'standard input' : path} is empty: nothing to check`)
  return text
}

async function buildVerifier(
  io: CliIo,
  files: readonly string[],
  now: number,
): Promise<BlockVerifier | undefined> {
  let keyring: Keyring
  if (files.length > 0) {
    const entries: KeyringEntry[] = []
    for (const f of files) {
      try {
        entries.push({
          data: await readFileCapped(cliPath(io, f), Limits.size.keyBytes),
          role: 'advisory',
          name: f,
        })
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e))
      }
    }
    try {
      keyring = await loadKeyring(entries)
    } catch (e) {
      throw new UsageError(`cannot load keyring: ${e instanceof Error ? e.message : String(e)}`)
    }
  } else {
    try {
      keyring = await loadKeyringFromManifest(builtInKeysDir(io.env))
    } catch {
      // No built-in keyring (a bare checkout): signed blocks are reported as not checked.
      return undefined
    }
  }
  return async (block) => {
    const v = await verifyCleartext(block, keyring, { role: 'advisory', now })
    return { signers: v.signers.map((s) => s.fingerprint) }
  }
}

/** Renders the human report: each line with findings, then a caret line per finding. */
export function formatReport(text: string, report: InspectReport): string {
  const lines = text.split('\n')
  const width = String(lines.length).length
  const out: string[] = [`Verdict: ${report.verdict.toUpperCase()}`, report.summary, '']
  const byLine = new Map<number, Finding[]>()
  for (const f of report.findings) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f])
  for (const [line, fs] of byLine) {
    const src = (lines[line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ')
    out.push(`${String(line).padStart(width)} | ${src}`)
    for (const f of fs) {
      const carets = ' '.repeat(f.start) + '^'.repeat(Math.max(1, f.end - f.start))
      out.push(`${' '.repeat(width)} | ${carets}`)
      out.push(`${' '.repeat(width)} |   ${f.severity}: ${f.title} (${f.rule}). ${f.message}`)
    }
    out.push('')
  }
  for (const b of report.blocks)
    out.push(
      `Signed block, lines ${b.startLine}-${b.endLine}: ${b.status}${b.code ? ` (${b.code})` : ''}${b.signers.length ? ` by ${b.signers.join(', ')}` : ''}`,
    )
  return out.join('\n').replace(/\n*$/, '\n')
}

/** The `--json` answer: the verdict, each finding's rule, place and reason, the summary and the signed blocks. */
function reportJson(report: InspectReport): string {
  const json = {
    verdict: report.verdict,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      title: f.title,
      line: f.line,
      start: f.start,
      end: f.end,
      message: f.message,
    })),
    summary: report.summary,
    blocks: report.blocks,
  }
  return JSON.stringify(json, null, 2) + '\n'
}

/** `lifeline inspect`. */
export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary:
    'check pasted instructions (curl | sudo bash, new apt sources, look-alike domains...) before running them',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(io, 'inspect', args, {
      json: 'flag',
      keyring: 'multi',
      mirror: 'multi',
      now: 'value',
    })
    if (parsed === undefined) return EXIT_USAGE
    const { positional } = parsed
    try {
      if (positional.length > 1) throw new UsageError('give at most one FILE (or - for standard input)')
      const nowText = textOption(parsed, 'now')
      const now = nowText !== undefined ? parseNowOption(nowText) : Date.now()
      const text = await readInput(io, positional[0] ?? '-')
      const verify = await buildVerifier(io, listOption(parsed, 'keyring'), now)
      const parser = await loadShellParser()
      const mirrors = listOption(parsed, 'mirror')
      for (const m of mirrors)
        if (!/^(https?|file):\/\/\S+$/.test(m)) throw new UsageError(`--mirror ${m}: not a URL`)
      const report = await inspectText(text, { parser, verify, mirrors })
      io.stdout(parsed.options.json === true ? reportJson(report) : formatReport(text, report))
      return INSPECT_EXIT[report.verdict]
    } catch (e) {
      if (e instanceof UsageError || isCoreError(e)) {
        io.stderr(`lifeline inspect: ${e.message}\n`)
        return EXIT_USAGE
      }
      throw e
    }
  },
}
