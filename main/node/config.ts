import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { CoreError } from '../core/errors'
import { Limits } from '../core/limits'
import type { AppConfig } from '../core/model'

/** Config file problems. */
export type ConfigErrorCode = 'CONFIG_UNREADABLE' | 'CONFIG_INVALID'

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes')
const MirrorSchema = z.strictObject({
  id: Id,
  name: z.string().min(1).max(200),
  url: z
    .string()
    .max(2048)
    .refine((u) => /^(https?|file):\/\//.test(u), 'must be an http:, https: or file: URL'),
  suites: z.array(z.string().regex(/^[a-z0-9{}-]+$/)).min(1),
  components: z.array(z.string().regex(/^[a-z0-9/-]+$/)).min(1),
  architectures: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
})

/** The schema of a config file (the same shape as resources/config/default.json). */
export const ConfigFileSchema = z.strictObject({
  $comment: z.string().optional(),
  pollIntervalMinutes: z.number().int().min(5).max(24 * 60),
  mirrors: z.array(MirrorSchema),
  channels: z
    .array(
      z.strictObject({
        id: Id,
        name: z.string().min(1).max(200),
        type: z.enum(['osv', 'usn-api', 'usn-db', 'signed-feed', 'mbox', 'news']),
        urls: z.array(z.string().max(2048).refine((u) => /^(https?|file):\/\//.test(u), 'must be an http:, https: or file: URL')).min(1),
      }),
    )
    .default([]),
  keys: z
    .array(
      z.strictObject({
        file: z.string().min(1),
        fingerprint: z.string().regex(/^[0-9A-Fa-f]{40}([0-9A-Fa-f]{24})?$/, 'a full 40- or 64-hex-digit fingerprint'),
        role: z.enum(['archive', 'advisory']),
        name: z.string().min(1).max(200),
      }),
    )
    .default([]),
  removeKeys: z.array(z.string().regex(/^[0-9A-Fa-f]{40}([0-9A-Fa-f]{24})?$/)).default([]),
})

/** Formats the first schema problem as "field: reason". */
export function describeZodError(e: z.ZodError): string {
  const issue = e.issues[0]
  if (!issue) return 'invalid'
  const path = issue.path.length ? issue.path.join('.') : '(top level)'
  return `${path}: ${issue.message}`
}

/** Reads and validates a config file; `{codename}` in suites becomes the given release codename. */
export async function loadConfigFile(file: string, codename: string): Promise<AppConfig> {
  let text: string
  try {
    const buf = await readFile(file)
    if (buf.length > Limits.size.stateFileBytes) throw new Error('file too large')
    text = buf.toString('utf8')
  } catch (e) {
    throw new CoreError('CONFIG_UNREADABLE', `${file}: ${e instanceof Error ? e.message : String(e)}`, { file })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new CoreError('CONFIG_INVALID', `${file}: not valid JSON (${e instanceof Error ? e.message : ''})`, { file })
  }
  const parsed = ConfigFileSchema.safeParse(json)
  if (!parsed.success) {
    throw new CoreError('CONFIG_INVALID', `${file}: ${describeZodError(parsed.error)}`, { file })
  }
  return {
    pollIntervalMs: parsed.data.pollIntervalMinutes * 60_000,
    mirrors: parsed.data.mirrors.map((m) => ({ ...m, suites: m.suites.map((s) => s.replaceAll('{codename}', codename)) })),
    channels: parsed.data.channels,
    extraKeys: parsed.data.keys.map((k) => ({ ...k, fingerprint: k.fingerprint.toUpperCase() })),
    removedKeys: parsed.data.removeKeys.map((f) => f.toUpperCase()),
  }
}

/** The built-in default configuration. */
export function defaultConfigPath(resourcesDir: string): string {
  return join(resourcesDir, 'config', 'default.json')
}
