// `npm run dist [-- --policy FILE ... --recommended-policy FILE ... --target deb|AppImage ...]`
//
// Builds the .deb and AppImage (electron-builder.yml). A helpdesk variant bakes policies into resources/policy/
// (mandatory) or resources/policy/recommended/ (defaults): each file is validated first with `lifeline policy
// check`, every key file it names is checked against its pinned fingerprint, then both are copied (docs/helpdesk.md).
// Where no Electron runtime is available it says what is missing in one line and exits 1 (no stack trace).
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function fail(line, code = 1) {
  console.error(`dist: ${line}`)
  process.exit(code)
}

function parseArgs(argv) {
  const out = { policies: [], recommended: [], targets: [], skipBuild: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) fail(`${a} needs a value`, 64)
      return v
    }
    if (a === '--policy') out.policies.push(value())
    else if (a === '--recommended-policy') out.recommended.push(value())
    else if (a === '--target') out.targets.push(value())
    else if (a === '--policy-only') out.skipBuild = true
    else if (a === '--help' || a === '-h') {
      console.log(
        'Usage: npm run dist -- [--policy FILE]... [--recommended-policy FILE]... [--target deb|AppImage]... [--policy-only]',
      )
      process.exit(0)
    } else fail(`unknown argument ${a} (see --help)`, 64)
  }
  for (const t of out.targets)
    if (t !== 'deb' && t !== 'AppImage') fail(`--target must be deb or AppImage, not ${t}`, 64)
  return out
}

/** `lifeline policy check` on the file (the same validator the app uses); exits on failure. */
function validatePolicy(file, recommended) {
  const args = [
    'bin/lifeline.mjs',
    'policy',
    'check',
    '--codename',
    'noble',
    '--etc-dir',
    join(ROOT, '.no-etc'),
  ]
  if (recommended) args.push('--recommended')
  const r = spawnSync(process.execPath, [...args, '--data-dir', join(ROOT, '.no-data'), file], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (r.status !== 0) {
    process.stderr.write(r.stderr)
    fail(`${file} is not a valid policy (problems above); nothing was copied`)
  }
}

/** Every key a policy pins must be present next to it and hold exactly the pinned fingerprint. */
async function checkKeys(file) {
  const policy = JSON.parse(readFileSync(file, 'utf8'))
  const openpgp = await import('openpgp')
  const keys = []
  for (const k of policy.keys ?? []) {
    const path = isAbsolute(k.file) ? k.file : resolve(dirname(file), k.file)
    if (isAbsolute(k.file))
      fail(`${file}: keys: ${k.file} is absolute; a baked key must sit next to the policy`)
    if (!existsSync(path)) fail(`${file}: keys: ${path} does not exist`)
    const data = readFileSync(path)
    const text = data.toString('latin1')
    let key
    try {
      key = text.includes('-----BEGIN PGP')
        ? await openpgp.readKey({ armoredKey: text })
        : await openpgp.readKey({ binaryKey: new Uint8Array(data) })
    } catch (e) {
      fail(`${path}: not an OpenPGP key (${e instanceof Error ? e.message : e})`)
    }
    if (key.isPrivate()) fail(`${path} holds a SECRET key: ship only the public key (gpg --export)`)
    const fpr = key.getFingerprint().toUpperCase()
    if (fpr !== String(k.fingerprint).toUpperCase())
      fail(`${path} holds ${fpr}, not the pinned ${k.fingerprint}`)
    keys.push(path)
  }
  return keys
}

async function bake(files, recommended) {
  // LIFELINE_DIST_POLICY_DIR lets tests bake into a temporary folder instead of the checkout's resources/policy.
  const base = process.env.LIFELINE_DIST_POLICY_DIR || join(ROOT, 'resources', 'policy')
  const dest = recommended ? join(base, 'recommended') : base
  for (const f of files) {
    const file = resolve(process.cwd(), f)
    if (!existsSync(file)) fail(`${f} does not exist`, 64)
    validatePolicy(file, recommended)
    const keys = await checkKeys(file)
    mkdirSync(dest, { recursive: true })
    for (const src of [file, ...keys]) {
      copyFileSync(src, join(dest, basename(src)))
      console.log(`dist: baked ${basename(src)} into ${dest}`)
    }
  }
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/** An installed Electron binary, a cached download electron-builder can use, or undefined. */
function electronRuntime(version) {
  try {
    const p = require('electron')
    if (typeof p === 'string' && existsSync(p)) return p
  } catch {
    // not installed
  }
  const cache =
    process.env.ELECTRON_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'electron')
  const zip = `electron-v${version}-linux-${process.arch}.zip`
  const scan = (dir) => {
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isFile() && e.name === zip) return join(dir, e.name)
        if (e.isDirectory()) {
          const hit = scan(join(dir, e.name))
          if (hit) return hit
        }
      }
    } catch {
      // no cache
    }
    return undefined
  }
  return scan(cache)
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0)
    fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}); see above`, r.status || 1)
}

const opts = parseArgs(process.argv.slice(2))
await bake(opts.policies, false)
await bake(opts.recommended, true)
if (opts.skipBuild) process.exit(0)

const version = electronVersion()
if (!version) fail('the electron package is not installed (npm ci first)')
if (!electronRuntime(version)) {
  fail(
    `no Electron ${version} runtime for linux-${process.arch}: node_modules/electron/dist is missing and no ` +
      `electron-v${version}-linux-${process.arch}.zip is in the Electron cache; run \`node node_modules/electron/install.js\` ` +
      'with network access (or set ELECTRON_CACHE to a folder holding that zip), then npm run dist again',
  )
}
run('npx', ['electron-vite', 'build'])
// The CLI for the .deb's /usr/bin/lifeline: ESM exporting main(), as bin/lifeline.mjs expects, one chunk per
// command; npm packages stay external and are loaded from the app's node_modules.
run('node', ['scripts/build-cli.mjs'])
run('npx', ['electron-builder', '--linux', ...(opts.targets.length ? opts.targets : ['deb', 'AppImage'])])
console.log('dist: packages are in dist/')
