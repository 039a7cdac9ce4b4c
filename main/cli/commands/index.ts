import type { CommandEntry } from '../io'

/**
 * Every subcommand, in the order `--help` lists them. Each module is loaded only when its command runs, so a
 * command starts without parsing the others (openpgp, the shell parser, the lab…): start-up time is most of what a
 * monitoring run of `lifeline check` costs.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'check', load: async () => (await import('./check')).checkCommand },
  { name: 'mirrors', load: async () => (await import('./mirrors')).mirrorsCommand },
  { name: 'serve', load: async () => (await import('./serve')).serveCommand },
  { name: 'verify', load: async () => (await import('./verify')).verifyCommand },
  { name: 'inspect', load: async () => (await import('./inspect')).inspectCommand },
  { name: 'feed', load: async () => (await import('./feed')).feedCommand },
  { name: 'lab', load: async () => (await import('./lab')).labCommand },
  { name: 'policy', load: async () => (await import('./policy')).policyCommand },
  { name: 'report', load: async () => (await import('./report')).reportCommand },
]
