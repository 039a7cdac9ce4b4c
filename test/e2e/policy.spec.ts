/**
 * Settings locked by a helpdesk policy (docs/policy.md), through the real layered configuration: the app runs without
 * --config, reading built-in defaults plus a policy baked into its resources folder.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
let dir = ''
let app: AppServer

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeline-policy-e2e-'))
  const resources = join(dir, 'resources')
  await cp(join(REPO, 'resources'), resources, { recursive: true })
  await mkdir(join(resources, 'policy'), { recursive: true })
  // No network in tests: the policy drops the default Ubuntu mirrors and channels (as a helpdesk replacing them
  // with its own would), locks the poll interval and names the helpdesk.
  await writeFile(
    join(resources, 'policy', 'org.json'),
    JSON.stringify({
      removeMirrors: ['ubuntu-archive', 'ubuntu-security'],
      removeChannels: ['ubuntu-notices-api', 'osv-dev-api', 'ubuntu-osv-github'],
      pollIntervalMinutes: 30,
      helpdesk: {
        name: 'Example IT Service Desk',
        phone: '+44 20 7946 0000',
        email: 'servicedesk@example.org',
      },
    }),
  )
  const root = join(dir, 'root')
  await mkdir(join(root, 'etc'), { recursive: true })
  await writeFile(
    join(root, 'etc', 'os-release'),
    'ID=ubuntu\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=noble\n',
  )
  app = await startAppServer(null, { layered: true, root, env: { LIFELINE_RESOURCES: resources } })
})

test.afterAll(async () => {
  await app?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('a value locked by policy is shown locked, with the helpdesk to ask', async ({ page }) => {
  const ui = new StatusPage(page)
  await ui.open(app.url)
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click()
  const note = page.getByTestId('locked-note').first()
  await expect(note).toContainText('Example IT Service Desk')
  await expect(note).toContainText('servicedesk@example.org')
  const poll = page.getByLabel('How often to check in the background')
  await expect(poll).toBeDisabled()
  await expect(poll).toHaveValue('30')
  // Not locked by this policy: the user may still change it.
  await expect(page.getByLabel('When to notify')).toBeEnabled()
  ui.expectNoErrors()
})
