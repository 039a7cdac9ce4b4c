/**
 * The window and the process behind it (browser mode): no key, a wrong key, the one-time link, a frozen backend, a
 * killed and restarted backend, and a stopped one. The window must say which it is, show no old answer as current,
 * and close itself when the server it came from stops.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, expect, test, type Page } from '@playwright/test'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

test.describe.configure({ mode: 'serial' })

// One mirror on a closed port: the check ends quickly in "No source reachable", with no network needed.
const CONFIG = {
  pollIntervalMinutes: 60,
  mirrors: [
    {
      id: 'closed',
      name: 'Closed test mirror',
      url: 'http://127.0.0.1:9/ubuntu',
      suites: ['noble-security'],
      components: ['main'],
      architectures: ['amd64'],
    },
  ],
}
const OPEN_FROM_LINK = 'Open Lifeline from its link'
const LOST = 'Lost connection to Lifeline — reconnecting'

let app: AppServer | undefined
test.afterEach(async () => {
  await app?.stop()
  app = undefined
})

/** The expected console noise of a refused request (Chromium logs every 403 it receives). */
const only403 = (ui: StatusPage): string[] => ui.errors.filter((e) => !/status of 403/.test(e))

async function connected(page: Page, ui: StatusPage, url: string): Promise<void> {
  await ui.open(url)
  await ui.waitForTone('unknown')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/No source reachable/)
}

test('no key in the address: the page says to open Lifeline from its link, and what to run', async ({
  page,
}) => {
  app = await startAppServer(CONFIG)
  const ui = new StatusPage(page)
  await ui.open(`${app.origin}/`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(OPEN_FROM_LINK)
  await expect(page.locator('main')).toContainText('lifeline serve --open')
  await expect(page.getByRole('navigation', { name: 'Screens' })).toHaveCount(0)
  await expect(ui.verdict()).toHaveCount(0)
  await ui.expectAccessible()
  await ui.screenshots('connection-open-from-link')
  ui.expectNoErrors()
})

test('a wrong key: refused in plain words, never a raw "HTTP 403" or an endless "Starting…"', async ({
  page,
}) => {
  app = await startAppServer(CONFIG)
  const ui = new StatusPage(page)
  await ui.open(`${app.origin}/#token=not-the-key`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(OPEN_FROM_LINK, { timeout: 10_000 })
  await expect(page.locator('main')).toContainText('no longer accepts this window')
  await expect(page.locator('body')).not.toContainText('HTTP 403')
  await expect(page.locator('body')).not.toContainText('Starting')
  await expect(page).toHaveURL(`${app.origin}/`)
  expect(only403(ui)).toEqual([])
})

test('the one-time link of serve --open works once; a second use is refused', async ({ page, context }) => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-e2e-open-'))
  try {
    // A stand-in for Chromium records the command line serve --open gives it.
    const args = join(dir, 'args')
    const browser = join(dir, 'browser.sh')
    await writeFile(browser, `#!/bin/sh\nprintf '%s\\n' "$@" > "${args}"\nsleep 120\n`)
    await chmod(browser, 0o755)
    app = await startAppServer(CONFIG, { extraArgs: ['--open'], env: { CHROMIUM: browser, DISPLAY: ':99' } })
    const argv = await expect
      .poll(async () => (await readFile(args, 'utf8').catch(() => '')).split('\n'), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/^--app=/))
      .then(async () => (await readFile(args, 'utf8')).split('\n'))
    const link = (argv.find((a) => a.startsWith('--app=')) ?? '').slice('--app='.length)
    expect(link).toMatch(/\/#code=/)
    expect(argv.join(' ')).not.toContain(new URL(app.url).hash.slice('#token='.length))

    const ui = new StatusPage(page)
    await connected(page, ui, link)
    await expect(page).toHaveURL(`${app.origin}/`)
    ui.expectNoErrors()

    const second = await context.newPage()
    const ui2 = new StatusPage(second)
    await ui2.open(link)
    await expect(second.getByRole('heading', { level: 1 })).toHaveText(OPEN_FROM_LINK)
    await expect(second.locator('main')).toContainText('already used once')
    expect(only403(ui2)).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('a frozen backend: "Lost connection — reconnecting" with no old colour, then back by itself', async ({
  page,
}) => {
  app = await startAppServer(CONFIG)
  const ui = new StatusPage(page)
  await connected(page, ui, app.url)
  app.signal('SIGSTOP')
  // No answer and no heartbeat: the window notices within a few heartbeats, without any click.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(LOST, { timeout: 25_000 })
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  await expect(ui.verdict()).toHaveCount(0)
  await ui.expectAccessible()
  await ui.screenshots('connection-lost')
  app.signal('SIGCONT')
  await ui.waitForTone('unknown', 30_000)
  await expect(page.getByRole('button', { name: 'Check now' })).toBeEnabled()
  ui.expectNoErrors()
})

test('a killed and restarted backend: the old window is told to open the new link', async ({ page }) => {
  app = await startAppServer(CONFIG)
  const port = Number(new URL(app.origin).port)
  const ui = new StatusPage(page)
  await connected(page, ui, app.url)
  app.signal('SIGKILL')
  await app.exited()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(LOST, { timeout: 10_000 })
  await expect(ui.verdict()).toHaveCount(0)
  app = await startAppServer(CONFIG, { port })
  // The new run has a new key, so this window cannot come back: it says what to do instead.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(OPEN_FROM_LINK, { timeout: 15_000 })
  await expect(page.locator('main')).toContainText('restarted')
  // Chromium logs the cut stream and the refused reconnections itself; nothing else may appear.
  const expected = /ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|Failed to fetch/
  expect(only403(ui).filter((e) => !expected.test(e))).toEqual([])
})

test('stopping the server closes the app window; a tab with history says Lifeline has stopped', async ({
  page,
}) => {
  app = await startAppServer(CONFIG)
  // The app window as serve --open makes it: Chromium's app mode, the link as its first and only page.
  const profile = await mkdtemp(join(tmpdir(), 'lifeline-e2e-app-window-'))
  const window = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--test-type', `--app=${app.url}`],
  })
  try {
    const appPage = window.pages()[0] ?? (await window.waitForEvent('page'))
    const appUi = new StatusPage(appPage)
    await appUi.waitForTone('unknown')
    // A tab the user navigated in (it has history: Playwright's pages start at about:blank) cannot be closed by a
    // script: it says Lifeline has stopped.
    const tabUi = new StatusPage(page)
    await connected(page, tabUi, app.url)
    const closed = appPage.waitForEvent('close', { timeout: 10_000 })
    await app.stop()
    app = undefined
    await closed
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lifeline has stopped')
    await expect(tabUi.verdict()).toHaveCount(0)
    tabUi.expectNoErrors()
    appUi.expectNoErrors()
  } finally {
    await window.close()
    await rm(profile, { recursive: true, force: true })
  }
})
