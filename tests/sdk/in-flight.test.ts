/**
 * The per-process cap on requests in flight: never more than the cap on the wire, first come
 * first served, a waiter that aborts leaves the queue, and the shared cap is configured by
 * ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT (refused by name when wrong). Against the emulator: a fleet
 * of reads never has more requests open at the server than the cap.
 */
import { expect } from "chai";
import { startEmulator } from "../../emulator";
import { listBackups, RdsValidationError } from "../../sdk";
import { IN_FLIGHT_DEFAULTS, RequestSlots, sharedInFlightLimit } from "../../sdk/in-flight";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { maxInFlightFromEnv } from "../../sdk/in-flight";
import { reliabilityData, INSTANCE, KEY_ID, SECRET } from "../reliability/helpers";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("sdk/in-flight (RequestSlots)", () => {
  it("runs at most the cap at once and starts waiters in arrival order", async () => {
    const slots = new RequestSlots(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        peak = Math.max(peak, slots.inFlight);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).to.deep.equal([0, 1]);
    expect(slots.waiting).to.equal(3);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).to.deep.equal([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(runs)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    expect(peak).to.equal(2);
    expect(slots.inFlight).to.equal(0);
  });

  it("frees the slot when the request fails, and a waiter that aborts leaves the queue", async () => {
    const slots = new RequestSlots(1);
    const gate = deferred();
    const first = slots.run(() =>
      gate.promise.then(() => {
        throw new Error("boom");
      }),
    );
    const controller = new AbortController();
    const aborted = slots.run(async () => "never", controller.signal);
    const third = slots.run(async () => "third");
    controller.abort(new Error("stop"));
    await aborted.then(
      () => expect.fail("ran"),
      (e: Error) => expect(e.message).to.equal("stop"),
    );
    expect(slots.waiting).to.equal(1);
    gate.resolve();
    await first.then(
      () => expect.fail("resolved"),
      (e: Error) => expect(e.message).to.equal("boom"),
    );
    expect(await third).to.equal("third");
    expect(slots.inFlight).to.equal(0);
  });

  it("refuses a bad cap by name, in code and in ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT", () => {
    for (const bad of [0, -1, 1.5, 2_000, Number.NaN])
      expect(() => new RequestSlots(bad), String(bad)).to.throw(RdsValidationError, /maxInFlight/);
    expect(() => maxInFlightFromEnv({ ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT: "lots" })).to.throw(
      RdsValidationError,
      /ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT "lots"/,
    );
    expect(maxInFlightFromEnv({ ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT: "64" })).to.equal(64);
    expect(maxInFlightFromEnv({})).to.equal(IN_FLIGHT_DEFAULTS.maxInFlight);
    expect(sharedInFlightLimit()).to.equal(sharedInFlightLimit());
    expect(IN_FLIGHT_DEFAULTS.maxInFlight).to.equal(16);
  });

  it("a read waiting for a slot stops at its signal, and sends nothing", async () => {
    const emu = await startEmulator({ data: reliabilityData(), port: 0 });
    const slots = new RequestSlots(1);
    const held = deferred();
    const holder = slots.run(() => held.promise);
    try {
      const controller = new AbortController();
      const read = listBackups(
        { dbInstanceId: INSTANCE },
        {
          endpoint: emu.url,
          credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
          inFlightLimit: slots,
          rateLimiter: new TokenBucketRateLimiter(),
          signal: controller.signal,
        },
      );
      while (slots.waiting === 0) await new Promise((r) => setImmediate(r));
      controller.abort(new Error("deploy cancelled"));
      await read.then(
        () => expect.fail("resolved"),
        (e: Error) => expect(e.message).to.equal("deploy cancelled"),
      );
      expect(slots.waiting).to.equal(0);
      expect(emu.stats.requests).to.equal(0);
    } finally {
      held.resolve();
      await holder;
      await emu.close();
    }
  });

  it("a fleet of 50 reads never has more requests open at the emulator than the cap", async () => {
    const emu = await startEmulator({ data: reliabilityData(), port: 0 });
    let open = 0;
    let peak = 0;
    emu.onRequest(async () => {
      open++;
      peak = Math.max(peak, open);
      await new Promise((r) => setTimeout(r, 10)); // each answer takes a while: without a cap, all 50 first pages would be open here
      open--;
    });
    try {
      const o = {
        endpoint: emu.url,
        credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
        inFlightLimit: new RequestSlots(4),
        rateLimiter: new TokenBucketRateLimiter(),
      };
      const lists = await Promise.all(Array.from({ length: 50 }, () => listBackups({ dbInstanceId: INSTANCE }, o)));
      expect(lists.every((l) => l.backups.length === 250)).to.equal(true);
      expect(emu.stats.describeBackups).to.equal(150);
      expect(peak).to.be.at.least(1).and.at.most(4);
    } finally {
      await emu.close();
    }
  });
});
