import { expect, type Page } from '@playwright/test'

/** The overview screen, by intent. */
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
    return Number(await this.verdict().getAttribute('data-revision'))
  }

  async waitForTone(tone: string): Promise<void> {
    await expect(this.verdict()).toHaveAttribute('data-tone', tone, { timeout: 20_000 })
  }

  async clickCheckNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Check now' }).click()
  }

  /** Fails the test on any console error, page error or CSP violation seen so far. */
  expectNoErrors(): void {
    expect(this.errors).toEqual([])
  }
}
