/**
 * Ubuntu release numbers and codenames, to map "Ubuntu 22.04 LTS" (emails), "Ubuntu:22.04:LTS" (OSV ecosystems)
 * and codenames (notices API, usn-db) onto one key.
 *
 * Source: distro-info-data `ubuntu.csv` (test/fixtures provenance: shared/fixtures/reference/ubuntu.csv).
 */
const RELEASES: readonly (readonly [version: string, codename: string])[] = [
  ['4.10', 'warty'],
  ['5.04', 'hoary'],
  ['5.10', 'breezy'],
  ['6.06', 'dapper'],
  ['6.10', 'edgy'],
  ['7.04', 'feisty'],
  ['7.10', 'gutsy'],
  ['8.04', 'hardy'],
  ['8.10', 'intrepid'],
  ['9.04', 'jaunty'],
  ['9.10', 'karmic'],
  ['10.04', 'lucid'],
  ['10.10', 'maverick'],
  ['11.04', 'natty'],
  ['11.10', 'oneiric'],
  ['12.04', 'precise'],
  ['12.10', 'quantal'],
  ['13.04', 'raring'],
  ['13.10', 'saucy'],
  ['14.04', 'trusty'],
  ['14.10', 'utopic'],
  ['15.04', 'vivid'],
  ['15.10', 'wily'],
  ['16.04', 'xenial'],
  ['16.10', 'yakkety'],
  ['17.04', 'zesty'],
  ['17.10', 'artful'],
  ['18.04', 'bionic'],
  ['18.10', 'cosmic'],
  ['19.04', 'disco'],
  ['19.10', 'eoan'],
  ['20.04', 'focal'],
  ['20.10', 'groovy'],
  ['21.04', 'hirsute'],
  ['21.10', 'impish'],
  ['22.04', 'jammy'],
  ['22.10', 'kinetic'],
  ['23.04', 'lunar'],
  ['23.10', 'mantic'],
  ['24.04', 'noble'],
  ['24.10', 'oracular'],
  ['25.04', 'plucky'],
  ['25.10', 'questing'],
  ['26.04', 'resolute'],
  ['26.10', 'stonking'],
]

const BY_VERSION = new Map(RELEASES.map(([v, c]) => [v, c]))
const BY_CODENAME = new Map(RELEASES.map(([v, c]) => [c, v]))

/** Codename of an Ubuntu version number (`22.04` → `jammy`), or undefined when unknown. */
export function codenameOfVersion(version: string): string | undefined {
  return BY_VERSION.get(version)
}

/** Version number of a codename (`jammy` → `22.04`), or undefined when unknown. */
export function versionOfCodename(codename: string): string | undefined {
  return BY_CODENAME.get(codename.toLowerCase())
}
