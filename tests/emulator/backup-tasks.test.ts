import { expect } from "chai";
import * as $Rds from "@alicloud/rds20140815";
import RPCClient = require("@alicloud/pop-core");
import { DAILY_BACKUP_LIMIT, validateData, type EmulatorData, type RunningEmulator } from "../../emulator";
import {
  AK,
  SECRET,
  backup,
  baseData,
  describeRequest,
  expectSdkError,
  sdkClient,
  signedRaw,
  withEmulator,
} from "./helpers";

const INST = "rm-test0001";
const PG = "pgm-test0002";
const SECOND = 1000;

/** Two instances besides the base ones: a PostgreSQL one and one that is rebooting; a key limited to INST. */
function data(): EmulatorData {
  const d = baseData();
  d.instances[PG] = { regionId: "cn-hangzhou", backups: [], engine: "PostgreSQL" };
  d.instances["rm-rebooting"] = { regionId: "cn-hangzhou", backups: [], status: "Rebooting" };
  d.instances["rm-alwaysfails"] = {
    regionId: "cn-hangzhou",
    backups: [],
    failBackups: true,
    backupDurationSeconds: 0,
    backupVisibilityLagSeconds: 0,
  };
  d.accessKeys["LTAI.Limited"] = { secret: "limited-secret", instances: ["rm-uf6wjk5****"] };
  return d;
}

/** Polls `probe` every 50 ms until it returns a value, for at most `limitMs`: no fixed sleeps. */
async function until<T>(probe: () => Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("emulator: CreateBackup and DescribeBackupTasks", () => {
  let emu: RunningEmulator;
  // A minute-long task and a one-second lag on a frozen clock, stepped with advanceClock: the
  // states do not depend on how fast this machine is.
  beforeEach(async () => {
    const frozen = Date.now();
    emu = await withEmulator({
      data: data(),
      backupDurationMs: 60 * SECOND,
      backupVisibilityLagMs: SECOND,
      now: () => frozen,
    });
  });
  afterEach(() => emu.close());

  const client = () => sdkClient(emu);
  const create = (fields: Record<string, unknown> = {}) =>
    client().createBackup(new $Rds.CreateBackupRequest({ DBInstanceId: INST, ...fields }));
  const tasks = async (fields: Record<string, unknown> = {}) =>
    (await client().describeBackupTasks(new $Rds.DescribeBackupTasksRequest({ DBInstanceId: INST, ...fields }))).body
      ?.items?.backupJob ?? [];

  it("endedTasksListed never: an ended task vanishes from DescribeBackupTasks even by id; its set still shows up", async () => {
    await emu.close();
    const frozen = Date.now();
    emu = await withEmulator({
      data: data(),
      backupDurationMs: 60 * SECOND,
      backupVisibilityLagMs: SECOND,
      now: () => frozen,
      endedTasksListed: "never",
    });
    const jobId = (await create()).body?.backupJobId ?? "";
    expect((await tasks({ backupJobId: Number(jobId) }))[0]?.backupStatus).to.equal("NoStart");
    emu.advanceClock(60 * SECOND);
    expect(await tasks({ backupJobId: Number(jobId) })).to.deep.equal([]);
    expect(await tasks()).to.deep.equal([]);
    emu.advanceClock(SECOND);
    const listed = await client().describeBackups(describeRequest({ DBInstanceId: INST, backupMode: "Manual" }));
    expect(listed.body?.items?.backup?.map((b) => b.backupStatus)).to.include("Success");
  });

  it("walks a task NoStart → Checking → Preparing → Uploading → Finished, then shows its set as Manual/User after the lag", async () => {
    const res = await create({ backupMethod: "Snapshot" });
    const jobId = res.body?.backupJobId ?? "";
    expect(jobId).to.match(/^\d+$/);
    expect(res.body?.requestId).to.equal(res.headers?.["x-acs-request-id"]);
    const byId = async () => (await tasks({ backupJobId: Number(jobId) }))[0];
    expect(await byId()).to.deep.include({
      backupJobId: jobId,
      backupStatus: "NoStart",
      backupProgressStatus: "NoStart",
      process: "0",
      jobMode: "Manual",
      taskAction: "TempBackupTask",
    });
    const seen: string[] = [];
    for (const step of [9, 6, 30]) {
      emu.advanceClock(step * SECOND);
      const job = await byId();
      seen.push(`${job?.backupStatus}:${job?.process}`);
      expect(job?.backupId).to.equal(undefined);
    }
    expect(seen).to.deep.equal(["Checking:15", "Preparing:25", "Uploading:75"]);
    expect((await tasks()).map((j) => j.backupJobId)).to.deep.equal([jobId]); // running: listed without an id
    emu.advanceClock(15 * SECOND);
    const finished = await byId();
    expect(finished).to.deep.include({ backupStatus: "Finished", backupProgressStatus: "Finished", process: "100" });
    expect(finished?.backupId).to.match(/^\d+$/);
    expect(await tasks()).to.deep.equal([]); // ended: only by id

    // Finished, but DescribeBackups has not caught up yet.
    const sets = async () =>
      (await client().describeBackups(describeRequest({ DBInstanceId: INST, backupId: finished?.backupId }))).body
        ?.items?.backup ?? [];
    expect(await sets()).to.deep.equal([]);
    emu.advanceClock(SECOND);
    const [set] = await sets();
    expect(set).to.deep.include({
      backupId: finished?.backupId,
      DBInstanceId: INST,
      backupMode: "Manual",
      backupInitiator: "User",
      backupStatus: "Success",
      backupMethod: "Snapshot",
      isAvail: 1,
      backupType: "FullBackup",
    });
    expect(Date.parse(set?.backupEndTime ?? "") - Date.parse(set?.backupStartTime ?? "")).to.equal(60 * SECOND);
    expect(emu.stats.createBackup).to.equal(1);
    expect(emu.stats.byAction).to.deep.include({ CreateBackup: 1, DescribeBackups: 2 });
  });

  it("answers every task field as a string, on the wire", async () => {
    const jobId = JSON.parse(
      (await signedRaw(emu.port, { DBInstanceId: INST }, { action: "CreateBackup" })).text,
    ).BackupJobId;
    expect(typeof jobId).to.equal("string");
    const body = JSON.parse(
      (await signedRaw(emu.port, { DBInstanceId: INST, BackupJobId: jobId }, { action: "DescribeBackupTasks" })).text,
    );
    expect(Object.keys(body)).to.deep.equal(["Items", "RequestId"]);
    const [job] = body.Items.BackupJob;
    expect(Object.values(job).every((v) => typeof v === "string")).to.equal(true);
    expect(Object.keys(job).sort()).to.deep.equal([
      "BackupJobId",
      "BackupProgressStatus",
      "BackupStatus",
      "JobMode",
      "Process",
      "TaskAction",
    ]);
  });

  it("refuses a second task while one runs (BackupJobExists), an automated one included, and accepts one after", async () => {
    await create();
    const busy = await expectSdkError(create());
    expect([busy.code, busy.statusCode]).to.deep.equal(["BackupJobExists", 400]);
    emu.advanceClock(61 * SECOND);
    await create(); // the first ended

    emu.advanceClock(61 * SECOND);
    const nightly = emu.startBackupTask(INST, { mode: "Automated", durationMs: 10 * SECOND });
    expect((await expectSdkError(create())).code).to.equal("BackupJobExists");
    const [running] = await tasks({ backupMode: "Automated" });
    expect(running).to.deep.include({ backupJobId: nightly, jobMode: "Automated", taskAction: "NormalBackupTask" });
    expect(await tasks({ backupMode: "Manual" })).to.deep.equal([]);
    emu.advanceClock(11 * SECOND);
    expect((await create()).body?.backupJobId).to.match(/^\d+$/);
    // The automated set carries Automated/System.
    const automated =
      (await client().describeBackups(describeRequest({ DBInstanceId: INST, backupMode: "Automated" }))).body?.items
        ?.backup ?? [];
    expect(automated.map((b) => [b.backupMode, b.backupInitiator])).to.deep.equal([["Automated", "System"]]);
  });

  it("filters by BackupJobStatus: NoStart, Progressing", async () => {
    await create();
    expect((await tasks({ backupJobStatus: "NoStart" })).length).to.equal(1);
    expect((await tasks({ backupJobStatus: "Progressing" })).length).to.equal(0);
    emu.advanceClock(30 * SECOND);
    expect((await tasks({ backupJobStatus: "NoStart" })).length).to.equal(0);
    expect((await tasks({ backupJobStatus: "Progressing" })).length).to.equal(1);
    const bad = await expectSdkError(tasks({ backupJobStatus: "Finished" }));
    expect([bad.code, bad.statusCode]).to.deep.equal(["Parameters.Invalid", 400]);
  });

  it("validates CreateBackup with the service's codes", async () => {
    const code = async (fields: Record<string, unknown>) => {
      const err = await expectSdkError(create(fields));
      return `${err.statusCode} ${err.code}`;
    };
    expect(await code({ backupMethod: "Incremental" })).to.equal("400 InvalidBackupMethod.ValueNotSupport");
    expect(await code({ DBInstanceId: PG, backupMethod: "Logical" })).to.equal(
      "400 InvalidBackupMethod.ValueNotSupport",
    );
    expect(await code({ backupType: "Differential" })).to.equal("400 BackupType.NotSupport");
    expect(await code({ backupMethod: "Snapshot", backupType: "FullBackup" })).to.equal("400 BackupType.NotSupport");
    expect(await code({ DBInstanceId: "rm-nosuchinstance" })).to.equal("404 InvalidDBInstanceId.NotFound");
    expect(await code({ DBInstanceId: "" })).to.equal("400 MissingDBInstanceId");
    expect(await code({ DBInstanceId: "rm-rebooting" })).to.equal("403 OperationDenied.DBInstanceStatus");
    expect(emu.backupTasks(INST)).to.deep.equal([]); // nothing refused started a task
    const err = await expectSdkError(tasks({ DBInstanceId: "rm-nosuchinstance" }));
    expect([err.statusCode, err.code]).to.deep.equal([404, "InvalidDBInstanceId.NotFound"]);
    emu.setInstanceStatus("rm-rebooting", "Running");
    expect((await create({ DBInstanceId: "rm-rebooting" })).body?.backupJobId).to.match(/^\d+$/);
  });

  it("allows 20 manual sets per instance per UTC day, counting sets already stored", async () => {
    const d = data();
    const frozen = Date.now(); // one clock for the data and the emulator: the UTC day cannot change under the test
    const today = new Date(frozen).toISOString().slice(0, 10);
    d.instances[INST] = {
      regionId: "cn-hangzhou",
      backups: [backup("800001", `${today}T00:00:00Z`, { BackupMode: "Manual", BackupInitiator: "User" })],
      backupDurationSeconds: 0,
      backupVisibilityLagSeconds: 0,
    };
    const quick = await withEmulator({ data: d, now: () => frozen });
    try {
      const c = sdkClient(quick);
      for (let i = 1; i < DAILY_BACKUP_LIMIT; i++)
        await c.createBackup(new $Rds.CreateBackupRequest({ DBInstanceId: INST }));
      const err = await expectSdkError(c.createBackup(new $Rds.CreateBackupRequest({ DBInstanceId: INST })));
      expect([err.code, err.statusCode]).to.deep.equal(["BackupTimesExceeded", 400]);
      const manual = await c.describeBackups(describeRequest({ DBInstanceId: INST, backupMode: "Manual" }));
      expect(manual.body?.totalRecordCount).to.equal(String(DAILY_BACKUP_LIMIT));
    } finally {
      await quick.close();
    }
  });

  it("ends a task Failed on demand (failNextBackup, failBackups) and lists the failed set", async () => {
    emu.failNextBackup(INST);
    const jobId = (await create()).body?.backupJobId;
    emu.advanceClock(36 * SECOND); // a failing task fails 60% of the way through
    const [job] = await tasks({ backupJobId: Number(jobId) });
    expect(job).to.deep.include({ backupStatus: "Failed" });
    expect(job?.backupId).to.equal(undefined);
    emu.advanceClock(SECOND);
    const [set] = (await client().describeBackups(describeRequest({ DBInstanceId: INST }))).body?.items?.backup ?? [];
    expect(set).to.deep.include({ backupStatus: "Failed", isAvail: 0, backupMode: "Manual" });
    // Only the next one fails.
    emu.advanceClock(60 * SECOND);
    const next = (await create()).body?.backupJobId;
    emu.advanceClock(60 * SECOND);
    expect((await tasks({ backupJobId: Number(next) }))[0]?.backupStatus).to.equal("Finished");
    // An instance configured to fail every task.
    const always = (await create({ DBInstanceId: "rm-alwaysfails" })).body?.backupJobId;
    expect((await tasks({ DBInstanceId: "rm-alwaysfails", backupJobId: Number(always) }))[0]?.backupStatus).to.equal(
      "Failed",
    );
  });

  it("denies a key limited to other instances, naming rds:CreateBackup and rds:DescribeBackupTasks", async () => {
    const limited = sdkClient(emu, { accessKeyId: "LTAI.Limited", accessKeySecret: "limited-secret" });
    const createErr = await expectSdkError(limited.createBackup(new $Rds.CreateBackupRequest({ DBInstanceId: INST })));
    const tasksErr = await expectSdkError(
      limited.describeBackupTasks(new $Rds.DescribeBackupTasksRequest({ DBInstanceId: INST })),
    );
    expect([
      createErr.code,
      createErr.statusCode,
      (createErr.data?.AccessDeniedDetail as Record<string, string>).AuthAction,
    ]).to.deep.equal(["Forbidden.RAM", 403, "rds:CreateBackup"]);
    expect([tasksErr.code, (tasksErr.data?.AccessDeniedDetail as Record<string, string>).AuthAction]).to.deep.equal([
      "Forbidden.RAM",
      "rds:DescribeBackupTasks",
    ]);
    expect(emu.backupTasks(INST)).to.deep.equal([]);
  });

  it("applies faults to the new actions: a throttled CreateBackup starts nothing, a reset one starts a task whose answer is lost", async () => {
    emu.injectFaults([{ kind: "throttle", retryAfterMs: 200 }, { kind: "throttle" }]);
    expect((await expectSdkError(create())).code).to.equal("Throttling.User");
    expect((await expectSdkError(tasks())).code).to.equal("Throttling.User");
    expect(emu.backupTasks(INST)).to.deep.equal([]);
    emu.injectFaults([{ kind: "reset" }]);
    expect((await expectSdkError(create())).code).to.be.a("string");
    expect(emu.backupTasks(INST).map((j) => j.BackupStatus)).to.deep.equal(["NoStart"]);
    expect((await expectSdkError(create())).code).to.equal("BackupJobExists"); // a blind retry
    emu.injectFaults([{ kind: "wrongType" }]);
    const wrong = JSON.parse(
      (await signedRaw(emu.port, { DBInstanceId: INST }, { action: "DescribeBackupTasks" })).text,
    );
    expect(wrong.Items.BackupJob[0].Process).not.to.match(/^\d+$/);
  });

  it("rejects bad backup settings in the data and the options, naming the field", async () => {
    const bad = (extra: Record<string, unknown>) => ({
      accessKeys: {},
      instances: { "rm-a": { regionId: "r", backups: [], ...extra } },
    });
    expect(() => validateData(bad({ backupDurationSeconds: -1 }))).to.throw(
      /instances\.rm-a\.backupDurationSeconds: expected seconds/,
    );
    expect(() => validateData(bad({ engine: "Oracle" }))).to.throw(/instances\.rm-a\.engine: "Oracle" is not one of/);
    expect(() => validateData(bad({ failBackups: "yes" }))).to.throw(/failBackups: expected true or false/);
    expect(() => validateData(bad({ backupDuration: 5 }))).to.throw(/unknown field backupDuration/);
    let thrown: unknown;
    await withEmulator({ backupDurationMs: -5 }).then(
      (e) => e.close(),
      (err: unknown) => {
        thrown = err;
      },
    );
    expect(String(thrown)).to.match(/backupDurationMs: expected milliseconds >= 0/);
    expect(() => emu.startBackupTask("rm-nope")).to.throw(/unknown instance rm-nope/);
  });
});

describe("emulator: a backup job through @alicloud/pop-core (an independent client)", () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await withEmulator({ data: data(), backupDurationMs: SECOND, backupVisibilityLagMs: 500 });
  });
  after(() => emu.close());

  it("creates a job, watches it to Finished in real time, then finds the set in DescribeBackups", async () => {
    const pop = new RPCClient({
      endpoint: emu.url,
      apiVersion: "2014-08-15",
      accessKeyId: AK,
      accessKeySecret: SECRET,
    });
    type Job = { BackupJobId: string; BackupStatus: string; Process: string; BackupId?: string };
    const created = await pop.request<{ BackupJobId: string }>(
      "CreateBackup",
      { DBInstanceId: INST, BackupMethod: "Physical" },
      { method: "POST" },
    );
    expect(created.BackupJobId).to.match(/^\d+$/);
    const statuses = new Set<string>();
    const finished = await until(async () => {
      const body = await pop.request<{ Items: { BackupJob: Job[] } }>("DescribeBackupTasks", {
        DBInstanceId: INST,
        BackupJobId: created.BackupJobId,
      });
      const job = body.Items.BackupJob[0];
      expect(job?.BackupJobId).to.equal(created.BackupJobId);
      statuses.add(job?.BackupStatus ?? "");
      return job?.BackupStatus === "Finished" ? job : undefined;
    });
    expect(statuses.has("Failed")).to.equal(false);
    expect(finished.Process).to.equal("100");
    type Sets = { Items: { Backup: Array<Record<string, unknown>> } };
    const set = await until(
      async () =>
        (await pop.request<Sets>("DescribeBackups", { DBInstanceId: INST, BackupId: finished.BackupId })).Items
          .Backup[0],
    );
    expect(set).to.include({
      BackupId: finished.BackupId,
      BackupMode: "Manual",
      BackupInitiator: "User",
      BackupStatus: "Success",
      BackupMethod: "Physical",
      IsAvail: 1,
    });
  });
});
