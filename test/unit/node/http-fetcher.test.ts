import { writeFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreError } from '../../../main/core/errors'
import type { FetchRequest } from '../../../main/core/ports'
import {
  checkRedirect,
  checkUrlAllowed,
  createFetcher,
  isLoopbackHost,
} from '../../../main/node/http-fetcher'
import { sleep, startLoopbackServer } from '../../support/loopback-server'
import type { LoopbackServer } from '../../support/loopback-server'
import { makeTempDir } from '../../support/temp-dir'
import type { TempDir } from '../../support/temp-dir'
import { makeSelfSignedCert } from '../../support/tls-cert'

const BODY = Buffer.from('Origin: Ubuntu\nSuite: noble-security\n'.repeat(50))
/** 512 KiB where every byte depends on its offset, so a chunk copied to the wrong place shows. */
const PIECES = Buffer.from(Array.from({ length: 512 * 1024 }, (_, i) => (i * 31 + (i >> 9)) & 0xff))

/** Whether `bytes` owns its whole ArrayBuffer: not a view into Node's shared pool or a larger array. */
function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength
}

/** Shortened limits so slow/stall cases fail within a fraction of a second. */
const fetcher = createFetcher({ minBytesPerSecond: 1000, minRateWindowMs: 250, connectTimeoutMs: 2000 })

function req(url: string, extra: Partial<FetchRequest> = {}): FetchRequest {
  return { url, maxBytes: 1024 * 1024, timeoutMs: 5000, allowHttp: false, ...extra }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e.code
    throw e
  }
  throw new Error('expected a CoreError, got success')
}

let server: LoopbackServer

/** Sends PIECES 100,000 bytes at a time with a pause between, then ends the response. */
async function sendInPieces(res: ServerResponse): Promise<void> {
  for (let off = 0; off < PIECES.length; off += 100_000) {
    res.write(PIECES.subarray(off, off + 100_000))
    await sleep(5)
  }
  res.end()
}

beforeAll(async () => {
  server = await startLoopbackServer(async (rq, res) => {
    const path = rq.url ?? '/'
    switch (path) {
      case '/ok':
        if (rq.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { etag: '"v1"' }).end()
          return
        }
        res.writeHead(200, {
          'content-length': BODY.length,
          etag: '"v1"',
          'last-modified': 'Sat, 01 Nov 2025 10:00:00 GMT',
        })
        res.end(BODY)
        return
      case '/declared-in-pieces':
        // A declared length sent in several writes with pauses, so the client takes it in several chunks.
        res.writeHead(200, { 'content-length': PIECES.length })
        await sendInPieces(res)
        return
      case '/chunked-in-pieces':
        res.writeHead(200) // chunked, no content-length
        await sendInPieces(res)
        return
      case '/chunked-small':
        res.writeHead(200)
        res.write('Origin: ')
        res.end('Ubuntu\n')
        return
      case '/missing':
        res.writeHead(404).end('nope')
        return
      case '/error':
        res.writeHead(500).end('boom')
        return
      case '/big-header':
        res.writeHead(200, { 'content-length': 10_000_000 })
        res.write(Buffer.alloc(1000))
        return // never finishes: the client must hang up on the header alone
      case '/endless': {
        res.writeHead(200) // chunked, no content-length
        const chunk = Buffer.alloc(16 * 1024, 0x41)
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) {
            /* keep writing */
          }
          if (!res.destroyed) res.once('drain', pump)
        }
        pump()
        return
      }
      case '/trickle':
        res.writeHead(200)
        for (let i = 0; i < 100 && !res.destroyed; i++) {
          res.write('x'.repeat(10))
          await sleep(50)
        }
        res.end()
        return
      case '/stall':
        res.writeHead(200, { 'content-length': 100_000 })
        res.write(Buffer.alloc(20_000))
        return // stalls mid-body forever
      case '/no-headers':
        return // accepts, never answers
      case '/loop-a':
        res.writeHead(302, { location: '/loop-b' }).end()
        return
      case '/loop-b':
        res.writeHead(301, { location: '/loop-a' }).end()
        return
      case '/truncated':
        res.writeHead(200, { 'content-length': 5000 })
        res.end(Buffer.alloc(10))
        rq.socket.destroy()
        return
      default:
        if (path.startsWith('/hop/')) {
          const n = Number(path.slice(5))
          if (n === 0) res.writeHead(200, { 'content-length': 2 }).end('ok')
          else res.writeHead(307, { location: `/hop/${n - 1}` }).end()
          return
        }
        res.writeHead(418).end()
    }
  })
})
afterAll(async () => {
  await server.close()
})

describe('createFetcher', () => {
  describe('when the server answers 200', () => {
    it('returns the body, validators and byte count', async () => {
      const progress: number[] = []
      const r = await fetcher(req(`${server.url}/ok`, { onProgress: (n) => progress.push(n) }))
      expect(r.notModified).toBe(false)
      expect(Buffer.from(r.body).equals(BODY)).toBe(true)
      expect(r.etag).toBe('"v1"')
      expect(r.lastModified).toBe('Sat, 01 Nov 2025 10:00:00 GMT')
      expect(r.bytesTransferred).toBe(BODY.length)
      expect(progress.at(-1)).toBe(BODY.length)
    })
    it('joins a declared body that arrives in many chunks, byte for byte, into an array of its own', async () => {
      const r = await fetcher(req(`${server.url}/declared-in-pieces`))
      expect(Buffer.from(r.body).equals(PIECES)).toBe(true)
      expect(ownsItsBuffer(r.body)).toBe(true)
    })
    it('joins a chunked body without a length the same way', async () => {
      const r = await fetcher(req(`${server.url}/chunked-in-pieces`))
      expect(Buffer.from(r.body).equals(PIECES)).toBe(true)
      expect(ownsItsBuffer(r.body)).toBe(true)
    })
    it('gives a small body its own array too (Node pools small buffers; a view would expose the pool)', async () => {
      const r = await fetcher(req(`${server.url}/chunked-small`))
      expect(Buffer.from(r.body).toString()).toBe('Origin: Ubuntu\n')
      expect(ownsItsBuffer(r.body)).toBe(true)
    })
  })

  describe('when the validators still match', () => {
    it('sends If-None-Match / If-Modified-Since and returns notModified on 304', async () => {
      server.resetStats()
      const r = await fetcher(
        req(`${server.url}/ok`, { etag: '"v1"', lastModified: 'Sat, 01 Nov 2025 10:00:00 GMT' }),
      )
      expect(r.notModified).toBe(true)
      expect(r.body.length).toBe(0)
      expect(r.bytesTransferred).toBe(0)
      expect(r.etag).toBe('"v1"')
      expect(server.requests[0]?.headers['if-none-match']).toBe('"v1"')
      expect(server.requests[0]?.headers['if-modified-since']).toBe('Sat, 01 Nov 2025 10:00:00 GMT')
    })
  })

  describe('when the server answers an error status', () => {
    it('throws NET_NOT_FOUND on 404', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/missing`)))).toBe('NET_NOT_FOUND')
    })
    it('throws NET_HTTP_STATUS on 500', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/error`)))).toBe('NET_HTTP_STATUS')
    })
  })

  describe('when the body is larger than the cap', () => {
    it('throws NET_TOO_LARGE from the Content-Length alone', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/big-header`, { maxBytes: 1_000_000 })))).toBe(
        'NET_TOO_LARGE',
      )
    })
    it('throws NET_TOO_LARGE while streaming an endless body', async () => {
      const t0 = Date.now()
      expect(await codeOf(fetcher(req(`${server.url}/endless`, { maxBytes: 256 * 1024 })))).toBe(
        'NET_TOO_LARGE',
      )
      expect(Date.now() - t0).toBeLessThan(2000)
    })
  })

  describe('when the transfer is too slow', () => {
    it('throws NET_TOO_SLOW for a trickle', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/trickle`)))).toBe('NET_TOO_SLOW')
    })
    it('throws NET_TOO_SLOW for a body stalled midway', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/stall`)))).toBe('NET_TOO_SLOW')
    })
    it('throws NET_TIMEOUT when the total deadline passes first', async () => {
      const patient = createFetcher({ minRateWindowMs: 60_000 })
      expect(await codeOf(patient(req(`${server.url}/no-headers`, { timeoutMs: 200 })))).toBe('NET_TIMEOUT')
    })
  })

  describe('when the connection drops before Content-Length bytes arrived', () => {
    it('throws NET_UNREACHABLE', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/truncated`)))).toBe('NET_UNREACHABLE')
    })
  })

  describe('when redirected', () => {
    it('follows up to the limit', async () => {
      const r = await fetcher(req(`${server.url}/hop/5`))
      expect(Buffer.from(r.body).toString()).toBe('ok')
      expect(r.finalUrl).toBe(`${server.url}/hop/0`)
    })
    it('throws NET_REDIRECT_LIMIT past the limit', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/hop/6`)))).toBe('NET_REDIRECT_LIMIT')
    })
    it('throws NET_REDIRECT_LIMIT on a loop', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/loop-a`)))).toBe('NET_REDIRECT_LIMIT')
    })
  })

  describe('when the host is unreachable', () => {
    it('throws NET_UNREACHABLE on connection refused', async () => {
      const gone = await startLoopbackServer(() => {})
      const url = `${gone.url}/x`
      await gone.close()
      expect(await codeOf(fetcher(req(url)))).toBe('NET_UNREACHABLE')
    })
  })

  describe('when the caller aborts', () => {
    it('throws NET_ABORTED mid-request', async () => {
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 50)
      expect(await codeOf(fetcher(req(`${server.url}/no-headers`, { signal: ac.signal })))).toBe(
        'NET_ABORTED',
      )
    })
    it('throws NET_ABORTED for an already aborted signal', async () => {
      expect(await codeOf(fetcher(req(`${server.url}/ok`, { signal: AbortSignal.abort() })))).toBe(
        'NET_ABORTED',
      )
    })
  })

  describe('when the URL may not be fetched', () => {
    it('throws NET_BAD_URL for plain http to a non-loopback host without allowHttp', async () => {
      expect(await codeOf(fetcher(req('http://archive.ubuntu.invalid/ubuntu/dists/noble/InRelease')))).toBe(
        'NET_BAD_URL',
      )
    })
    it('throws NET_BAD_URL for other schemes and garbage', async () => {
      expect(await codeOf(fetcher(req('ftp://127.0.0.1/x')))).toBe('NET_BAD_URL')
      expect(await codeOf(fetcher(req('not a url')))).toBe('NET_BAD_URL')
    })
  })

  describe('when a burst of requests is over', () => {
    it('leaves no socket or timer behind', async () => {
      const count = () =>
        process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length
      await sleep(20)
      const before = count()
      const paths = [
        '/ok',
        '/missing',
        '/error',
        '/big-header',
        '/endless',
        '/stall',
        '/loop-a',
        '/hop/2',
        '/trickle',
      ]
      const results = await Promise.allSettled(
        paths.flatMap((p) => [
          fetcher(req(`${server.url}${p}`, { maxBytes: 64 * 1024 })),
          fetcher(req(`${server.url}${p}`)),
        ]),
      )
      expect(results.length).toBe(paths.length * 2)
      await sleep(50)
      expect(count()).toBeLessThanOrEqual(before)
    })
  })
})

describe('createFetcher over https', () => {
  const tls = makeSelfSignedCert()
  const skip = 'skip' in tls ? tls.skip : undefined
  let secure: LoopbackServer | undefined
  beforeAll(async () => {
    if ('skip' in tls) return
    secure = await startLoopbackServer(
      (rq, res) => {
        if (rq.url === '/down') res.writeHead(302, { location: `${server.url}/ok` }).end()
        else res.writeHead(200, { 'content-length': 2 }).end('ok')
      },
      { tls },
    )
  })
  afterAll(async () => {
    await secure?.close()
  })

  describe.skipIf(skip !== undefined)(`when a certificate is available${skip ? ` (${skip})` : ''}`, () => {
    it('fetches with a trusted CA', async () => {
      const f = createFetcher({ ca: 'cert' in tls ? tls.cert : '' })
      const r = await f(req(`${secure?.url}/x`))
      expect(Buffer.from(r.body).toString()).toBe('ok')
    })
    it('throws NET_UNREACHABLE for an untrusted certificate', async () => {
      expect(await codeOf(fetcher(req(`${secure?.url}/x`)))).toBe('NET_UNREACHABLE')
    })
    it('throws NET_REDIRECT_DOWNGRADE on a redirect to http, even with allowHttp', async () => {
      const f = createFetcher({ ca: 'cert' in tls ? tls.cert : '' })
      expect(await codeOf(f(req(`${secure?.url}/down`, { allowHttp: true })))).toBe('NET_REDIRECT_DOWNGRADE')
    })
  })
})

describe('createFetcher with file: URLs', () => {
  let dir: TempDir
  beforeAll(async () => {
    dir = await makeTempDir()
    await writeFile(join(dir.path, 'InRelease'), BODY)
  })
  afterAll(async () => {
    await dir.cleanup()
  })

  describe('when the file exists', () => {
    it('reads it and returns its mtime as Last-Modified', async () => {
      const r = await fetcher(req(pathToFileURL(join(dir.path, 'InRelease')).href))
      expect(Buffer.from(r.body).equals(BODY)).toBe(true)
      expect(r.lastModified).toMatch(/GMT$/)
      const again = await fetcher(req(r.url, { lastModified: r.lastModified }))
      expect(again.notModified).toBe(true)
      expect(again.bytesTransferred).toBe(0)
    })
    it('throws NET_TOO_LARGE past the cap', async () => {
      expect(
        await codeOf(fetcher(req(pathToFileURL(join(dir.path, 'InRelease')).href, { maxBytes: 100 }))),
      ).toBe('NET_TOO_LARGE')
    })
  })

  describe('when the file holds more than its size said (it grew after the stat, as /proc files always do)', () => {
    it('reads it whole instead of cutting it at the old size', async () => {
      const r = await fetcher(req(pathToFileURL('/proc/self/status').href))
      expect(Buffer.from(r.body).toString()).toMatch(/^Name:[\s\S]*\nVmHWM:/)
    })
    it('still stops one byte past the cap with NET_TOO_LARGE', async () => {
      expect(await codeOf(fetcher(req(pathToFileURL('/proc/self/status').href, { maxBytes: 10 })))).toBe(
        'NET_TOO_LARGE',
      )
    })
  })

  describe('when the file is absent', () => {
    it('throws NET_NOT_FOUND', async () => {
      expect(await codeOf(fetcher(req(pathToFileURL(join(dir.path, 'nope')).href)))).toBe('NET_NOT_FOUND')
    })
  })
})

describe('isLoopbackHost', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('127.8.9.10')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.evil.example')).toBe(false)
  })
})

describe('checkUrlAllowed', () => {
  it('allows http only with allowHttp or on loopback', () => {
    expect(checkUrlAllowed(new URL('http://mirror.example/ubuntu'), false)).toBe('NET_BAD_URL')
    expect(checkUrlAllowed(new URL('http://mirror.example/ubuntu'), true)).toBeUndefined()
    expect(checkUrlAllowed(new URL('http://127.0.0.1:8080/'), false)).toBeUndefined()
    expect(checkUrlAllowed(new URL('https://mirror.example/'), false)).toBeUndefined()
    expect(checkUrlAllowed(new URL('gopher://mirror.example/'), true)).toBe('NET_BAD_URL')
  })
})

describe('checkRedirect', () => {
  describe('when leaving https', () => {
    it('returns NET_REDIRECT_DOWNGRADE, even to loopback or with allowHttp', () => {
      expect(checkRedirect(new URL('https://a.example/'), new URL('http://a.example/'), true)).toBe(
        'NET_REDIRECT_DOWNGRADE',
      )
      expect(checkRedirect(new URL('https://a.example/'), new URL('http://127.0.0.1/'), true)).toBe(
        'NET_REDIRECT_DOWNGRADE',
      )
    })
  })
  describe('when switching to file:', () => {
    it('returns NET_REDIRECT_DOWNGRADE', () => {
      expect(checkRedirect(new URL('http://127.0.0.1/'), new URL('file:///etc/passwd'), true)).toBe(
        'NET_REDIRECT_DOWNGRADE',
      )
    })
  })
  describe('when staying on https or allowed http', () => {
    it('returns undefined', () => {
      expect(
        checkRedirect(new URL('https://a.example/'), new URL('https://b.example/'), false),
      ).toBeUndefined()
      expect(
        checkRedirect(new URL('http://a.example/'), new URL('https://b.example/'), false),
      ).toBeUndefined()
      expect(checkRedirect(new URL('http://a.example/'), new URL('http://b.example/'), true)).toBeUndefined()
      expect(checkRedirect(new URL('http://127.0.0.1/'), new URL('http://b.example/'), false)).toBe(
        'NET_BAD_URL',
      )
    })
  })
})
