/**
 * Pages that shift while being read (the emulator's onRequest hook edits the data between calls):
 * the result is the correct deduplicated list, or a loud RdsIncompleteListError; never a silent
 * partial list. Also the streaming face (iterateBackups) and the fleet-under-throttling case.
 */
import { expect } from "chai";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type RawBackup,
  type RunningEmulator,
} from "../../emulator";
import { iterateBackups, listBackups, paginateBackups, RdsIncompleteListError, type ListOptions } from "../../sdk";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";

const creds = { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET };
const IDS = ["rm-shift1", "rm-shift2", "rm-shift3", "rm-stream"];

describe("sdk paging while the list changes (emulator)", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let template: RawBackup;
  let nextId = 990_000_000;
  const o = (extra: Partial<ListOptions> = {}): ListOptions => ({
    endpoint: emu.url,
    credentials: creds,
    rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
    retry: new StandardRetryPolicy({ random: () => 0 }),
    ...extra,
  });
  /** A new, newest backup: it sorts first, pushing every other item one place down. */
  const fresh = (instance: string): RawBackup => {
    const now = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      ...template,
      DBInstanceId: instance,
      BackupId: String(nextId++),
      BackupStartTime: now,
      BackupEndTime: now,
    };
  };
  const idsNow = async (instance: string): Promise<string[]> =>
    (await listBackups({ dbInstanceId: instance }, o())).backups.map((b) => b.backupId).sort();

  before(async () => {
    const data = generateData({ seed: 11, instances: IDS.map((id) => ({ id, count: 250, engine: "MySQL" as const })) });
    template = data.instances["rm-shift1"]!.backups[0]!;
    emu = await startEmulator({ data, port: 0 });
  });
  after(async () => emu && emu.close());

  it("an insertion between pages: re-read, correct deduplicated list", async () => {
    const off = emu.onRequest((_p, n) => void (n === 2 && emu.addBackup("rm-shift1", fresh("rm-shift1"))));
    const before = emu.stats.describeBackups;
    const list = await listBackups({ dbInstanceId: "rm-shift1" }, o({ concurrency: 1 }));
    off();
    expect(emu.stats.describeBackups - before).to.equal(6);
    expect(list.calls).to.equal(6);
    expect(list.backups).to.have.length(251);
    expect(list.backups.map((b) => b.backupId).sort()).to.deep.equal(await idsNow("rm-shift1"));
  });

  it("a deletion between pages (which would silently skip one backup): re-read, correct list", async () => {
    const victim = (await listBackups({ dbInstanceId: "rm-shift2" }, o())).backups[0]!.backupId;
    const off = emu.onRequest((_p, n) => void (n === 2 && emu.removeBackup("rm-shift2", victim)));
    const list = await listBackups({ dbInstanceId: "rm-shift2" }, o());
    off();
    expect(list.backups).to.have.length(249);
    expect(list.backups.map((b) => b.backupId).sort()).to.deep.equal(await idsNow("rm-shift2"));
  });

  it("a list that never holds still: a loud RdsIncompleteListError after the re-reads, bounded calls", async () => {
    const off = emu.onRequest(() => void emu.addBackup("rm-shift3", fresh("rm-shift3")));
    const before = emu.stats.describeBackups;
    let err: unknown;
    try {
      await listBackups({ dbInstanceId: "rm-shift3" }, o({ maxRereads: 2 }));
    } catch (e) {
      err = e;
    }
    off();
    expect(err).to.be.instanceOf(RdsIncompleteListError);
    expect((err as Error).message).to.match(/rm-shift3: the backup list changed .* after 3 full reads/);
    expect(emu.stats.describeBackups - before).to.be.at.most(3 * 4);
  });

  it("a total that disagrees with the items: refused, never a partial list", async () => {
    // its own emulator: scripted faults outlive the test that queued them
    const own = await startEmulator({
      data: generateData({ seed: 3, instances: [{ id: "rm-shift4", count: 250, engine: "MySQL" }] }),
      port: 0,
    });
    own.injectFaults([{ kind: "totalMismatch", times: 1_000 }]);
    let err: unknown;
    try {
      await listBackups({ dbInstanceId: "rm-shift4" }, { ...o(), endpoint: own.url, maxRereads: 1 });
    } catch (e) {
      err = e;
    } finally {
      await own.close();
    }
    expect(err).to.be.instanceOf(RdsIncompleteListError);
  });

  it("iterateBackups streams each backup once, picking up insertions by re-reading", async () => {
    const off = emu.onRequest((_p, n) => void (n === 3 && emu.addBackup("rm-stream", fresh("rm-stream"))));
    const seen: string[] = [];
    for await (const b of iterateBackups({ dbInstanceId: "rm-stream" }, o({ concurrency: 1 }))) seen.push(b.backupId);
    off();
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen.sort()).to.deep.equal(await idsNow("rm-stream"));
  });

  it("stopping early costs only the pages asked for", async () => {
    const before = emu.stats.describeBackups;
    for await (const b of iterateBackups({ dbInstanceId: "rm-stream" }, o())) if (b) break;
    expect(emu.stats.describeBackups - before).to.equal(1);
    const pages = [];
    for await (const p of paginateBackups({ dbInstanceId: "rm-stream" }, o({ concurrency: 2 })))
      pages.push(p.pageNumber);
    expect(pages).to.deep.equal([1, 2, 3]);
  });

  it("a fleet of 200 reads against a service throttling at 50 rps finishes with no error", async () => {
    emu.setFaults({ throttleRps: 50, throttleBurst: 50 });
    const limiter = new TokenBucketRateLimiter({ maxRps: 100, burst: 100 });
    const retry = new StandardRetryPolicy();
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          listBackups({ dbInstanceId: "rm-stream", backupId: template.BackupId }, o({ rateLimiter: limiter, retry })),
        ),
      );
      expect(results).to.have.length(200);
      expect(limiter.currentRps).to.be.at.most(100);
    } finally {
      emu.setFaults({});
    }
  });
});
