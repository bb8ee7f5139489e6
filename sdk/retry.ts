/**
 * The retry policy: ONE object, modelled on smithy's StandardRetryStrategy.
 *
 * acquire a token per call → on failure ask `refreshToken` (it sees only the error's class and
 * retry-after) for a delay or a refusal → `recordSuccess` at the end. Full-jitter capped
 * exponential backoff; `x-acs-retry-after` honoured within a bound; a total deadline; and a retry
 * budget shared by every call using the policy, so that an outage does not become a retry storm.
 * Randomness and time are injected so that tests are deterministic.
 */
import type { ErrorClass } from "./error-facts";

/** Every tunable, with its unit. */
export const RETRY_DEFAULTS = {
  /** Attempts per call, the first one included. */
  maxAttempts: 5,
  /** Backoff base for transient and server errors, milliseconds (attempt n waits up to base·2^(n-1)). */
  baseDelayMs: 150,
  /** Backoff base after throttling, milliseconds: larger, the service asked us to slow down. */
  throttlingBaseDelayMs: 500,
  /** Cap of one backoff, milliseconds. */
  maxDelayMs: 8_000,
  /** Largest `x-acs-retry-after` honoured, milliseconds (a bigger value is cut to this). */
  maxRetryAfterMs: 10_000,
  /** Total time one call may take, retries and waits included, milliseconds. */
  deadlineMs: 60_000,
  /** Retry budget capacity, tokens (shared by all calls using this policy object). */
  budgetCapacity: 500,
  /** Tokens a retry costs. */
  retryCost: 5,
  /**
   * Tokens a retry after throttling costs. Low: a throttle is the service shedding load cheaply,
   * and the shared adaptive rate limiter (not this budget) paces those retries; at 5 a fleet that
   * starts at full speed (200 reads, a 50 requests/s service) would drain the budget in its first
   * burst and surface errors. The budget stays the brake for outages (5xx, time-outs).
   */
  throttlingRetryCost: 1,
  /** Tokens a retry after a time-out costs (time-outs are the expensive failure). */
  timeoutRetryCost: 10,
  /** Tokens a first-try success returns to the budget. */
  successRefund: 1,
} as const;

export type RetryPolicyOptions = { -readonly [K in keyof typeof RETRY_DEFAULTS]: number } & {
  /** Uniform random in [0, 1): replaced in tests. */
  random: () => number;
};

export interface RetryToken {
  /** Attempts made so far under this token (1 after the first call). */
  readonly attempts: number;
  /** When the call started, ms since the epoch (for the deadline). */
  readonly startedAt: number;
  /** Budget tokens this token holds (returned on success). */
  readonly held: number;
}

export interface RetryDecisionInput {
  readonly errorClass: ErrorClass;
  readonly code?: string;
  readonly retryAfterMs?: number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  acquireToken(now: number): RetryToken;
  /** The next token and the wait before retrying, or undefined: do not retry. */
  refreshToken(
    token: RetryToken,
    failure: RetryDecisionInput,
    now: number,
  ): { token: RetryToken; delayMs: number } | undefined;
  recordSuccess(token: RetryToken): void;
}

export class StandardRetryPolicy implements RetryPolicy {
  readonly options: Readonly<RetryPolicyOptions>;
  private budget: number;

  constructor(options: Partial<RetryPolicyOptions> = {}) {
    this.options = { ...RETRY_DEFAULTS, random: Math.random, ...options };
    this.budget = this.options.budgetCapacity;
  }

  get maxAttempts(): number {
    return this.options.maxAttempts;
  }

  /** Remaining retry budget, tokens (for tests and metrics). */
  get availableBudget(): number {
    return this.budget;
  }

  acquireToken(now: number): RetryToken {
    return { attempts: 1, startedAt: now, held: 0 };
  }

  /** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))). */
  backoffMs(attempts: number, errorClass: ErrorClass): number {
    const o = this.options;
    const base = errorClass === "THROTTLING" ? o.throttlingBaseDelayMs : o.baseDelayMs;
    return Math.floor(o.random() * Math.min(o.maxDelayMs, base * 2 ** (attempts - 1)));
  }

  refreshToken(token: RetryToken, failure: RetryDecisionInput, now: number) {
    const o = this.options;
    if (failure.errorClass === "CLIENT_ERROR" || token.attempts >= o.maxAttempts) return undefined;
    const cost =
      failure.code === "RequestTimeout" || failure.code === "ResponseStalled"
        ? o.timeoutRetryCost
        : failure.errorClass === "THROTTLING"
          ? o.throttlingRetryCost
          : o.retryCost;
    if (this.budget < cost) return undefined;
    const retryAfter = failure.retryAfterMs === undefined ? 0 : Math.min(failure.retryAfterMs, o.maxRetryAfterMs);
    const delayMs = Math.max(this.backoffMs(token.attempts, failure.errorClass), retryAfter);
    if (now + delayMs - token.startedAt > o.deadlineMs) return undefined;
    this.budget -= cost;
    return { token: { attempts: token.attempts + 1, startedAt: token.startedAt, held: token.held + cost }, delayMs };
  }

  recordSuccess(token: RetryToken): void {
    const refund = token.held > 0 ? token.held : this.options.successRefund;
    this.budget = Math.min(this.options.budgetCapacity, this.budget + refund);
  }
}

let shared: StandardRetryPolicy | undefined;
/** The process-wide policy (one budget for every read of the process) unless a call passes its own. */
export function defaultRetryPolicy(): StandardRetryPolicy {
  return (shared ??= new StandardRetryPolicy());
}
