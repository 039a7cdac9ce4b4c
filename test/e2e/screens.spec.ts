/**
 * The desktop screens through browser mode against the real backend (`lifeline serve`), fed by the outage lab:
 * loopback mirrors signed with a generated test key, OSV / notices / signed-feed channels, and a synthetic noble
 * machine with a vulnerable expat (main/lab). Screenshots of every screen in both themes go to docs/screenshots.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { EXPAT_FIXED } from '../../main/lab/archive'
import { startLab, type Lab } from '../../main/lab/lab'
import { LAB_TARGET_IDS } from '../../main/lab/scenarios'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

const FIX_COMMAND = `sudo apt install --only-upgrade libexpat1=${EXPAT_FIXED}`
let lab: Lab
let app: AppServer

test.describe.configure({ mode: 'serial' })
test.use({ permissions: ['clipboard-read', 'clipboard-write'], viewport: { width: 1000, height: 800 } })

const serve = (dataDir?: string) =>
  startAppServer(null, {
    configFile: lab.configFile,
    root: lab.rootDir,
    dataDir,
    env: { LIFELINE_RESOURCES: lab.resourcesDir },
  })

test.beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
  app = await serve()
})

test.afterAll(async () => {
  await app?.stop()
  await lab?.close()
})

async function openApp(page: Page): Promise<StatusPage> {
  const ui = new StatusPage(page)
  await ui.open(app.url)
  return ui
}

test('overview: a verified fix is waiting, with the exact command one click away', async ({ page }) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'A verified security fix is waiting for this computer.',
  )
  const steps = page.getByRole('list', { name: 'Steps for this computer' })
  await expect(steps.getByTestId('step-command').nth(1)).toHaveText(FIX_COMMAND)
  await steps.getByRole('button', { name: 'Copy the command of step 2' }).click()
  await expect(steps.getByRole('button', { name: 'Copy the command of step 2' })).toHaveText(/Copied/)
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(FIX_COMMAND)
  await expect(page.getByText(/mirrors verified/)).toBeVisible()
  await ui.expectAccessible()
  await ui.screenshots('overview-attention')
  ui.expectNoErrors()
})

test('the overview renders the saved state at once after a restart, before the new check ends', async ({
  page,
}) => {
  // Restart on the same data folder: the backend loads the saved report and starts a new check at once.
  await app.stop(true)
  app = await serve(app.dataDir)
  const ui = new StatusPage(page)
  const t0 = Date.now()
  await ui.open(app.url)
  await expect(ui.verdict()).toContainText('1 verified security advisory affects this computer', {
    timeout: 5_000,
  })
  const ms = Date.now() - t0
  console.log(`overview rendered the cached state ${ms} ms after opening`)
  await mkdir('test-results', { recursive: true })
  // Recorded, not asserted: a time limit in a test fails on a loaded machine, not on a slow app. The figure and its
  // target (< 1 s) are `npm run bench`'s "overview shows cached state" (bench/figures/overview.ts).
  await writeFile('test-results/ui-timings.json', JSON.stringify({ overviewCachedStateMs: ms }, null, 2))
  await ui.waitForTone('attention')
  ui.expectNoErrors()
})

test('advisories: list with trust badges, detail with steps and the evidence chain in plain words', async ({
  page,
}) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  await ui.goTo('Advisories')
  const row = page.locator('[data-advisory="USN-7000-1"]')
  await expect(row).toContainText('Fix ready')
  await expect(row.locator('[data-trust="signed"]')).toBeVisible()
  await ui.expectAccessible()
  await ui.screenshots('advisories')

  await page.getByLabel('Show').selectOption('all')
  await expect(page.locator('[data-advisory]')).toHaveCount(3)
  await page.getByRole('searchbox').fill('7095')
  await expect(page.locator('[data-advisory]')).toHaveCount(1)
  await page.getByRole('searchbox').fill('')

  await row.click()
  await expect(page.getByRole('heading', { level: 1, name: /USN-7000-1/ })).toBeFocused()
  await expect(page.getByRole('list', { name: 'Steps for USN-7000-1' })).toContainText(FIX_COMMAND)
  const evidence = page.locator('.evidence-list')
  await expect(evidence.locator('[data-evidence="trust"]')).toContainText('signed by a key Lifeline pins')
  await expect(evidence.locator('[data-evidence="dpkg-status"]')).toContainText(
    'This computer has libexpat1 2.6.1-2 installed',
  )
  await expect(evidence.locator('[data-evidence="verified-mirror"]').first()).toContainText(
    'signed by Lifeline Lab archive key (TEST ONLY)',
  )
  // Enter on the button replaces it with the link: focus follows, and the link says where it goes.
  await page.getByRole('button', { name: 'Read the full advisory' }).focus()
  await page.keyboard.press('Enter')
  const link = page.getByRole('link', { name: /Read the full advisory on ubuntu.com/ })
  await expect(link).toHaveAttribute('href', 'https://ubuntu.com/security/notices/USN-7000-1')
  await expect(link).toBeFocused()
  await expect(page.getByTestId('site-note')).toContainText('ubuntu.com')
  await ui.expectAccessible()
  await ui.screenshots('advisory-detail')
  const before = await ui.revision()
  await page.getByRole('button', { name: 'Check again' }).click()
  await expect.poll(() => ui.revision(), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2)
  ui.expectNoErrors()
})

test('sources: mirrors and channels with status and what each failure means', async ({ page }) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  await ui.goTo('Sources')
  const mirrors = page.getByRole('list', { name: 'Mirrors' })
  await expect(mirrors.locator('li[data-state="ok"]').first()).toContainText(
    'Its package lists match the signed Release file',
  )
  // Mirrors are counted as mirrors, with their suites beneath; codes and addresses are under "Technical detail".
  const cards = mirrors.locator(':scope > li')
  const mirrorCount = await cards.count()
  await expect(page.getByText(new RegExp(`^\\d+ of ${mirrorCount} mirrors? verified`))).toBeVisible()
  await expect(cards.first().locator('details.technical').first()).not.toHaveAttribute('open')
  await expect(page.getByRole('list', { name: 'Advisory sources' })).toContainText('Signed feed (pinned key)')
  // What each source tells its host: only the OSV.dev query sends the package list.
  const osvApi = page
    .getByRole('list', { name: 'Advisory sources' })
    .locator(':scope > li', { hasText: 'OSV.dev API' })
  await expect(osvApi.getByTestId('channel-privacy')).toContainText('installed source packages')
  await ui.expectAccessible()
  await ui.screenshots('sources')
  ui.expectNoErrors()
})

test('check instructions: the fake fix is dangerous, with every risky span explained', async ({ page }) => {
  const ui = await openApp(page)
  await ui.goTo('Check instructions')
  await page.getByLabel('Text to check').fill(lab.fakeFixText)
  // By keyboard: the Check button is disabled while it runs, so focus must land on the verdict, not on <body>.
  await page.getByRole('button', { name: 'Check', exact: true }).focus()
  await page.keyboard.press('Enter')
  const banner = page.getByTestId('inspect-verdict')
  await expect(banner).toHaveAttribute('data-verdict', 'dangerous')
  await expect(banner.getByRole('heading', { level: 2 })).toBeFocused()
  await expect(banner).toContainText('Dangerous: do not run this.')
  await expect(page.locator('mark.sev-high').first()).toBeVisible()
  await expect(page.locator('.reasons .sev-high').first()).toContainText('Danger')
  await ui.expectAccessible()
  await ui.screenshots('check-instructions')
  ui.expectNoErrors()
})

test('check instructions: the exact verified fix is verified, and Check clipboard reads only on click', async ({
  page,
}) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  await ui.goTo('Check instructions')
  await page.evaluate((t) => navigator.clipboard.writeText(t), `sudo apt update && ${FIX_COMMAND}`)
  await expect(page.getByLabel('Text to check')).toHaveValue('')
  await page.getByRole('button', { name: 'Check clipboard' }).click()
  await expect(page.getByLabel('Text to check')).toHaveValue(`sudo apt update && ${FIX_COMMAND}`)
  await expect(page.getByTestId('inspect-verdict')).toHaveAttribute('data-verdict', 'verified')
  ui.expectNoErrors()
})

test('settings: poll interval, notifications, pause; autostart explained in browser mode', async ({
  page,
}) => {
  const ui = await openApp(page)
  await ui.goTo('Settings')
  const poll = page.getByLabel('How often to check in the background')
  await expect(poll).toHaveValue('5') // the lab's config
  await poll.selectOption('120')
  await expect(poll).toHaveValue('120')
  await expect(page.locator('#set-poll-origin')).toHaveText('Set by your choice.')
  // Values from --config name that file, never "built-in default".
  await expect(page.locator('#set-notify-origin')).toHaveText(
    `Set by the configuration file given with --config (${lab.configFile}).`,
  )
  // Pause and Resume replace each other; focus stays on the control that replaced the one pressed.
  await page.getByRole('button', { name: 'Pause for 1 hour' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('paused')).toContainText(/Notifications are paused until .+ \(in 1 hour\)\./)
  await expect(page.getByRole('button', { name: 'Resume notifications' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: 'Pause for 1 hour' })).toBeFocused()
  await expect(page.getByLabel('Start Lifeline when I log in')).toBeDisabled()
  // Each advisory source with what reading it sends, and how to turn it off.
  const osvApi = page.locator('li', { hasText: 'OSV.dev API (lab)' })
  await expect(osvApi.getByTestId('channel-privacy')).toContainText(
    "Sends the names and versions of this computer's installed source packages",
  )
  await expect(
    page.locator('li', { hasText: 'Helpdesk signed feed (lab)' }).getByTestId('channel-privacy'),
  ).toContainText('sends nothing about this computer')
  await expect(page.getByText(/Turning a source off takes effect/)).toBeVisible()
  await ui.expectAccessible()
  await ui.screenshots('settings')
  ui.expectNoErrors()
})

test('keyboard only: every screen is reachable, and focus lands on its heading', async ({ page }) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  const screens = ['Overview', 'Advisories', 'Sources', 'Check instructions', 'Settings'] as const
  await page.keyboard.press('Tab') // skip link
  for (const name of screens) {
    const button = page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name })
    for (let i = 0; i < 40 && !(await button.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab')
    }
    await expect(button).toBeFocused()
    await page.keyboard.press('Enter')
    if (name === 'Overview') await expect(page.locator('h1#overview-title')).toBeFocused()
    else await expect(page.getByRole('heading', { level: 1, name })).toBeFocused()
    await expect(button).toHaveAttribute('aria-current', 'page')
    await page.keyboard.press('Shift+Tab')
  }
  // Advisory detail by keyboard.
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /Advisories/ })
    .focus()
  await page.keyboard.press('Enter')
  const row = page.locator('[data-advisory="USN-7000-1"]')
  for (let i = 0; i < 40 && !(await row.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: /USN-7000-1/ })).toBeFocused()
  ui.expectNoErrors()
})

test('overview in alarm: a tampered and a frozen mirror, sources disagreeing', async ({ page }) => {
  const ui = await openApp(page)
  await ui.waitForTone('attention')
  await lab.setScenario('attack')
  await ui.checkAndWaitFor('alarm')
  // The red banner says which case it is (a mirror under attack) and what to do.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/may be under attack/)
  // The lab machine's apt uses neither failing mirror: the advice says so, as the verdict sentence does
  // (main/core/check/alarm.ts), instead of warning against installing from a mirror it never uses.
  await expect(ui.verdict()).toContainText("This computer's apt does not use University mirror (lab)")
  await expect(ui.verdict()).not.toContainText('Do not install updates from')
  await ui.expectAccessible()
  await ui.screenshots('overview-alarm')
  await ui.goTo('Sources')
  await expect(
    page.getByRole('list', { name: 'Mirrors' }).locator('li[data-state="frozen"]').first(),
  ).toContainText('An attacker can "freeze" a mirror')
  await ui.screenshots('sources-attack')
  // The unsigned OSV copy names another fixed version than the signed feed: both claims are shown.
  await ui.goTo('Advisories')
  await page.getByLabel('Show').selectOption('all')
  await page.locator('[data-advisory="USN-7000-1"]').click()
  const disagreement = page.getByRole('alert').filter({ hasText: 'Sources disagree about this fix' })
  await expect(disagreement).toContainText('Lifeline follows the signed copy')
  await expect(disagreement).toContainText('(signed)')
  await ui.expectAccessible()
  ui.expectNoErrors()
})

test('overview with no source reachable on a first run says nothing can be verified', async ({ page }) => {
  for (const t of LAB_TARGET_IDS) await lab.setFault(t, 'down')
  const fresh = await serve()
  try {
    const ui = new StatusPage(page)
    await ui.open(fresh.url)
    await ui.waitForTone('unknown')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/No source reachable/)
    await expect(page.getByText(/^0 of \d+ mirrors verified/)).toBeVisible()
    await expect(page.getByText(/Do not follow update instructions you find online/)).toBeVisible()
    await ui.expectAccessible()
    await ui.screenshots('overview-no-source')
    ui.expectNoErrors()
  } finally {
    await fresh.stop()
  }
})

test('overview when safe: the fix is installed', async ({ page }) => {
  const status = join(lab.rootDir, 'var', 'lib', 'dpkg', 'status')
  const text = await readFile(status, 'utf8')
  await writeFile(
    status,
    text.replace(/(Package: libexpat1\n(?:[^\n]+\n)*?Version: )[^\n]+/, `$1${EXPAT_FIXED}`),
  )
  await lab.setScenario('calm')
  const ui = await openApp(page)
  await ui.checkAndWaitFor('safe')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'You are up to date. Nothing needs doing right now.',
  )
  await ui.expectAccessible()
  await ui.screenshots('overview-safe')
  ui.expectNoErrors()
})
