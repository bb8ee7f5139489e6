/**
 * `recoverableWithin` on the gate and on ensure, called in-process as Pulumi's dynamic-provider
 * host calls them, against the emulator (generated instances with log files): a point-in-time
 * restore that is not possible stops them like a stale backup, naming the figure; the override
 * works the same and is recorded; an answer that cannot be right fails closed, override or not.
 */
import { expect } from "chai";
import { generateData, startEmulator, type RunningEmulator } from "../../emulator";
import * as runtime from "../../provider/runtime";
import type { GateOverrideRecord } from "../../provider/types";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET } from "./fixtures";

const HOUR = 3600_000;
/** Fresh full backup (3 h), healthy log chain. */
const HEALTHY = "rm-uf6pitrgate01";
/** Fresh full backup (3 h), and no log file from 2 h to 1.5 h ago: no restore inside it. */
const GAP = "rm-uf6pitrgate02";
/** Fresh full backup, log backup off. */
const LOG_OFF = "rm-uf6pitrgate03";
/** Fresh full backup, the newest log file ended 2 h ago: the window ends 2 h before now. */
const BEHIND = "rm-uf6pitrgate04";
/** SQL Server: the log calls do not serve it. */
const MSSQL = "rm-uf6pitrgate05";
/** Stale full backup (40 h) and the same gap: a backup taken now is a restore's new start. */
const STALE_GAP = "rm-uf6pitrgate06";
/** Stale full backup, log backup off: no backup turns it on. */
const STALE_LOG_OFF = "rm-uf6pitrgate07";
/** Fresh full backup (3 h) and the gap: fresh, but a restore needs a new full set after the gap. */
const FRESH_GAP = "rm-uf6pitrgate08";
/** The newest full backup 9 days old, past the 7-day retention: no set to start a restore from. */
const NO_SET = "rm-uf6pitrgate09";

type Props = Record<string, unknown> & { override?: GateOverrideRecord | null };

async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a failure, got a result");
}

describe("provider runtime: recoverableWithin on the gate and on ensure (point-in-time restore)", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  const savedEnv = { ...process.env };
  const settings = (overrides?: Record<string, unknown>) =>
    runtime.setStackSettings({
      accessKey: ACCESS_KEY_ID,
      secretKey: ACCESS_KEY_SECRET,
      region: "cn-hangzhou",
      ...(overrides ? { gateOverrides: JSON.stringify(overrides) } : {}),
    });
  const gate = async (args: Props) => (await runtime.readFreshBackup(String(args.dbInstanceId), args)).props as Props;
  const calls = (action: string) => emulator.stats.byAction[action] ?? 0;

  before(async () => {
    const gap = [{ fromHoursAgo: 2, toHoursAgo: 1.5 }];
    const data = generateData({
      seed: 22,
      accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
      instances: [
        { id: HEALTHY, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: {} },
        { id: GAP, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: { gaps: gap } },
        { id: LOG_OFF, engine: "MariaDB", count: 10, newestAgeHours: 3, logBackup: false },
        { id: BEHIND, engine: "PostgreSQL", count: 10, newestAgeHours: 3, logChain: { lagMinutes: 120 } },
        { id: MSSQL, engine: "SQLServer", count: 10, newestAgeHours: 3 },
        { id: STALE_GAP, engine: "MySQL", count: 10, newestAgeHours: 40, logChain: { gaps: gap } },
        { id: STALE_LOG_OFF, engine: "MySQL", count: 10, newestAgeHours: 40, logBackup: false },
        { id: FRESH_GAP, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: { gaps: gap } },
        { id: NO_SET, engine: "PostgreSQL", count: 3, newestAgeHours: 9 * 24, logChain: {} },
      ],
    });
    for (const id of [STALE_GAP, STALE_LOG_OFF, FRESH_GAP, NO_SET, LOG_OFF]) {
      data.instances[id] = { ...data.instances[id]!, backupDurationSeconds: 0, backupVisibilityLagSeconds: 0 };
    }
    emulator = await startEmulator({ data, port: 0 });
    process.env.ALIBABA_CLOUD_RDS_ENDPOINT = emulator.url;
  });
  beforeEach(() => {
    emulator.resetStats();
    settings();
  });
  after(async () => {
    process.env = savedEnv;
    await emulator.close();
  });

  describe("the gate (requireFreshBackup, FreshBackupGate)", () => {
    it("passes a fresh backup with a healthy chain, and says how far a restore reaches", async () => {
      const props = await gate({ dbInstanceId: HEALTHY, maxAge: "24h", recoverableWithin: "15m" });
      expect(props).to.include({ fresh: true, recoverable: true, override: null });
      expect(props.checked).to.equal(
        `${HEALTHY}: a usable FullBackup ended within 24h, and a point-in-time restore to within 15m of now`,
      );
      // The emulator's newest log file ended 5 minutes ago; the window ends with it.
      for (const end of [props.restoreWindowEnd, props.logChainEnd]) {
        expect(Date.now() - Date.parse(String(end))).to.be.within(4 * 60_000, 7 * 60_000);
      }
      // Freshness: one call; the restore: the policy, the full sets, the window, one page of files.
      expect(emulator.stats.byAction).to.deep.equal({
        DescribeBackups: 2,
        DescribeBackupPolicy: 1,
        DescribeLocalAvailableRecoveryTime: 1,
        DescribeBinlogFiles: 1,
      });
    });

    it("without recoverableWithin a fresh backup passes a broken chain; with it the gate stops, naming the gap", async () => {
      const fresh = await gate({ dbInstanceId: GAP, maxAge: "24h" });
      expect(fresh).to.include({ fresh: true, recoverable: null, restoreWindowEnd: null });
      expect(calls("DescribeBinlogFiles")).to.equal(0);

      const message = await failureOf(gate({ dbInstanceId: GAP, maxAge: "24h", recoverableWithin: "15m" }));
      expect(message).to.match(/^requireFreshBackup: rm-uf6pitrgate02: point-in-time restore to \S+Z within 15m: NOT/);
      expect(message).to.match(/has a gap from \S+Z to \S+Z \(\w+\): no restore inside it/);
      expect(message).to.contain(`pulumi config set --path 'rds-backups:gateOverrides["${GAP}"].reason'`);
    });

    it("log backup off, a window ending too long ago, a retention below the minimum and SQL Server each stop it, naming the figure", async () => {
      const cases: Array<[Props, RegExp]> = [
        [{ dbInstanceId: LOG_OFF }, /log backup is off \(DescribeBackupPolicy BackupLog Disabled\)/],
        [
          { dbInstanceId: BEHIND },
          /the restore window ends at \S+Z, 2h\d*m? before the point .*more than recoverableWithin 15m/,
        ],
        [{ dbInstanceId: HEALTHY, minRetentionDays: 30 }, /BackupRetentionPeriod is 7 days, below minRetentionDays 30/],
        [
          { dbInstanceId: HEALTHY, minLogRetentionDays: 8 },
          /LogBackupRetentionPeriod is 7 days, below minLogRetentionDays 8/,
        ],
        [{ dbInstanceId: MSSQL }, /SQLServer: the restore window and the log chain cannot be checked/],
      ];
      for (const [args, expected] of cases) {
        const message = await failureOf(gate({ maxAge: "24h", recoverableWithin: "15m", ...args }));
        expect(message, String(args.dbInstanceId)).to.match(expected);
      }
    });

    it("an override lets an unrecoverable instance through, recorded with the verdict it overrode; a stale backup and a gap share one override", async () => {
      settings({ [GAP]: { reason: "binlog upload outage, INC-7" }, [STALE_GAP]: { reason: "both, INC-8" } });
      const props = await gate({ dbInstanceId: GAP, maxAge: "24h", recoverableWithin: "15m" });
      expect(props).to.include({ fresh: true, recoverable: false });
      expect(props.override).to.include({ reason: "binlog upload outage, INC-7" });
      expect(props.override!.verdict).to.match(/NOT possible: .*has a gap from/);
      // The unbroken chain ends where the gap begins (about 2 h ago), not at the last file after it.
      expect(props.override!.verdict).to.contain(`has a gap from ${props.logChainEnd} to`);
      expect(Date.now() - Date.parse(String(props.logChainEnd))).to.be.above(90 * 60_000);

      const both = await gate({ dbInstanceId: STALE_GAP, maxAge: "24h", recoverableWithin: "15m" });
      expect(both).to.include({ fresh: false, recoverable: false });
      expect(both.override!.verdict).to.match(
        /older than the limit 24h .*; rm-uf6pitrgate06: point-in-time restore .*NOT possible/,
      );
    });

    it("fails closed on an answer that cannot be right (a window ending in the future), override or not", async () => {
      settings({ [HEALTHY]: { reason: "would not help" } });
      emulator.injectFaults([
        { kind: "latency", ms: 0, times: 3 }, // freshness, policy, DescribeBackups pass
        { kind: "rewrite", set: { RecoveryEndTime: new Date(Date.now() + 2 * HOUR).toISOString().slice(0, 19) + "Z" } },
      ]);
      const message = await failureOf(gate({ dbInstanceId: HEALTHY, maxAge: "24h", recoverableWithin: "15m" }));
      expect(message).to.match(
        /could not read the backups of rm-uf6pitrgate01, so freshness and recoverability cannot be proven/,
      );
      expect(message).to.match(/RecoveryEndTime = .* it is in the future/);
      expect(message).to.contain("The override in rds-backups:gateOverrides does not apply");
    });

    it("refuses bad options before any call: a minimum without recoverableWithin, a bare number as text, more than a day", async () => {
      const check = await runtime.checkFreshBackupInputs(
        {},
        { dbInstanceId: HEALTHY, maxAge: "24h", minRetentionDays: 30, minLogRetentionDays: 7 },
      );
      expect(check.failures!.map((f) => f.reason)).to.deep.equal([
        'minRetentionDays 30 checks nothing alone; use it with recoverableWithin too (e.g. recoverableWithin: "15m")',
        'minLogRetentionDays 7 checks nothing alone; use it with recoverableWithin too (e.g. recoverableWithin: "15m")',
      ]);
      const logical = await runtime.checkEnsureBackup(
        {},
        { dbInstanceId: HEALTHY, maxAge: "24h", backupMethod: "Logical", recoverableWithin: "15m" },
      );
      expect(logical.failures!.map((f) => f.property)).to.deep.equal(["backupMethod"]);
      expect(logical.failures![0]!.reason).to.contain("cannot start a point-in-time restore");
      for (const recoverableWithin of ["15", "2d"]) {
        const bad = await runtime.checkFreshBackupInputs(
          {},
          { dbInstanceId: HEALTHY, maxAge: "24h", recoverableWithin },
        );
        expect(
          bad.failures!.map((f) => f.property),
          recoverableWithin,
        ).to.deep.equal(["recoverableWithin"]);
      }
      expect(emulator.stats.requests).to.equal(0);
    });

    it("refresh reports an unrecoverable instance and does not fail", async () => {
      const previous = { dbInstanceId: GAP, maxAge: "24h", recoverableWithin: "15m", fresh: true, recoverable: true };
      const props = await gate(previous);
      expect(props).to.include({ fresh: true, recoverable: false, override: null });
    });
  });

  describe("ensure (ensureFreshBackup, EnsuredBackup)", () => {
    it("a stale backup and a gap since it: preview plans a backup (it repairs the gap) and up takes one; the restore is then possible", async () => {
      const news = { dbInstanceId: STALE_GAP, maxAge: "24h", recoverableWithin: "15m" };
      const check = await runtime.checkEnsureBackup({}, news);
      expect(check.failures ?? []).to.deep.equal([]);
      expect(check.inputs).to.include({ recoverable: true, override: null });
      expect(String(check.inputs.plan)).to.match(/^take a Physical backup: /);
      expect(calls("CreateBackup")).to.equal(0);

      const created = await runtime.createEnsureBackup(check.inputs);
      expect(created.outs).to.include({ action: "created", recoverable: true, override: null });
      expect(calls("CreateBackup")).to.equal(1);
      expect(Date.now() - Date.parse(created.outs.restoreWindowEnd)).to.be.below(15 * 60_000);
    });

    it("log backup off: preview stops before any backup is taken (a backup would not turn it on)", async () => {
      const message = await failureOf(
        runtime.checkEnsureBackup({}, { dbInstanceId: STALE_LOG_OFF, maxAge: "24h", recoverableWithin: "15m" }),
      );
      expect(message).to.match(/^ensureFreshBackup: rm-uf6pitrgate07: .*NOT possible: log backup is off/);
      expect(message).to.contain("to deploy anyway, record why");
      expect(calls("CreateBackup")).to.equal(0);
    });

    it("a fresh backup with a gap since it: preview plans a backup (a new set is after the gap), up takes exactly one; then possible", async () => {
      const news = { dbInstanceId: FRESH_GAP, maxAge: "24h", recoverableWithin: "15m" };
      const check = await runtime.checkEnsureBackup({}, news);
      expect(String(check.inputs.plan)).to.match(
        /^take a Physical backup: rm-uf6pitrgate08: point-in-time .*has a gap from/,
      );
      expect(check.inputs).to.include({ recoverable: true, override: null });
      expect(calls("CreateBackup")).to.equal(0);
      const created = await runtime.createEnsureBackup(check.inputs);
      expect(created.outs).to.include({ action: "created", recoverable: true, override: null });
      expect(calls("CreateBackup")).to.equal(1);
      // A new set ended within the lag: the next check plans nothing.
      const again = await runtime.checkEnsureBackup({}, news);
      expect(again.inputs).to.include({ plan: runtime.PLAN_FRESH, recoverable: true });
      expect((await runtime.diffEnsureBackup(FRESH_GAP, created.outs, again.inputs)).changes).to.equal(false);
      expect(calls("CreateBackup")).to.equal(1);
    });

    it("no full set within the retention: a backup is planned and taken, and starts the restore", async () => {
      const news = { dbInstanceId: NO_SET, maxAge: "30d", recoverableWithin: "15m" };
      const check = await runtime.checkEnsureBackup({}, news);
      expect(String(check.inputs.plan)).to.match(/no usable physical or snapshot full backup ended between/);
      const created = await runtime.createEnsureBackup(check.inputs);
      expect(created.outs).to.include({ action: "created", recoverable: true });
      expect(calls("CreateBackup")).to.equal(1);
    });

    it("log backup off with a fresh backup: stopped; the override lets it through, recorded, takes nothing, and every use diffs", async () => {
      const news = { dbInstanceId: LOG_OFF, maxAge: "24h", recoverableWithin: "15m" };
      expect(await failureOf(runtime.checkEnsureBackup({}, news))).to.match(/NOT possible: log backup is off/);

      settings({ [LOG_OFF]: { reason: "log backup off by design on this replica, INC-7" } });
      const check = await runtime.checkEnsureBackup({}, news);
      expect(check.inputs).to.include({ plan: runtime.PLAN_FRESH, recoverable: false });
      expect((check.inputs.override as GateOverrideRecord).reason).to.equal(
        "log backup off by design on this replica, INC-7",
      );
      const created = await runtime.createEnsureBackup(check.inputs);
      expect(created.outs).to.include({ action: "none", recoverable: false });
      expect(created.outs.override.verdict).to.match(/log backup is off/);
      expect(calls("CreateBackup")).to.equal(0);
      // The state records this use; the next check's use is a new one, so the update records it too.
      await new Promise((r) => setTimeout(r, 1_100));
      const next = await runtime.checkEnsureBackup({}, news);
      expect((await runtime.diffEnsureBackup(LOG_OFF, created.outs, next.inputs)).changes).to.equal(true);
      // A refresh diffs the state with the last check's inputs: the update judged after it, so it settles.
      expect((await runtime.diffEnsureBackup(LOG_OFF, created.outs, check.inputs)).changes).to.equal(false);
    });

    it("a malformed override setting is refused before any call, not after a backup", async () => {
      runtime.setStackSettings({
        accessKey: ACCESS_KEY_ID,
        secretKey: ACCESS_KEY_SECRET,
        region: "cn-hangzhou",
        gateOverrides: JSON.stringify({ [STALE_GAP]: { why: "no reason field" } }),
      });
      const args = { dbInstanceId: STALE_GAP, maxAge: "1h", recoverableWithin: "15m" };
      const message = await failureOf(runtime.createEnsureBackup(args));
      expect(message).to.contain('rds-backups:gateOverrides["rm-uf6pitrgate06"].why');
      expect(emulator.stats.requests).to.equal(0);
    });
  });
});
