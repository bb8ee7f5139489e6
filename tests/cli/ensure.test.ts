import { expect } from "chai";
import { startEmulator } from "../../emulator";
import { ensure } from "../../cli/commands/ensure";
import { ExitError } from "../../cli/exit-error";
import { painter } from "../../cli/format/color";
import type { Io } from "../../cli/io";
import { startMiddlebox, type Behaviour } from "../reliability/middlebox";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli, raw, type CliResult, type Emulator } from "./harness";

/**
 * `rds-backups ensure`, the real binary against the emulator. Backups of the emulator here take
 * no time (duration 0, no listing lag), or far longer than the time-out: no result depends on
 * how long the test machine takes.
 */
describe("rds-backups ensure (real binary against the emulator)", function () {
  this.timeout(120_000);
  let emu: Emulator;
  let env: Record<string, string>;
  const run = (...args: string[]): Promise<CliResult> => cli(args, env);
  const instant = { backupDurationSeconds: 0, backupVisibilityLagSeconds: 0 };

  beforeEach(async () => {
    const now = Date.now();
    emu = await startEmulator({
      port: 0,
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        instances: {
          "rm-fresh": { regionId: "cn-hangzhou", backups: [raw("rm-fresh", "1001", 2, now)], ...instant },
          "rm-stale": { regionId: "cn-hangzhou", backups: [raw("rm-stale", "2001", 72, now)], ...instant },
          "rm-broken": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-broken", "3001", 72, now)],
            ...instant,
            failBackups: true,
          },
          "rm-short": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-short", "5001", 72, now)],
            backupDurationSeconds: 4,
            backupVisibilityLagSeconds: 0,
          },
          "rm-slow": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-slow", "4001", 72, now)],
            backupDurationSeconds: 3_600,
          },
        },
      } as never,
    });
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  afterEach(async () => emu.close());

  it("exit 0: fresh is left alone, stale gets exactly one backup; no progress when stderr is not a terminal", async () => {
    const r = await run("ensure", "rm-fresh", "rm-stale", "--max-age", "24h", "--timeout", "5m");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.equal("");
    const [fresh, stale] = r.stdout.trimEnd().split("\n");
    expect(fresh).to.match(
      /^ok {6}rm-fresh: newest usable backup 1001 ended \S+, 2h ago, within the limit 24h( \(backupType FullBackup\))?; nothing taken$/,
    );
    const [task] = emu.backupTasks("rm-stale");
    expect(stale).to.match(
      new RegExp(
        `^TAKEN   rm-stale: newest usable backup ${task?.BackupId} ended \\S+Z, \\d+s ago, within the limit 24h \\(backupType FullBackup\\); took backup job ${task?.BackupJobId}$`,
      ),
    );
    expect(emu.stats.createBackup).to.equal(1);
    expect(emu.backupTasks("rm-fresh")).to.have.length(0);
  });

  it("json: what happened to each instance, with the job id and the backup", async () => {
    const r = await run(
      "ensure",
      "rm-stale",
      "--max-age",
      "24h",
      "--timeout",
      "5m",
      "--method",
      "Snapshot",
      "-o",
      "json",
    );
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    const [task] = emu.backupTasks("rm-stale");
    expect(out).to.include({ ok: true, exitCode: 0, maxAgeSeconds: 86_400, timeoutSeconds: 300 });
    expect(out.results[0]).to.include({ instance: "rm-stale", status: "taken", jobId: task?.BackupJobId });
    expect(out.results[0].backup).to.include({
      backupId: task?.BackupId,
      backupMethod: "Snapshot",
      backupMode: "Manual",
    });
  });

  /** The binary's endpoint is a middlebox in front of the emulator, acting on the actions `decide` picks. */
  const viaMiddlebox = async (decide: (action: string, params: URLSearchParams) => Behaviour | undefined) => {
    const box = await startMiddlebox(emu.url, decide);
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: box.url };
    return box;
  };

  it("exit 0: a middlebox that replays CreateBackup (SignatureNonceUsed) makes one backup, reported as taken", async () => {
    const box = await viaMiddlebox((action) => (action === "CreateBackup" ? { kind: "replay" } : undefined));
    try {
      const r = await run("ensure", "rm-short", "--max-age", "24h", "--timeout", "2m", "-o", "json");
      expect(r.code, r.stderr + r.stdout).to.equal(0);
      const tasks = emu.backupTasks("rm-short");
      expect(tasks, "backups started").to.have.length(1);
      expect(box.seen.CreateBackup, "CreateBackup sent by the client").to.equal(1);
      expect(emu.stats.byCode).to.have.property("SignatureNonceUsed", 1);
      const out = JSON.parse(r.stdout);
      expect(out.results[0]).to.include({ status: "taken", jobId: tasks[0]?.BackupJobId });
    } finally {
      await box.close();
    }
  });

  it("exit 1: --timeout bounds the whole run, the task read before CreateBackup too (it never answers)", async () => {
    const box = await viaMiddlebox((action) =>
      action === "DescribeBackupTasks" ? { kind: "never-answer" } : undefined,
    );
    try {
      const t0 = performance.now();
      const r = await run("ensure", "rm-stale", "--max-age", "24h", "--timeout", "3s", "-o", "json");
      const ms = performance.now() - t0;
      expect(r.code, r.stderr + r.stdout).to.equal(1);
      const [result] = JSON.parse(r.stdout).results;
      expect(result).to.include({ instance: "rm-stale", status: "timeout" });
      expect(result.message).to.match(/within the time-out 3s: it was looking for a backup task/);
      expect(result.message).to.not.match(/startTime|endTime/);
      // 3 s, plus the binary's start (ts-node) on a shared machine; reads retried against the
      // 10 s read time-out took over 50 s before.
      expect(ms, "wall time of the process, ms").to.be.lessThan(3_000 + 12_000);
      expect(emu.backupTasks("rm-stale"), "backups started").to.have.length(0);
    } finally {
      await box.close();
    }
  });

  it("exit 2: a server that stalls after its headers is a time-out naming the stall, not a reset", async () => {
    const box = await viaMiddlebox((action) =>
      action === "DescribeBackupTasks" ? { kind: "stall-after-headers" } : undefined,
    );
    try {
      const r = await run("ensure", "rm-stale", "--max-age", "24h", "--timeout", "1m");
      expect(r.code, r.stderr + r.stdout).to.equal(2);
      expect(r.stdout).to.match(
        /^ERROR {3}rm-stale: DescribeBackupTasks rm-stale: time-out: http:\/\/127\.0\.0\.1:\d+ stalled after the headers of its answer \(HTTP 200\): no byte of the body for \d+ ms/,
      );
      expect(r.stdout).to.not.match(/ECONNRESET|network error/);
      expect(emu.backupTasks("rm-stale"), "backups started").to.have.length(0);
    } finally {
      await box.close();
    }
  });

  it("exit 0: a backup task already running (the nightly one) is joined, not duplicated", async () => {
    const jobId = emu.startBackupTask("rm-stale", { mode: "Automated", durationMs: 10_000 });
    const r = await run("ensure", "rm-stale", "--max-age", "24h", "--timeout", "5m");
    expect(r.code, r.stderr).to.equal(0);
    const [task] = emu.backupTasks("rm-stale");
    expect(task?.BackupJobId).to.equal(jobId);
    expect(r.stdout.trimEnd()).to.match(
      new RegExp(
        `^JOINED  rm-stale: newest usable backup ${task?.BackupId} ended .*; joined the running backup job ${jobId}$`,
      ),
    );
    expect(emu.stats.createBackup, "CreateBackup calls").to.equal(0);
    expect(emu.backupTasks("rm-stale")).to.have.length(1);
  });

  it("exit 1: a Failed task, named; others are still handled", async () => {
    const r = await run("ensure", "rm-broken", "rm-fresh", "--max-age", "24h", "--timeout", "5m");
    expect(r.code).to.equal(1);
    const [task] = emu.backupTasks("rm-broken");
    expect(r.stdout).to.match(
      new RegExp(`^FAILED  rm-broken: backup job ${task?.BackupJobId} \\(started by this run\\) ended Failed`, "m"),
    );
    expect(r.stdout).to.match(/^ok {6}rm-fresh: /m);
  });

  it("exit 1: a time-out names the job id", async () => {
    const r = await run("ensure", "rm-slow", "--max-age", "24h", "--timeout", "1s");
    expect(r.code).to.equal(1);
    const [task] = emu.backupTasks("rm-slow");
    expect(r.stdout).to.match(new RegExp(`^TIMEOUT rm-slow: backup job ${task?.BackupJobId} .*within the time-out 1s`));
  });

  it("exit 2: bad input before any call; an instance that cannot be read", async () => {
    const bad = [
      [["ensure", "rm-stale", "--max-age", "24h"], /--timeout is required/],
      [["ensure", "rm-stale", "--max-age", "24h", "--timeout", "2d"], /--timeout: timeout .*at most 24h/],
      [
        ["ensure", "rm-stale", "--max-age", "24h", "--timeout", "1h", "--method", "Full"],
        /--method: backupMethod "Full" is not allowed; use one of Logical, Physical, Snapshot \(case matters\)/,
      ],
      [
        ["ensure", "rm-stale", "--max-age", "24h", "--timeout", "1h", "--backup-type", "IncrementalBackup"],
        /^error: --backup-type: backupType "IncrementalBackup" can never be satisfied here: CreateBackup takes full backups/,
      ],
    ] as const;
    for (const [args, message] of bad) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).to.equal(2);
      expect(r.stderr).to.match(message);
    }
    expect(emu.stats.requests).to.equal(0);
    const r = await run("ensure", "rm-missing", "--max-age", "24h", "--timeout", "1h");
    expect(r.code).to.equal(2);
    expect(r.stdout).to.match(/^ERROR {3}rm-missing: DescribeBackups rm-missing: instance not found/);
    expect(emu.stats.createBackup).to.equal(0);
  });

  it("on a terminal, progress is one line on stderr, redrawn and erased at the end", async () => {
    let out = "";
    let err = "";
    const io: Io = {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      stdoutIsTTY: false,
      stderrIsTTY: true,
      paint: painter(false),
      paintErr: painter(false),
      env: {},
      now: () => new Date(),
    };
    const connection = {
      endpoint: emu.url,
      credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    };
    const result = await ensure(
      { instances: ["rm-stale"], maxAge: "24h", timeout: "5m", output: "text", connection },
      io,
    ).then(
      () => 0,
      (e: unknown) => (e instanceof ExitError ? e.code : e),
    );
    expect(result).to.equal(0);
    const [task] = emu.backupTasks("rm-stale");
    expect(err).to.include(`\r\u001b[2Krm-stale: backup job ${task?.BackupJobId} (created) Finished 100%`);
    expect(err.endsWith("\r\u001b[2K")).to.equal(true);
    expect(out).to.match(/^TAKEN {3}rm-stale: /);
  });
});
