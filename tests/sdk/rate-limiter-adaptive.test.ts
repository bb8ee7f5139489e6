/**
 * The adaptive limiter against a simulated service (a token bucket of its own) on a fake clock:
 * full speed until throttled, then the service's rate, found quickly and held.
 */
import { expect } from "chai";
import { CUBIC_BETA, RATE_LIMIT_DEFAULTS, TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";

/** Virtual time: sleeps are timers on a fake clock, run in order; nothing really waits. */
class VirtualTime {
  t = 0;
  private timers: Array<{ at: number; fire: () => void }> = [];
  readonly now = (): number => this.t;
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: this.t + Math.max(0, ms), fire: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  /** Fires timers in time order (letting every promise settle in between) until `end`. */
  async run(end: number): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.timers.length === 0) return;
      let i = 0;
      for (let j = 1; j < this.timers.length; j++) if (this.timers[j]!.at < this.timers[i]!.at) i = j;
      const next = this.timers[i]!;
      if (next.at >= end) return;
      this.timers.splice(i, 1);
      this.t = next.at;
      next.fire();
    }
  }
}

/**
 * `clients` callers each acquire, send, wait for the answer and go again; a throttled caller
 * backs off first (full jitter up to 500 ms, as retry.ts does). The service is a token bucket.
 */
async function simulate(opts: {
  serviceRps: number;
  serviceBurst: number;
  clients: number;
  seconds: number;
  latencyMs: number;
  maxRps?: number;
}) {
  const vt = new VirtualTime();
  const limiter = new TokenBucketRateLimiter({
    now: vt.now,
    sleep: vt.sleep,
    ...(opts.maxRps ? { maxRps: opts.maxRps } : {}),
  });
  let tokens = opts.serviceBurst;
  let last = 0;
  const take = (t: number): boolean => {
    tokens = Math.min(opts.serviceBurst, tokens + ((t - last) / 1000) * opts.serviceRps);
    last = t;
    if (tokens >= 1) return ((tokens -= 1), true);
    return false;
  };
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const end = opts.seconds * 1000;
  const r = { ok: 0, throttled: 0, okAt: [] as number[], limiter, vt };
  const client = async (): Promise<void> => {
    while (vt.t < end) {
      await limiter.acquire();
      const accepted = take(vt.t);
      await vt.sleep(opts.latencyMs);
      if (accepted) {
        r.ok += 1;
        r.okAt.push(vt.t);
        limiter.recordSuccess();
      } else {
        r.throttled += 1;
        limiter.recordThrottle();
        await vt.sleep(Math.floor(random() * 500));
      }
    }
  };
  for (let i = 0; i < opts.clients; i++) void client();
  await vt.run(end);
  return r;
}

describe("sdk/rate-limiter (adaptive, fake clock)", () => {
  it("has no limit until the service throttles: full speed", async () => {
    const t = { now: 0 };
    const slept: number[] = [];
    const l = new TokenBucketRateLimiter({ now: () => t.now, sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 1_000; i++) await l.acquire();
    expect(slept).to.deep.equal([]);
    expect(l.currentRps).to.equal(Infinity);
    expect(RATE_LIMIT_DEFAULTS.maxRps).to.equal(Infinity);
  });

  it("first throttle: cuts to beta times the rate the service accepted in the last second", () => {
    const t = { now: 0 };
    const l = new TokenBucketRateLimiter({ now: () => t.now, sleep: async () => undefined });
    for (let i = 0; i < 50; i++) {
      void l.acquire();
      l.recordSuccess();
    }
    t.now = 10;
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(50 * CUBIC_BETA, 1e-9);
    // more successes seen in the same burst of throttles lift the cut, never lower it
    for (let i = 0; i < 10; i++) l.recordSuccess();
    t.now = 20;
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(60 * CUBIC_BETA, 1e-9);
    t.now = 30;
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(60 * CUBIC_BETA, 1e-9);
  });

  it("throttled with no success at all: cuts from what was sent, down to the floor if it must", () => {
    const t = { now: 0 };
    const l = new TokenBucketRateLimiter({ now: () => t.now, sleep: async () => undefined });
    for (let i = 0; i < 30; i++) void l.acquire();
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(30 * CUBIC_BETA, 1e-9);
    for (let i = 0; i < 40; i++) {
      t.now += 1_000;
      l.recordThrottle();
    }
    expect(l.currentRps).to.equal(RATE_LIMIT_DEFAULTS.minRps);
  });

  it("converges to a 50 rps service with 200 callers: over 85% of its rate, few throttles", async () => {
    const r = await simulate({ serviceRps: 50, serviceBurst: 50, clients: 200, seconds: 60, latencyMs: 50 });
    const steady = r.okAt.filter((t) => t >= 10_000).length / 50; // successes per second after 10 s
    expect(steady)
      .to.be.greaterThan(0.85 * 50)
      .and.at.most(50.5);
    expect(r.throttled).to.be.lessThan(0.1 * r.ok + 200); // the first burst, then rare probes
  });

  it("converges to a 5 rps service too, and runs at full speed again when the limit goes away", async () => {
    const r = await simulate({ serviceRps: 5, serviceBurst: 5, clients: 20, seconds: 60, latencyMs: 50 });
    const steady = r.okAt.filter((t) => t >= 10_000).length / 50;
    expect(steady)
      .to.be.greaterThan(0.8 * 5)
      .and.at.most(5.2);
    // the service lifts its limit: the rate grows back without bound (no ceiling configured)
    const l = r.limiter;
    r.vt.t += 30_000;
    l.recordSuccess();
    expect(l.currentRps).to.be.greaterThan(1_000);
  });

  it("a ceiling (maxRps / ALIBABA_CLOUD_RDS_MAX_RPS) is never exceeded", async () => {
    const r = await simulate({
      serviceRps: 1_000,
      serviceBurst: 1_000,
      clients: 50,
      seconds: 10,
      latencyMs: 10,
      maxRps: 20,
    });
    expect(r.ok / 10).to.be.at.most(20 + 2); // 20 per second plus the first burst of 20
    expect(r.throttled).to.equal(0);
  });

  it("throttling retries cost little of the retry budget; the limiter paces them, 4xx are never retried", () => {
    const p = new StandardRetryPolicy({ random: () => 0 });
    for (let i = 0; i < 150; i++)
      expect(p.refreshToken(p.acquireToken(0), { errorClass: "THROTTLING" }, 0)).not.to.equal(undefined);
    expect(p.availableBudget).to.equal(500 - 150);
    expect(
      p.refreshToken(p.acquireToken(0), { errorClass: "CLIENT_ERROR", code: "InvalidDBInstanceId.NotFound" }, 0),
    ).to.equal(undefined);
  });
});
