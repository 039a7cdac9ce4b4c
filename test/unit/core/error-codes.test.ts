/**
 * The joined error-code union (main/core/error-codes.ts): one table per area, listed as is in docs/error-codes.md;
 * every code the sources raise and the docs name is in it, and each area's own code type is exactly its table.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { EvidenceErrorCode } from '../../../main/core/apt/evidence'
import type { ConfigErrorCode } from '../../../main/core/config/schema'
import {
  areaOfCode,
  ERROR_AREAS,
  errorCodeEntries,
  isCodeOf,
  isErrorCode,
  type ErrorCode,
  type ErrorCodeOf,
} from '../../../main/core/error-codes'
import { CoreError } from '../../../main/core/errors'
import type { InspectErrorCode } from '../../../main/core/inspect/types'
import type { SignedFeedBuildErrorCode } from '../../../main/core/advisories/signed-feed'
import type { LabErrorCode } from '../../../main/lab/faults'
import type { LabStartErrorCode } from '../../../main/lab/loopback'
import type { AutostartErrorCode } from '../../../main/node/autostart'
import type { AppErrorCode } from '../../../main/node/backend'
import type { StateErrorCode } from '../../../main/node/file-state-store'
import type { KeyFileErrorCode } from '../../../main/node/keys'

const ROOT = join(__dirname, '..', '..', '..')

/** The first words of every code: a token that starts with one of them and is not in the union is a stray code. */
const CODE_SHAPE =
  /^(?:NET|API|BOOTSTRAP|PGP|APT|EVIDENCE|ADV|SYS|INSPECT|CONFIG|STATE|OFFLINE|KEYS|SETTING|CLIPBOARD|ADVISORY|CHANNEL|AUTOSTART|INPUT|LAB)_[A-Z0-9_]+$/

/** Names of the code's shape that are constants, not codes. */
const NOT_CODES: ReadonlySet<string> = new Set(['STATE_SCHEMA'])

/** Every file under `dir` whose name ends with one of `exts`. */
function filesUnder(dir: string, exts: readonly string[]): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .map((f) => join(dir, f))
}

/** The `| `CODE` | meaning |` rows of docs/error-codes.md, with the area heading above each. */
function documentedRows(): { area: string; code: string; meaning: string }[] {
  const rows: { area: string; code: string; meaning: string }[] = []
  let area = ''
  for (const line of readFileSync(join(ROOT, 'docs', 'error-codes.md'), 'utf8').split('\n')) {
    const heading = /^### (\S+)$/.exec(line)
    if (heading) area = heading[1] as string
    const row = /^\| `([A-Z0-9_]+)` +\| (.*?) +\|$/.exec(line)
    if (row) rows.push({ area, code: row[1] as string, meaning: (row[2] as string).replace(/\\\|/g, '|') })
  }
  return rows
}

describe('error codes', () => {
  it('lists each code in one area only', () => {
    const codes = errorCodeEntries().map((e) => e.code)
    expect(new Set(codes).size).toBe(codes.length)
    const tableSizes = Object.values(ERROR_AREAS).reduce((n, table) => n + Object.keys(table).length, 0)
    expect(codes.length).toBe(tableSizes)
  })

  it('gives every code a meaning', () => {
    for (const e of errorCodeEntries()) expect(e.meaning.length, e.code).toBeGreaterThan(10)
  })

  it('knows a code, its area, and a string that is none', () => {
    expect(isErrorCode('APT_ROLLBACK')).toBe(true)
    expect(isErrorCode('APT_ROLLBACKS')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
    expect(areaOfCode('OFFLINE_NO_STATE')).toBe('state')
    expect(isCodeOf('pgp', 'PGP_KEY_LOCKED')).toBe(true)
    expect(isCodeOf('pgp', 'APT_ROLLBACK')).toBe(false)
  })

  describe('docs/error-codes.md', () => {
    it('is the table of main/core/error-codes.ts, row for row', () => {
      expect(documentedRows()).toEqual(errorCodeEntries())
    })
  })

  describe('when a page of docs/ names a code', () => {
    it('is a code of the union', () => {
      const strays: string[] = []
      for (const file of [...filesUnder('docs', ['.md']), 'README.md', 'main/lab/README.md']) {
        const text = readFileSync(join(ROOT, file), 'utf8')
        for (const m of text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) {
          const token = m[1] as string
          if (CODE_SHAPE.test(token) && !isErrorCode(token) && !NOT_CODES.has(token))
            strays.push(`${file}: ${token}`)
        }
      }
      expect(strays).toEqual([])
    })
  })

  describe('when the sources write a code as a string', () => {
    it('is a code of the union (the page and the lab are not type-checked against it)', () => {
      const strays: string[] = []
      for (const file of filesUnder('main', ['.ts']).concat(filesUnder('renderer/src', ['.ts', '.tsx']))) {
        const text = readFileSync(join(ROOT, file), 'utf8')
        for (const m of text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) {
          const token = m[1] as string
          if (CODE_SHAPE.test(token) && !isErrorCode(token) && !NOT_CODES.has(token))
            strays.push(`${file}: ${token}`)
        }
      }
      expect(strays).toEqual([])
    })
  })

  describe("each area's own code type", () => {
    it('is exactly its table, so the two cannot drift apart', () => {
      expectTypeOf<InspectErrorCode>().toEqualTypeOf<ErrorCodeOf<'inspect'>>()
      expectTypeOf<ConfigErrorCode>().toEqualTypeOf<ErrorCodeOf<'config'>>()
      expectTypeOf<EvidenceErrorCode>().toEqualTypeOf<ErrorCodeOf<'evidence'>>()
      expectTypeOf<KeyFileErrorCode>().toEqualTypeOf<ErrorCodeOf<'key-file'>>()
      expectTypeOf<AppErrorCode | AutostartErrorCode>().toEqualTypeOf<ErrorCodeOf<'app'>>()
      expectTypeOf<LabErrorCode | LabStartErrorCode | 'LAB_BAD_REQUEST'>().toEqualTypeOf<ErrorCodeOf<'lab'>>()
      expectTypeOf<StateErrorCode>().toMatchTypeOf<ErrorCodeOf<'state'>>()
      expectTypeOf<SignedFeedBuildErrorCode>().toMatchTypeOf<ErrorCodeOf<'advisory'>>()
    })

    it('types a CoreError by its code', () => {
      const e = new CoreError('APT_ROLLBACK', 'older than the mark')
      expectTypeOf(e.code).toEqualTypeOf<'APT_ROLLBACK'>()
      expectTypeOf<CoreError['code']>().toEqualTypeOf<ErrorCode>()
      expect(e.code).toBe('APT_ROLLBACK')
    })
  })
})
