/**
 * Start at login through the XDG autostart specification: a `lifeline.desktop` entry in
 * `$XDG_CONFIG_HOME/autostart` (default `~/.config/autostart`). Off by default; the backend only writes it when the
 * user turns the setting on and no policy forbids it (`allowAutostart`).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

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
      await mkdir(join(path, '..'), { recursive: true })
      const tmp = `${path}.${process.pid}.tmp`
      await writeFile(tmp, autostartEntry(opts.exec), { mode: 0o644 })
      await rename(tmp, path)
    },
  }
}
