/** Writes text to the clipboard on a user's click; false when the page may not. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** Reads the clipboard's text on a user's click (browser mode only: Electron reads it in main). */
export function readClipboardText(): Promise<string> {
  return navigator.clipboard.readText()
}
