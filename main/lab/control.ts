/**
 * The lab's control endpoint on 127.0.0.1 (main/lab/README.md): `GET /_lab` describes the lab; `POST /_lab/fault
 * {"target","fault"}`, `POST /_lab/scenario {"name"}` and `POST /_lab/machine {"state"}` change it. Answers are JSON;
 * a refused change is 400 with its code.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CoreError, isCoreError } from '../core/errors'
import type { LabErrorCode } from './faults'
import { parseFault } from './faults'
import { closeServer, listenError, listenOnLoopback, trackSockets } from './loopback'

/** Largest control request body read. */
const CONTROL_MAX_BODY_BYTES = 64 * 1024

/** What the control endpoint acts on. */
export interface LabControls {
  /** The lab's description, answered to every request that succeeds. */
  info(): unknown
  setFault(target: string, fault: ReturnType<typeof parseFault>): Promise<void>
  setScenario(name: string): Promise<void>
  setMachine(state: string): Promise<void>
}

/** A listening control endpoint. */
export interface ControlEndpoint {
  /** `http://127.0.0.1:<port>/_lab`. */
  readonly url: string
  close(): Promise<void>
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) throw new CoreError<LabErrorCode>('LAB_BAD_FAULT', 'request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The JSON body of a control request, as an object whose fields are still to be checked. */
async function readJson(req: IncomingMessage): Promise<Readonly<Record<string, unknown>>> {
  return JSON.parse(await readBody(req, CONTROL_MAX_BODY_BYTES)) as Readonly<Record<string, unknown>>
}

/** Runs the request's route; the status and body to answer. */
async function route(req: IncomingMessage, controls: LabControls): Promise<readonly [number, unknown]> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  if (req.method === 'GET' && (path === '/_lab' || path === '/')) return [200, controls.info()]
  if (req.method !== 'POST') return [404, { error: 'not found' }]
  switch (path) {
    case '/_lab/fault': {
      const body = await readJson(req)
      await controls.setFault(String(body.target), parseFault(body.fault))
      return [200, controls.info()]
    }
    case '/_lab/machine':
      await controls.setMachine(String((await readJson(req)).state))
      return [200, controls.info()]
    case '/_lab/scenario':
      await controls.setScenario(String((await readJson(req)).name))
      return [200, controls.info()]
    default:
      return [404, { error: 'not found' }]
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2)
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text)
}

/** Starts the control endpoint on `port` of 127.0.0.1 (0: a free one); a listen failure is a LAB_PORT_* error. */
export async function startControl(port: number, controls: LabControls): Promise<ControlEndpoint> {
  const server = createServer((req, res) => {
    route(req, controls).then(
      ([status, body]) => send(res, status, body),
      (e: unknown) => {
        if (isCoreError(e)) send(res, 400, { code: e.code, message: e.message })
        else send(res, 400, { code: 'LAB_BAD_REQUEST', message: e instanceof Error ? e.message : String(e) })
      },
    )
  })
  const sockets = trackSockets(server)
  try {
    await listenOnLoopback(server, port)
  } catch (e) {
    throw listenError(e, port, 'control endpoint')
  }
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/_lab`,
    close: () => closeServer(server, sockets),
  }
}
