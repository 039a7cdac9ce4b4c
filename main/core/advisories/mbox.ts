/**
 * The mbox channel: clearsigned Ubuntu Security Notice emails (the ubuntu-security-announce list format) read from
 * an mbox archive.
 *
 * Messages are split on `From ` lines (RFC 4155; `>From ` un-quoted as mboxrd does). Each message's clearsigned
 * part goes to the injected verifier, and the notice is parsed from the SIGNED TEXT ONLY (docs/trust.md,
 * "Only signed text is shown as signed"): headers, the subject and any text around the signed block are never used as evidence.
 */
import { CoreError } from '../errors'
import { Limits } from '../limits'
import type {
  Advisory,
  AdvisoryErrorCode,
  AdvisoryReference,
  AdvisorySource,
  BinaryFix,
  ChannelRecords,
  RecordIssue,
  ReleaseFixes,
  SourceFix,
} from './model'
import { cveIds, decodeText, localSource, toIssue, uniqueSorted, withSource } from './parse-util'
import { codenameOfVersion } from './releases'
import { verifierOf, type VerifierInput } from './verifier'

/** One message of an mbox. */
export interface MboxMessage {
  /** 0-based position in the mbox. */
  readonly index: number
  /** The `From ` separator line, without `From `. */
  readonly envelope: string
  /** Header fields, names lower-cased; repeated fields keep the first. */
  readonly headers: ReadonlyMap<string, string>
  /** The decoded body (quoted-printable undone). */
  readonly body: string
}

const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----'

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i)
    const hex = joined.slice(i + 1, i + 3)
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (c < 0x80) {
      bytes.push(c)
    } else {
      bytes.push(...new TextEncoder().encode(joined[i] ?? ''))
    }
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes))
}

/**
 * Splits an mbox into messages (RFC 4155 `From ` separators; mboxrd `>From ` quoting undone). Throws ADV_TOO_LARGE
 * over Limits.advisories.mboxBytes and ADV_MBOX_SYNTAX when the text has no message.
 */
export function parseMbox(input: string | Uint8Array): MboxMessage[] {
  const text = decodeText(input, Limits.advisories.mboxBytes, 'mbox').replace(/\r\n/g, '\n')
  if (!text.startsWith('From ')) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_MBOX_SYNTAX',
      'not an mbox: it does not start with a "From " line',
    )
  }
  const raw: { envelope: string; lines: string[] }[] = []
  const lines = text.split('\n')
  let prevBlank = true
  for (const line of lines) {
    // RFC 4155: a separator is a "From " line at the start of the file or after an empty line.
    if (line.startsWith('From ') && prevBlank) {
      raw.push({ envelope: line.slice(5), lines: [] })
    } else {
      raw[raw.length - 1]?.lines.push(/^>+From /.test(line) ? line.slice(1) : line)
    }
    prevBlank = line === ''
  }
  return raw.map((m, index) => {
    const headers = new Map<string, string>()
    let i = 0
    let last: string | undefined
    for (; i < m.lines.length; i++) {
      const l = m.lines[i] ?? ''
      if (l === '') break
      if (/^[ \t]/.test(l) && last !== undefined) {
        if (headers.has(last)) headers.set(last, `${headers.get(last) ?? ''} ${l.trim()}`)
        continue
      }
      const h = /^([!-9;-~]+):\s?(.*)$/.exec(l)
      if (!h) continue
      last = (h[1] ?? '').toLowerCase()
      if (!headers.has(last)) headers.set(last, h[2] ?? '')
      else last = undefined
    }
    // The separator's preceding blank line belongs to the mbox, not to the message.
    let bodyLines = m.lines.slice(i + 1)
    if (bodyLines.length > 0 && bodyLines[bodyLines.length - 1] === '') bodyLines = bodyLines.slice(0, -1)
    let body = bodyLines.join('\n')
    if ((headers.get('content-transfer-encoding') ?? '').trim().toLowerCase() === 'quoted-printable') {
      body = decodeQuotedPrintable(body)
    }
    return { index, envelope: m.envelope, headers, body }
  })
}

const SECTION_NAMES = [
  'summary',
  'software description',
  'details',
  'update instructions',
  'references',
  'package information',
] as const

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

/**
 * Parses the signed text of an Ubuntu Security Notice announcement (the ubuntu-security-announce format: a
 * `====` framed header with "Ubuntu Security Notice USN-N-N", the date and the title; then "Summary:",
 * "Details:", "Update instructions:" with per-release package lists, "References:", "Package Information:").
 * Throws ADV_MAIL_NOT_USN when the text is not a notice.
 */
export function parseUsnAnnouncement(
  signedText: string,
  source: AdvisorySource = localSource('mbox'),
): Advisory {
  const lines = signedText.replace(/\r\n/g, '\n').split('\n')
  const idLine = lines.findIndex((l) => /^Ubuntu Security Notice (USN|LSN)-\d+-\d+\s*$/.test(l.trim()))
  if (idLine < 0) {
    throw new CoreError<AdvisoryErrorCode>(
      'ADV_MAIL_NOT_USN',
      'the signed text has no "Ubuntu Security Notice USN-..." line',
      {
        field: 'Ubuntu Security Notice',
      },
    )
  }
  const id = (lines[idLine] ?? '').trim().split(' ').pop() ?? ''
  // The frame: id, date, blank, title, then a line of '='.
  let published: number | undefined
  let title = ''
  let k = idLine + 1
  for (; k < lines.length && !/^=+\s*$/.test(lines[k] ?? ''); k++) {
    const l = (lines[k] ?? '').trim()
    const d = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(l)
    if (d && published === undefined) {
      const month = MONTHS.indexOf((d[1] ?? '').toLowerCase())
      if (month >= 0) published = Date.UTC(Number(d[3]), month, Number(d[2]))
    } else if (l !== '' && title === '') {
      title = l
    }
  }
  const sections = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of lines.slice(k + 1)) {
    const name = /^([A-Za-z][A-Za-z ]*):\s*$/.exec(line)?.[1]?.toLowerCase()
    if (name && (SECTION_NAMES as readonly string[]).includes(name) && !sections.has(name)) {
      current = []
      sections.set(name, current)
    } else {
      current?.push(line)
    }
  }
  const text = (name: (typeof SECTION_NAMES)[number]): string => (sections.get(name) ?? []).join('\n').trim()

  // Update instructions: release headers ("Ubuntu 22.04 LTS" with an optional colon), then indented
  // "<package> <version> [Available with Ubuntu Pro]" lines; the rest are instructions and mitigations.
  const releases = new Map<
    string,
    { codename: string; version: string; pro: boolean; binaries: BinaryFix[] }
  >()
  const mitigationLines: string[] = []
  let rel: { codename: string; version: string; pro: boolean; binaries: BinaryFix[] } | undefined
  for (const line of sections.get('update instructions') ?? []) {
    const r = /^Ubuntu (\d+\.\d+)(?: LTS)?(?: \(Available with Ubuntu Pro\))?:?\s*$/.exec(line.trim())
    if (r && !/^\s/.test(line)) {
      const version = r[1] ?? ''
      const codename = codenameOfVersion(version)
      if (!codename) {
        throw new CoreError<AdvisoryErrorCode>('ADV_MAIL_NOT_USN', `unknown Ubuntu release ${version}`, {
          field: 'Update instructions',
        })
      }
      rel = releases.get(codename) ?? { codename, version, pro: false, binaries: [] }
      releases.set(codename, rel)
      continue
    }
    // Real notices put "Available with Ubuntu Pro" under the version, on its own line.
    if (rel && /^\s+Available with Ubuntu Pro/i.test(line)) {
      rel.pro = true
      continue
    }
    const p = /^\s+([a-z0-9][a-z0-9+.-]*)\s+([0-9][A-Za-z0-9.+~:-]*)(?:\s+(.*))?$/.exec(line)
    if (p && rel) {
      rel.binaries.push({ name: p[1] ?? '', fixedVersion: p[2] ?? '' })
      if (/ubuntu pro/i.test(p[3] ?? '')) rel.pro = true
      continue
    }
    rel = line.trim() === '' ? rel : undefined
    if (line.trim() !== '' && !/^(The problem can be corrected|package versions:)/.test(line.trim()))
      mitigationLines.push(line)
  }
  const mitigations = mitigationLines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0 && !/^package versions:$/.test(p))

  const references: AdvisoryReference[] = []
  const refText = text('references')
  for (const url of refText.match(/https?:\/\/\S+/g) ?? []) {
    references.push({ type: url.includes('/security/notices/') ? 'ADVISORY' : 'REPORT', url })
  }
  // Package Information: https://launchpad.net/ubuntu/+source/<source>/<version>
  const sourceVersions: { name: string; version: string }[] = []
  for (const url of text('package information').match(/https?:\/\/\S+/g) ?? []) {
    references.push({ type: 'PACKAGE', url })
    const m = /\/\+source\/([a-z0-9][a-z0-9+.-]*)\/([0-9][A-Za-z0-9.+~:-]*)\/?$/.exec(url)
    if (m) sourceVersions.push({ name: m[1] ?? '', version: m[2] ?? '' })
  }
  const releaseList: ReleaseFixes[] = [...releases.values()].map((r) => {
    const versions = new Set(r.binaries.map((b) => b.fixedVersion))
    const sources: SourceFix[] = sourceVersions
      .filter((s) => versions.has(s.version))
      .map((s) => ({ name: s.name, fixedVersion: s.version }))
    return { codename: r.codename, version: r.version, pro: r.pro, sources, binaries: r.binaries }
  })
  const cves = cveIds(refText, text('details'))
  return withSource(
    {
      id,
      aliases: uniqueSorted([...cveIds(refText), ...(refText.match(/\b(USN|LSN)-\d+-\d+\b/g) ?? [])]).filter(
        (a) => a !== id,
      ),
      cves,
      title: title || id,
      summary: text('summary').replace(/\s+/g, ' '),
      details: text('details'),
      priority: undefined,
      published,
      modified: undefined,
      releases: releaseList,
      mitigations,
      references,
    },
    source,
  )
}

/** Options of `readMboxChannel`. */
export type ReadMboxOptions = VerifierInput & {
  readonly now: number
  readonly channelId: string
  /** Where the mbox came from; each message's provenance URL is `<url>#<Message-ID or index>`. */
  readonly url: string
}

/**
 * Reads an mbox of announcement emails: each message's clearsigned part is verified and its notice parsed from the
 * signed text only. Per message, failures become issues: ADV_MAIL_UNSIGNED (no clearsigned block), PGP_* (from the
 * verifier), ADV_MAIL_NOT_USN. Text after the signature is reported as ADV_MAIL_TEXT_OUTSIDE_SIGNATURE; the notice
 * itself still counts, since nothing of that text was read.
 */
export async function readMboxChannel(
  input: string | Uint8Array,
  opts: ReadMboxOptions,
): Promise<ChannelRecords> {
  const advisories: Advisory[] = []
  const issues: RecordIssue[] = []
  const verify = verifierOf(opts)
  for (const msg of parseMbox(input)) {
    const messageId = (msg.headers.get('message-id') ?? '').trim().replace(/^<|>$/g, '')
    const record = messageId || `message ${msg.index}`
    const url = `${opts.url}#${encodeURIComponent(messageId || String(msg.index))}`
    try {
      const start = msg.body.indexOf(BEGIN_SIGNED)
      if (start < 0) {
        throw new CoreError<AdvisoryErrorCode>('ADV_MAIL_UNSIGNED', `${record}: no clearsigned block`, {
          field: 'body',
        })
      }
      const verified = await verify(msg.body, { now: opts.now })
      const signer = verified.signers[0]
      if (!signer)
        throw new CoreError('PGP_BAD_SIGNATURE', `${record}: no valid signature`, { field: 'body' })
      if (verified.unsignedAfter.trim() !== '') {
        issues.push({
          channelId: opts.channelId,
          record,
          field: 'body',
          code: 'ADV_MAIL_TEXT_OUTSIDE_SIGNATURE',
          message: `${record}: ${verified.unsignedAfter.trim().length} characters after the signature are unsigned and were ignored`,
        })
      }
      advisories.push(
        parseUsnAnnouncement(verified.signedText, {
          channelId: opts.channelId,
          channelType: 'mbox',
          url,
          fetchedAt: opts.now,
          signedBy: signer.fingerprint,
        }),
      )
    } catch (e) {
      issues.push(toIssue(opts.channelId, record, e))
    }
  }
  return { advisories, issues }
}
