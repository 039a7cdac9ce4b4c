/**
 * Browser mode's loopback host: the built renderer and the typed API on 127.0.0.1 only, for a browser instead of
 * an Electron window (docs/architecture.md, "The layers").
 *
 * This file routes each request to its guard and handler. Who may call is `sender-policy.ts` (Host, Origin, token)
 * and `peer-uid.ts` (the same local user); the one-time codes are `bootstrap-codes.ts`; the event stream
 * `event-streams.ts`; the page's files `static-files.ts`; every answer carries the CSP of `responses.ts`.
 */
import { randomBytes } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { Backend } from '../backend'
import { invokeHandler } from '../handlers'
import { bootstrapMessage, createBootstrapCodes, type BootstrapCodes } from './bootstrap-codes'
import { createEventStreams, type EventStreams } from './event-streams'
import { createOwnerCheck, type OwnerCheck } from './peer-uid'
import { decodePath, isJsonRequest, readBody, requestFacts } from './requests'
import { send, sendJson } from './responses'
import { checkApiRequest, checkHostAndOrigin } from './sender-policy'
import { serveStatic } from './static-files'

/** The running loopback host. */
export interface LoopbackHost {
  /**
   * The URL to print for the user, session token in the fragment (never sent to the server, never logged by
   * proxies). Never put it on a command line: use `issueBootstrapUrl()` for a browser started by Lifeline.
   */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
  /**
   * A URL with a fresh one-time code instead of the session token, for a browser's command line (readable by every
   * local user in /proc/PID/cmdline). The page exchanges the code once at `POST /session`; the code is then dead,
   * and it dies anyway after `Limits.host.bootstrapCodeTtlMs`.
   */
  issueBootstrapUrl(): string
  /** Tells every open page that the host is stopping (so an app window can close), then closes. */
  close(): Promise<void>
}

/** Options of startLoopbackHost. */
export interface HostOptions {
  readonly backend: Backend
  /** The built renderer (`out/renderer`). */
  readonly rendererDir: string
  /** 0 (default) picks a random free port. */
  readonly port?: number
  /** Fixed token for tests; random 32 bytes otherwise. */
  readonly token?: string
  /** Clock for the bootstrap codes' lifetime (tests); `Date.now` otherwise. */
  readonly now?: () => number
}

/**
 * Paths of the API: requests are `POST /api/<method>`, the event stream is `GET /api/events`, and `POST /session`
 * exchanges a one-time bootstrap code for the session token.
 */
export const HostPaths = { api: '/api/', events: '/api/events', session: '/session' } as const

/** What the request handlers of one host share. */
interface HostContext {
  readonly backend: Backend
  readonly token: string
  readonly rendererDir: string
  /** The listening port (known once the server listens; requests arrive only after that). */
  readonly port: () => number
  readonly codes: BootstrapCodes
  readonly streams: EventStreams
  readonly ownerCheck: OwnerCheck
}

/**
 * Serves the built renderer and the typed API on 127.0.0.1 only (browser mode).
 *
 * Every API request needs the per-run token and this listener's Host/Origin; static files need the Host check
 * only (they are the public build output).
 */
export async function startLoopbackHost(opts: HostOptions): Promise<LoopbackHost> {
  let port = 0
  const ctx: HostContext = {
    backend: opts.backend,
    token: opts.token ?? randomBytes(32).toString('base64url'),
    rendererDir: await realpath(resolve(opts.rendererDir)),
    port: () => port,
    codes: createBootstrapCodes(opts.now ?? Date.now),
    streams: createEventStreams(opts.backend),
    // Only the user running Lifeline may exchange a code or call the API: another local user can read the code on
    // Chromium's command line and race the window for it (peer-uid.ts).
    ownerCheck: createOwnerCheck(() => port),
  }
  const server: Server = createServer((req, res) => {
    route(ctx, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error')
      else res.destroy()
    })
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  return hostHandle(ctx, server)
}

/** The running host as its caller sees it. */
function hostHandle(ctx: HostContext, server: Server): LoopbackHost {
  const port = ctx.port()
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#token=${ctx.token}`,
    origin,
    port,
    token: ctx.token,
    issueBootstrapUrl: () => `${origin}/#code=${ctx.codes.issue()}`,
    async close() {
      ctx.codes.clear()
      await ctx.streams.closeAll()
      await new Promise<void>((ok) => {
        server.close(() => ok())
        server.closeAllConnections()
      })
    },
  }
}

/** Sends each request to its guard and handler: the code exchange, the API, or the page's files. */
async function route(ctx: HostContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (url.pathname === HostPaths.session) return exchangeCode(ctx, req, res)
  if (url.pathname.startsWith(HostPaths.api)) return answerApi(ctx, req, res, url.pathname)
  const refusal = checkHostAndOrigin(requestFacts(req), ctx.port())
  if (refusal) return send(res, 403, 'text/plain', `forbidden: ${refusal}`)
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed')
  return serveStatic(ctx.rendererDir, url.pathname, res)
}

/** `/api/*`: the sender must pass the policy and be this user; then the event stream or one handler call. */
async function answerApi(
  ctx: HostContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const refusal = checkApiRequest(requestFacts(req), ctx.port(), ctx.token) ?? (await ctx.ownerCheck(req))
  if (refusal) return sendJson(res, 403, { ok: false, code: 'API_FORBIDDEN', message: refusal })
  if (pathname === HostPaths.events && req.method === 'GET') return ctx.streams.open(res)
  if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed')
  if (!isJsonRequest(req)) return send(res, 415, 'text/plain', 'expected application/json')
  const body = await readBody(req)
  if (body === undefined) return send(res, 413, 'text/plain', 'body too large')
  const call = callArguments(body)
  if (call === undefined)
    return sendJson(res, 400, { ok: false, code: 'API_BAD_ARGUMENT', message: 'invalid JSON' })
  const method = decodePath(pathname.slice(HostPaths.api.length))
  if (method === undefined) return send(res, 400, 'text/plain', 'malformed %-encoding in the path')
  const result = await invokeHandler(ctx.backend.handlers, method, call.args)
  return sendJson(res, 200, result)
}

/** The `args` of an API call's body (`[]` when absent), or undefined when the body is not a JSON object. */
function callArguments(body: string): { readonly args: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    return { args: (parsed as { args?: unknown }).args ?? [] }
  } catch {
    return undefined
  }
}

/** `POST /session`: a one-time bootstrap code for the session token, for this user only. */
async function exchangeCode(ctx: HostContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refusal = checkHostAndOrigin(requestFacts(req), ctx.port())
  if (refusal) return send(res, 403, 'text/plain', `forbidden: ${refusal}`)
  if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed')
  if (!isJsonRequest(req)) return send(res, 415, 'text/plain', 'expected application/json')
  // Before the code is looked at, so another user's attempt neither succeeds nor uses up the window's code.
  const notOwner = await ctx.ownerCheck(req)
  const body = await readBody(req, 1024)
  let code: unknown
  try {
    code = (JSON.parse(body ?? '') as { code?: unknown }).code
  } catch {
    code = undefined
  }
  const why = notOwner ?? (typeof code === 'string' ? ctx.codes.redeem(code) : 'unknown-code')
  if (why === undefined) return sendJson(res, 200, { ok: true, token: ctx.token })
  return sendJson(res, 403, {
    ok: false,
    code: 'BOOTSTRAP_REFUSED',
    message: bootstrapMessage(why),
    reason: why,
  })
}
