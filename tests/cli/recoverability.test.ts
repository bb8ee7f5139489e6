import { expect } from "chai";
import { generateData, startEmulator } from "../../emulator";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli, type CliResult, type Emulator } from "./harness";

const OK = "rm-cliok0001";
const GAP = "rm-cligap001";
const OFF = "rm-clioff001";
const MSSQL = "rm-cliss0001";

describe("rds-backups check --recoverable-within and policy (real binary against the emulator)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  const run = (...args: string[]): Promise<CliResult> => cli(args, env);

  before(async () => {
    const data = generateData({
      seed: 3,
      now: Date.now(),
      accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
      instances: [
        { id: OK, engine: "MySQL", count: 10, retentionDays: 30, logRetentionDays: 14, logChain: {} },
        { id: GAP, engine: "MySQL", count: 10, logChain: { gaps: [{ fromHoursAgo: 2, toHoursAgo: 1.5 }] } },
        { id: OFF, engine: "PostgreSQL", count: 10, logBackup: false },
        { id: MSSQL, engine: "SQLServer", count: 10 },
      ],
    });
    emu = await startEmulator({ data });
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  after(async () => emu.close());

  it("check: ok for a healthy chain, alone or with --max-age (one line each)", async () => {
    const alone = await run("check", OK, "--recoverable-within", "15m");
    expect(alone.code, alone.stderr).to.equal(0);
    expect(alone.stdout).to.match(
      /^ok {4}rm-cliok0001: point-in-time restore to \S+ within 15m: possible from full backup \d+/,
    );
    const both = await run(
      "check",
      OK,
      "--max-age",
      "24h",
      "--recoverable-within",
      "15m",
      "--min-retention-days",
      "30",
    );
    expect(both.code, both.stderr).to.equal(0);
    const lines = both.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^ok {4}rm-cliok0001: newest usable backup/);
    expect(lines[1]).to.match(/^ok {4}rm-cliok0001: point-in-time restore/);
  });

  it("check: exit 1, FAIL naming the gap, while the freshness gate alone passes the same instance", async () => {
    const fresh = await run("check", GAP, "--max-age", "24h");
    expect(fresh.code).to.equal(0);
    const r = await run("check", GAP, "--max-age", "24h", "--recoverable-within", "15m");
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(
      /\nFAIL {2}rm-cligap001: point-in-time restore .*NOT possible: the log chain .* has a gap from \S+Z to \S+Z \(/,
    );
  });

  it("check: log backup off, a retention below the minimum and SQL Server each FAIL with their figure; JSON keeps them", async () => {
    const r = await run(
      "check",
      OK,
      OFF,
      MSSQL,
      "--recoverable-within",
      "15m",
      "--min-log-retention-days",
      "30",
      "-o",
      "json",
    );
    expect(r.code, r.stderr).to.equal(1);
    const doc = JSON.parse(r.stdout) as {
      exitCode: number;
      results: {
        instance: string;
        check: string;
        status: string;
        recoverability: { failures: { condition: string; message: string }[] };
      }[];
    };
    expect(doc.exitCode).to.equal(1);
    expect(doc.results.map((x) => [x.instance, x.check, x.status])).to.deep.equal([
      [OK, "recoverability", "unrecoverable"],
      [OFF, "recoverability", "unrecoverable"],
      [MSSQL, "recoverability", "unrecoverable"],
    ]);
    const failures = (i: number) => doc.results[i]!.recoverability.failures;
    expect(failures(0)).to.deep.equal([
      { condition: "logRetention", message: "LogBackupRetentionPeriod is 14 days, below minLogRetentionDays 30" },
    ]);
    expect(failures(1).map((f) => f.condition)).to.deep.equal(["logBackup", "restoreWindow", "logRetention"]);
    expect(failures(1)[0]!.message).to.contain("BackupLog Disabled");
    expect(failures(2).map((f) => f.condition)).to.deep.equal(["engine", "logRetention"]);
    expect(r.stdout).not.to.match(/Signature=/);
  });

  it("check: exit 2 when an answer cannot be right (a window ending in the future), and on bad input", async () => {
    emu.injectFaults([
      { kind: "latency", ms: 0, times: 2 },
      { kind: "rewrite", set: { RecoveryEndTime: "2099-01-01T00:00:00Z" } },
    ]);
    const r = await run("check", OK, "--recoverable-within", "15m");
    expect(r.code).to.equal(2);
    expect(r.stdout).to.match(
      /^ERROR rm-cliok0001: DescribeLocalAvailableRecoveryTime answered RecoveryEndTime = "2099-01-01T00:00:00Z"/,
    );
    const bad = await run("check", OK, "--recoverable-within", "15m", "--min-retention-days", "a week");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--min-retention-days: minRetentionDays "a week" is not allowed; use an integer >= 1/);
    const unitless = await run("check", OK, "--recoverable-within", "15");
    expect(unitless.stderr).to.match(/--recoverable-within "15" has no unit/);
    const alone = await run("check", OK, "--min-retention-days", "30", "--max-age", "24h");
    expect(alone.code).to.equal(2);
    expect(alone.stderr).to.match(/need --recoverable-within/);
  });

  it("policy: a table, log backup off named on stderr with exit 1; JSON; exit 2 for an unknown instance", async () => {
    const table = await run("policy", OK, OFF);
    expect(table.code).to.equal(1);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).to.match(
      /^INSTANCE +LOG BACKUP +RETENTION +LOG RETENTION +WINDOW \(UTC\) +NEXT BACKUP +WEEKDAYS$/,
    );
    expect(lines[1]).to.match(/^rm-cliok0001 +on +30d +14d +02:00Z-03:00Z +- +Mon,Tue,Wed,Thu,Fri,Sat,Sun$/);
    expect(lines[2]).to.match(/^rm-clioff001 +off +7d +7d /);
    expect(table.stderr).to.equal(
      "SHORT rm-clioff001: log backup is off (DescribeBackupPolicy BackupLog Disabled): no restore to a point in time\n",
    );
    const json = await run("policy", OK, "--min-retention-days", "30", "-o", "json");
    expect(json.code, json.stderr).to.equal(0);
    const doc = JSON.parse(json.stdout) as {
      results: { instance: string; status: string; policy: Record<string, unknown> }[];
    };
    expect(doc.results[0]).to.deep.include({ instance: OK, status: "ok" });
    expect(doc.results[0]!.policy).to.include({
      logBackupEnabled: true,
      backupRetentionDays: 30,
      logBackupRetentionDays: 14,
    });
    const short = await run("policy", OK, "--min-retention-days", "31");
    expect(short.code).to.equal(1);
    expect(short.stderr).to.contain("BackupRetentionPeriod is 30 days, below minRetentionDays 31");
    const missing = await run("policy", "rm-nosuch01");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/^ERROR rm-nosuch01: /);
  });
});
