/**
 * JSON-safe view types: ISO-8601 strings, plain objects and arrays; no Date, Map, class or Uint8Array.
 *
 * Electron's structured clone, the loopback host's JSON and Playwright's serializer all treat these the same way.
 */

/** An expected failure travels as a value; `code` comes from the engine's error-code unions. */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string; readonly message: string }

/** The one-word answer of a check: nothing to do, a verified fix waits, exposed or attacked, nothing verified. */
export type VerdictDto = 'safe' | 'attention' | 'alarm' | 'unknown'

/**
 * One mirror × suite as the last check saw it: the `lifeline.check/1` report's mirror (main/core/check/report-json.ts
 * `MirrorJson`, the same names), plus what only the window needs.
 */
export interface MirrorStatusDto {
  readonly id: string
  readonly name: string
  readonly url: string
  readonly suite: string
  readonly status: string
  /** Its signed data is authentic, current or old (`ok`, `lagging`, `stale`). */
  readonly verified: boolean
  readonly detail: string
  readonly code: string | null
  readonly releaseDate: string | null
  /** Release `Valid-Until`, when the mirror sets one. */
  readonly validUntil: string | null
  readonly signedBy: string | null
  /** For a lagging mirror: how far behind the newest verified Release, in seconds. */
  readonly lagSeconds: number | null
  /** For a failed mirror: age of the last verified data still kept, in seconds. */
  readonly dataAgeSeconds: number | null
  readonly checkedAt: string
  /** `lagSeconds` in words ("3 hours"), from the one duration formatter (main/core/time-format.ts). */
  readonly lagWords: string | null
  /** `dataAgeSeconds` in words. */
  readonly dataAgeWords: string | null
}

/**
 * An advisory channel after a check (docs/trust.md, "Channels"): the report's channel (`ChannelJson`), plus what
 * only the window needs.
 */
export interface ChannelStatusDto {
  readonly id: string
  readonly name: string
  readonly type: string
  /** `ok`, `partial` (some records skipped), `failed` (last good copy kept), `not-read` (offline). */
  readonly status: string
  readonly detail: string
  readonly code: string | null
  /** When it last read successfully. */
  readonly verifiedAt: string | null
  readonly advisoryCount: number
  readonly signedBy: string | null
  readonly issueCount: number
  /** It answered in this check (`ok` or `partial`; main/core/check/predicates.ts `isChannelRead`). */
  readonly read: boolean
  /** What reading this channel tells its host about this computer, in plain words. */
  readonly privacyNote: string
}

/**
 * How an advisory stands for this machine. `livepatched`: Livepatch covers the running kernel now; the fixed kernel
 * is still to be installed at the next maintenance window.
 */
export type AdvisoryStatusDto =
  | 'fixed'
  | 'livepatched'
  | 'fixed-pending-reboot'
  | 'fix-available'
  | 'fix-on-other-mirror'
  | 'no-fix-yet'
  | 'not-affected'

/** How much an advisory can be trusted (docs/trust.md). */
export type TrustDto = 'signed' | 'archive-confirmed' | 'corroborated' | 'single-source' | 'conflict'

/** A numbered guidance step, with the exact command when there is one. */
export interface StepDto {
  readonly number: number
  readonly kind: 'command' | 'file' | 'reboot' | 'info' | 'recheck'
  readonly text: string
  readonly command: string | null
  readonly file: { readonly path: string; readonly content: string } | null
}

/** One package to upgrade or install, with the repository it comes from. */
export interface InstallTargetDto {
  readonly package: string
  readonly arch: string
  readonly installed: string | null
  readonly version: string
  readonly mirror: string
  readonly mirrorUrl: string
  readonly suite: string
  readonly component: string
  /** True when this machine's apt sources already include the repository. */
  readonly onUsedMirror: boolean
}

/** What an advisory says about one source package, checked against this machine. */
export interface PackageFindingDto {
  readonly source: string
  readonly fixedVersion: string | null
  readonly status: AdvisoryStatusDto
  readonly installed: readonly { readonly package: string; readonly arch: string; readonly version: string }[]
  readonly upgrades: readonly InstallTargetDto[]
  readonly newInstalls: readonly InstallTargetDto[]
  readonly missing: readonly string[]
  readonly needsReboot: boolean
}

/** One fact of the evidence chain, in plain words (who signed what, which mirror, which dates). */
export interface EvidenceDto {
  readonly kind: string
  /** One sentence a non-expert understands. */
  readonly text: string
  /** The exact technical detail for experts (fingerprint, URL, version), or null. */
  readonly detail: string | null
  /** When the fact was established, if known. */
  readonly at: string | null
}

/** One advisory assessed for this machine: the report's advisory, with its evidence in plain words. */
export interface AdvisoryDto {
  readonly id: string
  readonly title: string
  readonly cves: readonly string[]
  readonly priority: string | null
  readonly status: AdvisoryStatusDto
  readonly trust: TrustDto
  readonly packages: readonly PackageFindingDto[]
  /** The evidence chain, trust first, then each package's facts. */
  readonly evidence: readonly EvidenceDto[]
  readonly mitigations: readonly string[]
  readonly steps: readonly StepDto[]
  /** Channels that disagree on a fixed version; every claim is kept and shown. */
  readonly disagreements: readonly DisagreementDto[]
  /** It concerns this computer now: not `fixed`, not `not-affected` (main/core/check/predicates.ts). */
  readonly affecting: boolean
}

/** One package whose fixed version the advisory channels disagree on. */
export interface DisagreementDto {
  readonly package: string
  readonly claims: readonly {
    readonly fixedVersion: string
    readonly channels: readonly string[]
    readonly signed: boolean
  }[]
}

/** A newer version of an installed source package in a verified `-security` pocket. */
export interface SecurityUpdateDto {
  readonly source: string
  readonly installedVersion: string
  readonly newVersion: string
  readonly cves: readonly string[]
  /** Advisories that name this source package. */
  readonly advisories: readonly string[]
  readonly onUsedMirror: boolean
  readonly upgrades: readonly InstallTargetDto[]
}

/** The assessment of this machine. */
export interface AssessmentDto {
  readonly generatedAt: string
  readonly release: {
    readonly id: string
    readonly codename: string | null
    readonly versionId: string | null
  }
  readonly advisories: readonly AdvisoryDto[]
  readonly securityUpdates: readonly SecurityUpdateDto[]
  readonly kernel: {
    readonly running: string | null
    readonly runningVersion: string | null
    readonly newestInstalled: string | null
    readonly newerInstalled: boolean
    /** A restart finishes installed updates (the kernel's, or any the system lists). */
    readonly rebootRequired: boolean
    readonly livepatchCves: readonly string[]
  }
  readonly counts: Readonly<Record<AdvisoryStatusDto, number>>
  /** Steps for everything at once (the overview's next step). */
  readonly steps: readonly StepDto[]
}

/**
 * What a check saw, from which its verdict is drawn (docs/cli.md, "The coverage record"). The same fields as the
 * `coverage` object of the `lifeline.check/1` JSON report.
 */
export interface CoverageDto {
  readonly release: {
    readonly id: string | null
    readonly codename: string | null
    readonly name: string | null
    /** Some configured mirror serves this computer's release. */
    readonly served: boolean
  }
  readonly securityPocket: {
    readonly suite: string | null
    /** `current`: verified and fresh somewhere; `old`: reached and verified, but only old copies; `none`. */
    readonly state: 'current' | 'old' | 'none'
    readonly currentOn: readonly string[]
    readonly oldOn: readonly string[]
    /** The newest verified Release `Date` of the pocket: the data's age. */
    readonly newestReleaseDate: string | null
    readonly releaseAgeSeconds: number | null
  }
  readonly mirrors: readonly {
    readonly id: string
    readonly name: string
    readonly url: string
    readonly usedByThisMachine: boolean
    readonly verified: boolean
  }[]
  /** Repositories this computer's apt reads that Lifeline does not verify. */
  readonly unverifiedSources: readonly string[]
  readonly advisorySources: {
    readonly read: number
    readonly total: number
    readonly newestReadAt: string | null
  }
  /** Installed packages in no verified index of this release; null when the release pocket was not verified. */
  readonly packagesOutsideVerifiedArchive: number | null
  /** Why the archive's CVE list could not be read, by failing code. */
  readonly evidenceGaps: readonly {
    readonly code: string
    readonly count: number
    readonly sources: readonly string[]
  }[]
}

/** Mitigation text of an advisory affecting this computer, with its source and the instruction checker's verdict. */
export interface MitigationDto {
  readonly advisory: string
  readonly trust: TrustDto
  readonly text: string
  readonly checker: InspectVerdictDto | 'not-checked'
  /** Only text from a signed advisory that the checker does not call dangerous is ever a step. */
  readonly asStep: boolean
}

/** One finished check: mirrors, advisory channels and, when the computer could be read, its assessment. */
export interface ReportDto {
  readonly startedAt: string
  readonly finishedAt: string
  readonly verdict: VerdictDto
  /** The verdict's reason in one sentence: the same as `lifeline check` prints. */
  readonly summary: string
  /** The row of the verdict table that decided it (docs/cli.md, "Verdict rules"); null in older saved reports. */
  readonly verdictRow: string | null
  /** The `lifeline check` exit code of this report; null in older saved reports. */
  readonly exitCode: number | null
  /** For a red verdict: which case it is and what to do (main/core/check/alarm.ts); null otherwise. */
  readonly alarm: AlarmDto | null
  /** Null when this computer could not be read. */
  readonly coverage: CoverageDto | null
  readonly mitigations: readonly MitigationDto[]
  readonly anyVerified: boolean
  readonly mirrors: readonly MirrorStatusDto[]
  readonly channels: readonly ChannelStatusDto[]
  /** Null when this computer could not be read. */
  readonly assessment: AssessmentDto | null
  readonly systemProblems: readonly string[]
  /** True when built from saved state only. */
  readonly offline: boolean
}

/** The red cases: this computer exposed with no verified fix, a source that may be under attack, or both. */
export type AlarmCaseDto = 'exposed' | 'attack' | 'both' | 'other'

/** A red verdict's case and its advice, decided in main; the window only shows them. */
export interface AlarmDto {
  readonly case: AlarmCaseDto
  readonly advice: string
}

/** How far a running check is. */
export interface ProgressDto {
  readonly done: number
  readonly total: number
  readonly label: string
}

/** The app state as the renderer mirrors it. The highest `revision` wins. */
export type StatusSnapshotDto =
  | { readonly revision: number; readonly kind: 'starting' }
  | {
      readonly revision: number
      readonly kind: 'checking'
      readonly startedAt: string
      readonly progress: ProgressDto
      readonly previous: ReportDto | null
    }
  | { readonly revision: number; readonly kind: 'ready'; readonly report: ReportDto }
  | {
      readonly revision: number
      readonly kind: 'no-source'
      readonly report: ReportDto
      readonly lastGood: ReportDto | null
    }

/** The running app: name, version and how the UI is hosted (`getAppInfo`). */
export interface AppInfoDto {
  readonly name: string
  readonly version: string
  /** How the UI is hosted: inside Electron, or in a browser through the loopback host. */
  readonly shell: 'electron' | 'browser'
}

/** The instruction checker's verdict (docs/inspect.md). */
export type InspectVerdictDto = 'verified' | 'caution' | 'dangerous'

/** One highlighted span and its reason; `line` is 1-based, `start`/`end` 0-based UTF-16 columns. */
export interface InspectFindingDto {
  readonly rule: string
  readonly severity: 'high' | 'medium' | 'low'
  /** The rule's title from the checker's rule catalog: the problem in a few words. */
  readonly title: string
  readonly line: number
  readonly start: number
  readonly end: number
  readonly offset: number
  readonly endOffset: number
  readonly message: string
}

/** One clearsigned block of the checked text. */
export interface SignedBlockDto {
  readonly startLine: number
  readonly endLine: number
  readonly status: 'valid' | 'invalid' | 'unknown-signer' | 'not-checked'
  readonly signers: readonly string[]
  readonly code: string | null
}

/** The checker's answer for one text, with the text it checked (the clipboard's, for `checkClipboard`). */
export interface InspectResultDto {
  readonly text: string
  readonly verdict: InspectVerdictDto
  readonly summary: string
  readonly findings: readonly InspectFindingDto[]
  readonly blocks: readonly SignedBlockDto[]
  readonly lineKinds: readonly string[]
  readonly commandCount: number
  /** How many verified fixes (`pkg=version`) the check could vouch for. */
  readonly knownFixCount: number
}

/** The settings a user may change (when no policy locks them). */
export type SettingKey = 'pollIntervalMinutes' | 'notificationLevel' | 'autostart'

/**
 * Where a value comes from, and whether the user may change it. `config-file` is a one-file `--config`, which stands
 * alone in place of the layers.
 */
export interface OriginDto {
  readonly layer: 'default' | 'build' | 'system' | 'user' | 'config-file'
  readonly locked: boolean
  /** The file that sets (or locks) it, when there is one. */
  readonly file: string | null
}

/** One setting with its origin. */
export interface SettingDto<T> {
  readonly value: T
  readonly origin: OriginDto
  /** False when the setting cannot be used here at all (e.g. autostart in browser mode); `reason` says why. */
  readonly available: boolean
  readonly reason: string | null
}

/** The helpdesk that provides this build, shown beside locked settings. */
export interface HelpdeskDto {
  readonly name: string | null
  readonly url: string | null
  readonly phone: string | null
  readonly email: string | null
}

/** Everything the Settings screen shows. */
export interface SettingsDto {
  readonly pollIntervalMinutes: SettingDto<number>
  readonly notificationLevel: SettingDto<'none' | 'alarm' | 'attention'>
  readonly autostart: SettingDto<boolean>
  readonly mirrors: readonly {
    readonly id: string
    readonly name: string
    readonly url: string
    readonly suites: readonly string[]
    readonly origin: OriginDto
  }[]
  readonly channels: readonly {
    readonly id: string
    readonly name: string
    readonly type: string
    readonly urls: readonly string[]
    readonly origin: OriginDto
    /** What reading this channel tells its host about this computer (docs/trust.md). */
    readonly privacyNote: string
    /** False when a removal (the user's or a policy's) turns it off; it is then not read. */
    readonly enabled: boolean
    /**
     * Who decides whether it is on: the user (`locked` false) or a policy file (`locked` true: a mandatory policy
     * adds it or removes it, or sets `removeChannels`).
     */
    readonly switchOrigin: OriginDto
  }[]
  readonly helpdesk: HelpdeskDto | null
  readonly brandingText: string | null
  readonly clipboardAllowed: boolean
  /** When notifications are paused until, or null. */
  readonly notificationsPausedUntil: string | null
  /** The next background check and why it is then. */
  readonly nextCheck: { readonly at: string; readonly reason: string } | null
  /** Configuration problems (a refused policy file, an ignored user setting), in words. */
  readonly problems: readonly string[]
}

/** How long to pause notifications. */
export type PauseChoiceDto = '1h' | 'tomorrow' | 'off'

/** The result of `openAdvisory`: opened in the desktop browser (Electron), or a vetted link for the page. */
export interface OpenAdvisoryDto {
  readonly opened: boolean
  /** The https URL main chose from its own data, after the host allowlist check. */
  readonly url: string
}

/** The app's screens. */
export type ScreenDto = 'overview' | 'advisories' | 'sources' | 'inspect' | 'settings'

/** Main asks the window to show a screen (tray menu, notification click). */
export interface NavigateDto {
  readonly screen: ScreenDto
  readonly advisoryId: string | null
  /** The tray's "Check clipboard": the screen then calls `checkClipboard()`. */
  readonly checkClipboard: boolean
}
