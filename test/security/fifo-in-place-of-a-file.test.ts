/**
 * Attack: a named pipe where Lifeline expects a file (a key file given to `verify`/`inspect`, a policy file, the
 * machine's dpkg status under `--root`). Opening a pipe for reading waits for a writer, so the command hung for
 * ever instead of saying what is wrong. Every untrusted file is now opened non-blocking (main/node/read-capped.ts
 * OPEN_UNTRUSTED) and refused as "not a regular file" with its area's code. Real pipes made with mkfifo.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../main/core/errors'
import { readConfigFile } from '../../main/node/config/safe-file'
import { readFileUrl } from '../../main/node/file-url-fetch'
import { readFileCapped } from '../../main/node/keys'
import { readLocalSystem } from '../../main/node/local-system'
import { makeTempDir, type TempDir } from '../support/temp-dir'

let dir: TempDir

function mkfifo(path: string): string {
  const made = spawnSync('mkfifo', [path])
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${String(made.stderr)}`)
  return path
}

/** `p`, or a rejection naming the hang when it has not settled within two seconds. */
function withinTwoSeconds<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still waiting after 2 s: the read blocked on the pipe')), 2000)
  })
  return Promise.race([p, hang]).finally(() => clearTimeout(timer))
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await withinTwoSeconds(p)
  } catch (e) {
    if (e instanceof CoreError) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a CoreError, got success')
}

beforeAll(async () => {
  dir = await makeTempDir('lifeline-fifo-')
})
afterAll(() => dir.cleanup())

describe('attack: a named pipe in place of a file', () => {
  it('a key file that is a pipe is refused as KEYS_UNREADABLE, not waited on', async () => {
    const pipe = mkfifo(join(dir.path, 'archive-key.asc'))
    const got = await codeOf(readFileCapped(pipe))
    expect(got.code).toBe('KEYS_UNREADABLE')
    expect(got.message).toContain('is not a regular file')
  })

  it('a policy file that is a pipe is refused as CONFIG_UNREADABLE, not waited on', async () => {
    const pipe = mkfifo(join(dir.path, 'policy.json'))
    const got = await withinTwoSeconds(readConfigFile(pipe))
    expect(got).toMatchObject({ ok: false, code: 'CONFIG_UNREADABLE', reason: 'is not a regular file' })
  })

  it("the machine's dpkg status as a pipe under --root is SYS_READ_FAILED, not a hang", async () => {
    const root = join(dir.path, 'root')
    cpSync(join(__dirname, '..', 'fixtures', 'systems', 'jammy-kernel'), root, { recursive: true })
    const status = join(root, 'var', 'lib', 'dpkg', 'status')
    rmSync(status)
    mkfifo(status)
    const got = await codeOf(readLocalSystem(root, { livepatch: false }))
    expect(got.code).toBe('SYS_READ_FAILED')
    expect(got.message).toContain('var/lib/dpkg/status is not a regular file')
  })

  it('a file: URL naming a pipe is NET_NOT_FOUND, not a hang', async () => {
    mkdirSync(join(dir.path, 'mirror'), { recursive: true })
    const pipe = mkfifo(join(dir.path, 'mirror', 'InRelease'))
    const url = pathToFileURL(pipe)
    const got = await codeOf(
      readFileUrl(url, { url: url.href, maxBytes: 1 << 20, timeoutMs: 1000, allowHttp: false }),
    )
    expect(got.code).toBe('NET_NOT_FOUND')
  })
})
