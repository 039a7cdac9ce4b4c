/**
 * Start at login through the XDG autostart specification: a `lifeline.desktop` entry in
 * `$XDG_CONFIG_HOME/autostart` (default `~/.config/autostart`). Off by default; the backend only writes it when the
 * user turns the setting on and no policy forbids it (`allowAutostart`).
 */
import { readFile, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { writeFileAtomic } from './atomic-file'

/** Autostart failures. */
export type AutostartErrorCode = 'AUTOSTART_WRITE_FAILED'

/** The file name of the entry (Desktop Entry Specification: the basename is the application id). */
export const AUTOSTART_FILE = 'lifeline.desktop'

/** Environment variables the location depends on. */
export type AutostartEnv = Readonly<Record<string, string | undefined>>

/**
 * Where the entry goes: `$XDG_CONFIG_HOME/autostart/lifeline.desktop`, or `$HOME/.config/autostart/...` when
 * XDG_CONFIG_HOME is unset or relative (the XDG Base Directory spec says relative values are invalid and ignored).
 */
export function autostartPath(env: AutostartEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.config')
  return join(base, 'autostart', AUTOSTART_FILE)
}

/** Quotes one argument for a desktop entry's Exec key (Desktop Entry Specification, "The Exec key"). */
export function quoteExecArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=+-]+$/.test(arg)) return arg
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`
}

/** The desktop entry's text. `exec` is the program and its arguments (e.g. the Electron binary and `--hidden`). */
export function autostartEntry(exec: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Lifeline',
    'Comment=Verified Ubuntu security guidance',
    `Exec=${exec.map(quoteExecArg).join(' ')}`,
    'Icon=lifeline',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=false',
    '',
  ].join('\n')
}

/** Reads and writes the autostart entry. */
export interface Autostart {
  isEnabled(): Promise<boolean>
  set(enabled: boolean): Promise<void>
  readonly path: string
}

/**
 * The XDG autostart adapter. An entry another program wrote with `X-GNOME-Autostart-enabled=false` or `Hidden=true`
 * counts as off (both are how desktops disable an entry without deleting it).
 */
export function createXdgAutostart(opts: {
  readonly exec: readonly string[]
  readonly env?: AutostartEnv
}): Autostart {
  const path = autostartPath(opts.env)
  return {
    path,
    async isEnabled() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch {
        return false
      }
      return (
        !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
      )
    },
    async set(enabled) {
      if (!enabled) {
        await rm(path, { force: true })
        return
      }
      const entry = Buffer.from(autostartEntry(opts.exec), 'utf8')
      await writeFileAtomic(dirname(path), basename(path), entry, { mode: 0o644 })
    },
  }
}

/** What to do about start at login when the app starts (docs/ui.md, "Start at login": off by default unless a policy turns it on). */
export type AutostartStartAction = 'enable' | 'remove' | 'none'

/**
 * Decides, at start, what the policy asks of the autostart entry. Pure.
 *
 * - `allowAutostart: false` forbids it: an entry left from before is removed, or the app would still start at login.
 * - `autostart: true` turns it on by default: enabled once, on the first start where the user has not chosen
 *   (turned it on or off themselves) and the policy has not already enabled it. After that the user's choice holds.
 */
export function autostartStartAction(input: {
  readonly policyDefault: boolean | undefined
  readonly allowed: boolean
  readonly enabled: boolean
  /** The user chose, or the policy default was already applied once. */
  readonly decided: boolean
}): AutostartStartAction {
  if (!input.allowed) return input.enabled ? 'remove' : 'none'
  if (input.policyDefault === true && !input.decided && !input.enabled) return 'enable'
  return 'none'
}

/** File in the data folder recording that the autostart setting was decided (by the user, or the policy once). */
export const AUTOSTART_CHOICE_FILE = 'autostart-choice.json'

async function writeChoice(file: string, by: 'user' | 'policy'): Promise<void> {
  const text = `${JSON.stringify({ version: 1, by, at: new Date().toISOString() })}\n`
  await writeFileAtomic(dirname(file), basename(file), Buffer.from(text, 'utf8'))
}

async function exists(file: string): Promise<boolean> {
  try {
    await readFile(file)
    return true
  } catch {
    return false
  }
}

/** The adapter, recording in `choiceFile` that the user chose whenever the setting is changed through it. */
export function recordingUserChoice(a: Autostart, choiceFile: string): Autostart {
  return {
    path: a.path,
    isEnabled: () => a.isEnabled(),
    async set(enabled) {
      await a.set(enabled)
      await writeChoice(choiceFile, 'user')
    },
  }
}

/** Applies `autostartStartAction` at start; returns what it did. */
export async function applyAutostartPolicy(
  a: Autostart,
  opts: {
    readonly policyDefault: boolean | undefined
    readonly allowed: boolean
    readonly choiceFile: string
  },
): Promise<AutostartStartAction> {
  const action = autostartStartAction({
    policyDefault: opts.policyDefault,
    allowed: opts.allowed,
    enabled: await a.isEnabled(),
    decided: await exists(opts.choiceFile),
  })
  if (action === 'enable') {
    await a.set(true)
    await writeChoice(opts.choiceFile, 'policy')
  } else if (action === 'remove') {
    await a.set(false)
  }
  return action
}
