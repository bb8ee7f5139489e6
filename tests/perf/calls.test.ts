/**
 * Call counts are correctness, so they are tested (speed is benchmarked: npm run bench).
 * Counted at the emulator, over the official SDK and real HTTP, with the DEFAULT options
 * (concurrency, shared adaptive limiter, default retry policy).
 */
import { expect } from "chai";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { checkFreshBackup, findNewestUsableBackup, iterateBackups, listBackups, paginateBackups } from "../../sdk";

const SIZES = [0, 1, 99, 100, 101, 250, 1_000, 10_001];
const HISTORIES = [10, 1_000, 10_000];

describe("perf: the fewest calls", function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  const opts = () => ({
    endpoint: emu.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
  });
  const counted = async (fn: () => Promise<unknown>): Promise<number> => {
    emu.resetStats();
    await fn();
    return emu.stats.describeBackups;
  };

  before(async () => {
    const data = generateData({
      seed: 3,
      instances: [
        ...SIZES.map((n) => ({ id: `rm-n${n}`, count: n })),
        ...HISTORIES.map((n) => ({ id: `rm-h${n}`, count: n, newestAgeHours: 3 })),
      ],
    });
    emu = await startEmulator({ data, port: 0, host: "127.0.0.1" });
  });
  after(() => emu.close());

  for (const n of SIZES) {
    const want = Math.max(1, Math.ceil(n / 100));
    it(`N=${n}: listBackups, iterateBackups and paginateBackups make exactly ${want} call(s)`, async () => {
      expect(
        await counted(async () =>
          expect((await listBackups({ dbInstanceId: `rm-n${n}` }, opts())).backups).to.have.length(n),
        ),
      ).to.equal(want);
      expect(
        await counted(async () => {
          let seen = 0;
          for await (const b of iterateBackups({ dbInstanceId: `rm-n${n}` }, opts())) if (b.backupId) seen += 1;
          expect(seen).to.equal(n);
        }),
      ).to.equal(want);
      expect(
        await counted(async () => {
          for await (const p of paginateBackups({ dbInstanceId: `rm-n${n}` }, opts()))
            expect(p.backups.length).to.be.at.most(100);
        }),
      ).to.equal(want);
    });
  }

  for (const h of HISTORIES) {
    it(`a history of ${h} sets: the gate and the newest usable backup cost one call each`, async () => {
      let fresh = false;
      expect(
        await counted(
          async () =>
            void (fresh = (await checkFreshBackup({ dbInstanceId: `rm-h${h}`, maxAge: "24h" }, opts())).fresh),
        ),
      ).to.equal(1);
      expect(fresh).to.equal(true);
      expect(
        await counted(async () =>
          expect(await findNewestUsableBackup({ dbInstanceId: `rm-h${h}` }, opts())).not.to.equal(undefined),
        ),
      ).to.equal(1);
      expect(emu.stats.lastParams?.["StartTime"]).to.be.a("string"); // asked for a window, not the history
    });
  }
});
