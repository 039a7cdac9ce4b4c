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
import { aliasesOf, cveIds, decodeText, localSource, toIssue, withSource } from './parse-util'
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

/** The `====` framed header of a notice: its id, the date under it and its title. */
interface NoticeFrame {
  readonly id: string
  readonly published: number | undefined
  readonly title: string
  /** The index of the line after the closing `====`, where the sections start. */
  readonly sectionsStart: number
}

/** Reads the frame: "Ubuntu Security Notice USN-N-N", the date, a blank line, the title, then a line of `=`. */
function readNoticeFrame(lines: readonly string[]): NoticeFrame {
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
  return { id, published, title, sectionsStart: k + 1 }
}

type SectionName = (typeof SECTION_NAMES)[number]

/** The lines under each known "Name:" heading; the first heading of a name wins. */
function readSections(lines: readonly string[]): ReadonlyMap<SectionName, readonly string[]> {
  const sections = new Map<SectionName, string[]>()
  let current: string[] | undefined
  for (const line of lines) {
    const name = /^([A-Za-z][A-Za-z ]*):\s*$/.exec(line)?.[1]?.toLowerCase()
    if (name && (SECTION_NAMES as readonly string[]).includes(name) && !sections.has(name as SectionName)) {
      current = []
      sections.set(name as SectionName, current)
    } else {
      current?.push(line)
    }
  }
  return sections
}

/** One release's part of the update instructions. */
interface ReleaseBinaries {
  readonly codename: string
  readonly version: string
  pro: boolean
  readonly binaries: BinaryFix[]
}

/**
 * Reads "Update instructions": release headers ("Ubuntu 22.04 LTS", an optional colon), then indented
 * "<package> <version> [Available with Ubuntu Pro]" lines; every other line is instructions or mitigations.
 */
function readUpdateInstructions(lines: readonly string[]): {
  readonly releases: readonly ReleaseBinaries[]
  readonly mitigations: readonly string[]
} {
  const releases = new Map<string, ReleaseBinaries>()
  const mitigationLines: string[] = []
  let release: ReleaseBinaries | undefined
  for (const line of lines) {
    const header = /^Ubuntu (\d+\.\d+)(?: LTS)?(?: \(Available with Ubuntu Pro\))?:?\s*$/.exec(line.trim())
    if (header && !/^\s/.test(line)) {
      release = releaseFor(releases, header[1] ?? '')
      continue
    }
    // Real notices put "Available with Ubuntu Pro" under the version, on its own line.
    if (release && /^\s+Available with Ubuntu Pro/i.test(line)) {
      release.pro = true
      continue
    }
    const pkg = /^\s+([a-z0-9][a-z0-9+.-]*)\s+([0-9][A-Za-z0-9.+~:-]*)(?:\s+(.*))?$/.exec(line)
    if (pkg && release) {
      release.binaries.push({ name: pkg[1] ?? '', fixedVersion: pkg[2] ?? '' })
      if (/ubuntu pro/i.test(pkg[3] ?? '')) release.pro = true
      continue
    }
    release = line.trim() === '' ? release : undefined
    if (line.trim() !== '' && !/^(The problem can be corrected|package versions:)/.test(line.trim()))
      mitigationLines.push(line)
  }
  return { releases: [...releases.values()], mitigations: paragraphsOf(mitigationLines) }
}

/** The entry for release `version` (e.g. `22.04`), made on first sight; ADV_MAIL_NOT_USN for an unknown release. */
function releaseFor(releases: Map<string, ReleaseBinaries>, version: string): ReleaseBinaries {
  const codename = codenameOfVersion(version)
  if (!codename) {
    throw new CoreError<AdvisoryErrorCode>('ADV_MAIL_NOT_USN', `unknown Ubuntu release ${version}`, {
      field: 'Update instructions',
    })
  }
  const release = releases.get(codename) ?? { codename, version, pro: false, binaries: [] }
  releases.set(codename, release)
  return release
}

/** The paragraphs of some lines, each on one line. */
function paragraphsOf(lines: readonly string[]): string[] {
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0 && !/^package versions:$/.test(p))
}

/**
 * The links of "References:" and "Package Information:", and the source versions the latter names
 * (`https://launchpad.net/ubuntu/+source/<source>/<version>`).
 */
function readReferences(
  refText: string,
  packageText: string,
): {
  readonly references: AdvisoryReference[]
  readonly sources: readonly { name: string; version: string }[]
} {
  const references: AdvisoryReference[] = []
  for (const url of refText.match(/https?:\/\/\S+/g) ?? []) {
    references.push({ type: url.includes('/security/notices/') ? 'ADVISORY' : 'REPORT', url })
  }
  const sources: { name: string; version: string }[] = []
  for (const url of packageText.match(/https?:\/\/\S+/g) ?? []) {
    references.push({ type: 'PACKAGE', url })
    const m = /\/\+source\/([a-z0-9][a-z0-9+.-]*)\/([0-9][A-Za-z0-9.+~:-]*)\/?$/.exec(url)
    if (m) sources.push({ name: m[1] ?? '', version: m[2] ?? '' })
  }
  return { references, sources }
}

/** Each release's fixes: its binaries, and the named sources whose version one of its binaries has. */
function releaseFixesOf(
  releases: readonly ReleaseBinaries[],
  sources: readonly { name: string; version: string }[],
): ReleaseFixes[] {
  return releases.map((r) => {
    const versions = new Set(r.binaries.map((b) => b.fixedVersion))
    const fixes: SourceFix[] = sources
      .filter((s) => versions.has(s.version))
      .map((s) => ({ name: s.name, fixedVersion: s.version }))
    return { codename: r.codename, version: r.version, pro: r.pro, sources: fixes, binaries: r.binaries }
  })
}

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
  const frame = readNoticeFrame(lines)
  const sections = readSections(lines.slice(frame.sectionsStart))
  const text = (name: SectionName): string => (sections.get(name) ?? []).join('\n').trim()
  const instructions = readUpdateInstructions(sections.get('update instructions') ?? [])
  const refText = text('references')
  const { references, sources } = readReferences(refText, text('package information'))
  return withSource(
    {
      id: frame.id,
      aliases: aliasesOf(frame.id, [...cveIds(refText), ...(refText.match(/\b(USN|LSN)-\d+-\d+\b/g) ?? [])]),
      cves: cveIds(refText, text('details')),
      title: frame.title || frame.id,
      summary: text('summary').replace(/\s+/g, ' '),
      details: text('details'),
      priority: undefined,
      published: frame.published,
      modified: undefined,
      releases: releaseFixesOf(instructions.releases, sources),
      mitigations: [...instructions.mitigations],
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
