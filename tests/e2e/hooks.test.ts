/**
 * Backups before changes under the real engine, with the real `@pulumi/alicloud` SDK (served by
 * the stand-in plugin) against the emulator: a program of instances A (stale) and B (fresh), a
 * database in A and an unrelated resource, protected in one line (fixtures/backup-hooks).
 *
 * API calls are counted at the emulator, per instance (its log names the instance of each call);
 * what the engine asked of the resources, and when, is the stand-in's operation log.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorData, RunningEmulator } from "../../emulator";
import { rawBackup } from "../provider/fixtures";
import { alicloudStandIn, type AlicloudStandIn, type StandInOperation } from "../../support/alicloud-standin";
import {
  type E2eWithEmulator,
  FIXTURES_DIR,
  SETUP_TIMEOUT_MS,
  configSet,
  copyProject,
  ensurePulumi,
  pulumi,
  pulumiOk,
  stackExport,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tE2eHooksKey0001";
const SECRET = "e2e-hooks-secret-Zq81";
const A = "rm-e2ehooksa";
const B = "rm-e2ehooksb";
/** The emulator lists a finished set this long after its task ends. */
const LISTING_LAG_MS = 2000;
const RECORD_TYPE = "rds-backups:index:BackupHookRecord";

function data(now = Date.now()): EmulatorData {
  const instance = (id: string, hoursAgo: number, backupId: string) => ({
    regionId: "cn-hangzhou",
    backups: [rawBackup(backupId, hoursAgo, { DBInstanceId: id }, now)],
    backupDurationSeconds: 3,
    backupVisibilityLagSeconds: LISTING_LAG_MS / 1000,
  });
  return {
    accessKeys: { [KEY_ID]: SECRET },
    // A's newest backup is 40 h old (stale for 24h), B's 2 h (fresh).
    instances: { [A]: instance(A, 40, "810001"), [B]: instance(B, 2, "820001") },
  } as EmulatorData;
}

/** The records the hooks logged ("recorded {...}"): those of changes run after the program ended. */
function loggedRecords(out: string): Array<Record<string, string>> {
  return [...out.matchAll(/recorded (\{.*\})/g)].map((m) => JSON.parse(m[1]!) as Record<string, string>);
}

interface Run {
  readonly code: number;
  readonly out: string;
}

describe("e2e: backups before changes (resource hooks) under the real engine", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let emulator: RunningEmulator;
  let bin: string;
  /** "<action> <instance>" of every API call since the last reset. */
  let calls: string[] = [];
  const callsTo = (instance: string) => calls.filter((c) => c.split(" ")[1] === instance);
  const resetCounts = () => {
    emulator.resetStats();
    calls = [];
  };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({
      prefix: "rds-e2e-hooks-",
      data: data(),
      emulator: { log: (line) => calls.push(line.split(" ").slice(0, 2).join(" ")) },
    });
    ({ emulator } = e2e);
    bin = await ensurePulumi();
  });
  after(async () => {
    await e2e?.close();
  });

  /** A stack of the fixture in its own directory of the backend's, with its own stand-in state. */
  function stackOf(stack: string, mode: "ensure" | "require") {
    let dir: string;
    let cwd: string;
    let standIn: AlicloudStandIn;
    const at = () => ({
      cwd,
      backend: e2e!.backend,
      stack,
      env: { ...standIn.env(bin), ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url },
    });
    return {
      at,
      operations: (): StandInOperation[] => standIn.operations(),
      async init() {
        dir = fs.mkdtempSync(path.join(e2e!.backend.dir, `${stack}-`));
        standIn = alicloudStandIn(dir, { a: A, b: B });
        cwd = copyProject(path.join(FIXTURES_DIR, "backup-hooks"), dir);
        await e2e!.stack(
          stack,
          cwd,
          { mode, "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID },
          {
            "alicloud:secretKey": SECRET,
          },
        );
      },
      set: (key: string, value: string) => configSet(key, value, at()),
      async run(args: string[]): Promise<Run> {
        const r = await pulumi(args, at());
        return { code: r.code, out: r.stdout + r.stderr };
      },
      async record(): Promise<Array<Record<string, string>>> {
        const { resources } = await stackExport(at());
        const record = resources.find((r) => r.type === RECORD_TYPE);
        return record?.outputs?.backups ?? [];
      },
      cleanup() {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const tasksOf = (instance: string) => emulator.backupTasks(instance);
  /** Makes A stale again: the backups the hooks took are removed. */
  const staleAgain = () => {
    for (const task of tasksOf(A)) if (task.BackupId) emulator.removeBackup(A, task.BackupId);
  };

  describe("ensure mode", () => {
    const s = stackOf("ensure", "ensure");
    before(() => s.init());
    after(() => s.cleanup());

    it("creating the program takes no backup and calls no RDS API", async () => {
      resetCounts();
      await pulumiOk(["up", "--yes"], s.at());
      expect(calls, "RDS API calls").to.deep.equal([]);
      expect(s.operations().filter((o) => o.op === "create")).to.have.length(3);
    });

    it("a change to the unrelated resource only: preview and up pass with no RDS call and no backup", async () => {
      await s.set("label", "v2");
      resetCounts();
      const preview = await s.run(["preview"]);
      expect(preview.code, preview.out).to.equal(0);
      const up = await s.run(["up", "--yes"]);
      expect(up.code, up.out).to.equal(0);
      expect(calls, "RDS API calls").to.deep.equal([]);
      expect(up.out).to.match(/~ 1 updated/);
    });

    it("a change to A: preview names A, its instance and newest backup, says up takes a backup, and takes none", async () => {
      await s.set("aClass", "mysql.n2.medium.1");
      resetCounts();
      const r = await s.run(["preview"]);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(
        new RegExp(
          `backup before update \\(ensure\\): a \\(alicloud:rds/instance:Instance\\) will change: ${A}: newest usable backup 810001 ended .*older than the limit 24h.*: up will take a Physical backup of ${A}`,
        ),
      );
      expect(emulator.stats.createBackup).to.equal(0);
      expect(tasksOf(A)).to.have.length(0);
      expect(callsTo(B), "calls for B").to.deep.equal([]);
    });

    it("up takes exactly one backup of A and updates A only once its set is Success and available; B gets no call", async () => {
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      expect(callsTo(B), "calls for B").to.deep.equal([]);
      const [task] = tasksOf(A);
      expect(task).to.include({ BackupStatus: "Finished" });
      const record = await s.record();
      expect(record).to.have.length(1);
      expect(record[0]).to.include({
        change: "update",
        dbInstanceId: A,
        mode: "ensure",
        action: "created",
        jobId: task!.BackupJobId,
        backupId: task!.BackupId,
      });
      expect(record[0]!.resource).to.match(/::a$/);
      const update = s.operations().filter((o) => o.op === "update" && o.id === A);
      expect(update).to.have.length(1);
      // Listed (Success, available) from its end plus the listing lag: the update came after.
      expect(Date.parse(update[0]!.at)).to.be.at.least(Date.parse(record[0]!.backupEndTime!) + LISTING_LAG_MS);
    });

    it("A and its database changing in one update share one judgement and take no second backup", async () => {
      await s.set("aClass", "mysql.n2.large.1");
      await s.set("ordersDescription", "orders, v2");
      resetCounts();
      // Without up's preview (a run of its own, which judges once too): the update alone.
      const r = await s.run(["up", "--yes", "--skip-preview"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(0);
      expect(callsTo(A), "calls for A").to.deep.equal([`DescribeBackups ${A}`]);
      const record = await s.record();
      expect(record.map((e) => [e.resource!.split("::").pop(), e.action]).sort()).to.deep.equal([
        ["a", "none"],
        ["orders", "none"],
      ]);
    });

    it("a backup task that ends Failed stops the change of A", async () => {
      staleAgain();
      emulator.failNextBackup(A);
      await s.set("aClass", "mysql.n2.xlarge.1");
      const updatesBefore = s.operations().filter((o) => o.op === "update").length;
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.not.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      const failed = tasksOf(A).find((t) => t.BackupStatus === "Failed");
      expect(r.out)
        .to.contain(`backup job ${failed!.BackupJobId}`)
        .and.to.match(/ended Failed/);
      expect(s.operations().filter((o) => o.op === "update")).to.have.length(updatesBefore);
    });

    it("a replace of A that deletes first takes one backup before the delete", async () => {
      // The failed attempt left A stale; the next up takes the backup.
      await s.set("aDeleteBeforeReplace", "true");
      await s.set("aEngine", "PostgreSQL");
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      const deleted = s.operations().find((o) => o.op === "delete" && o.id === A);
      expect(deleted, "A deleted").to.not.equal(undefined);
      const record = await s.record();
      const ofA = record.find((e) => e.resource!.endsWith("::a"));
      expect(ofA).to.include({ change: "delete", dbInstanceId: A, action: "created" });
      // In the program's time, so in the record: no warning that it is missing.
      expect(r.out).to.not.contain("not in the stack's rds-backup-hooks record");
      const task = tasksOf(A).find((t) => t.BackupJobId === ofA!.jobId);
      expect(task).to.include({ BackupStatus: "Finished", BackupId: ofA!.backupId });
      expect(Date.parse(deleted!.at)).to.be.at.least(Date.parse(ofA!.backupEndTime!) + LISTING_LAG_MS);
    });

    it("a resource removed from the program: its delete takes one backup first (recorded in the log)", async () => {
      staleAgain();
      await s.set("withOrders", "false");
      const earlier = s.operations().length;
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      const deleted = s
        .operations()
        .slice(earlier)
        .filter((o) => o.op === "delete" && o.id === `${A}:orders`);
      expect(deleted).to.have.length(1);
      const [logged] = loggedRecords(r.out).filter((e) => e.resource!.endsWith("::orders"));
      expect(logged).to.include({ change: "delete", dbInstanceId: A, action: "created" });
      // After the program: a warning in the update's output, saying the state does not hold it.
      expect(r.out).to.match(
        /warning: backup before delete \(ensure\): orders \(alicloud:rds\/database:Database\): this delete ran after the program ended, so it is not in the stack's rds-backup-hooks record; recorded \{/,
      );
      expect((await s.record()).filter((e) => e.resource!.endsWith("::orders"))).to.deep.equal([]);
      const task = tasksOf(A).find((t) => t.BackupJobId === logged!.jobId);
      expect(task).to.include({ BackupStatus: "Finished", BackupId: logged!.backupId });
      expect(Date.parse(deleted[0]!.at)).to.be.at.least(Date.parse(logged!.backupEndTime!) + LISTING_LAG_MS);
    });

    it("a replace of A that creates first backs up the old A before it is deleted", async () => {
      staleAgain();
      await s.set("aDeleteBeforeReplace", "false");
      await s.set("aEngine", "MySQL");
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      const ops = s.operations();
      // The new A was created first (A's id was still in use: it got another); then the old one went.
      const created = ops.filter((o) => o.op === "create" && o.type === "alicloud:rds/instance:Instance").pop();
      expect(created!.id).to.not.equal(A);
      const deleted = ops.filter((o) => o.op === "delete" && o.id === A).pop();
      expect(deleted!.at > created!.at, "old A deleted after the new one was created").to.equal(true);
      const [logged] = loggedRecords(r.out).filter((e) => e.resource!.endsWith("::a"));
      expect(logged).to.include({ change: "delete", dbInstanceId: A, action: "created" });
      expect(Date.parse(deleted!.at)).to.be.at.least(Date.parse(logged!.backupEndTime!) + LISTING_LAG_MS);
    });
  });

  describe("require mode, and the override", () => {
    const s = stackOf("require", "require");
    before(() => s.init());
    after(() => s.cleanup());

    it("a change to stale A: preview and up are stopped, naming A, its instance and newest backup; nothing is taken or changed", async () => {
      // The backups the ensure stack took for A (same emulator) are gone: A is stale again.
      staleAgain();
      await pulumiOk(["up", "--yes"], s.at());
      await s.set("aClass", "mysql.n2.medium.1");
      resetCounts();
      const preview = await s.run(["preview"]);
      expect(preview.code, preview.out).to.not.equal(0);
      const stopped = new RegExp(
        `backup before update \\(require\\): a \\(alicloud:rds/instance:Instance\\) is not changed: ${A}: newest usable backup 810001 ended .*older than the limit 24h`,
      );
      expect(preview.out).to.match(stopped).and.to.contain(`rds-backups:gateOverrides["${A}"].reason`);
      const up = await s.run(["up", "--yes"]);
      expect(up.code, up.out).to.not.equal(0);
      expect(up.out).to.match(stopped);
      expect(emulator.stats.createBackup).to.equal(0);
      expect(s.operations().filter((o) => o.op === "update")).to.have.length(0);
    });

    it("an override on A lets it through with a warning, and the state records it", async () => {
      await pulumiOk(
        ["config", "set", "--path", `rds-backups:gateOverrides["${A}"].reason`, "backup job broken, INC-42"],
        s.at(),
      );
      resetCounts();
      const preview = await s.run(["preview"]);
      expect(preview.code, preview.out).to.equal(0);
      expect(preview.out).to.match(
        /warning: backup before update \(require\): a \(alicloud:rds\/instance:Instance\) OVERRIDDEN by rds-backups:gateOverrides \(reason: "backup job broken, INC-42"\): .*older than the limit 24h.*\. Recorded in rds-backup-hooks \(backups\), and no backup was taken\./,
      );
      const up = await s.run(["up", "--yes"]);
      expect(up.code, up.out).to.equal(0);
      expect(up.out).to.match(/OVERRIDDEN/);
      expect(emulator.stats.createBackup).to.equal(0);
      expect(s.operations().filter((o) => o.op === "update" && o.id === A)).to.have.length(1);
      const [entry] = await s.record();
      expect(entry).to.include({ dbInstanceId: A, change: "update", mode: "require", action: "overridden" });
      expect(entry!.override).to.include({ reason: "backup job broken, INC-42" });
      expect((entry!.override as unknown as Record<string, string>).verdict).to.match(/older than the limit 24h/);
    });

    it("destroy without --run-program is refused by the engine: nothing is deleted unguarded", async () => {
      await s.set("mode", "ensure");
      await pulumiOk(["config", "rm", "rds-backups:gateOverrides"], s.at());
      resetCounts();
      const r = await s.run(["destroy", "--yes"]);
      expect(r.code, r.out).to.not.equal(0);
      expect(r.out).to.contain("You must run with the `--run-program` flag to use delete hooks during destroy");
      expect(s.operations().filter((o) => o.op === "delete")).to.have.length(0);
      expect(calls, "RDS API calls").to.deep.equal([]);
    });

    it("destroy --run-program takes one backup of A before deleting it", async () => {
      resetCounts();
      const r = await s.run(["destroy", "--yes", "--run-program"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      const deleted = s.operations().find((o) => o.op === "delete" && o.id === A);
      const [logged] = loggedRecords(r.out).filter((e) => e.resource!.endsWith("::a"));
      expect(logged).to.include({ change: "delete", dbInstanceId: A, action: "created" });
      expect(Date.parse(deleted!.at)).to.be.at.least(Date.parse(logged!.backupEndTime!) + LISTING_LAG_MS);
    });
  });

  describe("ways out, and hooks put on one resource by hand", () => {
    const s = stackOf("ways-out", "ensure");
    before(async () => {
      await s.init();
      staleAgain();
      await pulumiOk(["config", "set", "--path", "exceptResources[0]", "orders"], s.at());
      await pulumiOk(["up", "--yes"], s.at());
    });
    after(() => s.cleanup());

    it("a resource left out by name (exceptResources) changes with no RDS call, though its instance is stale", async () => {
      await s.set("ordersDescription", "left out");
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(calls, "RDS API calls").to.deep.equal([]);
      expect(s.operations().filter((o) => o.op === "update" && o.id === `${A}:orders`)).to.have.length(1);
    });

    it("hooks on B alone (backupHooks): a change to stale A calls nothing; a change to B judges B once per run", async () => {
      await s.set("protect", "b-only");
      await s.set("aClass", "mysql.n2.medium.1");
      resetCounts();
      const a = await s.run(["up", "--yes"]);
      expect(a.code, a.out).to.equal(0);
      expect(calls, "RDS API calls").to.deep.equal([]);
      await s.set("bClass", "mysql.n2.medium.1");
      resetCounts();
      const b = await s.run(["up", "--yes", "--skip-preview"]);
      expect(b.code, b.out).to.equal(0);
      expect(calls, "RDS API calls").to.deep.equal([`DescribeBackups ${B}`]);
      expect(emulator.stats.createBackup).to.equal(0);
    });

    it("a type left out (exceptTypes: Database): a change to only a database of stale A takes no backup and calls nothing", async () => {
      staleAgain();
      await s.set("protect", "all");
      await pulumiOk(["config", "rm", "exceptResources"], s.at());
      await pulumiOk(["config", "set", "--path", "exceptTypes[0]", "alicloud:rds/database:Database"], s.at());
      await s.set("ordersDescription", "type left out");
      const updatesBefore = s.operations().filter((o) => o.op === "update" && o.id === `${A}:orders`).length;
      resetCounts();
      const r = await s.run(["up", "--yes"]);
      expect(r.code, r.out).to.equal(0);
      expect(calls, "RDS API calls (preview and update)").to.deep.equal([]);
      expect(emulator.stats.createBackup).to.equal(0);
      expect(s.operations().filter((o) => o.op === "update" && o.id === `${A}:orders`)).to.have.length(
        updatesBefore + 1,
      );
      expect(await s.record()).to.deep.equal([]);
    });

    it("an instance chosen by a function of the hook's arguments is the one judged: the database of stale A, judged by fresh B", async () => {
      await pulumiOk(["config", "rm", "exceptTypes"], s.at());
      await s.set("ordersInstance", B);
      await s.set("ordersDescription", "judged by B");
      resetCounts();
      const r = await s.run(["up", "--yes", "--skip-preview"]);
      expect(r.code, r.out).to.equal(0);
      // A is stale: judged by its own instance, the database would have cost a backup of A.
      expect(calls, "RDS API calls").to.deep.equal([`DescribeBackups ${B}`]);
      expect(emulator.stats.createBackup).to.equal(0);
      const [entry, ...others] = await s.record();
      expect(others).to.deep.equal([]);
      expect(entry).to.include({ change: "update", dbInstanceId: B, action: "none", backupId: "820001" });
      expect(entry!.resource).to.match(/::orders$/);
    });

    it("always: A's newest backup is fresh, A changes, and exactly one new backup of A is taken first", async () => {
      await pulumiOk(["config", "rm", "ordersInstance"], s.at());
      await s.set("always", "true");
      // Fresh for any usual maxAge (ended 2 h ago), older than the minutes `always` accepts.
      emulator.addBackup(A, rawBackup("810002", 2, { DBInstanceId: A }));
      await s.set("aClass", "mysql.n2.large.1");
      const updatesBefore = s.operations().filter((o) => o.op === "update" && o.id === A).length;
      resetCounts();
      const r = await s.run(["up", "--yes", "--skip-preview"]);
      expect(r.code, r.out).to.equal(0);
      expect(emulator.stats.createBackup).to.equal(1);
      expect(callsTo(B), "calls for B").to.deep.equal([]);
      const [entry, ...others] = await s.record();
      expect(others).to.deep.equal([]);
      const task = tasksOf(A).find((t) => t.BackupJobId === entry!.jobId);
      expect(task).to.include({ BackupStatus: "Finished", BackupId: entry!.backupId });
      expect(entry).to.include({ change: "update", dbInstanceId: A, action: "created" });
      expect(entry!.backupId).to.not.equal("810002");
      const updates = s.operations().filter((o) => o.op === "update" && o.id === A);
      expect(updates).to.have.length(updatesBefore + 1);
      expect(Date.parse(updates.pop()!.at)).to.be.at.least(Date.parse(entry!.backupEndTime!) + LISTING_LAG_MS);
    });
  });
});
