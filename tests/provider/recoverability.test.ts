/**
 * getRecoverability's read (the dynamic provider's `readRecoverability`, called in-process as
 * Pulumi's dynamic-provider host calls it) against the emulator over real HTTP with the official
 * SDK: a data source reports, so "not recoverable" is a result; bad input is refused before any
 * call; an answer that cannot be right fails the read.
 */
import { expect } from "chai";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { getRecoverability } from "../../provider";
import { parseRecoverabilityArgs } from "../../provider/args";
import * as runtime from "../../provider/runtime";
import type { Backup, LogFile } from "../../sdk";
import type { BackupPolicy, LogGap, RecoverabilityFailure } from "../../provider/types";

const HOUR = 3600_000;
const HEALTHY = "rm-pitrread01";
const GAP = "rm-pitrread02";
const OFF = "rm-pitrread03";
const MSSQL = "rm-pitrread04";
const SWITCHED = "pgm-pitrread05";

/** The props the read returns (Pulumi types them `any`): the keys these tests look at. */
interface RecoverabilityProps {
  dbInstanceId: string;
  recoverable: boolean;
  message: string;
  failures: RecoverabilityFailure[];
  judgedPointInTime: string;
  checkedAt: string;
  recoverableWithinSeconds: number;
  engine: string | null;
  policy: BackupPolicy;
  restoreWindowBegin: string | null;
  restoreWindowEnd: string | null;
  fullBackup: Backup | null;
  logFilesJson: string;
  logChainEnd: string | null;
  gaps: LogGap[];
}

describe("provider: getRecoverability's read against the emulator", () => {
  let emulator: RunningEmulator;
  let now: number;
  const savedEnv = { ...process.env };

  const read = async (props: Record<string, unknown>) => {
    const result = await runtime.readRecoverability(String(props.dbInstanceId), props);
    return { id: result.id, props: result.props as RecoverabilityProps };
  };
  const refusal = async (props: Record<string, unknown>) => {
    const err = await runtime.readRecoverability("rm-x", props).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, "the read was not refused").to.be.instanceOf(Error);
    return err!.message;
  };
  const filesOf = (props: RecoverabilityProps) => JSON.parse(props.logFilesJson) as LogFile[];

  before(async () => {
    now = Date.now();
    const data = generateData({
      seed: 11,
      now,
      instances: [
        { id: HEALTHY, engine: "MySQL", count: 20, logChain: {} },
        { id: GAP, engine: "MySQL", count: 20, logChain: { gaps: [{ fromHoursAgo: 2, toHoursAgo: 1.5 }] } },
        { id: OFF, engine: "MariaDB", count: 20, logBackup: false, retentionDays: 14 },
        { id: MSSQL, engine: "SQLServer", count: 20 },
        { id: SWITCHED, engine: "PostgreSQL", count: 20, logChain: { hostSwitchesHoursAgo: [30, 2] } },
      ],
    });
    emulator = await startEmulator({ data });
    process.env.ALIBABA_CLOUD_RDS_ENDPOINT = emulator.url;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  });
  beforeEach(() => {
    emulator.resetStats();
    runtime.setStackSettings({
      accessKey: DEFAULT_ACCESS_KEY_ID,
      secretKey: DEFAULT_ACCESS_KEY_SECRET,
      region: "cn-hangzhou",
    });
  });
  after(async () => {
    process.env = savedEnv;
    await emulator.close();
  });

  it("a healthy chain: recoverable, the window, the policy, the full set and the log files", async () => {
    const { id, props } = await read({ dbInstanceId: HEALTHY, recoverableWithin: "15m", __provider: "ignored" });
    expect(id).to.equal(HEALTHY);
    expect(props.recoverable).to.equal(true);
    expect(props.failures).to.deep.equal([]);
    expect(props.gaps).to.deep.equal([]);
    expect(props.message).to.match(/^rm-pitrread01: point-in-time restore to .* within 15m: possible from full backup/);
    expect(props.engine).to.equal("MySQL");
    expect(props.recoverableWithinSeconds).to.equal(900);
    expect(props.policy).to.include({ dbInstanceId: HEALTHY, logBackupEnabled: true, backupRetentionDays: 7 });
    expect(props.policy).not.to.have.property("requestId");
    // The window ends a few minutes ago (log uploads lag 5 minutes here) and begins before the point.
    expect(now - Date.parse(props.restoreWindowEnd!)).to.be.within(0, 15 * 60_000);
    expect(Date.parse(props.restoreWindowBegin!)).to.be.below(Date.parse(props.judgedPointInTime));
    expect(props.fullBackup?.backupType).to.equal("FullBackup");
    expect(filesOf(props).length).to.be.above(0);
    expect(Date.parse(filesOf(props)[0]!.beginTime)).to.be.at.most(Date.parse(props.fullBackup!.backupStartTime));
    expect(now - Date.parse(props.logChainEnd!)).to.be.within(0, 15 * 60_000);
    // Every time ISO-8601 UTC, every count a number.
    for (const t of [props.judgedPointInTime, props.checkedAt, props.restoreWindowBegin, props.logChainEnd])
      expect(t).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(filesOf(props)[0]!.fileSize).to.be.a("number");
    expect(emulator.stats.byAction).to.include({ DescribeBackupPolicy: 1, DescribeLocalAvailableRecoveryTime: 1 });
  });

  it("a gap: not recoverable, a result with the gap's bounds in gaps and in the message", async () => {
    const { props } = await read({ dbInstanceId: GAP, recoverableWithin: "15m" });
    expect(props.recoverable).to.equal(false);
    expect(props.failures.map((f) => f.condition)).to.deep.equal(["logChain"]);
    expect(props.gaps).to.have.length(1);
    const gap = props.gaps[0]!;
    expect((now - Date.parse(gap.from)) / HOUR).to.be.within(2, 2.2);
    expect(gap.seconds).to.be.within(3600, 2 * 3600);
    expect(props.message).to.contain(`NOT possible`).and.to.contain(`has a gap from ${gap.from} to ${gap.to}`);
    // A point before the gap is reachable: the argument is the moment a restore must reach.
    const before = await read({
      dbInstanceId: GAP,
      recoverableWithin: "15m",
      pointInTime: new Date(now - 2.5 * HOUR).toISOString(),
    });
    expect(before.props.recoverable).to.equal(true);
    expect(before.props.judgedPointInTime).to.equal(new Date(now - 2.5 * HOUR).toISOString().slice(0, 19) + "Z");
  });

  it("log backup off: not recoverable, naming the policy field; no log file read", async () => {
    const { props } = await read({ dbInstanceId: OFF, recoverableWithin: "15m" });
    expect(props.recoverable).to.equal(false);
    expect(props.policy.logBackupEnabled).to.equal(false);
    expect(props.failures.find((f) => f.condition === "logBackup")?.message).to.contain("BackupLog Disabled");
    expect(filesOf(props)).to.deep.equal([]);
    // null, not absent: the engine reads an absent output as unknown in a preview.
    expect(props.logChainEnd).to.equal(null);
    expect(emulator.stats.byAction.DescribeBinlogFiles ?? 0).to.equal(0);
  });

  it("a retention below minRetentionDays or minLogRetentionDays: not recoverable, naming the figure", async () => {
    const { props } = await read({
      dbInstanceId: HEALTHY,
      recoverableWithin: "15m",
      minRetentionDays: 30,
      minLogRetentionDays: 10,
    });
    expect(props.recoverable).to.equal(false);
    expect(props.failures).to.deep.equal([
      { condition: "retention", message: "BackupRetentionPeriod is 7 days, below minRetentionDays 30" },
      { condition: "logRetention", message: "LogBackupRetentionPeriod is 7 days, below minLogRetentionDays 10" },
    ]);
    // The rest of the verdict is still read and reported.
    expect(props.gaps).to.deep.equal([]);
    expect(filesOf(props).length).to.be.above(0);
  });

  it("SQL Server: not recoverable, saying it cannot be checked; no window, no files", async () => {
    const { props } = await read({ dbInstanceId: MSSQL, recoverableWithin: "1d" });
    expect(props.recoverable).to.equal(false);
    expect(props.engine).to.equal("SQLServer");
    expect(props.failures.map((f) => f.condition)).to.deep.equal(["engine"]);
    expect(props.message).to.match(/SQLServer: the restore window and the log chain cannot be checked/);
    expect(props.restoreWindowBegin).to.equal(null);
    expect(props.restoreWindowEnd).to.equal(null);
    expect(filesOf(props)).to.deep.equal([]);
    expect(emulator.stats.byAction.DescribeBinlogFiles ?? 0).to.equal(0);
  });

  it("refuses bad input before any call, naming the field", async () => {
    expect(await refusal({ dbInstanceId: HEALTHY })).to.contain("recoverableWithin");
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "15" })).to.contain("recoverableWithin");
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "2d" })).to.contain("24h");
    expect(await refusal({ dbInstanceId: "RM-BAD", recoverableWithin: "15m" })).to.contain("dbInstanceId");
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "15m", minRetentionDays: 0 })).to.contain(
      "minRetentionDays",
    );
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "15m", pointInTime: "yesterday" })).to.contain(
      "pointInTime",
    );
    // A read judges when it runs: `now` is not an argument here.
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "15m", now: "2026-01-01T00:00:00Z" })).to.contain(
      "now",
    );
    // A point in the future: refused by the sdk before its first call.
    expect(
      await refusal({
        dbInstanceId: HEALTHY,
        recoverableWithin: "15m",
        pointInTime: new Date(now + 2 * HOUR).toISOString(),
      }),
    ).to.match(/^getRecoverability: .*pointInTime.*future/);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("leaves download links out unless asked; the full set's never", async () => {
    const plain = await read({ dbInstanceId: HEALTHY, recoverableWithin: "15m" });
    const files = filesOf(plain.props);
    expect(files.some((f) => f.downloadLink !== undefined || f.intranetDownloadLink !== undefined)).to.equal(false);
    expect(plain.props.fullBackup).not.to.have.property("backupDownloadUrl");
    const asked = await read({ dbInstanceId: HEALTHY, recoverableWithin: "15m", includeDownloadUrls: true });
    const linked = filesOf(asked.props);
    expect(linked.every((f) => typeof f.downloadLink === "string" && f.downloadLink.startsWith("http"))).to.equal(true);
    expect(asked.props.fullBackup).not.to.have.property("backupDownloadUrl");
    expect(asked.props.fullBackup).not.to.have.property("backupIntranetDownloadUrl");
  });

  it("lists the log files oldest first, the same array on every read (two nodes after switch-overs)", async () => {
    const first = filesOf((await read({ dbInstanceId: SWITCHED, recoverableWithin: "15m" })).props);
    expect(new Set(first.map((f) => f.hostInstanceId)).size).to.equal(2);
    for (let i = 1; i < first.length; i++)
      expect(first[i]!.beginTime >= first[i - 1]!.beginTime, `file ${i} begins before file ${i - 1}`).to.equal(true);
    const again = filesOf((await read({ dbInstanceId: SWITCHED, recoverableWithin: "15m" })).props);
    expect(again).to.deep.equal(first);
  });

  it("ignores the previous outputs the engine passes back on refresh, and still reports", async () => {
    const first = await read({ dbInstanceId: GAP, recoverableWithin: "15m" });
    const again = await read({ ...first.props, __provider: "x" });
    expect(again.props.recoverable).to.equal(false);
    expect(again.props.gaps).to.deep.equal(first.props.gaps);
    // The judged point is an output of its own: no pointInTime argument appears, so a refresh
    // judges at the moment it runs, not at the first read's point.
    expect(first.props).not.to.have.property("pointInTime");
    expect(again.props).not.to.have.property("pointInTime");
    expect(again.props.judgedPointInTime).to.match(/Z$/);
  });

  it("an answer that cannot be right fails the read (a window ending in the future)", async () => {
    emulator.injectFaults([
      { kind: "latency", ms: 0, times: 2 }, // the policy and DescribeBackups pass
      { kind: "rewrite", set: { RecoveryEndTime: new Date(now + 2 * HOUR).toISOString().slice(0, 19) + "Z" } },
    ]);
    expect(await refusal({ dbInstanceId: HEALTHY, recoverableWithin: "15m" })).to.match(
      /^getRecoverability: .*DescribeLocalAvailableRecoveryTime answered RecoveryEndTime = .* it is in the future/,
    );
  });

  it("an API error fails the read, saying what the API said", async () => {
    expect(await refusal({ dbInstanceId: "rm-nosuchinstance", recoverableWithin: "15m" })).to.match(
      /^getRecoverability: .*rm-nosuchinstance/,
    );
  });

  it("the core runs the request its caller checked (the plugin's invoke), with the caller's settings", async () => {
    const request = parseRecoverabilityArgs({ dbInstanceId: GAP, recoverableWithin: "15m" });
    const settings = { accessKey: DEFAULT_ACCESS_KEY_ID, secretKey: DEFAULT_ACCESS_KEY_SECRET };
    const before = Date.now();
    const outputs = (await runtime.recoverabilityCore.run("judge", {
      settings,
      subject: "getRecoverability",
      request,
    })) as runtime.RecoverabilityOutputs;
    expect(outputs.recoverable).to.equal(false);
    // No pointInTime: the moment the read ran.
    expect(Date.parse(outputs.pointInTime)).to.be.within(Math.floor(before / 1000) * 1000, Date.now());
    expect(outputs.pointInTime).to.equal(outputs.checkedAt);
    expect(outputs.logFiles.length).to.be.above(0);
  });

  it("the Promise form refuses download links, which it could not keep secret", async () => {
    const err = await getRecoverability({ dbInstanceId: HEALTHY, recoverableWithin: "15m", includeDownloadUrls: true })
      .then(() => undefined)
      .catch((e: Error) => e);
    expect(err?.message).to.contain("includeDownloadUrls").and.to.contain("getRecoverabilityOutput");
    expect(emulator.stats.requests).to.equal(0);
  });
});
