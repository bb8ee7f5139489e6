import { expect } from "chai";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { RdsImplausibleAnswerError, RdsValidationError, type ListOptions } from "../../sdk";
import { checkRecoverable, describeBackupPolicy, describeRestoreWindow, listLogFiles } from "../../sdk/internal";
import { logChain } from "../../sdk/recoverability";
import { StandardRetryPolicy } from "../../sdk/retry";
import type { LogFile } from "../../sdk/types";

const HOUR = 3600_000;
const HEALTHY = "rm-pitr0001";
const GAP = "rm-pitr0002";
const OFF = "rm-pitr0003";
const STALE = "rm-pitr0004";
const MSSQL = "rm-pitr0005";
const SWITCHED = "pgm-pitr0006";
const MANY = "rm-pitr0007";

describe("sdk: checkRecoverable (point-in-time restore) against the emulator", () => {
  let emu: RunningEmulator;
  let options: ListOptions;
  let now: number;
  before(async () => {
    now = Date.now();
    const data = generateData({
      seed: 7,
      now,
      instances: [
        { id: HEALTHY, engine: "MySQL", count: 20, logChain: {} },
        { id: GAP, engine: "MySQL", count: 20, logChain: { gaps: [{ fromHoursAgo: 2, toHoursAgo: 1.5 }] } },
        { id: OFF, engine: "MariaDB", count: 20, logBackup: false },
        { id: STALE, engine: "MySQL", count: 20, logChain: { lagMinutes: 120 } },
        { id: MSSQL, engine: "SQLServer", count: 20 },
        { id: SWITCHED, engine: "PostgreSQL", count: 20, logChain: { hostSwitchesHoursAgo: [30, 2] } },
        { id: MANY, engine: "MySQL", count: 20, logChain: { fileMinutes: 10 } },
      ],
    });
    emu = await startEmulator({ data });
    options = {
      endpoint: emu.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      retry: new StandardRetryPolicy({ maxAttempts: 2, baseDelayMs: 1, throttlingBaseDelayMs: 1 }),
    };
  });
  after(() => emu.close());
  beforeEach(() => emu.resetStats());

  it("passes a healthy chain: log backup on, a full set, a window and files reaching now within 15m", async () => {
    const v = await checkRecoverable({ dbInstanceId: HEALTHY, recoverableWithin: "15m" }, options);
    expect(v.failures).to.deep.equal([]);
    expect(v.recoverable).to.equal(true);
    expect(v.engine).to.equal("MySQL");
    expect(v.policy).to.include({ logBackupEnabled: true, backupRetentionDays: 7, logBackupRetentionDays: 7 });
    expect(v.gaps).to.deep.equal([]);
    expect(now - Date.parse(v.chainEnd!)).to.be.within(4 * 60_000, 6 * 60_000);
    expect(v.message).to.match(/^rm-pitr0001: point-in-time restore to .* within 15m: possible from full backup \d+/);
    // Links are opt-in: none unless asked.
    expect(v.logFiles!.length).to.be.above(0);
    expect(v.logFiles!.some((f) => f.downloadLink !== undefined)).to.equal(false);
    expect(emu.stats.byAction).to.include({ DescribeBackupPolicy: 1, DescribeLocalAvailableRecoveryTime: 1 });
  });

  it("stops a gap in the chain, naming its bounds", async () => {
    const v = await checkRecoverable({ dbInstanceId: GAP, recoverableWithin: "15m" }, options);
    expect(v.recoverable).to.equal(false);
    expect(v.failures.map((f) => f.condition)).to.deep.equal(["logChain"]);
    expect(v.gaps).to.have.length(1);
    const gap = v.gaps[0]!;
    expect((now - Date.parse(gap.from)) / HOUR).to.be.within(2, 2.2);
    expect(gap.seconds).to.be.within(3600, 2 * 3600);
    expect(v.failures[0]!.message).to.contain(`has a gap from ${gap.from} to ${gap.to}`);
    // A point before the gap is still reachable.
    const before = await checkRecoverable(
      { dbInstanceId: GAP, recoverableWithin: "15m", pointInTime: new Date(now - 2.5 * HOUR).toISOString() },
      options,
    );
    expect(before.failures).to.deep.equal([]);
  });

  it("stops log backup off, naming the policy field and value", async () => {
    const v = await checkRecoverable({ dbInstanceId: OFF, recoverableWithin: "15m" }, options);
    expect(v.recoverable).to.equal(false);
    expect(v.failures.map((f) => f.condition)).to.include("logBackup");
    expect(v.failures.find((f) => f.condition === "logBackup")!.message).to.contain("BackupLog Disabled");
    expect(emu.stats.byAction.DescribeBinlogFiles ?? 0).to.equal(0);
  });

  it("stops a window and a chain that end too long ago, naming the end and its age", async () => {
    const v = await checkRecoverable({ dbInstanceId: STALE, recoverableWithin: "15m" }, options);
    expect(v.recoverable).to.equal(false);
    const window = v.failures.find((f) => f.condition === "restoreWindow")!;
    expect(window.message).to.contain(`the restore window ends at ${v.window!.end}, 2h`);
    expect(window.message).to.contain("more than recoverableWithin 15m");
    expect(v.failures.find((f) => f.condition === "logChain")!.message).to.match(/ends at .*, 2h.* before the point/);
    // Within a 3h lag the same instance passes.
    expect((await checkRecoverable({ dbInstanceId: STALE, recoverableWithin: "3h" }, options)).recoverable).to.equal(
      true,
    );
  });

  it("stops a retention below the minimum, naming the field, its value and the minimum", async () => {
    const v = await checkRecoverable(
      { dbInstanceId: HEALTHY, recoverableWithin: "15m", minRetentionDays: 30, minLogRetentionDays: 7 },
      options,
    );
    expect(v.failures).to.deep.equal([
      { condition: "retention", message: "BackupRetentionPeriod is 7 days, below minRetentionDays 30" },
    ]);
  });

  it("says plainly that SQL Server cannot be checked, and never passes it", async () => {
    const v = await checkRecoverable({ dbInstanceId: MSSQL, recoverableWithin: "1d" }, options);
    expect(v.recoverable).to.equal(false);
    expect(v.failures.map((f) => f.condition)).to.deep.equal(["engine"]);
    expect(v.failures[0]!.message).to.match(/^SQLServer: the restore window and the log chain cannot be checked/);
    expect(emu.stats.byAction.DescribeBinlogFiles ?? 0).to.equal(0);
    expect(emu.stats.byAction.DescribeLocalAvailableRecoveryTime ?? 0).to.equal(0);
  });

  it("follows the chain across HA switch-overs (two nodes)", async () => {
    const v = await checkRecoverable({ dbInstanceId: SWITCHED, recoverableWithin: "15m" }, options);
    expect(new Set(v.logFiles!.map((f) => f.hostInstanceId)).size).to.equal(2);
    expect(v.recoverable).to.equal(true);
  });

  it("lists log files in ceil(N/100) calls, every page once, links only when asked", async () => {
    const range = { dbInstanceId: MANY, startTime: new Date(now - 7 * 24 * HOUR), endTime: new Date(now) };
    const list = await listLogFiles(range, options);
    expect(list.totalRecordCount).to.equal(7 * 24 * 6);
    expect(list.files).to.have.length(list.totalRecordCount);
    expect(list.calls).to.equal(Math.ceil(list.totalRecordCount / 100));
    expect(emu.stats.byAction.DescribeBinlogFiles).to.equal(list.calls);
    expect(emu.stats.lastParams).to.equal(undefined); // DescribeBackups' only: none was made
    for (let i = 1; i < list.files.length; i++)
      expect(Date.parse(list.files[i]!.beginTime)).to.be.at.least(Date.parse(list.files[i - 1]!.beginTime));
    expect(list.files.every((f) => f.downloadLink === undefined)).to.equal(true);
    const withLinks = await listLogFiles(range, { ...options, includeDownloadUrls: true });
    expect(withLinks.files.every((f) => /Signature=/.test(f.downloadLink ?? ""))).to.equal(true);
  });

  it("reads the policy and the window on their own", async () => {
    const policy = await describeBackupPolicy({ dbInstanceId: MSSQL }, options);
    expect(policy).to.include({ logBackupEnabled: true, logBackupFrequency: "LogInterval" });
    expect(policy.preferredBackupPeriod).to.have.length(7);
    const window = await describeRestoreWindow({ dbInstanceId: HEALTHY }, options);
    expect(Date.parse(window.begin!)).to.be.below(Date.parse(window.end!));
  });

  describe("an answer that cannot be right fails closed", () => {
    it("a window ending in the future", async () => {
      emu.injectFaults([
        { kind: "latency", ms: 0, times: 2 }, // the policy and DescribeBackups pass
        { kind: "rewrite", set: { RecoveryEndTime: new Date(now + 2 * HOUR).toISOString().slice(0, 19) + "Z" } },
      ]);
      const err = await checkRecoverable({ dbInstanceId: HEALTHY, recoverableWithin: "15m" }, options).catch(
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(RdsImplausibleAnswerError);
      expect(String(err)).to.match(
        /DescribeLocalAvailableRecoveryTime answered RecoveryEndTime = .* it is in the future/,
      );
    });

    it("a window of another instance", async () => {
      emu.injectFaults([{ kind: "rewrite", set: { DBInstanceId: "rm-someoneelse" } }]);
      const err = await describeRestoreWindow({ dbInstanceId: HEALTHY }, options).catch((e: unknown) => e);
      expect(String(err)).to.match(/answered DBInstanceId = "rm-someoneelse".*the request asked for "rm-pitr0001"/);
    });

    it("files outside the range asked for (another time, or another instance's)", async () => {
      // Policy, DescribeBackups, window pass; the log page answers about 2020.
      emu.injectFaults([
        { kind: "latency", ms: 0, times: 3 },
        { kind: "rewrite", setEachItem: { LogBeginTime: "2020-01-01T00:00:00Z", LogEndTime: "2020-01-01T01:00:00Z" } },
      ]);
      const err = await checkRecoverable({ dbInstanceId: HEALTHY, recoverableWithin: "15m" }, options).catch(
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(RdsImplausibleAnswerError);
      expect(String(err)).to.match(
        /DescribeBinlogFiles answered Items.BinLogFile\[0\].LogEndTime = "2020-01-01T01:00:00Z".*the request asked for files from StartTime/,
      );
    });

    it("a total that lies", async () => {
      emu.injectFaults([{ kind: "rewrite", set: { TotalRecordCount: 3 } }]);
      const range = { dbInstanceId: MANY, startTime: new Date(now - 24 * HOUR), endTime: new Date(now) };
      const err = await listLogFiles(range, options).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RdsImplausibleAnswerError);
      expect(String(err)).to.match(/DescribeBinlogFiles answered TotalRecordCount = 3 .*the total is at least 100/);
      emu.injectFaults([{ kind: "rewrite", set: { TotalFileSize: 1 } }]);
      expect(String(await listLogFiles(range, options).catch((e: unknown) => e))).to.match(/TotalFileSize = 1 /);
    });

    it("a file ending in the future, or a policy that contradicts itself", async () => {
      emu.injectFaults([{ kind: "rewrite", setEachItem: { LogEndTime: "2099-01-01T00:00:00Z" } }]);
      const range = { dbInstanceId: HEALTHY, startTime: new Date(now - 2 * HOUR), endTime: new Date(now) };
      expect(String(await listLogFiles(range, options).catch((e: unknown) => e))).to.match(/LogEndTime.*in the future/);
      emu.injectFaults([{ kind: "rewrite", set: { EnableBackupLog: "0" } }]);
      expect(String(await describeBackupPolicy({ dbInstanceId: HEALTHY }, options).catch((e: unknown) => e))).to.match(
        /EnableBackupLog = "0".*BackupLog Enable in the same answer says the opposite/,
      );
    });
  });

  it("refuses bad input before any call, naming the field", async () => {
    const refused = async (q: unknown) => {
      const err = await checkRecoverable(q as never, options).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RdsValidationError);
      return (err as RdsValidationError).message;
    };
    expect(await refused({ dbInstanceId: HEALTHY })).to.match(/recoverableWithin/);
    expect(await refused({ dbInstanceId: HEALTHY, recoverableWithin: "2d" })).to.match(/recoverableWithin .*24h/);
    expect(await refused({ dbInstanceId: HEALTHY, recoverableWithin: "15m", minRetentionDays: 0 })).to.match(
      /minRetentionDays 0 .*an integer >= 1/,
    );
    expect(
      await refused({
        dbInstanceId: HEALTHY,
        recoverableWithin: "15m",
        pointInTime: new Date(now + 3 * HOUR).toISOString(),
      }),
    ).to.match(/pointInTime .* is in the future/);
    expect(emu.stats.requests).to.equal(0);
  });
});

describe("sdk/recoverability: logChain", () => {
  const f = (begin: string, end: string, remoteStatus = "Completed"): LogFile => ({
    fileName: begin,
    hostInstanceId: "1",
    beginTime: `2026-12-01T${begin}:00Z`,
    endTime: `2026-12-01T${end}:00Z`,
    fileSize: 1,
    remoteStatus,
  });
  const at = (hm: string) => Date.parse(`2026-12-01T${hm}:00Z`);

  it("joins overlapping and touching files, whatever their order, and names each hole once", () => {
    const files = [f("02:00", "03:00"), f("00:00", "01:00"), f("00:30", "01:00"), f("01:00", "01:30")];
    const chain = logChain(files, at("00:10"), at("03:00"));
    expect(chain.gaps).to.deep.equal([{ from: "2026-12-01T01:30:00Z", to: "2026-12-01T02:00:00Z", seconds: 1800 }]);
    expect(chain.endMs).to.equal(at("03:00"));
  });

  it("does not count a file still uploading, and a chain that starts late is a gap from the full set", () => {
    const chain = logChain([f("01:00", "02:00"), f("02:00", "03:00", "Uploading")], at("00:30"), at("03:00"));
    expect(chain.gaps).to.deep.equal([{ from: "2026-12-01T00:30:00Z", to: "2026-12-01T01:00:00Z", seconds: 1800 }]);
    expect(chain.endMs).to.equal(at("02:00"));
  });

  it("ignores holes after the moment the chain must reach", () => {
    const chain = logChain([f("00:00", "01:00"), f("02:00", "03:00")], at("00:00"), at("00:50"));
    expect(chain.gaps).to.deep.equal([]);
  });
});
