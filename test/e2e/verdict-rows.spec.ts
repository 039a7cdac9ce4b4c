/**
 * The overview shows the same verdict and reason as `lifeline check` for the main rows of the verdict table
 * (main/core/check/verdict.ts): the real app (`lifeline serve`) and the real CLI, on the same configuration and
 * machine root, against jammy-security archives signed with a generated archive key on 127.0.0.1.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { configJson, fixturePath, jammyArchiveFiles, writeRoot } from '../integration/check-support'
import { startMirrorServer, type MirrorServer } from '../support/mirror-server'
import { makeTestArchiveKey, type TestArchiveKey } from '../support/test-archive'
import { screenshotPath, StatusPage } from './pages/status-page'
import { startAppServer } from './support/app-server'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const JAMMY_OS = readFileSync(fixturePath('systems/jammy-kernel/etc/os-release'), 'utf8')
const JAMMY_STATUS = readFileSync(fixturePath('ubuntu/dpkg_status.jammy-2022-10-09'), 'utf8')
const BOOKWORM_OS =
  'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
const DAY = 24 * 3600_000

interface UiRow {
  readonly name: string
  /** Archive the machine's apt uses, and (optionally) another configured mirror. */
  readonly used: 'down' | 'current' | 'old'
  readonly other?: 'current-fix'
  readonly osRelease?: string
  readonly tone: 'safe' | 'attention' | 'alarm' | 'unknown'
  readonly headline: RegExp
  readonly screenshot: string
}

const ROWS: readonly UiRow[] = [
  {
    name: 'the fix only on another mirror, the machine mirror down',
    used: 'down',
    other: 'current-fix',
    tone: 'attention',
    headline: /A verified security fix is waiting/,
    screenshot: 'overview-fix-on-other-mirror.png',
  },
  {
    name: 'a current pocket with nothing newer, no advisory source',
    used: 'current',
    tone: 'safe',
    headline: /You are up to date/,
    screenshot: 'overview-safe-archive-only.png',
  },
  {
    name: 'only an old copy of the security pocket',
    used: 'old',
    tone: 'unknown',
    headline: /Lifeline cannot tell whether this computer is up to date/,
    screenshot: 'overview-security-data-old.png',
  },
  {
    name: 'a release no configured mirror serves',
    used: 'current',
    osRelease: BOOKWORM_OS,
    tone: 'unknown',
    headline: /Lifeline cannot tell whether this computer is up to date/,
    screenshot: 'overview-release-not-served.png',
  },
]

let srv: MirrorServer
let key: TestArchiveKey
let tmp = ''

test.beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'lifeline-e2e-verdict-'))
  key = await makeTestArchiveKey()
  srv = await startMirrorServer()
  const now = Date.now()
  const put = (prefix: string, files: ReadonlyMap<string, Uint8Array>): void => {
    for (const [p, b] of files) srv.files.set(`/${prefix}/${p}`, b)
  }
  put('current-fix', await jammyArchiveFiles(key, { date: now - 2 * 3600_000 }))
  put('current', await jammyArchiveFiles(key, { withFix: false, date: now - 2 * 3600_000 }))
  put('old', await jammyArchiveFiles(key, { withFix: false, date: now - 10 * DAY }))
  srv.faults.set('/down', 'down')
  await writeFile(join(tmp, 'key.asc'), key.armoredPublic)
})

test.afterAll(async () => {
  await srv?.close()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** `lifeline check --json` on the same configuration and root: the CLI's verdict and reason. */
function cliReport(args: readonly string[]): Promise<{ verdict: string; summary: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'lifeline.mjs'), 'check', '--json', ...args],
      (err, stdout) => {
        if (stdout) resolve(JSON.parse(stdout) as { verdict: string; summary: string })
        else reject(err ?? new Error('no output'))
      },
    )
  })
}

ROWS.forEach((row, i) => {
  test(`the overview says what lifeline check says: ${row.name}`, async ({ page }) => {
    const dir = join(tmp, `row-${i}`)
    const url = (p: string): string => `${srv.url}/${p}`
    await writeRoot(join(dir, 'root'), {
      osRelease: row.osRelease ?? JAMMY_OS,
      status: JAMMY_STATUS,
      sourcesList: `deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] ${url(row.used)} jammy-security main\n`,
    })
    const mirror = (id: string, p: string) => ({
      id,
      name: `${id} mirror`,
      url: url(p),
      suites: ['jammy-security'],
      components: ['main'],
      architectures: ['amd64'],
    })
    const config = JSON.parse(
      configJson(mirror('primary', row.used), {
        file: join(tmp, 'key.asc'),
        fingerprint: key.fingerprint,
        name: 'Lifeline test archive key',
      }),
    ) as { mirrors: unknown[] }
    if (row.other) config.mirrors.push(mirror('university', row.other))
    const configFile = join(dir, 'config.json')
    await writeFile(configFile, JSON.stringify(config))

    const app = await startAppServer(null, { configFile, root: join(dir, 'root') })
    try {
      const ui = new StatusPage(page)
      await ui.open(app.url)
      await ui.waitForTone(row.tone)
      const cli = await cliReport([
        '--config',
        configFile,
        '--root',
        join(dir, 'root'),
        '--data-dir',
        join(dir, 'cli-data'),
      ])
      expect(cli.verdict).toBe(row.tone)
      const banner = ui.verdict()
      await expect(banner.getByRole('heading', { level: 1 })).toHaveText(row.headline)
      await expect(banner.locator('p').first()).toHaveText(cli.summary)
      if (row.tone === 'unknown') {
        // Something verified: the next-step text must not claim that nothing can be verified.
        await expect(page.getByText('Nothing verified to install.', { exact: false })).toBeVisible()
      }
      await page.screenshot({ path: screenshotPath(row.screenshot), fullPage: true })
      ui.expectNoErrors()
    } finally {
      await app.stop()
    }
  })
})
