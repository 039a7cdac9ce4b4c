/**
 * Attack: another local user owns or can swap the app window's Chromium profile.
 *
 * The profile folder (`chromium-profile` in the data folder) holds the tab's storage, where the page keeps the
 * session token, and the window's history. `serve --open` handed Chromium whatever was at that path: a folder
 * pre-created by another user (say under a shared `--data-dir`), a symbolic link to one, or a folder inside a data
 * folder others can write (they can rename it away and put their own in its place). That user then reads the
 * token from the profile's files. Now Chromium is not started (`unsafe-profile`, no one-time code issued), and a
 * profile of ours that others can merely read is narrowed to 0700.
 */
import { chmod, chown, mkdir, stat, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openInChromium, openMessage } from '../../main/cli/commands/serve'
import { makeTempDir, type TempDir } from '../support/temp-dir'

const NOBODY = 65534
const isRoot = process.getuid?.() === 0
// A stand-in browser that exits at once: what matters is whether Lifeline starts one, and with which profile.
const ENV = { DISPLAY: ':99', CHROMIUM: '/bin/true' }

let tmp: TempDir
let data: string
let issued: number
const open = () => openInChromium(() => `http://127.0.0.1:1/#code=${++issued}`, ENV, data)

beforeEach(async () => {
  tmp = await makeTempDir('lifeline-profile-')
  data = join(tmp.path, 'data')
  await mkdir(data, { mode: 0o700 })
  issued = 0
})
afterEach(() => tmp.cleanup())

describe('attack: a browser profile folder another user controls', () => {
  it.skipIf(!isRoot)(
    'refuses a profile folder owned by another user (unsafe-profile), issuing no code',
    async () => {
      const profile = join(data, 'chromium-profile')
      await mkdir(profile)
      await chmod(profile, 0o777)
      await chown(profile, NOBODY, NOBODY)
      const launch = open()
      expect(launch.result).toBe('unsafe-profile')
      expect(issued).toBe(0)
      expect(openMessage(launch.result)).toContain('Chromium was not started')
    },
  )

  it("refuses a profile that is a symbolic link (to a folder the link's maker chose)", async () => {
    const elsewhere = join(tmp.path, 'elsewhere')
    await mkdir(elsewhere, { mode: 0o700 })
    await symlink(elsewhere, join(data, 'chromium-profile'))
    expect(open().result).toBe('unsafe-profile')
    expect(issued).toBe(0)
  })

  it('refuses a data folder other users can write (they could swap the profile)', async () => {
    await chmod(data, 0o777)
    expect(open().result).toBe('unsafe-profile')
    expect(issued).toBe(0)
  })
})

describe('a profile folder of our own', () => {
  it('is created private (0700) when missing, and the browser is started', async () => {
    const launch = open()
    expect(launch.result).toBe('opened')
    expect(issued).toBe(1)
    expect((await stat(join(data, 'chromium-profile'))).mode & 0o777).toBe(0o700)
    await launch.close()
  })

  it('is narrowed to 0700 when others could read it', async () => {
    await mkdir(join(data, 'chromium-profile'))
    await chmod(join(data, 'chromium-profile'), 0o755)
    const launch = open()
    expect(launch.result).toBe('opened')
    expect((await stat(join(data, 'chromium-profile'))).mode & 0o777).toBe(0o700)
    await launch.close()
  })

  it('is created with its data folder (0700) when the data folder does not exist yet', async () => {
    data = join(tmp.path, 'new', 'data')
    const launch = open()
    expect(launch.result).toBe('opened')
    expect((await stat(data)).mode & 0o777).toBe(0o700)
    await launch.close()
  })
})
