/**
 * Load on a busy machine: 200 concurrent listBackups of one 250-set instance (600 requests) with
 * the process defaults (shared limiter and in-flight cap, a default retry policy), while one busy
 * loop per core keeps the machine loaded, as other jobs do on a shared CI runner. With no fault,
 * every read must succeed (before the in-flight cap, 28-119 of 200 did: the rest timed out and
 * drained the retry budget); with faults, every read is exactly right or fails loudly.
 *
 * Runs with `npm run test:load` (about a minute; `npm test` leaves it out). The busy loops end by
 * themselves after BUSY_MS and are killed when the suite ends.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import { startEmulator, type FaultOptions, type RunningEmulator } from "../../emulator";
import { listBackups, RdsApiError, RdsBackupsError } from "../../sdk";
import { StandardRetryPolicy } from "../../sdk/retry";
import { INSTANCE, KEY_ID, reliabilityData, SECRET } from "../reliability/helpers";

const READS = 200;
const BACKUPS = 250;
const BUSY_MS = 240_000;

function busyLoops(): ChildProcess[] {
  return os.cpus().map(() =>
    spawn(process.execPath, ["-e", `const end = Date.now() + ${BUSY_MS}; while (Date.now() < end);`], {
      stdio: "ignore",
    }),
  );
}

describe("load: 200 concurrent reads while every core is busy", function () {
  this.timeout(BUSY_MS);
  let loops: ChildProcess[] = [];
  let emu: RunningEmulator | undefined;
  before(() => (loops = busyLoops()));
  after(async () => {
    for (const c of loops) if (c.exitCode === null) c.kill("SIGKILL");
    await emu?.close();
  });

  const phases: Array<{ name: string; faults: FaultOptions; allOk: boolean }> = [
    { name: "no fault", faults: {}, allOk: true },
    {
      name: "8% faults (500, 503, drops, resets, truncated bodies)",
      faults: {
        seed: 21,
        rates: { internalError: 0.03, serviceUnavailable: 0.02, drop: 0.01, reset: 0.01, truncatedJson: 0.01 },
      },
      allOk: false,
    },
  ];
  for (const phase of phases)
    it(`${phase.name}: ${phase.allOk ? "all 200 reads succeed" : "every read exactly right or a loud error"}`, async () => {
      await emu?.close();
      emu = await startEmulator({ data: reliabilityData(), port: 0, faults: phase.faults });
      const options = {
        endpoint: emu.url,
        credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
        retry: new StandardRetryPolicy(),
      };
      const results = await Promise.allSettled(
        Array.from({ length: READS }, () => listBackups({ dbInstanceId: INSTANCE }, options)),
      );
      const ok = results.filter(
        (r) => r.status === "fulfilled" && r.value.backups.length === BACKUPS && r.value.totalRecordCount === BACKUPS,
      ).length;
      const wrong = results.filter((r) => r.status === "fulfilled" && r.value.backups.length !== BACKUPS).length;
      const failures: Record<string, number> = {};
      const unexpected: unknown[] = [];
      for (const r of results) {
        if (r.status === "fulfilled") continue;
        if (r.reason instanceof RdsBackupsError) {
          const code = r.reason instanceof RdsApiError ? r.reason.code : r.reason.name;
          failures[code] = (failures[code] ?? 0) + 1;
        } else unexpected.push(r.reason);
      }
      console.log(
        `      ${phase.name}: ${ok}/${READS} ok, ${wrong} wrong, failures ${JSON.stringify(failures)}, ${emu.stats.requests} requests, load ${os.loadavg()[0]?.toFixed(1)}`,
      );
      expect(unexpected, String(unexpected[0])).to.deep.equal([]);
      expect(wrong, "never a partial list").to.equal(0);
      if (phase.allOk) expect(failures, "no failure without a fault").to.deep.equal({});
      expect(ok + Object.values(failures).reduce((a, b) => a + b, 0)).to.equal(READS);
    });
});
