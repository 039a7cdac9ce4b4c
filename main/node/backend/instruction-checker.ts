import type { ApiResult, InspectResultDto } from '../../../preload/contract/dto'
import type { Assessment } from '../../core/assess/types'
import { isCoreError } from '../../core/errors'
import { inspectText } from '../../core/inspect/inspect'
import type { ShellParser } from '../../core/inspect/shell-parser'
import type { KnownFix } from '../../core/inspect/types'
import { Limits } from '../../core/limits'
import { isVerifiedAdvisory } from '../../core/notify/notify'
import type { Keyring } from '../../core/pgp/keyring'
import { verifyCleartext } from '../../core/pgp/verify'
import type { Clock } from '../../core/ports'
import { inspectToDto } from '../dto'
import { loadShellParser } from '../shell-parser'

/**
 * The versions verified advisories name for packages this machine's sources already offer (docs/inspect.md: a
 * command counts as verified when it only upgrades packages to versions a verified advisory names, from sources this
 * machine already uses).
 */
export function knownFixesFrom(assessment: Assessment | undefined): KnownFix[] {
  const out = new Map<string, KnownFix>()
  const add = (t: { readonly package: string; readonly version: string }): void =>
    void out.set(`${t.package}=${t.version}`, { package: t.package, version: t.version })
  for (const a of assessment?.advisories ?? []) {
    if (!isVerifiedAdvisory(a)) continue
    for (const p of a.packages) {
      for (const t of [...p.upgrades, ...p.newInstalls]) if (t.repository.used) add(t)
    }
  }
  for (const u of assessment?.securityUpdates ?? []) {
    if (u.onUsedMirror) for (const t of u.upgrades) add(t)
  }
  return [...out.values()]
}

/**
 * The commands of Lifeline's own guidance for this machine (overall and per advisory): pasted back exactly, the
 * instruction checker calls them verified (docs/inspect.md, "Verdict").
 */
export function ownStepsFrom(assessment: Assessment | undefined): string[] {
  const out = new Set<string>()
  for (const step of assessment?.steps ?? []) if (step.command) out.add(step.command)
  for (const a of assessment?.advisories ?? [])
    for (const step of a.steps) if (step.command) out.add(step.command)
  return [...out]
}

/** The instruction checker as the app offers it: pasted text, or the clipboard on request. */
export interface InstructionChecker {
  inspect(text: string): Promise<ApiResult<InspectResultDto>>
  /** Reads the clipboard (Electron only, and only when the policy allows it) and checks its text. */
  checkClipboard(): Promise<ApiResult<InspectResultDto>>
}

/** What the instruction checker needs. */
export interface InstructionCheckerOptions {
  readonly clock: Clock
  /** Pinned keys: advisory keys verify signed blocks. */
  readonly keyring?: Keyring | undefined
  /** The bash parser (default: the WASM build from node_modules), loaded on first use. */
  readonly loadParser?: (() => Promise<ShellParser>) | undefined
  /** The configured mirrors' URLs (an apt source naming one of them is not a new source). */
  readonly mirrorUrls: () => readonly string[]
  /** The latest report's assessment: its verified fixes and Lifeline's own steps count as verified. */
  readonly assessment: () => Assessment | undefined
  readonly clipboardAllowed: () => boolean
  /** Electron: reads the clipboard's text. Absent in browser mode (the page reads it on the user's click). */
  readonly readClipboard?: (() => string | Promise<string>) | undefined
}

/** Verifies a clearsigned block against the pinned advisory keys; undefined when none is pinned. */
function advisoryBlockVerifier(
  keyring: Keyring | undefined,
  clock: Clock,
): ((block: string) => Promise<{ signers: string[] }>) | undefined {
  if (!keyring?.keys.some((k) => k.role === 'advisory')) return undefined
  return async (block) => {
    const v = await verifyCleartext(block, keyring, { role: 'advisory', now: clock.now() })
    return { signers: v.signers.map((s) => s.fingerprint) }
  }
}

/** An instruction checker over the latest report. */
export function createInstructionChecker(opts: InstructionCheckerOptions): InstructionChecker {
  let parser: Promise<ShellParser> | undefined
  const getParser = (): Promise<ShellParser> => {
    // A failed load is not kept: the next check tries again.
    parser ??= (opts.loadParser ?? loadShellParser)().catch((e: unknown) => {
      parser = undefined
      throw e
    })
    return parser
  }
  const verify = advisoryBlockVerifier(opts.keyring, opts.clock)
  const inspect = async (text: string): Promise<ApiResult<InspectResultDto>> => {
    const assessment = opts.assessment()
    const knownFixes = knownFixesFrom(assessment)
    try {
      const report = await inspectText(text, {
        parser: await getParser(),
        verify,
        knownFixes,
        mirrors: opts.mirrorUrls(),
        ownSteps: ownStepsFrom(assessment),
      })
      return { ok: true, value: inspectToDto(text, report, knownFixes.length) }
    } catch (e) {
      if (isCoreError(e)) return { ok: false, code: e.code, message: e.message }
      throw e
    }
  }
  return {
    inspect,
    async checkClipboard() {
      if (!opts.clipboardAllowed()) {
        return {
          ok: false,
          code: 'CLIPBOARD_DISABLED',
          message: 'Your organisation turned the clipboard check off.',
        }
      }
      if (!opts.readClipboard) {
        return { ok: false, code: 'CLIPBOARD_UNAVAILABLE', message: 'Paste the text into the box instead.' }
      }
      const text = await opts.readClipboard()
      // One byte over the cap, so the checker still reports the text as too large.
      return inspect(text.slice(0, Limits.size.pastedTextBytes + 1))
    },
  }
}
