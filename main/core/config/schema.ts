/**
 * The schema of every configuration file: built-in defaults, baked and system policies, user settings.
 *
 * One strict zod schema (unknown keys are errors: a misspelt policy key must not be silently ignored, as browser
 * enterprise policies report unknown policies). Every field is optional: a file sets only what it means to set.
 * `docs/policy.schema.json` is generated from `PolicyFileSchema` by `policyJsonSchema()`; a test keeps it in sync.
 */
import { z } from 'zod'
import { findDuplicateKey } from './json-duplicates'
import type { ErrorCodeOf } from '../error-codes'

/** Configuration problems (each also reported as a `ConfigProblem`; thrown only by the single-file loader). */
export type ConfigErrorCode = ErrorCodeOf<'config'>

/** Largest configuration file read (a policy with 100 mirrors is about 50 KB). */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024

/** A mirror or channel id: 1-64 lower-case letters, digits and dashes. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/
const FINGERPRINT_PATTERN = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/
// http: is accepted for apt mirrors (their metadata is signed) and for loopback; the fetcher enforces the rest.
const URL_PATTERN = /^(?:https?|file):\/\/\S+$/
const HTTPS_PATTERN = /^https:\/\/[^\s/]+(?:\/\S*)?$/

const Id = z.string().regex(ID_PATTERN, 'must be 1-64 lower-case letters, digits and dashes')
const Fingerprint = z
  .string()
  .regex(FINGERPRINT_PATTERN, 'must be a full 40- or 64-hex-digit fingerprint (key IDs are not accepted)')
const Url = z.string().max(2048).regex(URL_PATTERN, 'must be an http:, https: or file: URL')
const Label = z.string().min(1).max(200)

/** An apt mirror (see MirrorConfig). `{codename}` in a suite becomes this machine's release codename. */
export const MirrorSchema = z.strictObject({
  id: Id,
  name: Label,
  url: Url,
  suites: z
    .array(z.string().regex(/^[a-z0-9{}-]{1,64}$/, 'must be a suite name such as {codename}-security'))
    .min(1)
    .max(32),
  components: z
    .array(z.string().regex(/^[a-z0-9/-]{1,64}$/, 'must be a component name such as main'))
    .min(1)
    .max(32),
  architectures: z
    .array(z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be a Debian architecture such as amd64'))
    .min(1)
    .max(16),
})

/** An advisory channel (see ChannelConfig; docs/trust.md, "Channels"). */
export const ChannelSchema = z.strictObject({
  id: Id,
  name: Label,
  type: z.enum(['osv', 'osv-api', 'github-osv', 'usn-api', 'usn-db', 'signed-feed', 'mbox', 'news']),
  urls: z.array(Url).min(1).max(16),
  /** `github-osv`: advisory ids always read, besides those OSV.dev and the archive name. */
  ids: z
    .array(
      z
        .string()
        .regex(
          /^(?:USN-\d+-\d+|(?:UBUNTU-)?CVE-\d{4}-\d{4,})$/,
          'must be an id such as USN-7000-1 or CVE-2024-45490',
        ),
    )
    .max(500)
    .optional(),
})

/** A key to pin: the file, its full fingerprint and its role (docs/trust.md, "Pinned keys"). */
export const KeySchema = z.strictObject({
  file: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[^\0]+$/, 'must be a file path'),
  fingerprint: Fingerprint,
  role: z.enum(['archive', 'advisory']),
  name: Label,
})

/** The helpdesk shown in the app. */
export const HelpdeskSchema = z.strictObject({
  name: z.string().min(1).max(120).optional(),
  url: z.string().max(2048).regex(HTTPS_PATTERN, 'must be an https: URL').optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number (digits, spaces, + ( ) . / -)')
    .optional(),
  email: z
    .string()
    .max(254)
    .regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/, 'must be an e-mail address')
    .optional(),
})

/** Maximum Release ages in hours, for Releases without Valid-Until (Ubuntu sets none). */
export const MaxAgeSchema = z.strictObject({
  security: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
  other: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .optional(),
})

/** Refuses two entries with the same key in one list (which one would win would be an accident of order). */
function unique<T>(key: (e: T) => string, field: string) {
  return (list: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>()
    list.forEach((e, i) => {
      const k = key(e)
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: [i, field], message: `duplicate ${field} "${k}"` })
      seen.add(k)
    })
  }
}

/** A configuration file: built-in defaults, a baked or system policy, or the user's settings. */
export const PolicyFileSchema = z.strictObject({
  $schema: z.string().max(2048).optional(),
  $comment: z.string().max(10_000).optional(),
  pollIntervalMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
  mirrors: z
    .array(MirrorSchema)
    .max(100)
    .superRefine(unique((m) => m.id, 'id'))
    .optional(),
  channels: z
    .array(ChannelSchema)
    .max(100)
    .superRefine(unique((c) => c.id, 'id'))
    .optional(),
  keys: z
    .array(KeySchema)
    .max(64)
    .superRefine(unique((k) => k.fingerprint.toUpperCase(), 'fingerprint'))
    .optional(),
  removeMirrors: z.array(Id).max(100).optional(),
  removeChannels: z.array(Id).max(100).optional(),
  removeKeys: z.array(Fingerprint).max(64).optional(),
  maxAgeHours: MaxAgeSchema.optional(),
  notificationLevel: z.enum(['none', 'alarm', 'attention']).optional(),
  allowClipboardCheck: z.boolean().optional(),
  allowAutostart: z.boolean().optional(),
  // Start at login on by default (the app enables it on first start unless the user chose); allowAutostart: false wins.
  autostart: z.boolean().optional(),
  helpdesk: HelpdeskSchema.optional(),
  brandingText: z.string().min(1).max(300).optional(),
})

/** A parsed configuration file. */
export type PolicyFile = z.infer<typeof PolicyFileSchema>

/**
 * Settings only a policy (or the built-in defaults) may set: what the organisation decides, not the user.
 *
 * `keys` is here because a pinned key is a trust anchor: whoever can write the user's settings file (any program
 * running as the user) must not be able to make its own mirror or advisories verify. Mirrors and channels stay open
 * to the user: they can only add evidence, which still has to verify against keys the user cannot add.
 */
export const POLICY_ONLY_FIELDS = [
  'keys',
  'allowClipboardCheck',
  'allowAutostart',
  'autostart',
  'helpdesk',
  'brandingText',
] as const

/** One problem found in a configuration file. `field` is a dotted path (`mirrors[0].url`), `''` for the file. */
export interface ConfigProblem {
  readonly file: string
  readonly field: string
  readonly reason: string
  readonly code: ConfigErrorCode
}

/** Formats a zod path as `mirrors[0].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? String(seg) : `.${String(seg)}`
  }
  return out
}

/**
 * Validates parsed JSON against the schema; problems carry the file, the field and the reason.
 *
 * An unknown key is reported at its own path (`helpdesk.fax: unknown setting`), so the message names what to fix.
 */
export function validatePolicy(
  json: unknown,
  file: string,
):
  | { readonly ok: true; readonly data: PolicyFile }
  | { readonly ok: false; readonly problems: ConfigProblem[] } {
  const parsed = PolicyFileSchema.safeParse(json)
  if (parsed.success) return { ok: true, data: parsed.data }
  const problems: ConfigProblem[] = []
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        problems.push({
          file,
          field: formatPath([...issue.path, k]),
          reason: 'unknown setting (see docs/policy.schema.json)',
          code: 'CONFIG_INVALID',
        })
      }
    } else {
      problems.push({ file, field: formatPath(issue.path), reason: issue.message, code: 'CONFIG_INVALID' })
    }
  }
  return { ok: false, problems }
}

/**
 * Parses and validates the text of a configuration file.
 *
 * Never throws on bad input: a file that is not JSON is one problem with field `''`; a key written twice in one
 * object is one problem naming that key's path.
 */
export function parsePolicyText(
  text: string,
  file: string,
):
  | { readonly ok: true; readonly data: PolicyFile }
  | { readonly ok: false; readonly problems: ConfigProblem[] } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    const reason = `not valid JSON (${e instanceof Error ? e.message : String(e)})`
    return { ok: false, problems: [{ file, field: '', reason, code: 'CONFIG_INVALID' }] }
  }
  const duplicate = findDuplicateKey(text)
  if (duplicate !== undefined) {
    // JSON.parse keeps the last one silently; which of two values a policy meant is not for us to guess.
    const reason = 'is set twice in the same object; remove one of them'
    return { ok: false, problems: [{ file, field: formatPath(duplicate), reason, code: 'CONFIG_INVALID' }] }
  }
  return validatePolicy(json, file)
}

/** The JSON Schema of a configuration file (draft 2020-12), as committed in docs/policy.schema.json. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PolicyFileSchema),
    $id: 'https://lifeline.invalid/policy.schema.json',
    title: 'Lifeline configuration and policy file',
    description:
      'Built-in defaults, policies baked into a build (resources/policy), system policies ' +
      '(/etc/lifeline/policies/managed and /recommended) and user settings all use this schema. See docs/policy.md.',
  }
}
