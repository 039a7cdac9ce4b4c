import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test } from '@playwright/test'
import { Channels } from '../../preload/contract/channels'

const require = createRequire(import.meta.url)

function electronBinary(): string | undefined {
  try {
    const p = require('electron') as unknown
    return typeof p === 'string' && existsSync(p) ? p : undefined
  } catch {
    return undefined
  }
}

const binary = electronBinary()
const root = fileURLToPath(new URL('../../', import.meta.url))

test.skip(
  !binary,
  'no Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD); browser-mode UI tests cover the UI',
)
test.skip(!existsSync(join(root, 'out', 'main', 'index.js')), 'app not built: run npm run build first')

test('the window is sandboxed, isolated, and gets only the typed api', async () => {
  const app = await electron.launch({ executablePath: binary, args: [root] })
  const win = await app.firstWindow()
  const exposed = await win.evaluate(() => ({
    api: Object.keys((window as unknown as { api: object }).api).sort(),
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }))
  expect(exposed.api).toEqual(Object.keys(Channels).sort())
  expect(exposed.require).toBe('undefined')
  expect(exposed.process).toBe('undefined')
  await app.close()
})
