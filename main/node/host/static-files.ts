/**
 * Serving the built renderer (`out/renderer`) from the loopback host: only files inside that folder, symbolic links
 * resolved before the check, with a fixed content type per extension.
 */
import { readFile, realpath } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { decodePath } from './requests'
import { send } from './responses'

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Answers `pathname` from `rendererDir` (already a real path): 404 for anything outside it or missing. */
export async function serveStatic(rendererDir: string, pathname: string, res: ServerResponse): Promise<void> {
  const decoded = decodePath(pathname)
  if (decoded === undefined) return send(res, 400, 'text/plain', 'malformed %-encoding in the path')
  const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const file = resolve(rendererDir, rel)
  if (file !== rendererDir && !file.startsWith(rendererDir + sep))
    return send(res, 404, 'text/plain', 'not found')
  let data: Buffer
  try {
    const real = await realpath(file)
    if (!real.startsWith(rendererDir + sep)) return send(res, 404, 'text/plain', 'not found')
    data = await readFile(real)
  } catch {
    return send(res, 404, 'text/plain', 'not found')
  }
  send(res, 200, MIME[extname(file)] ?? 'application/octet-stream', data)
}
