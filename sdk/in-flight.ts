/**
 * One cap on HTTP requests in flight per process, shared by every read (like the rate limiter):
 * a request waits for a free slot, first come first served, and holds it only while the SDK
 * sends it and reads the answer (never during a backoff or a rate-limit wait).
 *
 * Why: the rate limiter only slows down once the API throttles, so 200 listings started at once
 * put ~600 requests on the wire together. On a busy machine the answers then queue in this
 * process's event loop until the read time-outs fire, and each time-out costs the shared retry
 * budget: a fleet with no fault at all fails. With a cap, the requests beyond it wait here, where
 * no time-out runs, and each one on the wire gets the CPU it needs to finish in time.
 */
import { RdsValidationError } from "./errors";
import { failure } from "./failure";

export const IN_FLIGHT_DEFAULTS = {
  /**
   * Requests on the wire at once, per process. 16: far above what the API serves per second from
   * one caller at its usual ~50 ms latency (16 / 0.05 s = 320 requests/s), and few enough that a
   * busy 2-core machine answers each well within the read time-out.
   * Env ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT sets another value for the shared cap.
   */
  maxInFlight: 16,
  /** Allowed range of the cap. */
  min: 1,
  max: 1_024,
} as const;

export interface InFlightLimit {
  /** Runs `send` once a slot is free, and frees the slot when it settles. */
  run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

interface Waiter {
  readonly start: () => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
}

export class RequestSlots implements InFlightLimit {
  private active = 0;
  /** FIFO: a waiter leaves it by being started or by its signal aborting. */
  private readonly waiters: Waiter[] = [];

  constructor(readonly maxInFlight: number = IN_FLIGHT_DEFAULTS.maxInFlight) {
    if (
      !Number.isInteger(maxInFlight) ||
      maxInFlight < IN_FLIGHT_DEFAULTS.min ||
      maxInFlight > IN_FLIGHT_DEFAULTS.max
    ) {
      throw new RdsValidationError([
        failure("maxInFlight", maxInFlight, `an integer from ${IN_FLIGHT_DEFAULTS.min} to ${IN_FLIGHT_DEFAULTS.max}`),
      ]);
    }
  }

  /** Requests on the wire now. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.waiters.length;
  }

  async run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await send();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.maxInFlight && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          if (signal && waiter.onAbort) signal.removeEventListener("abort", waiter.onAbort);
          this.active += 1;
          resolve();
        },
        ...(signal
          ? {
              signal,
              onAbort: () => {
                const i = this.waiters.indexOf(waiter);
                if (i >= 0) this.waiters.splice(i, 1);
                reject(signal.reason);
              },
            }
          : {}),
      };
      if (signal && waiter.onAbort) signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(): void {
    this.active -= 1;
    const next = this.waiters.shift();
    if (next) next.start();
  }
}

let shared: RequestSlots | undefined;

/** The per-process cap every read shares unless given its own; env ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT is read once, at first use. */
export function sharedInFlightLimit(env: NodeJS.ProcessEnv = process.env): InFlightLimit {
  return (shared ??= new RequestSlots(maxInFlightFromEnv(env)));
}

/** ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT, checked (the default when unset). */
export function maxInFlightFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env["ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT"];
  const value = raw === undefined || raw === "" ? IN_FLIGHT_DEFAULTS.maxInFlight : Number(raw);
  if (!Number.isInteger(value) || value < IN_FLIGHT_DEFAULTS.min || value > IN_FLIGHT_DEFAULTS.max) {
    throw new RdsValidationError([
      failure(
        "ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT",
        raw,
        `an integer from ${IN_FLIGHT_DEFAULTS.min} to ${IN_FLIGHT_DEFAULTS.max}, e.g. 16`,
      ),
    ]);
  }
  return value;
}
