import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot } from '../node/paths'
import { commands } from './commands'
import type { CliIo } from './io'
import { runCli } from './run'

/** The process entry of the `lifeline` command. */
export async function main(argv: readonly string[]): Promise<number> {
  const io: CliIo = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const c of process.stdin) chunks.push(c as Buffer)
      return new Uint8Array(Buffer.concat(chunks))
    },
    env: process.env,
    cwd: process.cwd(),
  }
  return runCli(argv, io, commands, version())
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
