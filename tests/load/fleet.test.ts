/**
 * Load: one process reads 1,000 instances (one to three pages each) through the process defaults
 * (shared adaptive rate limiter, the default retry policy and its budget), while the emulator
 * throttles above a rate and fails a share of requests (500, 503, dropped connections, truncated
 * bodies). Every read must either return exactly the instance's backups or fail loudly with an
 * error of ours (each counted); the heap stays bounded; no socket or timer is left behind.
 *
 * Runs with `npm run test:load` (a couple of minutes; `npm test` leaves it out).
 * Figures: RELIABILITY_REPORT=<file>, and always a one-line summary on stdout.
 */
import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { EmulatorData, RawBackup } from "../../emulator/types";
import { listBackups, RdsApiError, RdsBackupsError } from "../../sdk";
import { StandardRetryPolicy } from "../../sdk/retry";
import { Figures } from "../reliability/helpers";
import { rawBackup } from "../provider/fixtures";

const INSTANCES = 1_000;
const WORKERS = 32;
const KEY_ID = "LTAI5tLoadKey01";
const SECRET = "load-secret-Xy9";

function sizeOf(i: number): number {
  return i % 20 === 0 ? 150 + (i % 7) * 10 : i % 7 === 0 ? 101 : 3 + (i % 40);
}

function fleet(now = Date.now()): EmulatorData {
  const instances: EmulatorData["instances"] = {};
  for (let i = 0; i < INSTANCES; i++) {
    const id = `rm-load${String(i).padStart(4, "0")}`;
    const backups: RawBackup[] = Array.from({ length: sizeOf(i) }, (_, j) =>
      rawBackup(String(1_000_000 + i * 1_000 + j), 1 + j, { DBInstanceId: id }, now),
    );
    instances[id] = { regionId: "cn-hangzhou", backups };
  }
  return { accessKeys: { [KEY_ID]: SECRET }, instances };
}

function sockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "TCPWRAP").length;
}

describe("load: 1,000 instances, throttling and failures, one process", function () {
  this.timeout(180_000);
  let emu: RunningEmulator;
  after(async () => emu?.close());

  const PHASES = [
    {
      name: "8% failures + throttling above 150 rps",
      minOk: 0.9,
      faults: {
        seed: 11,
        throttleRps: 150,
        throttleBurst: 40,
        rates: { internalError: 0.03, serviceUnavailable: 0.02, drop: 0.01, reset: 0.01, truncatedJson: 0.01 },
      },
    },
    {
      name: "45% failures (an outage) + throttling above 150 rps",
      minOk: 0,
      faults: {
        seed: 12,
        throttleRps: 150,
        throttleBurst: 40,
        rates: { internalError: 0.25, serviceUnavailable: 0.15, drop: 0.05 },
      },
    },
  ];
  for (const phase of PHASES)
    it(`${phase.name}: every read completes correctly or fails loudly; bounded heap; nothing left pending`, async () => {
      const figures = new Figures(`Load (1,000 instances): ${phase.name}`, ["figure", "value"]);
      const baseSockets = sockets();
      emu = await startEmulator({ data: fleet(), port: 0, faults: phase.faults });
      const retry = new StandardRetryPolicy();
      const options = { endpoint: emu.url, credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET }, retry };
      const ids = Array.from({ length: INSTANCES }, (_, i) => `rm-load${String(i).padStart(4, "0")}`);
      let ok = 0;
      let wrong = 0;
      const failures: Record<string, number> = {};
      const unexpected: unknown[] = [];
      let peakHeap = 0;
      const heapStart = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 50);
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (next < ids.length) {
            const i = next++;
            try {
              const list = await listBackups({ dbInstanceId: ids[i] as string }, options);
              if (
                list.backups.length === sizeOf(i) &&
                list.totalRecordCount === sizeOf(i) &&
                new Set(list.backups.map((b) => b.backupId)).size === sizeOf(i)
              )
                ok++;
              else wrong++;
            } catch (err) {
              if (err instanceof RdsBackupsError) {
                const code = err instanceof RdsApiError ? err.code : err.name;
                failures[code] = (failures[code] ?? 0) + 1;
              } else unexpected.push(err);
            }
          }
        }),
      );
      const elapsed = Date.now() - started;
      clearInterval(sampler);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      const stats = emu.stats;
      await emu.close();
      await new Promise((r) => setTimeout(r, 300));
      const leftSockets = sockets() - baseSockets;
      const failed = Object.values(failures).reduce((a, b) => a + b, 0);
      const rows: Array<[string, string | number]> = [
        ["instances read", INSTANCES],
        ["workers", WORKERS],
        ["complete and correct", ok],
        ["wrong (partial or stale presented as complete)", wrong],
        [
          "failed loudly",
          `${failed} (${
            Object.entries(failures)
              .map(([c, n]) => `${c} ${n}`)
              .join(", ") || "none"
          })`,
        ],
        ["unexpected errors (not RdsBackupsError)", unexpected.length],
        ["HTTP requests", stats.requests],
        [
          "faults injected",
          Object.entries(stats.faults)
            .map(([k, n]) => `${k} ${n}`)
            .join(", "),
        ],
        ["elapsed", `${(elapsed / 1000).toFixed(1)} s`],
        ["heap at start / peak", `${(heapStart / 2 ** 20).toFixed(0)} MB / ${(peakHeap / 2 ** 20).toFixed(0)} MB`],
        ["retry budget left (of 500)", retry.availableBudget],
        ["sockets left open after close", leftSockets],
      ];
      for (const [figure, value] of rows) figures.add({ figure, value });
      figures.flush();
      console.log(`      load: ${rows.map(([k, v]) => `${k}: ${v}`).join("; ")}`);

      expect(unexpected, String(unexpected[0])).to.deep.equal([]);
      expect(wrong, "never a partial list presented as complete").to.equal(0);
      expect(ok + failed).to.equal(INSTANCES);
      expect(ok, "reads get through the faults").to.be.at.least(INSTANCES * phase.minOk);
      expect(peakHeap - heapStart, "heap growth bounded").to.be.below(300 * 2 ** 20);
      expect(leftSockets, "no socket left").to.be.at.most(0);
    });
});
