/**
 * One client-side rate limit per process, shared by every read: a token bucket whose fill rate
 * adapts like smithy's DefaultRateLimiter (CUBIC).
 *
 * - Until the API first throttles, there is no limit at all (unless a ceiling `maxRps` is set):
 *   full speed when the service allows it.
 * - On a throttle the limit is cut to CUBIC_BETA times the rate the service was accepting (successful
 *   answers in the last MEASURE_WINDOW_MS), never above what we were allowed to send: the service's
 *   own rate, found in one step instead of a dozen blind cuts. Throttles arriving in one burst
 *   (within THROTTLE_COOLDOWN_MS) are one signal, but a later one that saw more successes lifts the cut.
 * - On success the rate grows back along CUBIC's curve: quickly to the rate that was throttled,
 *   slowly around it, then faster again (probing), never above `maxRps`.
 * So a fleet of reads in one process converges to the service's limit instead of each read
 * retrying on its own.
 */
import { setMaxListeners } from "node:events";
import { RdsValidationError } from "./errors";
import { failure } from "./failure";
import { sleep } from "./sleep";
import { WindowCounter } from "./window-counter";

export interface RateLimiter {
  /** Resolves when one request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The API throttled a request. */
  recordThrottle(): void;
  /** A request succeeded. */
  recordSuccess(): void;
}

/** Every tunable, with its unit: the defaults of TokenBucketOptions. */
export const RATE_LIMIT_DEFAULTS = {
  /**
   * Ceiling of the fill rate, requests per second. Infinity: none, full speed until the API
   * throttles (then the adaptive rate applies): the service's limit is its own, and it says when
   * we reach it. Env ALIBABA_CLOUD_RDS_MAX_RPS sets a ceiling for the shared limiter.
   */
  maxRps: Infinity as number,
  /**
   * Lowest fill rate after repeated throttling, requests per second. 0.5 (a page every 2 s): a
   * listing still progresses through a long throttling episode instead of stalling until its
   * deadline, and the service sees almost nothing from us.
   */
  minRps: 0.5,
  /**
   * Bucket capacity when none is given, seconds of the current rate (at least 1 request). One
   * second: the pages a listing starts together go out at once, and a bucket saved up while idle
   * never exceeds the rate the service accepts by more than a second's worth.
   */
  burstSeconds: 1,
} as const;

/** Multiplicative cut on throttling, a fraction of the accepted rate: CUBIC's beta (RFC 8312, smithy's 0.7). */
export const CUBIC_BETA = 0.7;
/** CUBIC's scale constant C (RFC 8312), requests per second per second³: how fast the rate grows back. */
const CUBIC_SCALE = 0.4;
/** Throttles closer together than this are one cut, milliseconds: a burst of 429s is one signal. */
const THROTTLE_COOLDOWN_MS = 200;
/** Window over which answers are counted to estimate the rate the service accepts, milliseconds. */
const MEASURE_WINDOW_MS = 1_000;

interface TokenBucketOptions {
  /** Ceiling, requests per second. Default RATE_LIMIT_DEFAULTS.maxRps (none). */
  maxRps?: number;
  /** Bucket capacity, requests. Default: one second of the current rate (at least 1). */
  burst?: number;
  /** Floor of the adaptive rate, requests per second. Default RATE_LIMIT_DEFAULTS.minRps. */
  minRps?: number;
  /** false: a fixed rate (no adaptation). Default true. */
  adaptive?: boolean;
  /** Clock, ms; injected in tests. */
  now?: () => number;
  /** Sleep; injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Sleeping waiters re-plan when the rate moved by more than this factor (1.05 = 5%): not on every success. */
const RESCHEDULE_RATIO = 1.05;

/** An epoch's signal is listened to by every sleeping waiter (hundreds in a fleet): no listener cap. */
function newEpoch(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

export class TokenBucketRateLimiter implements RateLimiter {
  readonly maxRps: number;
  /** The configured capacity, or undefined: one second of the current rate. */
  private readonly fixedBurst: number | undefined;
  private readonly minRps: number;
  private readonly adaptive: boolean;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private tokens: number;
  private lastRefill: number;
  private rate: number;
  private wMax: number;
  /** The rate before the current throttle episode's cut (what a late throttle may lift the cut to). */
  private preCut: number;
  private lastThrottle: number | undefined;
  /** Tokens ever added by refills: a waiter's place in the queue is the credit it waits for. */
  private credit = 0;
  /** The rate sleeping waiters planned their wait with. */
  private plannedRate: number;
  /** Aborted (and replaced) when the rate changes, to wake sleeping waiters. */
  private epoch = newEpoch();
  private readonly accepted = new WindowCounter(MEASURE_WINDOW_MS);
  private readonly sent = new WindowCounter(MEASURE_WINDOW_MS);

  constructor(o: TokenBucketOptions = {}) {
    this.maxRps = o.maxRps ?? RATE_LIMIT_DEFAULTS.maxRps;
    this.fixedBurst = o.burst ?? (Number.isFinite(this.maxRps) ? Math.max(1, Math.ceil(this.maxRps)) : undefined);
    this.minRps = Math.min(o.minRps ?? RATE_LIMIT_DEFAULTS.minRps, this.maxRps);
    if (!(this.maxRps > 0) || !(this.fixedBurst === undefined || this.fixedBurst >= 1)) {
      throw new RangeError(`rate limiter: maxRps must be > 0 and burst >= 1 (got ${this.maxRps}, ${this.fixedBurst})`);
    }
    this.adaptive = o.adaptive ?? true;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? sleep;
    this.rate = this.wMax = this.preCut = this.plannedRate = this.maxRps;
    this.tokens = Number.isFinite(this.rate) ? this.burst : 0;
    this.lastRefill = this.now();
  }

  /** The current fill rate, requests per second (Infinity: no limit yet). */
  get currentRps(): number {
    return this.rate;
  }

  /** The bucket capacity now, requests. */
  get burst(): number {
    return this.fixedBurst ?? Math.max(1, Math.ceil(this.rate * RATE_LIMIT_DEFAULTS.burstSeconds));
  }

  private refill(t: number): void {
    if (Number.isFinite(this.rate) && t > this.lastRefill) {
      const added = Math.max(0, Math.min(this.burst - this.tokens, ((t - this.lastRefill) / 1000) * this.rate));
      this.tokens += added;
      this.credit += added;
    }
    this.lastRefill = Math.max(t, this.lastRefill);
  }

  /**
   * Takes a token now, going into debt if none is left: waiters queue behind the debt (FIFO, no
   * polling). Each waiter sleeps until the bucket has paid its place in the debt; when the rate
   * changes, sleeping waiters are woken to recompute their wait at the new rate, so a cut (or a
   * rise) takes effect at once instead of after the queue drains.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    const t = this.now();
    this.sent.add(t);
    if (!Number.isFinite(this.rate)) return;
    this.refill(t);
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const need = this.credit - this.tokens; // the credit at which this waiter's place is paid
    for (;;) {
      const epoch = this.epoch.signal;
      const wait = Number.isFinite(this.rate) ? ((need - this.credit) / this.rate) * 1000 : 0;
      if (wait <= 0) return;
      try {
        await this.sleep(wait, signal ? AbortSignal.any([signal, epoch]) : epoch);
        return;
      } catch (err) {
        if (signal?.aborted || !epoch.aborted) throw err;
        this.refill(this.now()); // woken by a rate change: what is paid so far, then wait again
      }
    }
  }

  /** Wakes sleeping waiters once the rate moved by more than RESCHEDULE_RATIO from the one they planned with. */
  private rateChanged(): void {
    const a = Math.min(this.plannedRate, this.rate);
    const b = Math.max(this.plannedRate, this.rate);
    if (b <= a * RESCHEDULE_RATIO) return;
    this.plannedRate = this.rate;
    if (this.tokens < 0) {
      this.epoch.abort();
      this.epoch = newEpoch();
    }
  }

  recordThrottle(): void {
    if (!this.adaptive) return;
    const t = this.now();
    this.refill(t);
    const accepted = this.accepted.rate(t);
    if (this.lastThrottle !== undefined && t - this.lastThrottle < THROTTLE_COOLDOWN_MS) {
      // Same episode: only lift the cut if the service turns out to have accepted more than we thought.
      const base = Math.min(this.preCut, accepted);
      if (base > this.wMax) this.cutFrom(base);
      return;
    }
    this.preCut = this.rate;
    // What the service was taking: the successes of the last window (or, if none, what we sent).
    const measured = accepted > 0 ? accepted : this.sent.rate(t);
    const base = Math.min(this.rate, measured > 0 ? measured : this.rate);
    this.cutFrom(Number.isFinite(base) ? base : this.minRps / CUBIC_BETA);
    this.tokens = Math.min(this.tokens, 0); // the service has no room now: no saved burst either
    this.lastThrottle = t;
  }

  private cutFrom(base: number): void {
    this.wMax = base;
    this.rate = Math.min(this.maxRps, Math.max(this.minRps, base * CUBIC_BETA));
    this.rateChanged();
  }

  recordSuccess(): void {
    const t = this.now();
    this.accepted.add(t);
    if (!this.adaptive || this.lastThrottle === undefined || !Number.isFinite(this.rate)) return;
    this.refill(t);
    const k = Math.cbrt((this.wMax * (1 - CUBIC_BETA)) / CUBIC_SCALE);
    const s = (t - this.lastThrottle) / 1000;
    const cubic = CUBIC_SCALE * (s - k) ** 3 + this.wMax;
    this.rate = Math.min(this.maxRps, Math.max(this.rate, this.minRps, cubic));
    this.rateChanged();
  }
}

let shared: TokenBucketRateLimiter | undefined;

/**
 * The per-process limiter every read shares unless given its own. No ceiling by default (adaptive
 * only); env ALIBABA_CLOUD_RDS_MAX_RPS (read once, at first use) sets one, with a burst of one second.
 */
export function sharedRateLimiter(env: NodeJS.ProcessEnv = process.env): RateLimiter {
  if (shared) return shared;
  const raw = env["ALIBABA_CLOUD_RDS_MAX_RPS"];
  const set = raw !== undefined && raw !== "";
  const maxRps = set ? Number(raw) : RATE_LIMIT_DEFAULTS.maxRps;
  if (set && !(Number.isFinite(maxRps) && maxRps > 0)) {
    throw new RdsValidationError([
      failure("ALIBABA_CLOUD_RDS_MAX_RPS", raw, "a positive number of requests per second, e.g. 20"),
    ]);
  }
  return (shared = new TokenBucketRateLimiter({ maxRps }));
}
