/**
 * ensureFreshBackup against the emulator (real SDK, real HTTP, real signatures). Time is the
 * test's: the run's clock and the emulator's move together (`virtualClock`), so a 40-second
 * backup takes no wall-clock time and nothing depends on real time passing.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type EmulatorData,
  type RunningEmulator,
} from "../../emulator";
import {
  describeBackupTasks,
  ensureFreshBackup,
  RdsApiError,
  RdsBackupJobError,
  RdsBackupsError,
  RdsResponseError,
  RdsValidationError,
  type EnsureClock,
  type EnsureOptions,
  type EnsureProgress,
} from "../../sdk";
import { normalizeCreateBackup, normalizeTasks } from "../../sdk/backup-tasks";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";
import { sendCreateBackup } from "../../sdk/backup-tasks";
import { resolveOptions } from "../../sdk/options";
import { rawBackup } from "../provider/fixtures";
import { startMiddlebox, type Behaviour, type Middlebox } from "../reliability/middlebox";

const STALE = "rm-stale01";
const FRESH = "rm-fresh01";
const OTHER = "rm-other01";
const LIMITED_KEY = "LTAI5tLimitedKey000001";
const LIMITED_SECRET = "limited-secret-000000000001";

function testData(
  instance: { backupDurationSeconds?: number; backupVisibilityLagSeconds?: number } = {},
): EmulatorData {
  const data = generateData({
    seed: 11,
    instances: [
      { id: STALE, engine: "MySQL", count: 20, newestAgeHours: 40 },
      { id: FRESH, engine: "MySQL", count: 20, newestAgeHours: 3 },
      { id: OTHER, engine: "MySQL", count: 5, newestAgeHours: 40 },
    ],
  });
  data.accessKeys[LIMITED_KEY] = { secret: LIMITED_SECRET, instances: [OTHER] };
  Object.assign(data.instances[STALE] as object, {
    backupDurationSeconds: 40,
    backupVisibilityLagSeconds: 10,
    ...instance,
  });
  return data;
}

/** The run's clock; each sleep moves the emulator's clock by as much, and takes no real time. */
function virtualClock(emu: RunningEmulator): EnsureClock & { slept: number } {
  const start = Date.now();
  const clock = {
    slept: 0,
    now: () => start + clock.slept,
    sleep: async (ms: number) => {
      clock.slept += ms;
      emu.advanceClock(ms);
    },
  };
  return clock;
}

describe("sdk/ensure: ensureFreshBackup against the emulator", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let clock: ReturnType<typeof virtualClock>;
  const options = (extra: Partial<EnsureOptions> = {}): EnsureOptions => ({
    endpoint: emu.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
    retry: new StandardRetryPolicy({ random: () => 0 }),
    clock,
    pollInterval: { initialMs: 1_000, maxMs: 8_000 },
    ...extra,
  });
  const start = async (data = testData(), endedTasksListed: "by-id" | "never" = "by-id") => {
    emu = await startEmulator({ data, port: 0, endedTasksListed });
    clock = virtualClock(emu);
  };
  afterEach(async () => emu && emu.close());

  it("fresh: one DescribeBackups, exactly the gate's read; no task read, nothing created", async () => {
    await start();
    const r = await ensureFreshBackup({ dbInstanceId: FRESH, maxAge: "24h" }, options());
    expect(r.action).to.equal("none");
    expect(r.jobId).to.equal(undefined);
    expect(r.verdict.fresh).to.equal(true);
    expect(r.backup.backupId).to.equal(r.verdict.newest?.backupId);
    expect(emu.stats.byAction).to.deep.equal({ DescribeBackups: 1 });
    expect(emu.stats.createBackup).to.equal(0);
  });

  it("stale: exactly one CreateBackup, waits through the task and the listing lag, ends with the gate's fresh verdict", async () => {
    await start();
    const seen: EnsureProgress[] = [];
    const r = await ensureFreshBackup(
      { dbInstanceId: STALE, maxAge: "24h", timeout: "10m" },
      options({ onProgress: (p) => seen.push(p) }),
    );
    expect(emu.stats.createBackup).to.equal(1);
    const [task] = emu.backupTasks(STALE);
    expect(r.action).to.equal("created");
    expect(r.jobId).to.equal(task?.BackupJobId);
    expect(r.backup.backupId).to.equal(task?.BackupId);
    expect(r.backup).to.include({
      backupStatus: "Success",
      isAvail: true,
      backupMode: "Manual",
      backupMethod: "Physical",
      backupInitiator: "User",
    });
    expect(r.verdict.fresh).to.equal(true);
    expect(r.verdict.newest?.backupId).to.equal(task?.BackupId);
    // Progress: the task's statuses with their percentages, then the wait for the listing.
    const statuses = seen.map((p) => p.status);
    expect(statuses).to.include("Uploading").and.to.include("Finished").and.to.include("Listing");
    expect(statuses.indexOf("Finished")).to.be.lessThan(statuses.lastIndexOf("Listing"));
    expect(seen.every((p) => p.jobId === r.jobId && p.action === "created")).to.equal(true);
    expect(seen.find((p) => p.status === "Uploading")?.percent).to.be.within(0, 100);
    expect(seen[0]?.message).to.match(new RegExp(`^${STALE}: backup job ${r.jobId} \\(created\\) `));
    // Bounded waits: it finished within the backup's duration plus the lag plus one poll interval.
    expect(clock.slept).to.be.within(40_000, 40_000 + 10_000 + 8_000);
    // A second run finds the new backup fresh: nothing more is created.
    const again = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, options());
    expect(again.action).to.equal("none");
    expect(again.backup.backupId).to.equal(task?.BackupId);
    expect(emu.stats.createBackup).to.equal(1);
  });

  it("BackupMethod is sent as asked (Snapshot), Physical by default", async () => {
    await start();
    await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", backupMethod: "Snapshot" }, options());
    const created = emu.backupTasks(STALE);
    expect(created).to.have.length(1);
    const { backups } = await import("../../sdk").then((m) =>
      m.listBackups({ dbInstanceId: STALE, backupId: created[0]?.BackupId }, options()),
    );
    expect(backups[0]?.backupMethod).to.equal("Snapshot");
  });

  it("a Failed task fails at once, naming the job, without waiting for the time-out", async () => {
    await start();
    emu.failNextBackup(STALE);
    const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "20m" }, options()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RdsBackupJobError);
    const e = err as RdsBackupJobError;
    const [task] = emu.backupTasks(STALE);
    expect(e.reason).to.equal("failed");
    expect(e.jobId).to.equal(task?.BackupJobId);
    expect(e.message).to.include(`backup job ${task?.BackupJobId}`).and.to.include("ended Failed");
    // The task fails 60% into its 40 s: ensure stops within one poll interval of that.
    expect(clock.slept).to.be.lessThan(24_000 + 8_000 + 1);
    expect(emu.stats.createBackup).to.equal(1);
  });

  it("times out naming the job id; the time-out bounds every wait", async () => {
    await start(testData({ backupDurationSeconds: 3_600 }));
    const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "2m" }, options()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RdsBackupJobError);
    const e = err as RdsBackupJobError;
    const [task] = emu.backupTasks(STALE);
    expect(e.reason).to.equal("timeout");
    expect(e.jobId).to.equal(task?.BackupJobId);
    expect(e.message)
      .to.include(`backup job ${task?.BackupJobId}`)
      .and.to.match(/within the time-out 2m/)
      .and.to.include(`run ensure again with jobId ${task?.BackupJobId} (CLI: --job-id ${task?.BackupJobId})`);
    // For a front door that words its own advice: the facts alone, and a plain rerun is safe (it joins).
    expect(e.resume?.rerunTakesSecondBackup).to.equal(false);
    expect(e.resume?.facts)
      .to.include(`backup job ${task?.BackupJobId}`)
      .and.not.to.match(/jobId|--job-id/);
    expect(clock.slept).to.equal(120_000);
    expect(emu.stats.createBackup).to.equal(1);
  });

  describe("a service that drops ended tasks from DescribeBackupTasks, even by id", () => {
    const short = { backupDurationSeconds: 4, backupVisibilityLagSeconds: 1 };

    it("a Finished task that vanished: its set, once listed, is the result (one backup)", async () => {
      await start(testData(short), "never");
      const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "15s" }, options());
      const tasks = emu.backupTasks(STALE);
      expect(tasks, "backups started").to.have.length(1);
      expect(r).to.include({ action: "created", jobId: tasks[0]?.BackupJobId });
      expect(r.backup.backupId).to.equal(tasks[0]?.BackupId);
    });

    it("a Failed task that vanished stops the run once its Failed set is listed, far below the time-out", async () => {
      await start(testData(short), "never");
      emu.failNextBackup(STALE);
      const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "15s" }, options()).then(
        () => undefined,
        (e: unknown) => e,
      );
      const [task] = emu.backupTasks(STALE);
      expect(err).to.be.instanceOf(RdsBackupJobError);
      expect((err as RdsBackupJobError).reason).to.equal("failed");
      expect((err as Error).message).to.match(
        new RegExp(
          `backup job ${task?.BackupJobId} \\(started by this run\\) is no longer listed, and its backup set \\d+ is listed as Failed`,
        ),
      );
      // Failed at 2.4 s, its set listed 1 s later, seen at the next poll: not the 15 s time-out.
      expect(clock.slept).to.be.within(3_400, 3_400 + 8_000);
      expect(emu.backupTasks(STALE), "backups started").to.have.length(1);
    });

    it("a Failed task that vanished and leaves no set in sight: judged within a quarter of the time-out", async () => {
      await start(testData({ backupDurationSeconds: 4, backupVisibilityLagSeconds: 3_600 }), "never");
      emu.failNextBackup(STALE);
      const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "15s" }, options()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as RdsBackupJobError).reason).to.equal("failed");
      expect((err as Error).message).to.match(
        /is no longer listed by DescribeBackupTasks, even by its id, and no usable backup set of it appeared within 3s after that/,
      );
      // Vanished at 2.4 s; judged 3 s (15 s / 4, in whole seconds) later, give or take one poll.
      expect(clock.slept).to.be.within(2_400 + 3_000, 2_400 + 3_000 + 8_000);
      expect(clock.slept).to.be.lessThan(15_000);
    });
  });

  it("a Finished job that names a set from before the run is never its result: refused, naming both times", async () => {
    await start();
    // A set that ended 2 h ago (stale for a 1 h gate), and a task list that claims it as the new job's.
    emu.addBackup(STALE, rawBackup("900001", 2, { DBInstanceId: STALE, BackupMode: "Manual" }));
    const box = await startMiddlebox(emu.url, (action, params) =>
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
                  BackupId: "900001",
                });
              return body;
            },
          }
        : undefined,
    );
    try {
      const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "1h" }, options({ endpoint: box.url })).then(
        () => undefined,
        (e: unknown) => e,
      );
      const [task] = emu.backupTasks(STALE);
      expect(err).to.be.instanceOf(RdsBackupJobError);
      expect((err as RdsBackupJobError).reason).to.equal("not-usable");
      expect((err as Error).message).to.match(
        new RegExp(
          `backup job ${task?.BackupJobId} \\(started by this run\\) names backup set 900001, which ended \\S+Z, before the job started \\(\\S+Z\\): that cannot be its set`,
        ),
      );
      expect(emu.backupTasks(STALE), "backups started").to.have.length(1);
    } finally {
      await box.close();
    }
  });

  it("a time-out while the set is not listed yet: the message says how to resume; a run with that jobId joins it, no second backup", async () => {
    await start(testData({ backupDurationSeconds: 2, backupVisibilityLagSeconds: 15 }));
    const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "4s" }, options()).then(
      () => undefined,
      (e: unknown) => e,
    );
    const [task] = emu.backupTasks(STALE);
    expect(err).to.be.instanceOf(RdsBackupJobError);
    const e = err as RdsBackupJobError;
    expect(e).to.include({ reason: "timeout", jobId: task?.BackupJobId, lastStatus: "Finished" });
    expect(e.message)
      .to.include(
        `backup job ${task?.BackupJobId} (started by this run) finished, but its backup set ${task?.BackupId} was not listed`,
      )
      .and.to.include(`run ensure again with jobId ${task?.BackupJobId} (CLI: --job-id ${task?.BackupJobId})`)
      .and.to.include("Do not run ensure again without the job id until the set is listed");
    expect(e.resume?.rerunTakesSecondBackup, "a plain rerun would take a second backup").to.equal(true);
    expect(e.resume?.facts)
      .to.include(`finished, but its backup set ${task?.BackupId} was not listed`)
      .and.not.to.match(/jobId|--job-id|run ensure/);
    // The resumed run: within the listing lag, it waits for that job's set and calls no CreateBackup.
    emu.resetStats();
    const r = await ensureFreshBackup(
      { dbInstanceId: STALE, maxAge: "24h", timeout: "1m" },
      options({ jobId: task?.BackupJobId }),
    );
    expect(r).to.include({ action: "joined", jobId: task?.BackupJobId });
    expect(r.backup.backupId).to.equal(task?.BackupId);
    expect(emu.stats.createBackup).to.equal(0);
    expect(emu.backupTasks(STALE), "backups started").to.have.length(1);
  });

  it("joins a task that already runs (the nightly backup): nothing created, its set is the answer", async () => {
    await start();
    const jobId = emu.startBackupTask(STALE, { mode: "Automated", durationMs: 30_000 });
    const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, options());
    expect(r.action).to.equal("joined");
    expect(r.jobId).to.equal(jobId);
    expect(r.backup).to.include({ backupMode: "Automated" });
    expect(emu.stats.createBackup).to.equal(0);
  });

  it("a crash after CreateBackup, then a retried run: it joins the first task, no second backup", async () => {
    await start();
    // The first run sent CreateBackup and died before reading anything else.
    const first = await sendCreateBackup(STALE, "Physical", resolveOptions(options()));
    expect(first.kind).to.equal("created");
    await clock.sleep(5_000);
    const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, options());
    expect(r.action).to.equal("joined");
    expect(r.jobId).to.equal(first.kind === "created" ? first.jobId : "?");
    expect(emu.stats.createBackup).to.equal(1);
    expect(emu.backupTasks(STALE)).to.have.length(1);
  });

  describe("CreateBackup's answer lost or refused (through a proxy in front of the emulator)", () => {
    let proxy: http.Server;
    let onCreate: "lose-answer" | "lose-request" | "start-task-first" | "replay" | undefined;
    let lost = 0;
    let replayed = 0;
    beforeEach(async () => {
      await start();
      onCreate = undefined;
      lost = 0;
      replayed = 0;
      const upstream = new URL(emu.url);
      const forward = (req: http.IncomingMessage, body: Buffer) =>
        new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          const out = http.request(
            { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
            (up) => {
              const chunks: Buffer[] = [];
              up.on("data", (c: Buffer) => chunks.push(c));
              up.on("end", () =>
                resolve({ status: up.statusCode ?? 500, headers: up.headers, body: Buffer.concat(chunks) }),
              );
            },
          );
          out.on("error", reject);
          out.end(body);
        });
      proxy = http.createServer((req, res) => {
        const isCreate = req.headers["x-acs-action"] === "CreateBackup";
        const mode = isCreate ? onCreate : undefined;
        if (mode === "start-task-first") emu.startBackupTask(STALE, { mode: "Manual", durationMs: 20_000 });
        if (mode === "lose-request") {
          lost += 1;
          return void req.socket.destroy();
        }
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks);
          void (async () => {
            let answer = await forward(req, body);
            // A middlebox that sends the request twice and passes on the second answer.
            if (mode === "replay") {
              replayed += 1;
              answer = await forward(req, body);
            }
            // Executed by the service, but the answer never reaches the client.
            if (mode === "lose-answer") {
              lost += 1;
              return void req.socket.destroy();
            }
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
          })();
        });
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    });
    afterEach(async () => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const viaProxy = (extra: Partial<EnsureOptions> = {}) =>
      options({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, ...extra });

    it("a lost answer is never re-sent: ensure finds the task it started and waits for it", async () => {
      onCreate = "lose-answer";
      const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, viaProxy());
      expect(lost).to.equal(1);
      expect(emu.stats.createBackup).to.equal(1);
      const [task] = emu.backupTasks(STALE);
      expect(r.jobId).to.equal(task?.BackupJobId);
      expect(r.action).to.equal("created");
      expect(r.backup.backupId).to.equal(task?.BackupId);
    });

    it("a lost answer with no task in sight: it stops, says so, and does not send CreateBackup again", async () => {
      onCreate = "lose-request";
      const err = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, viaProxy()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(lost).to.equal(1);
      expect(err).to.be.instanceOf(RdsBackupsError);
      expect((err as Error).message).to.match(/CreateBackup was sent but its answer was lost .*not sent again/);
      expect(emu.stats.createBackup).to.equal(0);
      expect(emu.stats.byAction.DescribeBackupTasks).to.equal(1 + 3);
    });

    it("SignatureNonceUsed (a replayed copy reached the service first) is a lost answer: joined as created, never re-sent", async () => {
      onCreate = "replay";
      const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, viaProxy());
      expect(replayed).to.equal(1);
      expect(emu.stats.byCode).to.have.property("SignatureNonceUsed", 1);
      // The replayed copy is refused at the signature check, before the action: one executed.
      expect(emu.stats.createBackup).to.equal(1);
      const tasks = emu.backupTasks(STALE);
      expect(tasks, "backups started").to.have.length(1);
      expect(r.action).to.equal("created");
      expect(r.jobId).to.equal(tasks[0]?.BackupJobId);
      expect(r.backup.backupId).to.equal(tasks[0]?.BackupId);
    });

    it("BackupJobExists (a task started between the look and the call) is joined, not retried", async () => {
      onCreate = "start-task-first";
      const r = await ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h" }, viaProxy());
      expect(emu.stats.byCode).to.have.property("BackupJobExists", 1);
      expect(emu.stats.createBackup).to.equal(1);
      const tasks = emu.backupTasks(STALE);
      expect(tasks).to.have.length(1);
      expect(r.action).to.equal("joined");
      expect(r.jobId).to.equal(tasks[0]?.BackupJobId);
    });
  });

  it("CreateBackup is retried after throttling (not executed) and not after a reset (maybe executed)", async () => {
    await start();
    const o = resolveOptions(options());
    emu.injectFaults([{ kind: "throttle" }]);
    const throttled = await sendCreateBackup(STALE, "Physical", o);
    expect(throttled.kind).to.equal("created");
    expect(emu.stats.byCode).to.have.property("Throttling.User", 1);
    expect(emu.backupTasks(STALE)).to.have.length(1);
    emu.injectFaults([{ kind: "reset" }]);
    const reset = await sendCreateBackup(OTHER, "Physical", o);
    expect(reset.kind).to.equal("unknown");
    expect(emu.stats.faults).to.have.property("reset", 1);
  });

  it("RAM denials name rds:CreateBackup and rds:DescribeBackupTasks", async () => {
    await start();
    const limited = resolveOptions(
      options({ credentials: { accessKeyId: LIMITED_KEY, accessKeySecret: LIMITED_SECRET } }),
    );
    const err = await sendCreateBackup(STALE, "Physical", limited).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RdsApiError);
    expect((err as Error).message).to.match(
      /^CreateBackup rm-stale01: access denied \(Forbidden\.RAM\): grant rds:CreateBackup on acs:rds:cn-hangzhou:\d+:dbinstance\/rm-stale01/,
    );
    const err2 = await describeBackupTasks(
      { dbInstanceId: STALE },
      options({ credentials: { accessKeyId: LIMITED_KEY, accessKeySecret: LIMITED_SECRET } }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err2 as Error).message).to.match(
      /^DescribeBackupTasks rm-stale01: access denied .*grant rds:DescribeBackupTasks .*Action "rds:DescribeBackupTasks"/,
    );
    expect(emu.backupTasks(STALE)).to.have.length(0);
  });

  it("bad input is refused before any call, naming the field", async () => {
    await start();
    const bad = async (q: unknown, o: Partial<EnsureOptions> = {}) =>
      ensureFreshBackup(q as never, options(o)).then(
        () => undefined,
        (e: unknown) => e as RdsValidationError,
      );
    expect((await bad({ dbInstanceId: STALE, maxAge: "24h", backupMethod: "Full" }))?.message).to.match(
      /backupMethod "Full" is not allowed; use one of Logical, Physical, Snapshot \(case matters\)/,
    );
    // CreateBackup takes full backups: an IncrementalBackup-only gate could never be satisfied.
    const incremental = await bad({ dbInstanceId: STALE, maxAge: "24h", backupType: "IncrementalBackup" });
    expect(incremental?.field).to.equal("backupType");
    expect(incremental?.message).to.match(
      /backupType "IncrementalBackup" can never be satisfied here: CreateBackup takes full backups.*; use FullBackup \(the default\) or any/,
    );
    expect((await bad({ dbInstanceId: STALE, maxAge: "24h", timeout: "3d" }))?.message).to.match(
      /timeout "3d" .*at most 24h/,
    );
    expect((await bad({ dbInstanceId: STALE }))?.field).to.equal("maxAge");
    expect((await bad({ dbInstanceId: STALE, maxAge: "24h", timout: "1h" }))?.message).to.match(
      /did you mean "timeout"/,
    );
    expect((await bad({ dbInstanceId: STALE, maxAge: "24h" }, { jobId: "job-7" }))?.message).to.match(
      /jobId "job-7" is not allowed; use a backup job id of digits/,
    );
    expect((await bad({ dbInstanceId: STALE, maxAge: "24h" }, { pollInterval: { initialMs: 1 } }))?.field).to.equal(
      "pollInterval.initialMs",
    );
    expect(emu.stats.requests).to.equal(0);
  });
});

describe("sdk/backup-tasks: the wire, checked", () => {
  const job = (over: Record<string, unknown> = {}) => ({
    BackupJobId: "5073731",
    BackupStatus: "Uploading",
    BackupProgressStatus: "Uploading",
    Process: "40",
    JobMode: "Manual",
    TaskAction: "TempBackupTask",
    ...over,
  });

  it("strings become typed fields; absent ones stay absent", () => {
    const { tasks, requestId } = normalizeTasks(
      {
        Items: { BackupJob: [job({ BackupStatus: "Finished", Process: "100", BackupId: "346650271" })] },
        RequestId: "R-1",
      },
      "5073731",
    );
    expect(requestId).to.equal("R-1");
    expect(tasks).to.deep.equal([
      {
        jobId: "5073731",
        status: "Finished",
        progressStatus: "Uploading",
        percent: 100,
        jobMode: "Manual",
        taskAction: "TempBackupTask",
        backupId: "346650271",
      },
    ]);
    expect(normalizeTasks({ Items: { BackupJob: [] }, RequestId: "R" }).tasks).to.deep.equal([]);
    expect(normalizeTasks({ Items: {}, RequestId: "R" }).tasks).to.deep.equal([]);
    expect(normalizeCreateBackup({ BackupJobId: "5073731", RequestId: "R-2" })).to.deep.equal({
      jobId: "5073731",
      requestId: "R-2",
    });
  });

  it("answers that cannot be right are errors naming the action, field, value and request id", () => {
    const refused = (body: unknown, id?: string) => {
      try {
        normalizeTasks(body, id);
      } catch (e) {
        expect(e).to.be.instanceOf(RdsResponseError);
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(refused({ Items: { BackupJob: [job({ BackupStatus: "Done" })] }, RequestId: "R-9" })).to.match(
      /^DescribeBackupTasks answered Items\.BackupJob\[0\]\.BackupStatus = "Done" \(request id R-9\), expected one of NoStart/,
    );
    expect(refused({ Items: { BackupJob: [job({ Process: "140" })] }, RequestId: "R" })).to.match(
      /Process = "140".*0 to 100/,
    );
    expect(refused({ Items: { BackupJob: [job({ BackupJobId: "12a" })] }, RequestId: "R" })).to.match(
      /BackupJobId = "12a"/,
    );
    expect(refused({ Items: { BackupJob: [job({ BackupJobId: "999" })] }, RequestId: "R" }, "5073731")).to.match(
      /BackupJobId = "999".*5073731, the task asked for/,
    );
    expect(refused({ Items: { BackupJob: [job(), job()] }, RequestId: "R" }, "5073731")).to.match(/at most one task/);
    expect(() => normalizeCreateBackup({ RequestId: "R" })).to.throw(
      RdsResponseError,
      /^CreateBackup answered BackupJobId = undefined/,
    );
    expect(RdsBackupsError).to.be.a("function");
  });
});

describe("sdk/ensure: timeout is a deadline for the whole run (real clock, a middlebox in front of the emulator)", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let box: Middlebox | undefined;
  /** One poll interval of these runs, ms. */
  const POLL_MS = 500;
  /** What a run may take past `timeout` + one poll: the last answer in flight, timers on a busy machine. */
  const MARGIN_MS = 1_500;
  /**
   * How much earlier than `timeout` a run may end by this test's clock: the deadline is set in whole
   * milliseconds of Date.now() and Node's timers count from the event loop's cached time, while
   * performance.now() measures fractions (2999.89 ms was seen for a 3 s timeout).
   */
  const CLOCK_TICK_MS = 20;
  beforeEach(async () => {
    emu = await startEmulator({ data: testData(), port: 0 });
  });
  afterEach(async () => {
    await box?.close();
    box = undefined;
    await emu.close();
  });
  const through = async (decide: Parameters<typeof startMiddlebox>[1]): Promise<EnsureOptions> => {
    box = await startMiddlebox(emu.url, decide);
    return {
      endpoint: box.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
      retry: new StandardRetryPolicy({ random: () => 0 }),
      pollInterval: { initialMs: POLL_MS, maxMs: POLL_MS },
    };
  };
  const timed = async (run: () => Promise<unknown>) => {
    const t0 = performance.now();
    const err = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { err, ms: performance.now() - t0 };
  };

  const cases: Array<[string, Behaviour, RegExp]> = [
    [
      "never answers",
      { kind: "never-answer" },
      /looking for a backup task that runs on the instance \(DescribeBackupTasks\)/,
    ],
    ["answers after 8 s", { kind: "delay", ms: 8_000 }, /looking for a backup task/],
  ];
  for (const [what, behaviour, phase] of cases) {
    it(`the task read before CreateBackup ${what}: the run ends at its timeout, takes nothing, says what it waited for`, async () => {
      const options = await through((action) => (action === "DescribeBackupTasks" ? behaviour : undefined));
      const { err, ms } = await timed(() =>
        ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "3s" }, options),
      );
      expect(err).to.be.instanceOf(RdsBackupJobError);
      const e = err as RdsBackupJobError;
      expect(e.reason).to.equal("timeout");
      expect(e.jobId).to.equal(undefined);
      expect(e.message)
        .to.match(/within the time-out 3s/)
        .and.to.match(phase)
        .and.to.match(/No backup was started/);
      expect(e.message).to.not.match(/startTime|endTime/);
      expect(ms, "wall time, ms").to.be.within(3_000 - CLOCK_TICK_MS, 3_000 + POLL_MS + MARGIN_MS);
      expect(emu.backupTasks(STALE), "backups started").to.have.length(0);
    });
  }

  it("the task's by-id reads never answer after CreateBackup: the job's time-out, at the deadline", async () => {
    const options = await through((action, params) =>
      action === "DescribeBackupTasks" && params.has("BackupJobId") ? { kind: "never-answer" } : undefined,
    );
    const { err, ms } = await timed(() =>
      ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "3s" }, options),
    );
    const [task] = emu.backupTasks(STALE);
    expect(err).to.be.instanceOf(RdsBackupJobError);
    expect((err as RdsBackupJobError).jobId).to.equal(task?.BackupJobId);
    expect((err as Error).message)
      .to.include(`backup job ${task?.BackupJobId}`)
      .and.to.match(/within the time-out 3s/);
    expect(ms, "wall time, ms").to.be.within(3_000 - CLOCK_TICK_MS, 3_000 + POLL_MS + MARGIN_MS);
    expect(emu.backupTasks(STALE), "backups started").to.have.length(1);
  });

  it("CreateBackup's answer never comes: the deadline ends the wait, saying a task may have started", async () => {
    const options = await through((action) => (action === "CreateBackup" ? { kind: "never-answer" } : undefined));
    const { err, ms } = await timed(() =>
      ensureFreshBackup({ dbInstanceId: STALE, maxAge: "24h", timeout: "3s" }, options),
    );
    expect(err).to.be.instanceOf(RdsBackupJobError);
    expect((err as Error).message).to.match(/it was sending CreateBackup .*a backup task may have started/);
    expect(ms, "wall time, ms").to.be.within(3_000 - CLOCK_TICK_MS, 3_000 + POLL_MS + MARGIN_MS);
  });
});

describe("sdk: a server that stalls after its headers", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let box: Middlebox;
  beforeEach(async () => {
    emu = await startEmulator({ data: testData(), port: 0 });
    box = await startMiddlebox(emu.url, (action) =>
      action === "DescribeBackupTasks" ? { kind: "stall-after-headers" } : undefined,
    );
  });
  afterEach(async () => {
    await box.close();
    await emu.close();
  });
  const options = (extra: Partial<EnsureOptions> = {}): EnsureOptions => ({
    endpoint: box.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
    connectTimeoutMs: 1_000,
    ...extra,
  });

  it("is a time-out that names the stall (not a network reset)", async () => {
    const err = await describeBackupTasks({ dbInstanceId: STALE }, options({ retry: { maxAttempts: 1 } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RdsApiError);
    const e = err as RdsApiError;
    expect(e.code).to.equal("ResponseStalled");
    expect(e.message).to.match(
      /^DescribeBackupTasks rm-stale01: time-out: http:\/\/127\.0\.0\.1:\d+ stalled after the headers of its answer \(HTTP 200\): no byte of the body for \d+ ms \(0 bytes received\), after 1 attempt/,
    );
    expect(e.message).to.not.match(/ECONNRESET|network error|startTime/);
  });

  it("ensure stops on it with that message, within its timeout, taking nothing", async () => {
    const t0 = performance.now();
    const err = await ensureFreshBackup(
      { dbInstanceId: STALE, maxAge: "24h", timeout: "30s" },
      options({ retry: new StandardRetryPolicy({ random: () => 0 }) }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).to.match(/stalled after the headers of its answer .*after 5 attempts/);
    expect(performance.now() - t0).to.be.lessThan(30_000);
    expect(emu.backupTasks(STALE)).to.have.length(0);
  });
});
