/**
 * What a package or suite name says: Debian Policy's name syntax, Ubuntu's kernel ABI and image names, the source
 * name an advisory uses, and which pockets carry security updates.
 */

/** Debian Policy 5.6.1: lower-case letters, digits, `+`, `-`, `.`; at least two characters, alphanumeric first. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/

/** Ubuntu kernel ABI packages: `linux-image-5.15.0-52-generic`, `linux-modules-extra-…`, `linux-headers-5.15.0-52`. */
export const KERNEL_ABI_PACKAGE = /^linux-[a-z0-9-]*?-(\d+\.\d+\.\d+-\d+)(?:-([a-z0-9][a-z0-9-]*))?$/

/** A kernel image: group 1 is the ABI (`5.15.0-52`), group 2 the flavour (`generic`). */
export const KERNEL_IMAGE = /^linux-image-(?:unsigned-)?(\d+\.\d+\.\d+-\d+)-([a-z0-9][a-z0-9-]*)$/

/** True for a kernel image or modules package: a fix may be one of these, newly installed. */
export function isKernelBinaryName(name: string): boolean {
  return name.startsWith('linux-image-') || name.startsWith('linux-modules-')
}

/** True for a kernel ABI package (each kernel ABI is its own package name). */
export function isKernelAbiPackage(name: string): boolean {
  return name.startsWith('linux-') && KERNEL_ABI_PACKAGE.test(name)
}

// The source name an advisory uses for a binary's source (`linux-signed*` → `linux*`) is decided once, where the
// advisory parsers use it too.
export { advisorySourceName } from '../advisories/parse-util'

/** The kernel metapackages' source for a kernel source: `linux` → `linux-meta`, `linux-hwe-5.15` → `linux-meta-hwe-5.15`. */
export function kernelMetaSource(source: string): string {
  return source.replace(/^linux/, 'linux-meta')
}

/** Pockets whose updates are security updates: Ubuntu/Debian `<codename>-security`, old Debian `<codename>/updates`. */
export function isSecuritySuite(suite: string): boolean {
  return suite.endsWith('-security') || suite.endsWith('/updates')
}
