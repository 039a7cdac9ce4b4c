// Module resolution hook (node:module `register`): the specifier 'electron' resolves to the fake in this folder,
// so the real built bundle's `import { app, … } from "electron"` runs without an Electron binary.
import { URL } from 'node:url'

const FAKE = new URL('./index.mjs', import.meta.url).href

/** Node's `resolve` hook. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: FAKE, shortCircuit: true }
  return nextResolve(specifier, context)
}
