/**
 * The ensureFreshBackup resource's methods, called in-process as Pulumi's dynamic-provider host
 * calls them, against the emulator: check and diff (preview) judge and take nothing; create
 * (up) takes the backup; read (refresh) calls nothing.
 */
import { expect } from "chai";
import { startEmulator } from "../../emulator";
import * as runtime from "../../provider/runtime";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, rawBackup } from "./fixtures";

const STALE = "rm-uf6ensure01";
const FRESH = "rm-uf6ensure02";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Stale; its backups end at once and are listed 6 s later (the listing lag). */
const LAGGING = "rm-uf6ensure03";
/** Stale; where resumed jobs fail, belong elsewhere or are long done. */
const RESUMED = "rm-uf6ensure04";

/** The message of the error a promise ends with. */
async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a failure");
}

describe("provider runtime: the ensureFreshBackup resource", function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const savedEnv = { ...process.env };

  before(async () => {
    const now = Date.now();
    emulator = await startEmulator({
      port: 0,
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        instances: {
          [STALE]: {
            regionId: "cn-hangzhou",
            backups: [rawBackup("800001", 40, { DBInstanceId: STALE }, now)],
            backupDurationSeconds: 0,
            backupVisibilityLagSeconds: 0,
          },
          [FRESH]: { regionId: "cn-hangzhou", backups: [rawBackup("800002", 3, { DBInstanceId: FRESH }, now)] },
          [LAGGING]: {
            regionId: "cn-hangzhou",
            backups: [rawBackup("800003", 40, { DBInstanceId: LAGGING }, now)],
            backupDurationSeconds: 0,
            backupVisibilityLagSeconds: 6,
          },
          [RESUMED]: {
            regionId: "cn-hangzhou",
            backups: [rawBackup("800004", 40, { DBInstanceId: RESUMED }, now)],
            backupDurationSeconds: 0,
            backupVisibilityLagSeconds: 0,
          },
        },
      },
    });
    process.env.ALIBABA_CLOUD_RDS_ENDPOINT = emulator.url;
    runtime.setStackSettings({ accessKey: ACCESS_KEY_ID, secretKey: ACCESS_KEY_SECRET, region: "cn-hangzhou" });
  });
  after(async () => {
    process.env = savedEnv;
    await emulator.close();
  });

  it("check: fresh → the constant plan; stale → a plan that says a backup will be taken, and why; nothing taken", async () => {
    const fresh = await runtime.checkEnsureBackup({}, { dbInstanceId: FRESH, maxAge: "24h" });
    expect(fresh.failures ?? []).to.deep.equal([]);
    expect(fresh.inputs).to.deep.equal({
      dbInstanceId: FRESH,
      maxAge: "24h",
      ensured: `${FRESH}: a usable FullBackup ended within 24h`,
      plan: runtime.PLAN_FRESH,
      plannedAt: null,
      // Without recoverableWithin: nothing said of a point-in-time restore, no override used.
      recoverable: null,
      override: null,
    });
    const stale = await runtime.checkEnsureBackup({}, { dbInstanceId: STALE, maxAge: "24h", backupMethod: "Snapshot" });
    expect(stale.inputs?.plan).to.match(
      /^take a Snapshot backup: rm-uf6ensure01: newest usable backup 800001 ended \S+, 40h ago, older than the limit 24h/,
    );
    expect(stale.inputs?.plannedAt, "the moment the plan was made").to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(emulator.stats.createBackup).to.equal(0);
  });

  it("check: bad input is a failure naming the field, before any call; an unknown id is judged during the update", async () => {
    emulator.resetStats();
    const bad = await runtime.checkEnsureBackup({}, { dbInstanceId: STALE, maxAge: "24h", timeout: "3d" });
    expect(bad.failures?.[0]?.property).to.equal("timeout");
    const incremental = await runtime.checkEnsureBackup(
      {},
      { dbInstanceId: STALE, maxAge: "24h", backupType: "IncrementalBackup" },
    );
    expect(incremental.failures?.[0]?.property).to.equal("backupType");
    expect(incremental.failures?.[0]?.reason).to.match(/can never be satisfied here: CreateBackup takes full backups/);
    const unknown = await runtime.checkEnsureBackup({}, { dbInstanceId: UNKNOWN, maxAge: "24h" });
    expect(unknown.inputs?.plan).to.match(/^judged during the update/);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("diff: no change while fresh (whatever the last plan was), a change when stale or when an argument changed", async () => {
    const olds = {
      dbInstanceId: FRESH,
      maxAge: "24h",
      plan: "take a Physical backup: old reason",
      backupId: "1",
      action: "created",
    };
    expect(
      (await runtime.diffEnsureBackup(FRESH, olds, { dbInstanceId: FRESH, maxAge: "24h", plan: runtime.PLAN_FRESH }))
        .changes,
    ).to.equal(false);
    expect(
      (
        await runtime.diffEnsureBackup(FRESH, olds, {
          dbInstanceId: FRESH,
          maxAge: "24h",
          plan: "take a Physical backup: why",
        })
      ).changes,
    ).to.equal(true);
    expect(
      (await runtime.diffEnsureBackup(FRESH, olds, { dbInstanceId: FRESH, maxAge: "12h", plan: runtime.PLAN_FRESH }))
        .changes,
    ).to.equal(true);
  });

  it("diff on refresh (the state just read against the last check's inputs): a planned backup ensured since is no change", async () => {
    const state = {
      dbInstanceId: STALE,
      maxAge: "24h",
      plan: runtime.PLAN_FRESH,
      action: "created",
      ensuredAt: "2026-11-20T12:05:00Z",
    };
    const lastCheck = { dbInstanceId: STALE, maxAge: "24h", plan: "take a Physical backup: why" };
    const plannedBefore = { ...lastCheck, plannedAt: "2026-11-20T12:00:00Z" };
    const plannedAfter = { ...lastCheck, plannedAt: "2026-11-21T12:00:00Z" };
    expect((await runtime.diffEnsureBackup(STALE, state, plannedBefore)).changes, "ensured since").to.equal(false);
    expect((await runtime.diffEnsureBackup(STALE, state, plannedAfter)).changes, "planned again").to.equal(true);
    expect((await runtime.diffEnsureBackup(STALE, { ...state, ensuredAt: null }, plannedBefore)).changes).to.equal(
      true,
    );
  });

  it("create takes the backup and waits; its outputs say what happened; read (refresh) calls nothing", async () => {
    const ensured = "rm-uf6ensure01: a usable FullBackup ended within 24h";
    const { id, outs } = await runtime.createEnsureBackup({
      dbInstanceId: STALE,
      maxAge: "24h",
      ensured,
      plan: "take a Physical backup: why",
      __provider: "x",
    });
    const [task] = emulator.backupTasks(STALE);
    expect(id).to.equal(STALE);
    expect(outs).to.include({
      action: "created",
      jobId: task?.BackupJobId,
      backupId: task?.BackupId,
      plan: runtime.PLAN_FRESH,
      maxAgeSeconds: 86_400,
    });
    expect(outs.ensured).to.equal(ensured);
    expect(outs.backup.backupDownloadUrl).to.equal(undefined);
    expect(outs).not.to.have.property("__provider");
    emulator.resetStats();
    const read = await runtime.readEnsureBackup(STALE, { ...outs, __provider: "x" });
    expect(read.props).to.deep.equal(outs);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("a time-out in the listing lag says how to resume with resumeJobId; create with it waits for that job (one backup)", async () => {
    emulator.resetStats();
    const inputs = { dbInstanceId: LAGGING, maxAge: "24h", timeout: "2s" };
    const message = await failureOf(runtime.createEnsureBackup(inputs));
    const [task] = emulator.backupTasks(LAGGING);
    const jobId = task?.BackupJobId as string;
    expect(message).to.contain(
      `backup job ${jobId} (started by this run) finished, but its backup set ${task?.BackupId}`,
    );
    expect(message)
      .to.contain(`set resumeJobId: "${jobId}" on this resource for the next pulumi up`)
      .and.to.contain("remove it after that up succeeds")
      .and.to.contain("an up without resumeJobId would take a second backup");
    expect(message).to.not.match(/run ensure again|--job-id/);

    const { outs } = await runtime.createEnsureBackup({ ...inputs, timeout: "1m", resumeJobId: jobId });
    expect(outs).to.include({ action: "joined", jobId, backupId: task?.BackupId, plan: runtime.PLAN_FRESH });
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
    expect(emulator.backupTasks(LAGGING)).to.have.length(1);

    // Left in the program while the backup is fresh: no change, and an update takes nothing.
    const checked = await runtime.checkEnsureBackup(outs, { ...inputs, timeout: "1m", resumeJobId: jobId });
    expect((await runtime.diffEnsureBackup(LAGGING, outs, checked.inputs ?? {})).changes).to.equal(false);
    const again = await runtime.updateEnsureBackup(LAGGING, outs, checked.inputs ?? {});
    expect(again.outs).to.include({ action: "none" });
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
  });

  it("resumeJobId: a bad id is refused at check; a Failed job or one of another instance fails naming it, taking nothing", async () => {
    emulator.resetStats();
    const bad = await runtime.checkEnsureBackup({}, { dbInstanceId: RESUMED, maxAge: "24h", resumeJobId: "12a" });
    expect(bad.failures?.[0]?.property).to.equal("resumeJobId");
    expect(bad.failures?.[0]?.reason).to.match(/backup job id of digits/);
    expect(emulator.stats.requests).to.equal(0);

    const failed = emulator.startBackupTask(RESUMED, { mode: "Manual", durationMs: 0, fail: true });
    const failedMessage = await failureOf(
      runtime.createEnsureBackup({ dbInstanceId: RESUMED, maxAge: "24h", timeout: "30s", resumeJobId: failed }),
    );
    expect(failedMessage).to.contain(`backup job ${failed} (joined) ended Failed`);

    const elsewhere = emulator.startBackupTask(LAGGING, { mode: "Manual", durationMs: 0 });
    const elsewhereMessage = await failureOf(
      runtime.createEnsureBackup({ dbInstanceId: RESUMED, maxAge: "24h", timeout: "8s", resumeJobId: elsewhere }),
    );
    expect(elsewhereMessage).to.contain(
      `backup job ${elsewhere}, named to wait for, is not listed for ${RESUMED} by DescribeBackupTasks, even by its id`,
    );
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(0);
  });

  it("resumeJobId of a job long done (its set listed, older than maxAge) is ignored: the update takes the backup it needs", async () => {
    emulator.resetStats();
    const done = emulator.startBackupTask(RESUMED, { mode: "Manual", durationMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const { outs } = await runtime.createEnsureBackup({
      dbInstanceId: RESUMED,
      maxAge: "3s",
      timeout: "1m",
      resumeJobId: done,
    });
    expect(outs.action).to.equal("created");
    expect(outs.jobId).to.not.equal(done);
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
  });
});
