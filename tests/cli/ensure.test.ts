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
          "rm-lag": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-lag", "6001", 72, now)],
            backupDurationSeconds: 1,
            backupVisibilityLagSeconds: 25,
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

  it("exit 0: CreateBackup replayed, the backup so short that its task is never seen: its set proves it, one backup, taken", async () => {
    const box = await viaMiddlebox((action) => (action === "CreateBackup" ? { kind: "replay" } : undefined));
    try {
      const r = await run("ensure", "rm-stale", "--max-age", "24h", "--timeout", "2m", "-o", "json");
      expect(r.code, r.stderr + r.stdout).to.equal(0);
      const tasks = emu.backupTasks("rm-stale");
      expect(tasks, "backups started").to.have.length(1);
      const [result] = JSON.parse(r.stdout).results;
      expect(result.status).to.equal("taken");
      expect(result.backup.backupId).to.equal(tasks[0]?.BackupId);
      expect(result.message).to.match(/took a backup \(its job id was lost with CreateBackup's answer\)$/);
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

  it("a time-out while the set is not listed: the message gives --job-id, and a run with it joins that job (one backup)", async () => {
    const first = await run("ensure", "rm-lag", "--max-age", "24h", "--timeout", "8s");
    expect(first.code, first.stderr).to.equal(1);
    const [task] = emu.backupTasks("rm-lag");
    const jobId = task?.BackupJobId as string;
    expect(first.stdout).to.match(
      new RegExp(
        `^TIMEOUT rm-lag: backup job ${jobId} \\(started by this run\\) finished, but its backup set ${task?.BackupId} was not listed`,
      ),
    );
    expect(first.stdout)
      .to.include(`(CLI: --job-id ${jobId})`)
      .and.to.include("Do not run ensure again without the job id until the set is listed");
    const second = await run(
      "ensure",
      "rm-lag",
      "--max-age",
      "24h",
      "--timeout",
      "1m",
      "--job-id",
      jobId,
      "-o",
      "json",
    );
    expect(second.code, second.stderr + second.stdout).to.equal(0);
    const [result] = JSON.parse(second.stdout).results;
    expect(result).to.include({ status: "joined", jobId });
    expect(result.backup.backupId).to.equal(task?.BackupId);
    expect(emu.stats.createBackup, "CreateBackup calls").to.equal(1);
    expect(emu.backupTasks("rm-lag"), "backups started").to.have.length(1);
    const bad = await run("ensure", "rm-lag", "rm-stale", "--max-age", "24h", "--timeout", "1m", "--job-id", jobId);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--job-id names the job of one instance/);
  });

  it("exit 1: a Failed task that the service no longer lists, even by id, stops the run once its Failed set is listed", async () => {
    const dropping = await startEmulator({
      port: 0,
      endedTasksListed: "never",
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        instances: {
          "rm-broken": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-broken", "3001", 72, Date.now())],
            backupDurationSeconds: 1,
            backupVisibilityLagSeconds: 1,
            failBackups: true,
          },
        },
      } as never,
    });
    try {
      const t0 = performance.now();
      const r = await cli(["ensure", "rm-broken", "--max-age", "24h", "--timeout", "2m"], {
        ALIBABA_CLOUD_RDS_ENDPOINT: dropping.url,
      });
      const [task] = dropping.backupTasks("rm-broken");
      expect(r.code, r.stderr + r.stdout).to.equal(1);
      expect(r.stdout).to.match(
        new RegExp(
          `^FAILED  rm-broken: backup job ${task?.BackupJobId} \\(started by this run\\) is no longer listed, and its backup set \\d+ is listed as Failed`,
        ),
      );
      // The task failed 0.6 s in, its set was listed 1 s later: far below the 2 min time-out.
      expect(performance.now() - t0, "wall time, ms").to.be.lessThan(30_000);
      expect(dropping.backupTasks("rm-broken"), "backups started").to.have.length(1);
    } finally {
      await dropping.close();
    }
  });

  it("exit 1: a job whose task names a set from before the run is not reported as taken", async () => {
    emu.addBackup("rm-stale", raw("rm-stale", "2002", 2, Date.now(), { BackupMode: "Manual" }) as never);
    const box = await viaMiddlebox((action, params) =>
      action === "DescribeBackupTasks" && params.has("BackupJobId")
        ? {
            kind: "rewrite",
            edit: (body) => {
              const jobs = (body.Items as { BackupJob: Array<Record<string, unknown>> }).BackupJob;
              for (const job of jobs)
                Object.assign(job, {
                  BackupStatus: "Finished",
                  BackupProgressStatus: "Finished",
                  Process: "100",
                  BackupId: "2002",
                });
              return body;
            },
          }
        : undefined,
    );
    try {
      const r = await run("ensure", "rm-stale", "--max-age", "1h", "--timeout", "1m", "-o", "json");
      expect(r.code, r.stderr + r.stdout).to.equal(1);
      const [result] = JSON.parse(r.stdout).results;
      expect(result.status).to.equal("failed");
      expect(result.message).to.match(/names backup set 2002, which ended \S+Z, before the job started/);
      expect(result.backup).to.equal(undefined);
      expect(emu.backupTasks("rm-stale"), "backups started").to.have.length(1);
    } finally {
      await box.close();
    }
  });

  it("in CI (stderr not a terminal): a heartbeat line per instance with job id, status and elapsed", async () => {
    const r = await run("ensure", "rm-slow", "--max-age", "24h", "--timeout", "4s", "--heartbeat", "1s");
    expect(r.code).to.equal(1);
    const [task] = emu.backupTasks("rm-slow");
    const beats = r.stderr.split("\n").filter((l) => l.startsWith("ensure: "));
    expect(beats.length, r.stderr).to.be.within(2, 5);
    expect(beats.at(-1)).to.match(
      new RegExp(
        `^ensure: rm-slow: backup job ${task?.BackupJobId} \\(created\\) (NoStart|Checking|Preparing|Uploading)( \\d+%)?; elapsed \\ds$`,
      ),
    );
    expect(r.stderr).to.not.include("\u001b");
  });

  it("SIGTERM: names the job it started and that it goes on at the service; ends as the signal does", async () => {
    let signalled = false;
    const r = await cli(["ensure", "rm-slow", "--max-age", "24h", "--timeout", "5m", "--heartbeat", "1s"], env, {
      onStderr: (child, stderr) => {
        if (!signalled && /backup job \d+ \(created\)/.test(stderr)) {
          signalled = true;
          child.kill("SIGTERM");
        }
      },
    });
    const [task] = emu.backupTasks("rm-slow");
    expect(r.signal, r.stderr).to.equal("SIGTERM");
    expect(r.stderr).to.include(
      `ensure: SIGTERM: stopped waiting for backup job ${task?.BackupJobId} of rm-slow (created, last status `,
    );
    expect(r.stderr).to.match(
      /the job goes on at the service: follow it with DescribeBackupTasks \(BackupJobId \d+\) or rds-backups ensure rm-slow --job-id \d+/,
    );
    expect(emu.backupTasks("rm-slow"), "backups started").to.have.length(1);
  });

  it("check and ensure --help list the one status vocabulary of their JSON", async () => {
    const ensureHelp = (await run("ensure", "--help")).stdout;
    const checkHelp = (await run("check", "--help")).stdout;
    for (const word of ["fresh", "taken", "joined", "failed", "timeout", "error"])
      expect(ensureHelp).to.match(new RegExp(`^  ${word} +\\S`, "m"));
    for (const word of ["fresh", "stale", "error"]) expect(checkHelp).to.match(new RegExp(`^  ${word} +\\S`, "m"));
    const line = (help: string, word: string) => help.split("\n").find((l) => l.startsWith(`  ${word} `));
    expect(line(ensureHelp, "fresh")).to.equal(line(checkHelp, "fresh"));
    expect(line(ensureHelp, "error")).to.equal(line(checkHelp, "error"));
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
    const r = await run("ensure", "rm-slow", "--max-age", "24h", "--timeout", "8s");
    expect(r.code).to.equal(1);
    const [task] = emu.backupTasks("rm-slow");
    expect(r.stdout).to.match(new RegExp(`^TIMEOUT rm-slow: backup job ${task?.BackupJobId} .*within the time-out 8s`));
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
