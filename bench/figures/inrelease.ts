/**
 * Figure 1: InRelease verification in-process (openpgp.js, keyring loaded once) vs `gpgv` whole-process.
 *
 * Target: at most 3 ms median per Ubuntu InRelease in-process, and faster than a gpgv run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadKeyring } from '../../main/core/pgp/keyring'
import type { Keyring } from '../../main/core/pgp/keyring'
import { verifyCleartext } from '../../main/core/pgp/verify'
import { builtInKeysDir, loadKeyringFromManifest } from '../../main/node/keys'
import type { BenchContext, FigureRow } from '../lib/report'
import { timeProcess } from '../lib/native'
import type { NativeTiming } from '../lib/native'
import { fmtMs, timeAsync } from '../lib/stats'

const TARGET_MS = 3

interface Case {
  readonly id: string
  readonly label: string
  readonly file: string
  readonly ubuntu: boolean
}

const CASES: readonly Case[] = [
  { id: 'noble', label: 'noble InRelease 250 KB', file: 'ubuntu/apt/noble_InRelease', ubuntu: true },
  {
    id: 'noble-security',
    label: 'noble-security InRelease 126 KB',
    file: 'ubuntu/apt/noble-security_InRelease',
    ubuntu: true,
  },
  {
    id: 'bookworm-security',
    label: 'Debian bookworm-security InRelease 35 KB',
    file: 'debian/bookworm-security_InRelease',
    ubuntu: false,
  },
]

/** The Release `Date:` of a clearsigned InRelease, plus one hour: a reference time at which it is valid. */
function referenceTime(text: string): number {
  const m = /^Date:\s*(.+)$/m.exec(text)
  const t = m?.[1] ? Date.parse(m[1].trim()) : Number.NaN
  return (Number.isFinite(t) ? t : Date.now()) + 3600_000
}

function anchorText(t: NativeTiming): string {
  if (!t.ok) return `gpgv: ${t.reason}`
  return `gpgv ${fmtMs(t.summary.medianMs)} med, p95 ${fmtMs(t.summary.p95Ms)}`
}

/** Runs figure 1 for each fixture InRelease; one row per file. */
export async function inReleaseFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const fixtures = join(ctx.root, 'test/fixtures')
  const runs = ctx.quick ? 40 : 200
  const warmup = ctx.quick ? 10 : 30
  const ubuntuKeyring = await loadKeyringFromManifest(builtInKeysDir())
  const debianKeyring: Keyring = await loadKeyring([
    {
      data: new Uint8Array(readFileSync(join(fixtures, 'debian/debian-archive-keyring.gpg'))),
      role: 'archive',
      name: 'Debian archive keyring',
    },
  ])
  const ubuntuGpg = [
    join(fixtures, 'ubuntu/keys/ubuntu-keyring-2018-archive.gpg'),
    join(fixtures, 'ubuntu/keys/ubuntu-keyring-2012-archive.gpg'),
  ]
  const debianGpg = [join(fixtures, 'debian/debian-archive-keyring.gpg')]

  const rows: FigureRow[] = []
  for (const c of CASES) {
    const path = join(fixtures, c.file)
    const text = readFileSync(path, 'utf8')
    const keyring = c.ubuntu ? ubuntuKeyring : debianKeyring
    const now = referenceTime(text)
    // One checked run first: a bench that times a failing verification would time the wrong thing.
    const first = await verifyCleartext(text, keyring, { role: 'archive', now })
    const s = await timeAsync(() => verifyCleartext(text, keyring, { role: 'archive', now }), runs, warmup)
    const keyArgs = (c.ubuntu ? ubuntuGpg : debianGpg).flatMap((k) => ['--keyring', k])
    const gpgv = timeProcess('gpgv', [...keyArgs, path], { runs: ctx.quick ? 20 : 100, warmup: 5 })
    const fasterThanGpgv = gpgv.ok ? s.medianMs < gpgv.summary.medianMs : undefined
    const underTarget = s.medianMs <= TARGET_MS
    rows.push({
      id: `inrelease.${c.id}`,
      issue: '3',
      figure: `verify ${c.label}`,
      measured: `${fmtMs(s.medianMs)} med, p95 ${fmtMs(s.p95Ms)}, n=${s.runs}`,
      target: c.ubuntu ? `<= ${TARGET_MS} ms med, < gpgv` : `< gpgv`,
      anchor: anchorText(gpgv),
      verdict: c.ubuntu
        ? underTarget && fasterThanGpgv !== false
          ? 'met'
          : 'missed'
        : fasterThanGpgv === undefined
          ? 'info'
          : fasterThanGpgv
            ? 'met'
            : 'missed',
      numbers: {
        medianMs: s.medianMs,
        p95Ms: s.p95Ms,
        runs: s.runs,
        bytes: Buffer.byteLength(text),
        signedBy: first.signers[0]?.fingerprint ?? null,
        gpgvMedianMs: gpgv.ok ? gpgv.summary.medianMs : null,
        gpgvP95Ms: gpgv.ok ? gpgv.summary.p95Ms : null,
      },
      notes:
        c.id === 'noble'
          ? [
              'InRelease: openpgp.js 6 in one long-lived process, keyring loaded once (main/core/pgp/verify.ts ' +
                'verifyCleartext, role archive), median and p95 after warm-up; gpgv is a whole process per file with the same keys ' +
                '(.gpg keyrings), timed by hyperfine when installed. sqv 1.1 verifies detached signatures only, so it is not used.',
            ]
          : [],
    })
  }
  return rows
}
