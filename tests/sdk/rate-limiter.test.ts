import { expect } from "chai";
import { RdsValidationError } from "../../sdk/errors";
import { sharedRateLimiter, TokenBucketRateLimiter } from "../../sdk/rate-limiter";

/** A fake clock: sleeping advances time, nothing really waits. */
function clock() {
  const c = { t: 0, slept: [] as number[] };
  return {
    c,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
}

describe("sdk/rate-limiter", () => {
  it("lets a burst through, then spaces requests at the rate", async () => {
    const k = clock();
    const l = new TokenBucketRateLimiter({ maxRps: 10, burst: 3, now: k.now, sleep: k.sleep });
    for (let i = 0; i < 3; i++) await l.acquire();
    expect(k.c.slept).to.deep.equal([]);
    await l.acquire();
    expect(k.c.slept).to.have.length(1);
    expect(k.c.slept[0]).to.be.closeTo(100, 1e-6);
  });

  it("queues concurrent waiters behind each other (no polling, no overtaking)", async () => {
    const k = { t: 0 };
    const waits: number[] = [];
    const l = new TokenBucketRateLimiter({
      maxRps: 10,
      burst: 1,
      now: () => k.t,
      sleep: async (ms) => void waits.push(ms),
    });
    await Promise.all([l.acquire(), l.acquire(), l.acquire()]);
    expect(waits.map((w) => Math.round(w))).to.deep.equal([100, 200]);
  });

  it("cuts the rate when throttled and grows it back on success, never above the maximum", () => {
    const k = clock();
    const l = new TokenBucketRateLimiter({ maxRps: 20, now: k.now, sleep: k.sleep });
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(14, 1e-9);
    k.c.t += 50;
    l.recordThrottle(); // inside the cool-down: one signal
    expect(l.currentRps).to.be.closeTo(14, 1e-9);
    k.c.t += 300;
    l.recordThrottle();
    expect(l.currentRps).to.be.closeTo(9.8, 1e-9);
    k.c.t += 1_000;
    l.recordSuccess();
    const mid = l.currentRps;
    expect(mid).to.be.greaterThan(9.8).and.lessThan(14);
    k.c.t += 60_000;
    l.recordSuccess();
    expect(l.currentRps).to.equal(20);
  });

  it("has a floor and a fixed mode", () => {
    const k = clock();
    const l = new TokenBucketRateLimiter({ maxRps: 2, minRps: 0.5, now: k.now, sleep: k.sleep });
    for (let i = 0; i < 20; i++) {
      k.c.t += 1_000;
      l.recordThrottle();
    }
    expect(l.currentRps).to.equal(0.5);
    const fixed = new TokenBucketRateLimiter({ maxRps: 5, adaptive: false });
    fixed.recordThrottle();
    expect(fixed.currentRps).to.equal(5);
  });

  it("sharedRateLimiter is one per process; a bad ALIBABA_CLOUD_RDS_MAX_RPS is refused by name", () => {
    expect(sharedRateLimiter()).to.equal(sharedRateLimiter());
    // the process-wide one exists now, so test the parsing through a fresh module copy
    const path = require.resolve("../../sdk/rate-limiter");
    const saved = require.cache[path];
    delete require.cache[path];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy needs require and its cache
      const fresh = require("../../sdk/rate-limiter") as typeof import("../../sdk/rate-limiter");
      expect(() => fresh.sharedRateLimiter({ ALIBABA_CLOUD_RDS_MAX_RPS: "fast" })).to.throw(
        RdsValidationError,
        /ALIBABA_CLOUD_RDS_MAX_RPS "fast"/,
      );
      expect((fresh.sharedRateLimiter({ ALIBABA_CLOUD_RDS_MAX_RPS: "7" }) as TokenBucketRateLimiter).maxRps).to.equal(
        7,
      );
    } finally {
      require.cache[path] = saved;
    }
  });
});
