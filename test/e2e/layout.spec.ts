/**
 * Narrow windows (a tray popup, a phone-sized window, 200 % zoom): every screen reflows, nothing scrolls sideways,
 * and every screen has exactly one h1. 640 px is a 1280 px window at 200 % zoom.
 */
import { expect, test, type Page } from '@playwright/test'
import { startLab, type Lab } from '../../main/lab/lab'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

let lab: Lab
let app: AppServer

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  lab = await startLab({ scenario: 'calm' })
  app = await startAppServer(null, {
    configFile: lab.configFile,
    root: lab.rootDir,
    env: { LIFELINE_RESOURCES: lab.resourcesDir },
  })
})

test.afterAll(async () => {
  await app?.stop()
  await lab?.close()
})

/** Each screen, reached as a user would, in a state that fills it (results, links, details). */
const SCREENS: readonly {
  readonly name: string
  readonly show: (ui: StatusPage, page: Page) => Promise<void>
}[] = [
  { name: 'overview', show: (ui) => ui.goTo('Overview') },
  {
    name: 'advisories',
    show: async (ui, page) => {
      await ui.goTo('Advisories')
      await page.getByLabel('Show').selectOption('all')
    },
  },
  {
    name: 'advisory-detail',
    show: async (ui, page) => {
      await ui.goTo('Advisories')
      await page.locator('[data-advisory="USN-7000-1"]').click()
      await page.getByRole('button', { name: 'Read the full advisory' }).click()
      await expect(page.getByRole('link', { name: /Read the full advisory on/ })).toBeVisible()
      for (const d of await page.locator('details').all())
        await d.evaluate((el) => el.setAttribute('open', ''))
    },
  },
  {
    name: 'sources',
    show: async (ui, page) => {
      await ui.goTo('Sources')
      // Technical detail open: the longest lines (addresses, codes, exact times) must wrap too.
      for (const d of await page.locator('details').all())
        await d.evaluate((el) => el.setAttribute('open', ''))
    },
  },
  {
    name: 'check-instructions',
    show: async (ui, page) => {
      await ui.goTo('Check instructions')
      await page.getByLabel('Text to check').fill(lab.fakeFixText)
      await page.getByRole('button', { name: 'Check', exact: true }).click()
      await expect(page.getByTestId('inspect-verdict')).toBeVisible()
    },
  },
  { name: 'settings', show: (ui) => ui.goTo('Settings') },
]

for (const width of [360, 420, 640, 1280]) {
  test(`at ${width} px every screen fits the window and has one h1`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 })
    const ui = new StatusPage(page)
    await ui.open(app.url)
    await ui.waitForTone('attention')
    for (const s of SCREENS) {
      await s.show(ui, page)
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }))
      expect(scroll, `${s.name} at ${width} px is ${scroll} px wide`).toBeLessThanOrEqual(client)
      await expect(page.locator('h1'), `${s.name} has one h1`).toHaveCount(1)
      if (
        width === 420 &&
        ['overview', 'advisory-detail', 'sources', 'check-instructions'].includes(s.name)
      ) {
        await ui.screenshots(`${s.name}-narrow`)
      }
    }
    if (width === 360) await ui.expectAccessible()
    ui.expectNoErrors()
  })
}
