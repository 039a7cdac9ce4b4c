import { shell } from 'electron'
import { isAllowedExternalUrl } from './window-policy'

/** The only `shell.openExternal` in the app: https URLs on the allowlist, nothing else. */
export async function openExternal(url: string, allowedHosts?: readonly string[]): Promise<boolean> {
  if (!isAllowedExternalUrl(url, allowedHosts)) return false
  await shell.openExternal(url)
  return true
}
