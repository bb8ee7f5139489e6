import { expect } from "chai";
import { spawnSync } from "node:child_process";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import {
  checkFreshBackup,
  findNewestUsableBackup,
  listBackups,
  newestUsableBackup,
  type Backup,
  type ListOptions,
} from "../../sdk";
import { freshnessMessage } from "../../sdk/freshness";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";
import { REPO_ROOT } from "../../support/repo-root";

function b(id: string, end: string, extra: Partial<Backup> = {}): Backup {
  return {
    backupId: id,
    dbInstanceId: "rm-abc",
    backupStatus: "Success",
    backupStartTime: "2026-11-25T00:00:00Z",
    backupEndTime: end,
    backupType: "FullBackup",
    backupMethod: "Physical",
    backupMode: "Automated",
    backupSize: 1,
    downloadLinksByDatabase: [],
    encryption: {},
    isAvail: true,
    ...extra,
  };
}

describe("sdk/newest and sdk/freshness", () => {
  it("newest usable: Success and available, by end time, never by order; ties by start then id", () => {
    const list = [
      b("1", "2026-11-26T01:00:00Z"),
      b("2", "2026-11-26T05:00:00Z", { backupStatus: "Failed" }),
      b("3", "2026-11-26T04:00:00Z", { isAvail: false }),
      b("4", "2026-11-26T03:00:00Z"),
      b("5", "2026-11-26T02:00:00Z"),
    ];
    expect(newestUsableBackup(list)?.backupId).to.equal("4");
    expect(newestUsableBackup([...list].reverse())?.backupId).to.equal("4");
    expect(newestUsableBackup([])).to.equal(undefined);
    const tie = [
      b("9", "2026-11-26T03:00:00Z"),
      b("10", "2026-11-26T03:00:00Z"),
      b("8", "2026-11-26T03:00:00Z", { backupStartTime: "2026-11-26T00:00:00Z" }),
    ];
    expect(newestUsableBackup(tie)?.backupId).to.equal("8");
    expect(newestUsableBackup(tie.slice(0, 2))?.backupId).to.equal("10");
  });

  it("one message for gate and CLI, naming the backup type judged", () => {
    const base = {
      dbInstanceId: "rm-abc",
      maxAgeSeconds: 86_400,
      checkedAt: "2026-11-27T05:15:00Z",
      backupType: "FullBackup",
    } as const;
    const newest = b("321020562", "2026-11-26T02:10:00Z");
    expect(freshnessMessage({ ...base, fresh: false, newest, ageSeconds: 27 * 3600 + 5 * 60 })).to.equal(
      "rm-abc: newest usable backup 321020562 ended 2026-11-26T02:10:00Z, 27h 5m ago, older than the limit 24h (backupType FullBackup)",
    );
    expect(freshnessMessage({ ...base, fresh: true, newest, ageSeconds: 3 * 3600 })).to.equal(
      "rm-abc: newest usable backup 321020562 ended 2026-11-26T02:10:00Z, 3h ago, within the limit 24h (backupType FullBackup)",
    );
    expect(freshnessMessage({ ...base, fresh: false })).to.equal(
      "rm-abc: no usable backup ended in the last 24h (status Success and available, backupType FullBackup)",
    );
    expect(freshnessMessage({ ...base, fresh: false, backupType: "any", backupMode: "Manual" })).to.match(
      /available, backupType any \(full or incremental\), backupMode Manual\)$/,
    );
  });

  it("importing sdk/index loads neither @alicloud/rds20140815 nor @alicloud/credentials", () => {
    const r = spawnSync(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        "require('./sdk'); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@alicloud'))))",
      ],
      { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" } },
    );
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.deep.equal([]);
  });

  describe("against the emulator", function () {
    this.timeout(60_000);
    let emu: RunningEmulator;
    const o = (): ListOptions => ({
      endpoint: emu.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
      retry: new StandardRetryPolicy({ random: () => 0 }),
    });
    before(async () => {
      const data = generateData({
        seed: 5,
        instances: [
          { id: "rm-fresh", count: 400, engine: "MySQL", newestAgeHours: 3 },
          { id: "rm-old", count: 30, engine: "MySQL", newestAgeHours: 30 },
          { id: "rm-empty", count: 0, engine: "MySQL" },
        ],
      });
      emu = await startEmulator({ data, port: 0 });
    });
    after(async () => emu && emu.close());

    it("fresh: one call whatever the history length, window sent as asked", async () => {
      const before = emu.stats.describeBackups;
      const v = await checkFreshBackup({ dbInstanceId: "rm-fresh", maxAge: "24h" }, o());
      expect(emu.stats.describeBackups - before).to.equal(1);
      expect(emu.stats.lastParams).to.include({ BackupStatus: "Success", BackupType: "FullBackup" });
      expect(emu.stats.lastParams).to.have.keys(
        "DBInstanceId",
        "BackupStatus",
        "BackupType",
        "StartTime",
        "EndTime",
        "PageSize",
        "PageNumber",
      );
      const all = await listBackups({ dbInstanceId: "rm-fresh", backupType: "FullBackup" }, o());
      expect(v.fresh).to.equal(true);
      expect(v.backupType).to.equal("FullBackup");
      expect(v.newest?.backupId).to.equal(newestUsableBackup(all.backups)?.backupId);
      expect(v.ageSeconds).to.be.within(3 * 3600 - 120, 3 * 3600 + 120);
      expect(v.message).to.match(
        /^rm-fresh: newest usable backup \d+ ended .*Z, 3h( \d+m)? ago, within the limit 24h \(backupType FullBackup\)$/,
      );
    });

    it("stale and none: not fresh, with the message saying why", async () => {
      const stale = await checkFreshBackup({ dbInstanceId: "rm-old", maxAge: 86_400 }, o());
      expect(stale.fresh).to.equal(false);
      expect(stale.message).to.match(
        /^rm-old: newest usable backup \d+ ended .*, (29h 5\dm|30h( \dm)?) ago, older than the limit 24h \(backupType FullBackup\)$/,
      );
      const none = await checkFreshBackup({ dbInstanceId: "rm-empty", maxAge: "7d" }, o());
      expect(none).to.include({ fresh: false, maxAgeSeconds: 604_800 });
      expect(none.message).to.equal(
        "rm-empty: no usable backup ended in the last 7d (status Success and available, backupType FullBackup)",
      );
    });

    it("findNewestUsableBackup usually costs one call and agrees with the full list", async () => {
      const before = emu.stats.describeBackups;
      const found = await findNewestUsableBackup({ dbInstanceId: "rm-fresh" }, o());
      expect(emu.stats.describeBackups - before).to.equal(1);
      const all = await listBackups({ dbInstanceId: "rm-fresh" }, o());
      expect(found?.backupId).to.equal(newestUsableBackup(all.backups)?.backupId);
      expect(await findNewestUsableBackup({ dbInstanceId: "rm-empty" }, o())).to.equal(undefined);
    });
  });
});
