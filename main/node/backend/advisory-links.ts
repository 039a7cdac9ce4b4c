import type { ApiResult, OpenAdvisoryDto } from '../../../preload/contract/dto'
import type { AdvisoryReference } from '../../core/advisories/model'
import type { CheckReport } from '../../core/check/report'
import { asChannelsState, CHANNELS_STATE_NAME } from '../../core/engine/channels'
import type { Logger, StateStore } from '../../core/ports'
import { advisoryLink, DEFAULT_EXTERNAL_HOSTS } from '../../core/status/external-links'
import { readSafely } from './saved-state'

/** What opening an advisory's page needs. */
export interface AdvisoryLinkOptions {
  readonly store: StateStore | undefined
  readonly log: Logger
  readonly latestReport: () => CheckReport | undefined
  /** Hosts advisory links may point at. */
  readonly externalHosts?: readonly string[] | undefined
  /** Electron: opens an allowlisted https URL in the desktop browser. Absent in browser mode (the page gets a link). */
  readonly openExternal?: ((url: string) => Promise<boolean>) | undefined
}

/** The references the channels' saved state holds for advisory `id` (main's own data, never the page's). */
async function savedReferences(
  store: StateStore | undefined,
  log: Logger,
  id: string,
): Promise<readonly AdvisoryReference[]> {
  if (!store) return []
  const state = await readSafely(store, CHANNELS_STATE_NAME, log, asChannelsState)
  for (const snap of Object.values(state?.snapshots ?? {})) {
    const adv = snap.advisories.find((a) => a.id === id)
    if (adv) return adv.references
  }
  return []
}

/**
 * Opens (Electron) or returns (browser mode) the allowlisted page of an advisory of the current report.
 *
 * The page sends only the id; the URL comes from main's own data and must pass `advisoryLink`'s allowlist.
 */
export function createAdvisoryOpener(
  opts: AdvisoryLinkOptions,
): (id: string) => Promise<ApiResult<OpenAdvisoryDto>> {
  return async (id) => {
    const known = opts.latestReport()?.assessment?.advisories.some((a) => a.id === id)
    if (!known)
      return { ok: false, code: 'API_UNKNOWN_ID', message: `no advisory ${id} in the current report` }
    const references = await savedReferences(opts.store, opts.log, id)
    const url = advisoryLink(id, references, opts.externalHosts ?? DEFAULT_EXTERNAL_HOSTS)
    if (!url)
      return { ok: false, code: 'ADVISORY_NO_LINK', message: 'No safe link is known for this advisory.' }
    const value: OpenAdvisoryDto = { opened: opts.openExternal ? await opts.openExternal(url) : false, url }
    return { ok: true, value }
  }
}
