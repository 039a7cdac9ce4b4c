/**
 * Turning advisory sources on and off in Settings, through the real layered configuration: the user switches a
 * default source off (saved as `removeChannels` in their settings.json) and on again; a source a mandatory policy
 * adds stays on, its switch disabled, with the helpdesk to ask.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { StatusPage } from './pages/status-page'
import { startAppServer, type AppServer } from './support/app-server'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
// Nothing listens on the discard port of loopback: a check fails at once, with no traffic off this machine.
const NOWHERE = 'http://127.0.0.1:9'
let dir = ''
let app: AppServer

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeline-channels-e2e-'))
  const resources = join(dir, 'resources')
  await cp(join(REPO, 'resources'), resources, { recursive: true })
  // The built-in defaults with their ids and names, but no mirrors and every source pointed at loopback.
  const defaults = JSON.parse(await readFile(join(resources, 'config', 'default.json'), 'utf8')) as {
    channels: { urls: string[] }[]
  }
  await writeFile(
    join(resources, 'config', 'default.json'),
    JSON.stringify({
      ...defaults,
      mirrors: [],
      channels: defaults.channels.map((c) => ({ ...c, urls: [NOWHERE] })),
    }),
  )
  await mkdir(join(resources, 'policy'), { recursive: true })
  await writeFile(
    join(resources, 'policy', 'org.json'),
    JSON.stringify({
      channels: [
        { id: 'org-feed', name: 'Example IT advisories', type: 'osv', urls: [`${NOWHERE}/osv.json`] },
      ],
      helpdesk: { name: 'Example IT Service Desk', email: 'servicedesk@example.org' },
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

const savedRemovals = async (): Promise<unknown> =>
  (JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>)[
    'removeChannels'
  ]

test('a source can be switched off and on; a policy’s source is locked with the helpdesk named', async ({
  page,
}) => {
  const ui = new StatusPage(page)
  await ui.open(app.url)
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click()

  const osv = page.getByRole('checkbox', { name: 'Read Ubuntu advisories via OSV.dev (Google)' })
  await expect(osv).toBeChecked()
  await expect(osv).toBeEnabled()
  // A controlled switch: it changes once main has saved the choice, so click rather than uncheck.
  await osv.click()
  await expect(osv).not.toBeChecked()
  const row = page.locator('[data-channel="osv-dev-api"]')
  await expect(row).toContainText('Off: not read.')
  await expect.poll(savedRemovals).toEqual(['osv-dev-api'])

  // Keyboard: Space on the focused switch turns it back on.
  await osv.focus()
  await page.keyboard.press('Space')
  await expect(osv).toBeChecked()
  await expect(row).toContainText('On.')
  await expect.poll(savedRemovals).toEqual([])

  const org = page.getByRole('checkbox', { name: 'Read Example IT advisories' })
  await expect(org).toBeChecked()
  await expect(org).toBeDisabled()
  // One lock note, naming the helpdesk: the same policy file adds the source and locks its switch.
  const lock = page.locator('[data-channel="org-feed"]').getByTestId('locked-note')
  await expect(lock).toHaveCount(1)
  await expect(lock).toContainText('Example IT Service Desk')
  ui.expectNoErrors()
})
