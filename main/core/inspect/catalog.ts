/**
 * The rule catalog: the one table of every rule the instruction checker can raise.
 *
 * The rules (rules/*.ts, text-rules.ts, inspect.ts) take their message from here, docs/inspect.md lists the same
 * rows (test/unit/core/inspect/catalog.test.ts checks that they agree), and the UI shows each finding's `title`.
 * A message may contain `{what}`: the rule fills it with the program, file or protection concerned, and the
 * catalog's `what` is the wording used when it has nothing more precise to say.
 */
import type { RuleId, Severity } from './types'

/** One row of the catalog. */
export interface RuleInfo {
  readonly id: RuleId
  /** The severity the rule raises in its usual form (some forms raise `lower`). */
  readonly severity: Severity
  /** A milder form's severity, when the rule has one (docs/inspect.md shows "high / medium"). */
  readonly lower?: Severity | undefined
  /** A short noun phrase naming the problem, used in the verdict sentence and beside each finding. */
  readonly title: string
  /** One plain sentence a non-expert understands; `{what}` is replaced by the finding's subject. */
  readonly message: string
  /** The subject used when a finding gives none. */
  readonly what?: string | undefined
  /** Anchor of the rule's row in docs/inspect.md. */
  readonly anchor: string
}

/** The families the rules are split into (one file each under rules/). */
export type RuleFamily =
  | 'download-and-run'
  | 'apt-sources-and-keys'
  | 'packages'
  | 'system-and-persistence'
  | 'file-writes'
  | 'text'
  | 'signatures'

type Row = Omit<RuleInfo, 'id' | 'anchor'> & { readonly family: RuleFamily }

const ROWS: { readonly [K in RuleId]: Row } = {
  'pipe-to-shell': {
    family: 'download-and-run',
    severity: 'high',
    title: 'a download run as a script',
    message:
      'Downloads {what} and runs it straight away, so whoever controls that server controls your computer.',
    what: 'a script',
  },
  'hidden-root-script': {
    family: 'download-and-run',
    severity: 'high',
    lower: 'medium',
    title: 'commands you cannot see run as a shell script',
    message:
      'Feeds a shell or interpreter with commands this text does not show ({what}), so you cannot know what will run.',
    what: 'the output of another program',
  },
  'run-downloaded': {
    family: 'download-and-run',
    severity: 'high',
    lower: 'medium',
    title: 'a downloaded or unseen program run',
    message: 'Runs {what} without any signature check, so you cannot know what it does.',
    what: 'a file downloaded from the internet',
  },
  'decoded-payload': {
    family: 'download-and-run',
    severity: 'high',
    title: 'hidden (encoded) commands',
    message: 'Runs hidden ({what}) commands, so you cannot see what they do before they run.',
    what: 'encoded',
  },
  'eval-dynamic': {
    family: 'download-and-run',
    severity: 'medium',
    title: 'a command built from text',
    message: 'Builds a command from text and runs it, which hides what will actually run.',
  },
  'raw-network': {
    family: 'download-and-run',
    severity: 'high',
    title: 'a raw network connection from the shell',
    message:
      'Opens a network connection straight from the shell ({what}), a way to fetch code or hand your computer to someone else without any download tool.',
    what: '/dev/tcp',
  },
  'tls-disabled': {
    family: 'download-and-run',
    severity: 'high',
    title: 'certificate checks turned off',
    message:
      'Turns off the check that you are talking to the real server, so anyone on the network can swap the download.',
  },
  'unknown-root-command': {
    family: 'system-and-persistence',
    severity: 'medium',
    title: 'a program Lifeline does not know, run as administrator',
    message:
      'Runs {what} as administrator; Lifeline does not know it as a safe administrative action, so check what it does first.',
    what: 'a program',
  },
  'install-downloaded-deb': {
    family: 'packages',
    severity: 'high',
    lower: 'medium',
    title: 'a package file installed directly',
    message:
      "Installs a package file directly ({what}), which skips the signature checks apt does for Ubuntu's archive.",
    what: 'not from a software source',
  },
  'root-package-manager': {
    family: 'packages',
    severity: 'high',
    lower: 'medium',
    title: 'software installed as administrator outside apt',
    message:
      'Installs or runs {what} as administrator with a package manager whose packages apt does not check, so anyone who publishes such a package can take over the system.',
    what: 'software',
  },
  'snap-dangerous': {
    family: 'packages',
    severity: 'high',
    lower: 'medium',
    title: 'a snap without its checks',
    message: 'Installs a snap {what}, so it could contain anything or reach anything.',
    what: 'without checking its signature',
  },
  'allow-downgrade': {
    family: 'packages',
    severity: 'high',
    title: 'a downgrade to older packages',
    message:
      'Lets apt replace packages with older versions, which can bring back security holes that were already fixed.',
  },
  'allow-unauthenticated': {
    family: 'apt-sources-and-keys',
    severity: 'high',
    lower: 'medium',
    title: "apt's signature checks turned off",
    message: 'Tells apt to accept {what} without valid signatures.',
    what: 'packages and sources',
  },
  'new-apt-source': {
    family: 'apt-sources-and-keys',
    severity: 'high',
    title: 'a new software source',
    message:
      'Adds a new software source ({what}) that can replace any package on your system, including security updates.',
    what: 'not an Ubuntu mirror',
  },
  'mirror-change': {
    family: 'apt-sources-and-keys',
    severity: 'low',
    lower: 'medium',
    title: 'a switch to another Ubuntu mirror',
    message: "Switches to {what}; apt still checks Ubuntu's signatures, so this is safe.",
    what: 'another Ubuntu mirror',
  },
  'new-apt-key': {
    family: 'apt-sources-and-keys',
    severity: 'high',
    lower: 'medium',
    title: 'a new key trusted for software',
    message:
      'Adds {what} that apt will trust to sign software, so packages signed by its owner install without complaint.',
    what: 'a new key',
  },
  'trusted-yes': {
    family: 'apt-sources-and-keys',
    severity: 'high',
    title: 'a source marked trusted without signatures',
    message:
      'Marks a software source as trusted without any signature, so anything it serves gets installed.',
  },
  'lifeline-config': {
    family: 'file-writes',
    severity: 'high',
    title: "a change to Lifeline's own settings or keys",
    message:
      "Writes {what} into Lifeline's own settings or keys, so Lifeline would trust whatever the author chose.",
    what: 'content this text does not show',
  },
  'disable-protection': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'a security protection turned off',
    message: 'Turns off {what}, a protection that limits what an attacker can do.',
    what: 'a security protection',
  },
  sudoers: {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'a change to who is administrator',
    message: 'Changes who may run commands as administrator ({what}).',
    what: 'often without a password',
  },
  'root-account': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'a second administrator account',
    message: 'Changes the accounts of this computer ({what}), a hidden way back in for whoever wrote this.',
    what: 'a second administrator (root) account',
  },
  setuid: {
    family: 'system-and-persistence',
    severity: 'high',
    title: 'a setuid program',
    message: "Lets any user run {what} with its owner's (often administrator) rights.",
    what: 'this program',
  },
  capabilities: {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'administrator powers given to a program',
    message: 'Gives {what} administrator powers (file capabilities), so any user who runs it can take over.',
    what: 'a program',
  },
  'kernel-module': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'a kernel module from this text',
    message: 'Loads {what} into the kernel, where it can do anything, hide itself and survive clean-ups.',
    what: 'a module this text downloaded or wrote',
  },
  'world-writable': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'files every user can change',
    message: 'Lets every user and program change {what}.',
    what: 'system files, which any malware can use to take over',
  },
  'ld-preload': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'a library forced into programs',
    message: 'Forces {what} into programs you start, a classic way to hide malware.',
    what: 'a library',
  },
  'authorized-keys': {
    family: 'system-and-persistence',
    severity: 'high',
    title: 'a remote login key',
    message: 'Adds a key that lets someone log in to this computer remotely.',
  },
  persistence: {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'something that starts by itself',
    message: 'Installs {what} that starts by itself in the background, even after a reboot.',
    what: 'something',
  },
  'dns-hijack': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: 'address lookups redirected',
    message:
      'Changes where your computer looks up addresses ({what}), which can send you to fake update and download sites.',
    what: 'to a server chosen by whoever wrote this',
  },
  'container-escape': {
    family: 'system-and-persistence',
    severity: 'high',
    lower: 'medium',
    title: "a container with this computer's powers",
    message: 'Starts a container {what}, so whatever runs in it can take over this computer.',
    what: "with this computer's powers",
  },
  'raw-ip-source': {
    family: 'text',
    severity: 'high',
    lower: 'medium',
    title: 'a download from a bare IP address',
    message: 'Downloads from a bare IP address, which hides who runs the server.',
  },
  'paste-site': {
    family: 'text',
    severity: 'high',
    lower: 'medium',
    title: 'a download from a paste site',
    message: 'Downloads from a paste or file-sharing site where anyone can upload anything anonymously.',
  },
  'lookalike-domain': {
    family: 'text',
    severity: 'high',
    lower: 'medium',
    title: 'an address imitating Ubuntu',
    message: 'This address imitates an official Ubuntu site: it {what}.',
    what: 'is not run by Ubuntu or Canonical',
  },
  'signature-invalid': {
    family: 'signatures',
    severity: 'high',
    title: 'a broken signature',
    message: 'This text claims to be signed, but it was altered after signing or the signature is broken.',
  },
  'signature-unknown': {
    family: 'signatures',
    severity: 'medium',
    title: 'a signature by a key Lifeline does not trust',
    message: 'This text is signed, but not by a key Lifeline trusts for Ubuntu advisories.',
  },
  'signature-unchecked': {
    family: 'signatures',
    severity: 'low',
    title: 'a signature that was not checked',
    message: 'This text contains a signature that was not checked.',
  },
  'unsigned-outside-signed': {
    family: 'signatures',
    severity: 'medium',
    title: 'a command outside the signed text',
    message:
      'This command is outside the signed part of the text, so the signature says nothing about it; it is judged on its own.',
  },
  'too-complex': {
    family: 'signatures',
    severity: 'high',
    title: 'text too tangled to check',
    message:
      'This text is too long or too tangled to check, so anything could be hidden in it. Do not run it.',
  },
}

/** Every rule, keyed by id, in the order docs/inspect.md lists them. */
export const RULES: { readonly [K in RuleId]: RuleInfo & { readonly family: RuleFamily } } =
  Object.fromEntries(Object.entries(ROWS).map(([id, row]) => [id, { ...row, id, anchor: `rule-${id}` }])) as {
    readonly [K in RuleId]: RuleInfo & { readonly family: RuleFamily }
  }

/** The catalog rows, in table order. */
export const RULE_LIST: readonly (RuleInfo & { readonly family: RuleFamily })[] = Object.values(RULES)

/** A finding's message: the rule's sentence with `{what}` filled in. */
export function ruleMessage(id: RuleId, what?: string): string {
  const r = RULES[id]
  return r.message.replace('{what}', what ?? r.what ?? '')
}
