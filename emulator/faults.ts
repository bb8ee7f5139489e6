import { Rng } from "./rng";
import { TokenBucket } from "./token-bucket";

/**
 * Failures a test can ask for. Answers: `throttle` (400 Throttling.User), `internalError` (500),
 * `serviceUnavailable` (503), `html502` (502 text/html), `emptyBody` (an error status, no body).
 * The log backup calls: `wrongType` makes `FileSize`, `RecoveryEndTime` or `BackupRetentionPeriod`
 * a word; `rewrite`'s `setEachItem` applies to `Items.BinLogFile[]` too.
 * Sockets: `drop` (destroyed before any byte), `reset` (headers and half the body, then
 * destroyed). Time: `latency` (answer late), `slow` (answer later than a client time-out).
 * Bodies of a 200: `truncatedJson` (complete HTTP message, half a JSON text), `wrongType`
 * (the first set's BackupSize is a non-numeric string), `totalMismatch` (TotalRecordCount
 * disagrees with the items), `rewrite` (well-typed values that answer another question: `set`
 * replaces top-level fields, then `setEachItem` fields of every item).
 */
export const FAULT_KINDS = [
  "latency",
  "throttle",
  "internalError",
  "serviceUnavailable",
  "drop",
  "reset",
  "slow",
  "html502",
  "emptyBody",
  "truncatedJson",
  "wrongType",
  "totalMismatch",
  "rewrite",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One scripted fault: applies to the next `times` requests (default 1), after those queued before it. */
export interface ScriptedFault {
  kind: FaultKind;
  times?: number;
  /** `latency`/`slow`: the delay, ms (defaults: 1000 / `slowMs`). */
  ms?: number;
  /** `throttle`: sends `x-acs-retry-after` with this many ms (the SDK reads the header as ms). */
  retryAfterMs?: number;
  /** `emptyBody`: the status (default 404). */
  status?: number;
  /** `rewrite`: top-level fields of the success body to replace, e.g. `{ TotalRecordCount: "999999999" }`. */
  set?: Record<string, unknown>;
  /** `rewrite`: fields to replace in every `Items.Backup[]` (or `Items.BinLogFile[]`) element, e.g. `{ DBInstanceId: "rm-other" }`. */
  setEachItem?: Record<string, unknown>;
}

/** Faults that happen on their own, at configured rates, reproducibly for one seed. */
export interface FaultOptions {
  /** Seeds the draws of `rates` (default 1). */
  seed?: number;
  /** Added to every answer, ms. */
  latencyMs?: number;
  /** Throttle above this many requests per second (token bucket); 0/undefined = never. */
  throttleRps?: number;
  /** Bucket size (default: max(1, throttleRps)). */
  throttleBurst?: number;
  /** Send `x-acs-retry-after` (ms until the next token) with bucket throttling. Default true. */
  throttleRetryAfter?: boolean;
  /** Delay of a `slow` answer, ms. Default 15000 (beyond the SDK's 3 s default time-out). */
  slowMs?: number;
  /** Probability (0..1) per request of each kind; the sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
}

/** What the pipeline must do to one request. */
export interface FaultDecision {
  delayMs: number;
  fault?: ScriptedFault;
}

/** Decides, per authenticated request, which fault (if any) applies: script first, then bucket, then rates. */
export class FaultController {
  private options: FaultOptions = {};
  private rng = new Rng(1);
  private bucket: TokenBucket | undefined;
  private readonly script: Array<Required<Pick<ScriptedFault, "times">> & ScriptedFault> = [];

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  set(options: FaultOptions): void {
    const sum = Object.values(options.rates ?? {}).reduce((a, b) => a + (b ?? 0), 0);
    if (sum > 1) throw new Error(`faults.rates add up to ${sum}; at most 1`);
    for (const kind of Object.keys(options.rates ?? {}))
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`faults.rates: unknown kind ${kind}`);
    this.options = { ...options };
    this.rng = new Rng(options.seed ?? 1);
    const rps = options.throttleRps ?? 0;
    this.bucket = rps > 0 ? new TokenBucket(rps, options.throttleBurst ?? Math.max(1, rps)) : undefined;
  }

  inject(faults: readonly ScriptedFault[]): void {
    for (const f of faults) {
      if (!(FAULT_KINDS as readonly string[]).includes(f.kind))
        throw new Error(`injectFaults: unknown kind ${String(f.kind)}`);
      this.script.push({ ...f, times: f.times ?? 1 });
    }
  }

  /** Scripted faults not yet used. */
  pending(): number {
    return this.script.reduce((n, f) => n + f.times, 0);
  }

  next(): FaultDecision {
    const base = this.options.latencyMs ?? 0;
    const head = this.script[0];
    if (head) {
      head.times -= 1;
      if (head.times <= 0) this.script.shift();
      return this.withDelay(base, head);
    }
    if (this.bucket) {
      const taken = this.bucket.take();
      if (!taken.ok) {
        const retryAfterMs = this.options.throttleRetryAfter === false ? undefined : taken.retryAfterMs;
        return {
          delayMs: base,
          fault: retryAfterMs === undefined ? { kind: "throttle" } : { kind: "throttle", retryAfterMs },
        };
      }
    }
    // One draw per request whatever the rates: the sequence depends on the seed alone.
    let r = this.rng.next();
    for (const kind of FAULT_KINDS) {
      const rate = this.options.rates?.[kind] ?? 0;
      if (r < rate) return this.withDelay(base, { kind });
      r -= rate;
    }
    return { delayMs: base };
  }

  private withDelay(base: number, fault: ScriptedFault): FaultDecision {
    if (fault.kind === "latency") return { delayMs: base + (fault.ms ?? 1000), fault };
    if (fault.kind === "slow") return { delayMs: base + (fault.ms ?? this.options.slowMs ?? 15000), fault };
    return { delayMs: base, fault };
  }
}
