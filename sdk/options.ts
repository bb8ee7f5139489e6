/**
 * The options every public call takes, their defaults, and their checks (before any call).
 */
import { unknownKey } from "./check-arguments";
import { RdsValidationError } from "./errors";
import { failure } from "./failure";
import { resolveCredentials, type CredentialSource } from "./credentials";
import { resolveEndpoint, type ResolvedEndpoint } from "./endpoints";
import { sharedInFlightLimit, type InFlightLimit } from "./in-flight";
import { sharedRateLimiter, type RateLimiter } from "./rate-limiter";
import {
  defaultRetryPolicy,
  RETRY_DEFAULTS,
  StandardRetryPolicy,
  type RetryPolicy,
  type RetryPolicyOptions,
} from "./retry";
import { parseTimeInput } from "./time";
import type { ConnectionOptions, TimeInput } from "./types";

export interface ListOptions extends ConnectionOptions {
  /** A retry policy object, or options for a StandardRetryPolicy. Default: the process-wide policy. */
  readonly retry?: RetryPolicy | Partial<RetryPolicyOptions>;
  /** Default: `sharedRateLimiter()` (one per process). */
  readonly rateLimiter?: RateLimiter;
  /** The cap on requests in flight. Default: `sharedInFlightLimit()` (one per process, 16 requests). */
  readonly inFlightLimit?: InFlightLimit;
  /** Largest response body read, bytes, 65,536 to 1,073,741,824. Default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Pages fetched at once after the first, 1-16. Default 10. */
  readonly concurrency?: number;
  /** Stops waiting and paging; the error is the signal's reason. */
  readonly signal?: AbortSignal;
  /** Full re-reads when the list changed while being read, 0-5. Default 2. */
  readonly maxRereads?: number;
  /**
   * The moment answers are judged at: no backup can have ended after it (plus CLOCK_SKEW_MS).
   * Default: the clock, read at each answer.
   */
  readonly now?: TimeInput;
  /**
   * Return the pre-signed download links (`backupDownloadUrl`, `backupIntranetDownloadUrl`,
   * per-database links). Default false: they grant access to the whole database's data, so they
   * are removed from every result unless asked for (as in the provider and the CLI).
   */
  readonly includeDownloadUrls?: boolean;
}

export const OPTION_DEFAULTS = {
  /** TCP connect time-out, milliseconds. */
  connectTimeoutMs: 5_000,
  /** Whole-response time-out once connected, milliseconds. */
  readTimeoutMs: 10_000,
  /**
   * Pages in flight at once after the first, pages (per listing; the shared rate limiter bounds
   * the process). 10: up to 1,100 backups in 2 round trips (the first page, then all the rest at
   * once), 10,000 in 11; at most 10 pages of 100 backups held in memory while streaming.
   */
  concurrency: 10,
  /**
   * Pages in flight when streaming (`iterateBackups` without an explicit `concurrency`), pages.
   * Lower than `concurrency`: streaming is the choice for bounded memory, and each page in flight
   * costs ~5 MB of heap while the SDK parses it (100,000 backups: ~27 MB peak at 4, ~54 MB at 10).
   */
  streamConcurrency: 4,
  /** Full re-reads when the list moved while being read, passes. */
  maxRereads: 2,
  /**
   * Largest response body read, bytes (16 MiB). A page of 100 backups is ~150 KB, ~1 MB with
   * per-database download links; a body past the cap is cut and the call fails, saying so.
   * Parsing holds about 5 bytes of heap per byte of body, so the cap also bounds memory per page.
   */
  maxResponseBytes: 16 * 2 ** 20,
} as const;

export interface ResolvedOptions {
  readonly endpoint: ResolvedEndpoint;
  readonly credentials: CredentialSource;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly rateLimiter: RateLimiter;
  readonly inFlightLimit: InFlightLimit;
  readonly maxResponseBytes: number;
  readonly concurrency: number;
  readonly maxRereads: number;
  readonly includeDownloadUrls: boolean;
  readonly signal?: AbortSignal;
  /** `now` in ms since the epoch: the given moment, or the clock. */
  readonly now: () => number;
}

function int(field: string, v: unknown, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  throw new RdsValidationError([failure(field, v, `an integer from ${min} to ${max}`)]);
}

function clock(now: TimeInput | undefined): () => number {
  if (now === undefined) return Date.now;
  const ms = parseTimeInput(now, "now").getTime();
  return () => ms;
}

function bool(field: string, v: unknown): boolean {
  if (v === undefined || typeof v === "boolean") return v === true;
  throw new RdsValidationError([failure(field, v, "true or false")]);
}

function isPolicy(r: ListOptions["retry"]): r is RetryPolicy {
  const p = r as RetryPolicy;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof p.acquireToken === "function" &&
    typeof p.refreshToken === "function" &&
    typeof p.recordSuccess === "function"
  );
}

/**
 * The range of each StandardRetryPolicy option, [min, max] (all integers). An option of
 * RETRY_DEFAULTS without a row must be an integer from 0 to 1,000,000.
 */
const RETRY_RANGES: Partial<Record<keyof typeof RETRY_DEFAULTS, readonly [number, number]>> = {
  maxAttempts: [1, 20],
  baseDelayMs: [0, 60_000],
  throttlingBaseDelayMs: [0, 60_000],
  maxDelayMs: [0, 600_000],
  maxRetryAfterMs: [0, 600_000],
  deadlineMs: [1, 3_600_000],
  budgetCapacity: [0, 1_000_000],
};

/** `retry` as options: known keys only, each an integer in its range (`random` a function). */
function checkRetryOptions(r: unknown): Partial<RetryPolicyOptions> {
  const allowed = "a RetryPolicy object, or options for StandardRetryPolicy such as { maxAttempts: 3 }";
  if (typeof r !== "object" || r === null || Array.isArray(r))
    throw new RdsValidationError([failure("retry", r, allowed)]);
  const known = [...Object.keys(RETRY_DEFAULTS), "random"];
  for (const [key, v] of Object.entries(r)) {
    if (v === undefined) continue;
    const field = `retry.${key}`;
    if (!known.includes(key)) throw new RdsValidationError([unknownKey(field, v, key, known)]);
    if (key === "random") {
      if (typeof v !== "function")
        throw new RdsValidationError([failure(field, v, "a function returning a number in [0, 1)")]);
      continue;
    }
    const [min, max] = RETRY_RANGES[key as keyof typeof RETRY_DEFAULTS] ?? [0, 1_000_000];
    int(field, v, min, max, 0);
  }
  return r as Partial<RetryPolicyOptions>;
}

function checkSignal(s: unknown): AbortSignal | undefined {
  if (s === undefined) return undefined;
  if (
    typeof s === "object" &&
    s !== null &&
    typeof (s as AbortSignal).aborted === "boolean" &&
    typeof (s as AbortSignal).addEventListener === "function"
  ) {
    return s as AbortSignal;
  }
  throw new RdsValidationError([failure("signal", s, "an AbortSignal (e.g. AbortSignal.timeout(30_000))")]);
}

/** Checks and completes the options; throws RdsValidationError naming the field. */
export function resolveOptions(o: ListOptions = {}): ResolvedOptions {
  if (typeof o !== "object" || o === null || Array.isArray(o))
    throw new RdsValidationError([failure("options", o, "an object")]);
  const r = o.rateLimiter;
  if (r !== undefined && (typeof r !== "object" || r === null || typeof r.acquire !== "function")) {
    throw new RdsValidationError([
      failure("rateLimiter", "(not a RateLimiter)", "an object with acquire, recordThrottle and recordSuccess"),
    ]);
  }
  const signal = checkSignal(o.signal);
  const f = o.inFlightLimit;
  if (f !== undefined && (typeof f !== "object" || f === null || typeof f.run !== "function")) {
    throw new RdsValidationError([
      failure("inFlightLimit", "(not an InFlightLimit)", "an object with run(send, signal) (the InFlightLimit type)"),
    ]);
  }
  return {
    endpoint: resolveEndpoint(o),
    credentials: resolveCredentials(o),
    connectTimeoutMs: int("connectTimeoutMs", o.connectTimeoutMs, 1, 600_000, OPTION_DEFAULTS.connectTimeoutMs),
    readTimeoutMs: int("readTimeoutMs", o.readTimeoutMs, 1, 600_000, OPTION_DEFAULTS.readTimeoutMs),
    retry:
      o.retry === undefined
        ? defaultRetryPolicy()
        : isPolicy(o.retry)
          ? o.retry
          : new StandardRetryPolicy(checkRetryOptions(o.retry)),
    rateLimiter: r ?? sharedRateLimiter(),
    inFlightLimit: f ?? sharedInFlightLimit(),
    maxResponseBytes: int("maxResponseBytes", o.maxResponseBytes, 2 ** 16, 2 ** 30, OPTION_DEFAULTS.maxResponseBytes),
    concurrency: int("concurrency", o.concurrency, 1, 16, OPTION_DEFAULTS.concurrency),
    maxRereads: int("maxRereads", o.maxRereads, 0, 5, OPTION_DEFAULTS.maxRereads),
    includeDownloadUrls: bool("includeDownloadUrls", o.includeDownloadUrls),
    ...(signal ? { signal } : {}),
    now: clock(o.now),
  };
}
