import { describe, expect, it } from 'vitest'
import {
  isAllowedExternalUrl,
  isTrustedSender,
  secureWebPreferences,
  shouldAllowNavigation,
  shouldGrantPermission,
} from '../../../main/electron/window-policy'

describe('secureWebPreferences', () => {
  it('pins sandbox, context isolation, no node integration and web security', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('isAllowedExternalUrl', () => {
  describe('when the URL is https on an allowed host', () => {
    it('allows it', () => {
      expect(isAllowedExternalUrl('https://ubuntu.com/security/notices/USN-7000-1')).toBe(true)
      expect(isAllowedExternalUrl('https://www.cve.org/CVERecord?id=CVE-2024-1')).toBe(true)
    })
  })
  describe('when the URL only looks like an allowed one', () => {
    it.each([
      ['http scheme', 'http://ubuntu.com/'],
      ['look-alike subdomain', 'https://ubuntu.com.evil.io/'],
      ['credentials trick', 'https://ubuntu.com@evil.io/'],
      ['user info on allowed host', 'https://user:pw@ubuntu.com/'],
      ['non-default port', 'https://ubuntu.com:8443/'],
      ['file scheme', 'file:///etc/passwd'],
      ['javascript scheme', 'javascript:alert(1)'],
      ['subdomain not listed', 'https://evil.ubuntu.com/'],
      ['not a URL', 'ubuntu.com'],
    ])('refuses %s', (_name, url) => {
      expect(isAllowedExternalUrl(url)).toBe(false)
    })
  })
})

describe('isTrustedSender', () => {
  const app = { kind: 'file', indexPath: '/opt/Lifeline/resources/app/out/renderer/index.html' } as const
  const known = new Set([7])
  const ok = {
    isMainFrame: true,
    url: 'file:///opt/Lifeline/resources/app/out/renderer/index.html',
    webContentsId: 7,
  }
  it('trusts the main frame of our window showing our page', () => {
    expect(isTrustedSender(ok, app, known)).toBe(true)
  })
  it('refuses a subframe', () => {
    expect(isTrustedSender({ ...ok, isMainFrame: false }, app, known)).toBe(false)
  })
  it('refuses an unknown webContents', () => {
    expect(isTrustedSender({ ...ok, webContentsId: 8 }, app, known)).toBe(false)
  })
  it('refuses another file or a remote page', () => {
    expect(isTrustedSender({ ...ok, url: 'file:///tmp/evil.html' }, app, known)).toBe(false)
    expect(isTrustedSender({ ...ok, url: 'https://evil.example/' }, app, known)).toBe(false)
  })
  it('in development trusts only the dev server origin', () => {
    const dev = { kind: 'dev', origin: 'http://localhost:5173' } as const
    expect(isTrustedSender({ ...ok, url: 'http://localhost:5173/' }, dev, known)).toBe(true)
    expect(isTrustedSender({ ...ok, url: 'http://localhost:5174/' }, dev, known)).toBe(false)
  })
})

describe('navigation and permissions', () => {
  it('denies every navigation and permission', () => {
    expect(shouldAllowNavigation('https://ubuntu.com/')).toBe(false)
    expect(shouldGrantPermission('notifications')).toBe(false)
    expect(shouldGrantPermission('clipboard-read')).toBe(false)
    expect(shouldGrantPermission('media')).toBe(false)
  })
  it('grants only sanitized clipboard writes (the copy buttons)', () => {
    expect(shouldGrantPermission('clipboard-sanitized-write')).toBe(true)
  })
})
