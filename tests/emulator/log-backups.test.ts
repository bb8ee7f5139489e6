import RPCClient = require("@alicloud/pop-core");
import { expect } from "chai";
import * as $Rds from "@alicloud/rds20140815";
import { generateData, startEmulator, validateData, type RunningEmulator } from "../../emulator";
import { AK, SECRET, expectSdkError, sdkClient } from "./helpers";

const HOUR = 3600_000;
const NOW = Date.now();
const MYSQL = "rm-logs0001";
const GAPPY = "rm-logs0002";
const OFF = "rm-logs0003";
const MSSQL = "rm-logs0004";
const SWITCHED = "pgm-logs0005";

function data() {
  const d = generateData({
    seed: 22,
    now: NOW,
    accessKeys: { [AK]: SECRET, LTAI5tLimitedKey0001: { secret: "limited-secret", instances: [MYSQL] } },
    instances: [
      { id: MYSQL, engine: "MySQL", count: 10, logChain: { uploadingFiles: 1 } },
      { id: GAPPY, engine: "MySQL", count: 10, logChain: { gaps: [{ fromHoursAgo: 30, toHoursAgo: 28 }] } },
      { id: OFF, engine: "MariaDB", count: 10, logBackup: false, retentionDays: 30 },
      { id: MSSQL, engine: "SQLServer", count: 10 },
      { id: SWITCHED, engine: "PostgreSQL", count: 10, logRetentionDays: 3, logChain: { hostSwitchesHoursAgo: [20] } },
    ],
  });
  return d;
}

type BinlogPage = {
  Items: { BinLogFile: Array<Record<string, string | number>> };
  TotalRecordCount: number;
  PageRecordCount: number;
  PageNumber: number;
  TotalFileSize: number;
};

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";

describe("emulator: the log backup calls through @alicloud/pop-core (an independent client)", () => {
  let emu: RunningEmulator;
  let pop: RPCClient;
  before(async () => {
    emu = await startEmulator({ data: data() });
    pop = new RPCClient({ endpoint: emu.url, apiVersion: "2014-08-15", accessKeyId: AK, accessKeySecret: SECRET });
  });
  after(() => emu.close());

  it("answers DescribeBackupPolicy with the engine's defaults and the data's own fields", async () => {
    const on = await pop.request<Record<string, unknown>>("DescribeBackupPolicy", { DBInstanceId: MYSQL });
    expect(on).to.include({
      BackupLog: "Enable",
      EnableBackupLog: "1",
      BackupRetentionPeriod: 7,
      LogBackupRetentionPeriod: 7,
    });
    expect(on.RequestId).to.be.a("string");
    const off = await pop.request<Record<string, unknown>>("DescribeBackupPolicy", {
      DBInstanceId: OFF,
      BackupPolicyMode: "LogBackupPolicy",
    });
    expect(off).to.include({ BackupLog: "Disabled", EnableBackupLog: "0", BackupRetentionPeriod: 30 });
    // SQL Server has a policy too (its log backup frequency is its own).
    const mssql = await pop.request<Record<string, unknown>>("DescribeBackupPolicy", { DBInstanceId: MSSQL });
    expect(mssql.LogBackupFrequency).to.equal("LogInterval");
  });

  it("lists a week of hourly log files in pages of 100, newest first, overlapping the range asked", async () => {
    const range = { DBInstanceId: MYSQL, StartTime: iso(NOW - 8 * 24 * HOUR), EndTime: iso(NOW) };
    const first = await pop.request<BinlogPage>("DescribeBinlogFiles", { ...range, PageSize: 100 });
    expect(first.TotalRecordCount).to.equal(7 * 24);
    expect(first.PageRecordCount).to.equal(100);
    const second = await pop.request<BinlogPage>("DescribeBinlogFiles", { ...range, PageSize: 100, PageNumber: 2 });
    expect(second.PageRecordCount).to.equal(68);
    const files = [...first.Items.BinLogFile, ...second.Items.BinLogFile];
    expect(new Set(files.map((f) => f.LogFileName)).size).to.equal(168);
    expect(first.TotalFileSize).to.equal(files.reduce((s, f) => s + Number(f.FileSize), 0));
    expect(files[0]!.RemoteStatus).to.equal("Uploading"); // the newest is still being uploaded
    expect(files.slice(1).every((f) => f.RemoteStatus === "Completed")).to.equal(true);
    expect(String(files[0]!.DownloadLink)).to.match(/^https:\/\/rdslog-.*Signature=/);
    // Back to back: each file begins where the one before it ended.
    for (let i = 1; i < files.length; i++) expect(files[i]!.LogEndTime).to.equal(files[i - 1]!.LogBeginTime);
    // Only the files that overlap a narrow range.
    const narrow = await pop.request<BinlogPage>("DescribeBinlogFiles", {
      DBInstanceId: MYSQL,
      StartTime: iso(NOW - 3 * HOUR),
      EndTime: iso(NOW - 2 * HOUR),
    });
    expect(narrow.TotalRecordCount).to.be.within(1, 2);
  });

  it("leaves a gap, switches hosts, and derives the restore window from the sets and files", async () => {
    const range = { StartTime: iso(NOW - 40 * HOUR), EndTime: iso(NOW - 20 * HOUR), PageSize: 100 };
    const gappy = await pop.request<BinlogPage>("DescribeBinlogFiles", { ...range, DBInstanceId: GAPPY });
    const ends = gappy.Items.BinLogFile.map((f) => Date.parse(String(f.LogEndTime)));
    const begins = gappy.Items.BinLogFile.map((f) => Date.parse(String(f.LogBeginTime)));
    const holes = begins.slice(0, -1).filter((b, i) => b !== ends[i + 1]);
    expect(holes).to.have.length(1);
    const switched = await pop.request<BinlogPage>("DescribeBinlogFiles", {
      DBInstanceId: SWITCHED,
      StartTime: iso(NOW - 3 * 24 * HOUR),
      EndTime: iso(NOW),
      PageSize: 100,
    });
    expect(new Set(switched.Items.BinLogFile.map((f) => f.HostInstanceID)).size).to.equal(2);
    expect(String(switched.Items.BinLogFile[0]!.LogFileName)).to.match(/^[0-9A-F]{24}$/); // WAL names

    const window = await pop.request<Record<string, string>>("DescribeLocalAvailableRecoveryTime", {
      DBInstanceId: MYSQL,
    });
    expect(window.DBInstanceId).to.equal(MYSQL);
    const end = Date.parse(window.RecoveryEndTime!);
    // The newest uploaded file ended an hour and five minutes ago (the newest is still uploading).
    expect(NOW - end).to.be.within(65 * 60_000 - 2000, 65 * 60_000 + 2000);
    expect(Date.parse(window.RecoveryBeginTime!)).to.be.below(end);
    // Log backup off: the window ends at the newest full set.
    const off = await pop.request<Record<string, string>>("DescribeLocalAvailableRecoveryTime", { DBInstanceId: OFF });
    expect(NOW - Date.parse(off.RecoveryEndTime!)).to.be.above(2 * HOUR);
  });

  it("refuses SQL Server for the log calls, and bad parameters with the reference's codes", async () => {
    const refused = async (action: string, params: Record<string, unknown>) => {
      try {
        await pop.request(action, params, { method: "POST" });
      } catch (err) {
        return (err as { code?: string; data?: { Code?: string } }).data?.Code ?? (err as { code?: string }).code;
      }
      throw new Error(`${action} succeeded`);
    };
    const range = { StartTime: iso(NOW - HOUR), EndTime: iso(NOW) };
    expect(await refused("DescribeBinlogFiles", { DBInstanceId: MSSQL, ...range })).to.equal(
      "InvalidDBInstance.NotFound",
    );
    expect(await refused("DescribeLocalAvailableRecoveryTime", { DBInstanceId: MSSQL })).to.equal(
      "InvalidDBInstance.NotFound",
    );
    expect(await refused("DescribeBinlogFiles", { DBInstanceId: MYSQL, EndTime: iso(NOW) })).to.equal(
      "MissingStartTime",
    );
    expect(
      await refused("DescribeBinlogFiles", { DBInstanceId: MYSQL, StartTime: "2026-01-01T00:00Z", EndTime: iso(NOW) }),
    ).to.equal("InvalidStartTime.Format");
    expect(await refused("DescribeBinlogFiles", { DBInstanceId: MYSQL, ...range, PageSize: 101 })).to.equal(
      "InvalidMaxRecordsPerPage.Malformed",
    );
    expect(
      await refused("DescribeBinlogFiles", { DBInstanceId: MYSQL, StartTime: iso(NOW), EndTime: iso(NOW - HOUR) }),
    ).to.equal("InvalidParameterCombination");
    expect(await refused("DescribeBackupPolicy", { DBInstanceId: MYSQL, BackupPolicyMode: "Both" })).to.equal(
      "Parameters.Invalid",
    );
    expect(await refused("DescribeBackupPolicy", { DBInstanceId: "rm-nothere" })).to.equal(
      "InvalidDBInstanceId.NotFound",
    );
  });

  it("denies a key limited to other instances, naming the action, and applies faults to these calls", async () => {
    emu.resetStats();
    const limited = new RPCClient({
      endpoint: emu.url,
      apiVersion: "2014-08-15",
      accessKeyId: "LTAI5tLimitedKey0001",
      accessKeySecret: "limited-secret",
    });
    await limited.request("DescribeBackupPolicy", { DBInstanceId: MYSQL }); // its own instance
    let denied: { data?: { Code?: string; AccessDeniedDetail?: { AuthAction?: string } } } = {};
    try {
      await limited.request("DescribeBinlogFiles", {
        DBInstanceId: GAPPY,
        StartTime: iso(NOW - HOUR),
        EndTime: iso(NOW),
      });
    } catch (err) {
      denied = err as typeof denied;
    }
    expect(denied.data?.Code).to.equal("Forbidden.RAM");
    expect(denied.data?.AccessDeniedDetail?.AuthAction).to.equal("rds:DescribeBinlogFiles");

    emu.injectFaults([
      { kind: "rewrite", set: { RecoveryEndTime: iso(NOW + 24 * HOUR) } },
      { kind: "rewrite", setEachItem: { HostInstanceID: "99999999" } },
      { kind: "throttle" },
    ]);
    const lying = await pop.request<Record<string, string>>("DescribeLocalAvailableRecoveryTime", {
      DBInstanceId: MYSQL,
    });
    expect(Date.parse(lying.RecoveryEndTime!)).to.be.above(NOW);
    const foreign = await pop.request<BinlogPage>("DescribeBinlogFiles", {
      DBInstanceId: MYSQL,
      StartTime: iso(NOW - 3 * HOUR),
      EndTime: iso(NOW),
    });
    expect(foreign.Items.BinLogFile.every((f) => f.HostInstanceID === "99999999")).to.equal(true);
    let throttled: { data?: { Code?: string } } = {};
    try {
      await pop.request("DescribeBackupPolicy", { DBInstanceId: MYSQL });
    } catch (err) {
      throttled = err as typeof throttled;
    }
    expect(throttled.data?.Code).to.equal("Throttling.User");
    expect(emu.stats.byAction).to.deep.equal({
      DescribeBackupPolicy: 2,
      DescribeBinlogFiles: 2,
      DescribeLocalAvailableRecoveryTime: 1,
    });
    expect(emu.stats.byCode).to.deep.equal({ "Forbidden.RAM": 1, "Throttling.User": 1 });
  });

  it("follows a changed policy and replaced files at once", async () => {
    emu.setBackupPolicy(GAPPY, { BackupLog: "Disabled", EnableBackupLog: "0" });
    const policy = await pop.request<Record<string, unknown>>("DescribeBackupPolicy", { DBInstanceId: GAPPY });
    expect(policy.BackupLog).to.equal("Disabled");
    emu.setLogFiles(GAPPY, []);
    const none = await pop.request<BinlogPage>("DescribeBinlogFiles", {
      DBInstanceId: GAPPY,
      StartTime: iso(NOW - 24 * HOUR),
      EndTime: iso(NOW),
    });
    expect(none.TotalRecordCount).to.equal(0);
    expect(() => emu.setBackupPolicy(GAPPY, { BackupLog: "On" } as never)).to.throw(/BackupLog: "On" is not one of/);
  });
});

describe("emulator: the log backup calls through the official SDK", () => {
  it("are served to @alicloud/rds20140815's own request models (ACS3 signatures)", async () => {
    const emu = await startEmulator({ data: data() });
    try {
      const client = sdkClient(emu);
      const files = await client.describeBinlogFiles(
        new $Rds.DescribeBinlogFilesRequest({
          DBInstanceId: MYSQL,
          startTime: iso(NOW - 2 * HOUR),
          endTime: iso(NOW),
          pageSize: 100,
        }),
      );
      expect(files.body?.totalRecordCount).to.equal(2);
      expect(files.body?.items?.binLogFile?.[0]?.logFileName).to.match(/^mysql-bin\.\d{6}$/);
      const window = await client.describeLocalAvailableRecoveryTime(
        new $Rds.DescribeLocalAvailableRecoveryTimeRequest({ DBInstanceId: SWITCHED }),
      );
      expect(window.body?.DBInstanceId).to.equal(SWITCHED);
      const policy = await client.describeBackupPolicy(new $Rds.DescribeBackupPolicyRequest({ DBInstanceId: OFF }));
      expect(policy.body?.backupLog).to.equal("Disabled");
      expect(policy.body?.logBackupRetentionPeriod).to.equal(7);
      const err = await expectSdkError(
        client.describeLocalAvailableRecoveryTime(
          new $Rds.DescribeLocalAvailableRecoveryTimeRequest({ DBInstanceId: MSSQL }),
        ),
      );
      expect(err.statusCode).to.equal(404);
    } finally {
      await emu.close();
    }
  });

  it("refuses a data file whose log files or policy do not fit the API's shapes", () => {
    const base = { accessKeys: { [AK]: SECRET }, instances: {} as Record<string, unknown> };
    const withInstance = (extra: Record<string, unknown>) => ({
      ...base,
      instances: { "rm-x1": { regionId: "cn-hangzhou", backups: [], ...extra } },
    });
    expect(() => validateData(withInstance({ backupPolicy: { BackupLog: "Enable", EnableBackupLog: "0" } }))).to.throw(
      /disagree/,
    );
    expect(() => validateData(withInstance({ backupPolicy: { LogBackupRetentionPeriod: "7" } }))).to.throw(
      /LogBackupRetentionPeriod: expected an integer/,
    );
    const file = {
      FileSize: 1,
      LogBeginTime: "2026-01-01T01:00:00Z",
      LogEndTime: "2026-01-01T00:00:00Z",
      HostInstanceID: "1",
      LogFileName: "mysql-bin.000001",
      RemoteStatus: "Completed",
    };
    expect(() => validateData(withInstance({ binlogFiles: [file] }))).to.throw(/is before LogBeginTime/);
    expect(() =>
      validateData(
        withInstance({ binlogFiles: [{ ...file, LogEndTime: "2026-01-01T02:00:00Z", RemoteStatus: "Done" }] }),
      ),
    ).to.throw(/RemoteStatus: "Done" is not one of/);
  });
});
