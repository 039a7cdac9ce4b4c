import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { screenshotPath, StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

// A mirror that answers slowly with 404: the check is observable while it runs, then ends in "no source reachable".
let mirror: Server
let mirrorUrl = ''
let app: AppServer

test.beforeAll(async () => {
  mirror = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(404)
      res.end()
    }, 700)
  })
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r))
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/ubuntu`
  app = await startAppServer({
    pollIntervalMinutes: 60,
    mirrors: [
      {
        id: 'slow-mirror',
        name: 'Slow test mirror',
        url: mirrorUrl,
        suites: ['noble-security'],
        components: ['main'],
        architectures: ['amd64'],
      },
    ],
  })
})

test.afterAll(async () => {
  await app?.stop()
  mirror?.closeAllConnections()
  await new Promise((r) => mirror?.close(r))
})

test('overview renders the backend snapshot, and Check now streams the new state', async ({ page }) => {
  const ui = new StatusPage(page)
  await ui.open(app.url)
  // The token left the address bar once read.
  await expect(page).toHaveURL(`${app.origin}/`)
  await ui.waitForTone('unknown')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/No source reachable/)
  await expect(page.getByRole('heading', { level: 3, name: 'Slow test mirror' })).toBeVisible()
  const before = await ui.revision()

  // By keyboard: "Check now" is disabled while the check runs; focus comes back to it afterwards.
  await page.getByRole('button', { name: 'Check now' }).focus()
  await page.keyboard.press('Enter')
  await ui.waitForTone('checking')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Checking your sources/)
  await ui.waitForTone('unknown')
  expect(await ui.revision()).toBeGreaterThanOrEqual(before + 2)
  await expect(page.getByRole('button', { name: 'Check now' })).toBeFocused()
  await page.screenshot({ path: screenshotPath('overview-no-source.png'), fullPage: true })
  ui.expectNoErrors()
})
