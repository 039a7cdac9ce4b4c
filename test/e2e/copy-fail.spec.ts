/**
 * The Copy Fail story in the real app (the demo's default scenario, main/lab/copy-fail.ts): ubuntu.com down, this
 * machine's mirror behind, the fixed kernel only on the university mirror. The overview asks for the fix from the
 * other mirror; after the kernel is "installed" the kernel advisory waits for a reboot; after the "reboot" it is
 * fixed. Screenshots `story-copy-fail-*` are the README's kernel story.
 */
import { expect, test, type Page } from '@playwright/test'
import { COPY_FAIL_USN } from '../../main/lab/copy-fail'
import { startLab, type Lab } from '../../main/lab/lab'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

let lab: Lab
let app: AppServer

test.beforeAll(async () => {
  lab = await startLab({ scenario: 'copy-fail' })
  app = await startAppServer(undefined, {
    configFile: lab.configFile,
    root: lab.rootDir,
    env: { LIFELINE_RESOURCES: lab.resourcesDir },
  })
})

test.afterAll(async () => {
  await app?.stop()
  await lab?.close()
})

/** The advisory list's entry for the Copy Fail notice. */
function copyFailEntry(page: Page) {
  return page.getByRole('listitem').filter({ hasText: COPY_FAIL_USN }).first()
}

test('Copy Fail: the fixed kernel on another mirror, installed, then fixed after the reboot', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const ui = new StatusPage(page)
  await ui.open(app.url)
  await ui.waitForTone('attention', 60_000)
  await expect(ui.verdict()).toContainText('verified fix')
  // The steps switch to the mirror that has the fix, for this computer's kernel.
  const steps = page.getByRole('list', { name: 'Steps for this computer' })
  await expect(steps).toContainText('lifeline-temporary.sources')
  await expect(steps).toContainText(`URIs: ${lab.url('mirror-a')}`)
  await expect(steps).toContainText('linux-generic=6.8.0-41.41')
  await expect(steps).toContainText('sudo reboot')
  await ui.screenshots('story-copy-fail-1-fix-on-other-mirror')

  await ui.goTo('Advisories')
  await expect(copyFailEntry(page)).toBeVisible()
  await expect(copyFailEntry(page)).toContainText(/other mirror/i)

  await lab.setMachine('installed')
  await ui.goTo('Overview')
  await ui.checkAndWaitFor('attention')
  await ui.goTo('Advisories')
  await expect(copyFailEntry(page)).toContainText(/reboot|restart/i)
  await ui.goTo('Overview')
  await expect(page.getByText(/[Rr]estart|[Rr]eboot/).first()).toBeVisible()
  await ui.screenshots('story-copy-fail-2-restart-pending')

  await lab.setMachine('rebooted')
  await ui.checkAndWaitFor('attention')
  await ui.goTo('Advisories')
  // The list shows what needs attention by default; the fixed notice is under "all".
  await expect(copyFailEntry(page)).toHaveCount(0)
  await page.getByRole('combobox', { name: 'Show' }).selectOption({ index: 1 })
  await expect(copyFailEntry(page)).toContainText(/fixed/i)
  await expect(copyFailEntry(page)).not.toContainText(/reboot|other mirror/i)
  await ui.screenshots('story-copy-fail-3-fixed-after-reboot')
  ui.expectNoErrors()
})
