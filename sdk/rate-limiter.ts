/**
 * One client-side rate limit per process, shared by every read: a token bucket whose fill rate
 * adapts like smithy's DefaultRateLimiter (CUBIC): cut by BETA when the API throttles, grown back
 * along a cubic curve on success, never above the configured maximum. So a fleet of reads runs at
 * full speed when the service allows it, and at the service's own rate when it throttles.
 */
import { RdsValidationError } from "./errors";
import { failure } from "./failure";

export interface RateLimiter {
  /** Resolves when one request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The API throttled a request. */
  recordThrottle(): void;
  /** A request succeeded. */
  recordSuccess(): void;
}

export const RATE_LIMIT_DEFAULTS = {
  /** Highest fill rate, requests per second. Env: ALIBABA_CLOUD_RDS_MAX_RPS. */
  maxRps: 20,
  /** Bucket capacity, requests (the burst allowed after idling). */
  burst: 20,
  /** Lowest fill rate after repeated throttling, requests per second. */
  minRps: 0.5,
  /** Multiplicative cut on throttling (CUBIC's beta). */
  beta: 0.7,
  /** CUBIC scale constant (rate units per second³). */
  scaleC: 0.4,
  /** Throttles closer together than this count once, milliseconds (a burst of 429s is one signal). */
  throttleCooldownMs: 200,
} as const;

export interface TokenBucketOptions {
  maxRps?: number;
  burst?: number;
  minRps?: number;
  /** false: a fixed rate (no adaptation). Default true. */
  adaptive?: boolean;
  /** Clock, ms; injected in tests. */
  now?: () => number;
  /** Sleep; injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class TokenBucketRateLimiter implements RateLimiter {
  readonly maxRps: number;
  readonly burst: number;
  private readonly minRps: number;
  private readonly adaptive: boolean;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private tokens: number;
  private lastRefill: number;
  private rate: number;
  private wMax: number;
  private lastThrottle: number | undefined;

  constructor(o: TokenBucketOptions = {}) {
    this.maxRps = o.maxRps ?? RATE_LIMIT_DEFAULTS.maxRps;
    this.burst = o.burst ?? Math.max(1, Math.ceil(this.maxRps));
    this.minRps = Math.min(o.minRps ?? RATE_LIMIT_DEFAULTS.minRps, this.maxRps);
    if (!(this.maxRps > 0) || !(this.burst >= 1)) throw new RangeError(`rate limiter: maxRps must be > 0 and burst >= 1 (got ${this.maxRps}, ${this.burst})`);
    this.adaptive = o.adaptive ?? true;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? sleep;
    this.tokens = this.burst;
    this.lastRefill = this.now();
    this.rate = this.wMax = this.maxRps;
  }

  /** The current fill rate, requests per second. */
  get currentRps(): number {
    return this.rate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = t;
  }

  /** Takes a token now, going into debt if none is left; waiters queue behind the debt (FIFO, no polling). */
  async acquire(signal?: AbortSignal): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens < 0) await this.sleep((-this.tokens / this.rate) * 1000, signal);
  }

  recordThrottle(): void {
    if (!this.adaptive) return;
    const t = this.now();
    if (this.lastThrottle !== undefined && t - this.lastThrottle < RATE_LIMIT_DEFAULTS.throttleCooldownMs) return;
    this.refill();
    this.wMax = this.rate;
    this.rate = Math.max(this.minRps, this.rate * RATE_LIMIT_DEFAULTS.beta);
    this.lastThrottle = t;
  }

  recordSuccess(): void {
    if (!this.adaptive || this.lastThrottle === undefined) return;
    this.refill();
    const { beta, scaleC } = RATE_LIMIT_DEFAULTS;
    const k = Math.cbrt((this.wMax * (1 - beta)) / scaleC);
    const t = (this.now() - this.lastThrottle) / 1000;
    const cubic = scaleC * (t - k) ** 3 + this.wMax;
    this.rate = Math.min(this.maxRps, Math.max(this.rate, this.minRps, cubic));
  }
}

let shared: TokenBucketRateLimiter | undefined;

/** The per-process limiter every read shares unless given its own (env ALIBABA_CLOUD_RDS_MAX_RPS read once, at first use). */
export function sharedRateLimiter(env: NodeJS.ProcessEnv = process.env): RateLimiter {
  if (shared) return shared;
  const raw = env["ALIBABA_CLOUD_RDS_MAX_RPS"];
  const maxRps = raw === undefined || raw === "" ? RATE_LIMIT_DEFAULTS.maxRps : Number(raw);
  if (!(Number.isFinite(maxRps) && maxRps > 0)) {
    throw new RdsValidationError([failure("ALIBABA_CLOUD_RDS_MAX_RPS", raw, "a positive number of requests per second, e.g. 20")]);
  }
  return (shared = new TokenBucketRateLimiter({ maxRps, burst: Math.max(1, Math.ceil(maxRps)) }));
}
