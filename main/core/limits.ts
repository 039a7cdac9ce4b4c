/**
 * Every size and time limit of the engine, in one place (tuf-js `config.ts` style).
 *
 * Units are in the names or comments. A download without a cap and a deadline from here is a bug.
 */
export const Limits = {
  net: {
    connectTimeoutMs: 10_000,
    totalTimeoutMs: 60_000,
    /** Below this many bytes per second, averaged over `minRateWindowMs`, a download is aborted as too slow. */
    minBytesPerSecond: 2_048,
    minRateWindowMs: 15_000,
    maxRedirects: 5,
    /** Concurrent requests per poll. */
    concurrency: 4,
    /**
     * Packages indexes fetched and decoded at once per poll. Each holds its compressed body (twice while the
     * fetcher joins it) and its compact form in memory while it streams: a full noble universe index is ~25 MB
     * compressed. Decoding is CPU-bound; one at a time saved little memory in the full-size bench (222 MB peak
     * against 227 MB with two, bench/RESULTS.md) but let one slow mirror hold every other index back.
     */
    indexConcurrency: 2,
  },
  size: {
    /** InRelease / Release / Release.gpg. The largest real Ubuntu InRelease seen is ~260 KB. */
    releaseBytes: 4 * 1024 * 1024,
    signatureBytes: 64 * 1024,
    /** A compressed index (Packages.xz, Sources.xz). */
    compressedIndexBytes: 64 * 1024 * 1024,
    /** An uncompressed index. Ubuntu noble main amd64 Packages is ~20 MB. */
    indexBytes: 256 * 1024 * 1024,
    /** A source package's .debian.tar.xz or .diff.gz. */
    sourceArtifactBytes: 32 * 1024 * 1024,
    /** A key file. */
    keyBytes: 1024 * 1024,
    /** One advisory document (OSV JSON, notices API page). */
    advisoryBytes: 8 * 1024 * 1024,
    /** A JSON state or config file on disk. */
    stateFileBytes: 32 * 1024 * 1024,
    /**
     * The mirror state saved by versions before the content-addressed format (one JSON holding every index's
     * packages), read once to migrate it. Those versions could not write more than `stateFileBytes`; this
     * leaves room for a file grown by hand or by a fork, below what JSON.parse can hold.
     */
    legacyMirrorsStateBytes: 256 * 1024 * 1024,
    /**
     * The compact form of one verified Packages index (`main/core/apt/compact-index.ts`, about 26 bytes a
     * package: noble universe amd64, ~65,000 packages, is ~2 MB). Over it, that suite is reported `too-large`
     * (APT_STATE_CAP) and the others keep working.
     */
    compactIndexBytes: 64 * 1024 * 1024,
    /** Every compact piece kept, all mirrors together (distinct pieces count once). */
    compactTotalBytes: 1024 * 1024 * 1024,
    /** Text pasted into the instruction checker. */
    pastedTextBytes: 1024 * 1024,
  },
  time: {
    /** Allowed clock skew for a Release `Date` in the future. */
    clockSkewMs: 5 * 60_000,
    /**
     * Ubuntu sets no Valid-Until: maximum age of a Release, by pocket, the last-resort freshness rule
     * (main/core/check/freshness.ts). Being behind another verified mirror is the main signal. Measured on
     * archive.ubuntu.com: jammy-security unsigned for 49.5 h over a weekend, and 51.2 h on Sunday 2026-12-06
     * (Date Thu 23:35 UTC); a 2-day limit called healthy mirrors stale. 7 days is over three times the longest
     * measured gap of a supported pocket and still bounds a freeze attack on a single-mirror setup.
     */
    maxAgeSecurityMs: 7 * 24 * 3600_000,
    maxAgeOtherMs: 7 * 24 * 3600_000,
  },
  apt: {
    /** Longest Debian version accepted (dpkg has no limit; real ones are under 100 characters). */
    maxVersionLength: 256,
    /** A source package's debian/changelog, once extracted. */
    changelogBytes: 16 * 1024 * 1024,
    /** Entries read from one tar archive before giving up (a .debian.tar.xz has a few hundred). */
    tarMaxEntries: 100_000,
    /** One pax extended header or GNU long name. */
    paxHeaderBytes: 1024 * 1024,
  },
  pgp: {
    /** Signature packets read from one document; Debian uses 2, an attacker could send thousands to burn CPU. */
    maxSignaturesPerDocument: 16,
    /** Keys in one key file or manifest; the Debian archive keyring holds 9. */
    maxKeysPerFile: 64,
  },
  advisories: {
    /** A signed feed index (clearsigned). 10,000 entries of ~110 bytes fit in about 1 MB. */
    feedIndexBytes: 4 * 1024 * 1024,
    /** Files listed in one feed index; more is a malformed index. */
    feedMaxFiles: 50_000,
    /** Longest Valid-Until − Date a feed may claim; a longer window would let a stolen old index replay for long. */
    feedMaxValidityMs: 90 * 24 * 3600_000,
    /** An mbox archive (one month of ubuntu-security-announce is about 2 MB). */
    mboxBytes: 64 * 1024 * 1024,
    /** One RSS/Atom news feed. */
    newsBytes: 4 * 1024 * 1024,
    /** Pages of the notices API read in one poll (20 notices a page). */
    apiMaxPages: 50,
    /** Queries in one OSV.dev `POST /v1/querybatch` (the API's own maximum is 1,000). */
    osvBatchSize: 1_000,
    /** `querybatch` requests in one check, pages included (a desktop has ~1,500 source packages: 2 batches). */
    osvMaxBatchRequests: 20,
    /** One `querybatch` answer (ids and dates only; the API caps answers at 32 MiB over HTTP/1.1). */
    osvBatchResponseBytes: 16 * 1024 * 1024,
    /**
     * OSV records downloaded in one check (`GET /v1/vulns/{id}` or one raw file each); records whose `modified`
     * did not change are taken from the last good copy and cost nothing. The rest wait for the next check.
     */
    osvMaxRecordFetchesPerCheck: 400,
    /** Records downloaded at once from one advisory host. */
    osvConcurrency: 4,
    /** Ids the github-osv channel reads in one check (configured, found by OSV.dev, named by the archive). */
    githubMaxIdsPerCheck: 400,
    /**
     * An OSV record no index dates (a raw file read by id) is downloaded again once its last good copy is this old;
     * a dated one (OSV.dev lists `modified`) only when that date moves. Keeps a fleet's hourly checks light.
     */
    undatedRecordMaxAgeMs: 24 * 3600_000,
  },
  evidence: {
    /** Source packages whose changelog is fetched in one check (cached ones are free); the rest wait for the next. */
    maxSourcesPerCheck: 24,
    /** Cached changelog evidence records kept in state (oldest dropped first). */
    maxCachedSources: 4_000,
    /** CVE-naming changelog entries kept per source version (newest first). */
    maxEntriesPerSource: 200,
  },
  /** Browser mode's loopback host. */
  host: {
    /** Open event streams at most (browser mode serves one page; a few cover reloads racing their own close). */
    maxEventStreams: 8,
    /** Unsent event bytes a stream may hold before the host drops it (a client that stopped reading). */
    maxStreamBufferBytes: 1024 * 1024,
    /**
     * How long the one-time code that `serve --open` puts on Chromium's command line can be exchanged for the
     * session token. Chromium starts in a few seconds; a code read later from /proc is already dead.
     */
    bootstrapCodeTtlMs: 60_000,
    /** One-time codes outstanding at once (each `--open` issues one). */
    maxBootstrapCodes: 8,
    /** A keep-alive on every event stream this often, so a page can tell a silent host from a stopped one. */
    heartbeatMs: 5_000,
  },
  poll: {
    defaultIntervalMs: 3600_000,
    urgentIntervalMs: 15 * 60_000,
    jitterFraction: 0.1,
    maxBackoffMs: 6 * 3600_000,
  },
  diagnostics: {
    /** One log file in the data folder before it rotates. */
    logFileBytes: 1024 * 1024,
    /** Log files kept: lifeline.log plus lifeline.log.1 … .(logFiles − 1). */
    logFiles: 5,
    /** A logged message or field is cut to this many characters: a log never holds a whole document. */
    logEntryChars: 2_000,
    /** Recent warnings and errors included in a diagnostic report. */
    reportRecentErrors: 30,
  },
  inspect: {
    /**
     * Longest text handed to the shell parser in one parse (UTF-16 units). tree-sitter's error recovery is
     * super-linear on hostile input (a 90 KB unfinished pipeline exhausts its WASM memory and kills the parser
     * for the whole process); real pasted instructions are a few KB.
     */
    maxParseChars: 32 * 1024,
    /** CPU time one parse may take before it is cancelled and the text reported as too complex to check. */
    parseBudgetMs: 1_500,
  },
  system: {
    /** var/lib/dpkg/status. A full desktop (~3,000 packages) is about 5 MB. */
    dpkgStatusBytes: 64 * 1024 * 1024,
    /** Any other local file read (os-release, a sources file, version_signature, reboot-required.pkgs). */
    smallFileBytes: 1024 * 1024,
    /** Files read from etc/apt/sources.list.d; more are reported and skipped. */
    maxSourceFiles: 512,
    /** Deadline for `canonical-livepatch status --format json`. */
    livepatchTimeoutMs: 5_000,
    /** Output cap for that command. */
    livepatchOutputBytes: 1024 * 1024,
  },
} as const
