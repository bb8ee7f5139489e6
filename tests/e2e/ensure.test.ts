/**
 * ensureFreshBackup under the real Pulumi engine, against the emulator: preview takes nothing
 * and says a backup will be taken; up takes exactly one and creates the gated resource only once
 * the new set is usable; a second up takes none and changes nothing; after a time-out in the
 * listing lag, an up with resumeJobId waits for that job instead of taking a second backup.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { EmulatorData, RunningEmulator } from "../../emulator";
import { listBackups } from "../../sdk";
import { rawBackup } from "../provider/fixtures";
import { startMiddlebox } from "../reliability/middlebox";
import {
  type Backend,
  FIXTURES_DIR,
  type E2eWithEmulator,
  SETUP_TIMEOUT_MS,
  configSetAll,
  copyProject,
  pulumi,
  pulumiOk,
  stackOutputs,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tE2eEnsureKey0001";
const SECRET = "e2e-ensure-secret-Q2vz";
const STALE = "rm-e2eensure01";
/** Stale too; its backups end in 1 s and are listed a minute later. */
const LAGGING = "rm-e2eensure02";
/** Stale too; read through a middlebox whose DescribeBackupTasks never answers. */
const UNANSWERED = "rm-e2eensure03";

function data(now = Date.now()): EmulatorData {
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      // Its newest backup is 40 h old; a backup takes 3 s and is listed 2 s after it ends.
      [STALE]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("700001", 40, { DBInstanceId: STALE }, now)],
        backupDurationSeconds: 3,
        backupVisibilityLagSeconds: 2,
      },
      [LAGGING]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("700002", 40, { DBInstanceId: LAGGING }, now)],
        backupDurationSeconds: 1,
        backupVisibilityLagSeconds: 60,
      },
      [UNANSWERED]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("700003", 40, { DBInstanceId: UNANSWERED }, now)],
      },
    },
  } as EmulatorData;
}

describe("e2e: ensureFreshBackup under the real engine", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let emulator: RunningEmulator;
  let hook: http.Server;
  let cwd: string;
  /** Where the provider sends its calls: the emulator, or a middlebox in front of it. */
  let endpoint: string | undefined;
  const env = (): Record<string, string> => ({ ALIBABA_CLOUD_RDS_ENDPOINT: endpoint ?? emulator.url });
  const stack = "stale";
  const at = () => ({ cwd, backend, env: env(), stack });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-ensure-", data: data() });
    ({ backend, emulator } = e2e);
    // Asked by the gated resource when it is created: what does DescribeBackups list now for
    // the task ensure started?
    hook = http.createServer((_req, res) => {
      const [task] = emulator.backupTasks(STALE);
      const connection = { endpoint: emulator.url, credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET } };
      const listed =
        task?.BackupId === undefined
          ? Promise.resolve([])
          : listBackups({ dbInstanceId: STALE, backupId: task.BackupId }, connection).then((l) => l.backups);
      void listed.then(
        (backups) =>
          res.end(
            JSON.stringify({
              jobId: task?.BackupJobId ?? null,
              listed: backups.map((b) => ({ backupId: b.backupId, status: b.backupStatus, isAvail: b.isAvail })),
            }),
          ),
        (err: Error) => res.end(JSON.stringify({ error: err.message })),
      );
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    cwd = copyProject(path.join(FIXTURES_DIR, "ensure-gate"), backend.dir);
    await e2e.stack(
      stack,
      cwd,
      {
        dbInstanceId: STALE,
        hookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": KEY_ID,
      },
      { "alicloud:secretKey": SECRET },
    );
  });
  after(async () => {
    await e2e?.close();
    await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
  });

  it("stale: preview says a backup will be taken and takes none", async () => {
    const r = await pulumiOk(["preview", "--diff"], at());
    const out = r.stdout + r.stderr;
    expect(out, out).to.match(
      /\+ pulumi-nodejs:dynamic\/rds:EnsuredBackup: \(create\)\s+\[urn=\S+::ensure-backup-rm-e2eensure01\]/,
    );
    expect(out)
      .to.contain(`ensureFreshBackup: ${STALE}: newest usable backup 700001`)
      .and.to.match(/the update will take a Physical backup and wait for it/);
    expect(out).to.match(
      /plan\s*: "take a Physical backup: rm-e2eensure01: newest usable backup 700001 .* older than the limit 24h/,
    );
    expect(emulator.stats.createBackup).to.equal(0);
    expect(emulator.backupTasks(STALE)).to.have.length(0);
  });

  it("up takes exactly one backup; the gated resource is created only once the new set is usable", async () => {
    await pulumiOk(["up", "--yes"], at());
    expect(emulator.stats.createBackup).to.equal(1);
    const [task] = emulator.backupTasks(STALE);
    const outputs = await stackOutputs(at());
    expect(outputs).to.include({ action: "created", jobId: task?.BackupJobId, backupId: task?.BackupId });
    const seen = JSON.parse(outputs.seenAtCreate);
    expect(seen).to.deep.equal({
      jobId: task?.BackupJobId,
      listed: [{ backupId: task?.BackupId, status: "Success", isAvail: true }],
    });
  });

  it("a second up takes none and changes nothing", async () => {
    const r = await pulumi(["up", "--yes", "--expect-no-changes"], at());
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(emulator.stats.createBackup).to.equal(1);
  });

  it("when the backup is stale again, preview shows an update with the reason and still takes none; refresh changes nothing", async () => {
    const [task] = emulator.backupTasks(STALE);
    emulator.removeBackup(STALE, task?.BackupId as string);
    const r = await pulumiOk(["preview", "--diff"], at());
    expect(r.stdout, r.stdout).to.match(
      /~ pulumi-nodejs:dynamic\/rds:EnsuredBackup: \(update\)\s+\[id=rm-e2eensure01\]/,
    );
    // The gated resource takes `ensured`, known in preview and unchanged: it is not updated.
    expect(r.stdout).to.match(/Resources:\s+~ 1 to update\s+2 unchanged/);
    expect(r.stdout).to.match(
      /~ plan\s*: "[^"]*" => "take a Physical backup: rm-e2eensure01: newest usable backup 700001/,
    );
    expect(emulator.stats.createBackup).to.equal(1);
    const refresh = await pulumi(["refresh", "--yes", "--expect-no-changes"], at());
    expect(refresh.code, refresh.stdout + refresh.stderr).to.equal(0);
  });

  it("up joins a backup task already running (the nightly one) instead of taking another", async () => {
    // Long enough to still run when the update gets to it (after its own preview): a task that
    // ended before DescribeBackups lists its set is the gap the README names.
    const jobId = emulator.startBackupTask(STALE, { mode: "Automated", durationMs: 30_000 });
    await pulumiOk(["up", "--yes"], at());
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
    const outputs = await stackOutputs(at());
    expect(outputs).to.include({ action: "joined", jobId });
  });

  it("a backup task that ends Failed stops up at once, naming the job", async () => {
    for (const task of emulator.backupTasks(STALE)) if (task.BackupId) emulator.removeBackup(STALE, task.BackupId);
    emulator.failNextBackup(STALE);
    const r = await pulumi(["up", "--yes"], at());
    const out = r.stdout + r.stderr;
    expect(r.code, out).to.not.equal(0);
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(2);
    const failed = emulator.backupTasks(STALE).find((t) => t.BackupStatus === "Failed");
    expect(failed, "a Failed task").to.not.equal(undefined);
    expect(out)
      .to.contain(`backup job ${failed?.BackupJobId}`)
      .and.to.match(/ended Failed/);
  });

  it("timeout bounds the whole update: a task read that never answers ends it at the deadline, taking nothing", async () => {
    const box = await startMiddlebox(emulator.url, (action) =>
      action === "DescribeBackupTasks" ? { kind: "never-answer" } : undefined,
    );
    endpoint = box.url;
    try {
      await configSetAll({ dbInstanceId: UNANSWERED, timeout: "5s" }, at());
      const t0 = performance.now();
      const r = await pulumi(["up", "--yes"], at());
      const ms = performance.now() - t0;
      const out = r.stdout + r.stderr;
      expect(r.code, out).to.not.equal(0);
      expect(out).to.match(
        /did not finish within the time-out 5s: it was looking for a backup task that runs on the instance/,
      );
      expect(out).to.not.match(/startTime|endTime|ECONNRESET/);
      expect(emulator.backupTasks(UNANSWERED), "backups started").to.have.length(0);
      // The engine's own start and end (about 10-30 s on a shared machine) plus 5 s; before, the
      // provider alone spent ~50 s in reads retried against the 10 s read time-out.
      expect(ms, "wall time of up, ms").to.be.lessThan(5_000 + 40_000);
    } finally {
      endpoint = undefined;
      await box.close();
    }
  });

  it("a time-out while the new set is not listed yet: the error names the job and its set and says how to resume in Pulumi", async () => {
    await configSetAll({ dbInstanceId: LAGGING, timeout: "5s" }, at());
    const r = await pulumi(["up", "--yes"], at());
    const out = r.stdout + r.stderr;
    expect(r.code, out).to.not.equal(0);
    const [task] = emulator.backupTasks(LAGGING);
    expect(emulator.backupTasks(LAGGING), "backups started").to.have.length(1);
    expect(out)
      .to.contain(
        `backup job ${task?.BackupJobId} (started by this run) finished, but its backup set ${task?.BackupId} was not listed`,
      )
      .and.to.contain(`set resumeJobId: "${task?.BackupJobId}" on this resource for the next pulumi up`)
      .and.to.contain("remove it after that up succeeds")
      .and.to.contain("an up without resumeJobId would take a second backup");
    // What a Pulumi user cannot do is not advised: the sdk's option and the CLI's flag.
    expect(out).to.not.match(/run ensure again|--job-id|it joins the task instead of taking another backup/);
  });

  it("an up with resumeJobId, still in the listing lag, waits for that job: no second backup, and it ends fresh", async () => {
    const [task] = emulator.backupTasks(LAGGING);
    const createdBefore = emulator.stats.createBackup;
    await configSetAll({ resumeJobId: task?.BackupJobId as string, timeout: "2m" }, at());
    const r = await pulumi(["up", "--yes"], at());
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(emulator.stats.createBackup - createdBefore, "CreateBackup calls of this up").to.equal(0);
    expect(emulator.backupTasks(LAGGING), "backups started").to.have.length(1);
    const outputs = await stackOutputs(at());
    expect(outputs).to.include({ action: "joined", jobId: task?.BackupJobId, backupId: task?.BackupId });
  });

  it("resumeJobId left in the program changes nothing while fresh; removing it is one update that takes nothing", async () => {
    // The ensure resource's own lines (the gated resource of the fixture has its own diff rules).
    const ensureUpdated = /EnsuredBackup: \(update\)|rds:EnsuredBackup\s+ensure-backup-\S+\s+updat/;
    const createdBefore = emulator.stats.createBackup;
    const kept = await pulumiOk(["up", "--yes", "--diff"], at());
    expect(kept.stdout, kept.stdout).to.not.match(ensureUpdated);
    await pulumiOk(["config", "rm", "resumeJobId"], at());
    const removed = await pulumiOk(["up", "--yes", "--diff"], at());
    expect(removed.stdout, removed.stdout)
      .to.match(ensureUpdated)
      .and.to.match(/-\s*resumeJobId\s*:/);
    const settled = await pulumiOk(["up", "--yes", "--diff"], at());
    expect(settled.stdout, settled.stdout).to.not.match(ensureUpdated);
    expect(emulator.stats.createBackup - createdBefore, "CreateBackup calls").to.equal(0);
    expect(emulator.backupTasks(LAGGING), "backups started").to.have.length(1);
  });
});
