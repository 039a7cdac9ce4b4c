import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** The app, by intent: screens, verdicts, checks; fails on console errors and CSP violations. */
export class StatusPage {
  readonly errors: string[] = []

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`))
  }

  /** Opens the app and records CSP violations from the very first script. */
  async open(url: string): Promise<void> {
    await this.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
      })
    })
    await this.page.goto(url)
  }

  verdict() {
    return this.page.getByTestId('verdict')
  }

  async revision(): Promise<number> {
    return Number(await this.page.locator('.app').getAttribute('data-revision'))
  }

  async waitForTone(tone: string, timeout = 30_000): Promise<void> {
    await expect(this.verdict()).toHaveAttribute('data-tone', tone, { timeout })
  }

  async clickCheckNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Check now' }).click()
  }

  /** Runs a check and waits until it finished with the given tone. */
  async checkAndWaitFor(tone: string): Promise<void> {
    const before = await this.revision()
    await this.clickCheckNow()
    await expect.poll(() => this.revision(), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2)
    await this.waitForTone(tone)
  }

  /** Opens a screen from the navigation bar. */
  async goTo(
    screen: 'Overview' | 'Advisories' | 'Sources' | 'Check instructions' | 'Settings',
  ): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen }).click()
    // Every screen has one h1: the verdict on the Overview, the screen's name elsewhere.
    const h1 = this.page.getByRole('heading', { level: 1 })
    if (screen === 'Overview') await expect(h1).toHaveAttribute('id', 'overview-title')
    else await expect(h1).toHaveText(screen)
  }

  /** axe-core on the current screen: no moderate, serious or critical violation. */
  async expectAccessible(): Promise<void> {
    // @axe-core/playwright is typed against its own playwright-core copy; the page object is the same at run time.
    type AxePage = ConstructorParameters<typeof AxeBuilder>[0]['page']
    const results = await new AxeBuilder({ page: this.page as unknown as AxePage }).analyze()
    const bad = results.violations.filter((v) => v.impact !== 'minor' && v.impact !== null)
    expect(
      bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    ).toEqual([])
  }

  /**
   * Saves the screen in light and dark (`<name>-light.png`, `-dark.png`) to test-results/screenshots, or to the
   * committed docs/screenshots when LIFELINE_UPDATE_SCREENSHOTS=1 (so a test run leaves the work tree clean).
   */
  async screenshots(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme: scheme })
      await this.page.screenshot({ path: screenshotPath(`${name}-${scheme}.png`), fullPage: true })
    }
    await this.page.emulateMedia({ colorScheme: 'light' })
  }

  /** Fails the test on any console error, page error or CSP violation seen so far. */
  expectNoErrors(): void {
    expect(this.errors).toEqual([])
  }
}

/** Where a screenshot goes: docs/screenshots when updating the committed ones, test-results/screenshots otherwise. */
export function screenshotPath(file: string): string {
  const dir =
    process.env.LIFELINE_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots'
  return `${dir}/${file}`
}
