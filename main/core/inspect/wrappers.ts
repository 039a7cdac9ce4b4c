/**
 * Wrapper programs that run their arguments as a command — `sudo`/`doas`/`pkexec`/`run0`, `su`, `env`, `nohup`,
 * `exec`, `nice`, `timeout`, `xargs`, `chroot`, `busybox`… — and what is left once they are removed: the real
 * program, whether it runs as root, and the environment the wrappers set (docs/inspect.md, "How text is read").
 */
import type { Word } from './command-model'
import { baseName } from './command-model'

/** What running a command line through its wrappers comes to. */
export type Unwrapped =
  /** `words[0]` is the real program; `wrappers` were removed in front of it. */
  | {
      readonly kind: 'run'
      readonly words: readonly Word[]
      readonly root: boolean
      readonly wrappers: readonly string[]
    }
  /**
   * `sudo -i`, `sudo su`, `su -`: a root shell that reads its commands from stdin, and every later command runs as
   * root. `words` is a stand-in `sh` at the wrapper's position.
   */
  | { readonly kind: 'root-shell'; readonly words: readonly Word[]; readonly wrappers: readonly string[] }
  /** `su -c CODE`: CODE is a script run as root. */
  | { readonly kind: 'su-command'; readonly code: Word }
  /** A wrapper with nothing to run (`sudo -v`, a bare `nohup`). */
  | { readonly kind: 'nothing' }

/** Programs that run their arguments as root. */
const ROOT_WRAPPERS: ReadonlySet<string> = new Set(['sudo', 'doas', 'run0', 'pkexec'])
/** sudo(8) options that take a value. */
const SUDO_OPTIONS_WITH_VALUE = [
  '-u',
  '-g',
  '-p',
  '-C',
  '-D',
  '-r',
  '-t',
  '-U',
  '-h',
  '-T',
  '--user',
  '--group',
  '--prompt',
  '--chdir',
]
/** Wrappers whose only option with a value is `-a` (exec's argv[0]). */
const PLAIN_WRAPPERS: ReadonlySet<string> = new Set([
  'nohup',
  'exec',
  'builtin',
  'setsid',
  'unbuffer',
  'torsocks',
  'proxychains',
  'proxychains4',
  'catchsegv',
  'time',
])
/** A `VAR=value` argument (sudo(8) and env(1) set it in the command's environment). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/

/** Past the options of a wrapper from `from` (and `--`); `withValue` options take the next word too. */
function skipOptions(words: readonly Word[], from: number, withValue: readonly string[]): number {
  let i = from
  while (i < words.length) {
    const t = words[i]?.text ?? ''
    if (t === '--') return i + 1
    if (!t.startsWith('-') || t === '-') break
    i += withValue.includes(t) ? 2 : 1
  }
  return i
}

/** Past `VAR=value` words from `from`, each set in `env` (its value is the text after `=`). */
function takeAssignments(words: readonly Word[], from: number, env: Map<string, Word>): number {
  let i = from
  while (i < words.length && ASSIGNMENT.test(words[i]?.text ?? '')) {
    const w = words[i]
    if (w)
      env.set(w.text.slice(0, w.text.indexOf('=')), { ...w, text: w.text.slice(w.text.indexOf('=') + 1) })
    i++
  }
  return i
}

/** Past env(1)'s options and assignments. */
function envArgsEnd(words: readonly Word[], env: Map<string, Word>): number {
  let i = 1
  while (i < words.length) {
    const t = words[i]?.text ?? ''
    if (t === '-u' || t === '-C' || t === '-S') i += 2
    else if (t.startsWith('-')) i++
    else if (ASSIGNMENT.test(t)) i = takeAssignments(words, i, env)
    else break
  }
  return i
}

/**
 * Where the wrapped command starts for wrappers that only have options and fixed arguments (a duration, a lock
 * file, a new root); undefined when `name` is not such a wrapper.
 */
function plainWrapperEnd(name: string, words: readonly Word[]): number | undefined {
  if (PLAIN_WRAPPERS.has(name)) return skipOptions(words, 1, ['-a'])
  switch (name) {
    case 'command':
      return skipOptions(words, 1, [])
    case 'nice':
      return skipOptions(words, 1, ['-n', '-c', '-p'])
    case 'ionice':
    case 'chrt':
    case 'taskset': {
      const i = skipOptions(words, 1, ['-n', '-c', '-p'])
      return /^\d/.test(words[i]?.text ?? '') ? i + 1 : i // the priority or CPU mask
    }
    case 'timeout':
      return skipOptions(words, 1, ['-s', '-k', '--signal', '--kill-after']) + 1 // the duration
    case 'stdbuf':
    case 'strace':
    case 'watch':
      return skipOptions(words, 1, ['-o', '-e', '-i', '-n', '-w', '-E'])
    case 'flock':
      return skipOptions(words, 1, ['-o', '-e', '-i', '-n', '-w', '-E']) + 1 // the lock file
    case 'chroot':
      return skipOptions(words, 1, []) + 1 // the new root
    case 'xargs':
      return skipOptions(words, 1, [
        '-I',
        '-i',
        '-n',
        '-P',
        '-d',
        '-L',
        '-a',
        '-E',
        '-s',
        '--max-args',
        '--delimiter',
        '--arg-file',
      ])
    case 'busybox':
      return 1 // busybox's next word is the applet
    default:
      return undefined
  }
}

/** A stand-in `sh` word at the position of `sudo -i`/`su`: the interactive shell they start, fed by stdin. */
function rootShell(at: Word, wrappers: readonly string[]): Unwrapped {
  return { kind: 'root-shell', words: [{ ...at, text: 'sh', dynamic: false }], wrappers }
}

/** su(1): `su -c CODE` runs CODE as root; without `-c` it starts a root shell reading stdin. */
function unwrapSu(words: readonly Word[], wrappers: readonly string[]): Unwrapped {
  const c = words.findIndex((w, k) => k > 0 && (w.text === '-c' || w.text === '--command'))
  const code = c > 0 ? words[c + 1] : undefined
  if (code) return { kind: 'su-command', code }
  // `… | su`, `… | sudo su -`: without -c, su starts a shell that reads its commands from stdin.
  return words[0] ? rootShell(words[0], [...wrappers, 'su']) : { kind: 'nothing' }
}

/**
 * Removes the wrappers in front of `argv` (at most 10, so a crafted chain cannot loop). `root` says whether the
 * command already runs as root (a root prompt or session); `env` receives the assignments the wrappers make.
 */
export function unwrapCommand(argv: readonly Word[], root: boolean, env: Map<string, Word>): Unwrapped {
  let words = argv
  let asRoot = root
  const wrappers: string[] = []
  for (let guard = 0; guard < 10; guard++) {
    const first = words[0]
    const name = baseName(first?.text ?? '')
    let next: number
    if (ROOT_WRAPPERS.has(name) && first) {
      asRoot = true
      const afterOptions = skipOptions(words, 1, SUDO_OPTIONS_WITH_VALUE)
      next = takeAssignments(words, afterOptions, env)
      if (next >= words.length) {
        const flags = words.slice(1, afterOptions).map((w) => w.text)
        // `… | sudo -i`, `sudo -s < <(curl …)`: the root shell reads its commands from stdin.
        if (!flags.some((f) => /^-[a-zA-Z]*[is]|^--(login|shell)$/.test(f))) return { kind: 'nothing' }
        return rootShell(first, [...wrappers, name])
      }
    } else if (name === 'su') return unwrapSu(words, wrappers)
    else if (name === 'env') next = envArgsEnd(words, env)
    else if (name === 'command' && /^-v|^-V$/.test(words[1]?.text ?? ''))
      return { kind: 'run', words, root: asRoot, wrappers }
    else {
      const end = plainWrapperEnd(name, words)
      if (end === undefined) return { kind: 'run', words, root: asRoot, wrappers }
      next = end
    }
    wrappers.push(name)
    words = words.slice(next)
    if (words.length === 0) return { kind: 'nothing' }
  }
  return { kind: 'run', words, root: asRoot, wrappers }
}
