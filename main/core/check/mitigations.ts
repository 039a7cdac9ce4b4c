/**
 * Mitigation text shown with an advisory, judged by Lifeline's own instruction checker (main/core/inspect).
 *
 * Advisory channels carry free text ("as a temporary mitigation run: …"). Shown without a label, such text is
 * exactly the fake "emergency fix" Lifeline exists to catch. So every mitigation of an advisory that affects this
 * computer is run through the checker and shown with its verdict and its source; only text from a `signed`
 * advisory is ever a step (docs/trust.md, "Mitigations").
 */
import type { AdvisoryTrust } from '../advisories/model'
import type { Assessment } from '../assess/types'
import { isCoreError } from '../errors'
import type { Verdict as InspectVerdict } from '../inspect/types'

/** Runs the instruction checker on a text and returns its verdict (the node layer wires `inspectText`). */
export type MitigationInspector = (text: string) => Promise<InspectVerdict>

/** One mitigation text, its source and what the instruction checker says about it. */
export interface MitigationCheck {
  readonly advisoryId: string
  /** The advisory's trust: the text's source, in the words of docs/trust.md. */
  readonly trust: AdvisoryTrust
  readonly text: string
  /** The instruction checker's verdict, or `not-checked` when no checker was available or it failed. */
  readonly checker: InspectVerdict | 'not-checked'
  /** True when the text may be a step: it comes from a signed advisory and the checker does not call it dangerous. */
  readonly asStep: boolean
}

/** Checks every mitigation of the advisories that affect this computer, in the assessment's order. */
export async function checkMitigations(
  assessment: Assessment | undefined,
  inspect: MitigationInspector | undefined,
): Promise<MitigationCheck[]> {
  const out: MitigationCheck[] = []
  for (const a of assessment?.advisories ?? []) {
    if (a.status === 'fixed' || a.status === 'not-affected') continue
    for (const text of a.mitigations) {
      let checker: MitigationCheck['checker'] = 'not-checked'
      if (inspect) {
        try {
          checker = await inspect(text)
        } catch (e) {
          // Too large or unreadable: shown as not checked, never as a step.
          if (!isCoreError(e)) throw e
        }
      }
      out.push({
        advisoryId: a.id,
        trust: a.trust,
        text,
        checker,
        asStep: a.trust === 'signed' && checker !== 'dangerous' && checker !== 'not-checked',
      })
    }
  }
  return out
}
