// `node --import ./register.mjs …`: maps 'electron' to the fake for everything loaded after it.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
