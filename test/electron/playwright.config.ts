import { defineConfig } from '@playwright/test'

// Optional Electron smoke tests: they need the Electron binary, which CI here cannot download.
export default defineConfig({ testDir: '.', testMatch: '**/*.spec.ts', timeout: 60_000, workers: 1 })
