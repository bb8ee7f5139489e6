/**
 * The main job (`npm run demo`): the local RDS API emulator with generated data, and the real
 * Pulumi engine running the examples against it, with no cloud account.
 *
 *   1. start the emulator (two instances: one with a fresh backup, one whose newest is 40 h old);
 *   2. `pulumi preview` and `pulumi up` of examples/read-backups: the backups read, the newest usable;
 *   3. `pulumi up` of examples/fresh-backup-gate on each instance: the gate's verdict;
 *   3b. the same example on an instance whose full backup is fresh but whose log chain has a gap:
 *      the freshness gate alone passes it; with `recoverableWithin: 15m` it stops, naming the gap;
 *   4. examples/yaml-gate, a Pulumi YAML program (Pulumi's YAML language host and the provider
 *      plugin): the same read and gate on both instances;
 *   5. examples/ensure-backup on the stale instance: preview says a backup will be taken (and
 *      takes none), `up` takes it, waits until it is usable, then migrates; a second `up` takes none;
 *   6. examples/python-gate and examples/go-gate, as Automation API inline programs with the
 *      generated SDKs (scripts/demo-languages.ts): the read, the gate and an ensured backup;
 *   7. examples/backup-on-change: two instances protected in one line (backups before changes,
 *      resource hooks) in a program written with the real @pulumi/alicloud SDK (its plugin is the
 *      project's stand-in, support/alicloud-standin): an unrelated change takes no backup and
 *      calls no RDS API; a change to one instance takes exactly one backup of it, first;
 *   8. stop the emulator and remove the temporary state. Nothing is left running.
 *
 * Exits 0 when everything behaved as it should (including the gate stopping the stale one).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateData, startEmulator, type RunningEmulator } from "../emulator";
import { runLanguageExamples } from "./demo-languages";
import {
  configSet,
  configSetAll,
  copyExample,
  ensurePulumi,
  initStack,
  newBackend,
  pulumi,
  stackOutputs,
  type Backend,
} from "../support/pulumi-driver";
import { REPO_ROOT } from "../support/repo-root";

/** The project's stand-in for the `alicloud` resource plugin (a download the demo cannot make). */
const ALICLOUD_STANDIN_DIR = path.join(REPO_ROOT, "support", "alicloud-standin");

const KEY_ID = "LTAI5tDemoAccessKey0001";
const KEY_SECRET = "demo-secret-not-for-production";
const FRESH = "rm-2zedemomysql01";
const STALE = "pgm-2zedemopg01";
/** examples/backup-on-change: "orders" has a stale backup, "users" a fresh one. */
const ORDERS = "rm-2zedemoorders01";
const USERS = "rm-2zedemousers01";
/** A full backup 3 h old, and no log file from 2 h to 1.5 h ago: fresh, but no restore inside the gap. */
const GAPPY = "rm-2zedemogap01";

function heading(text: string): void {
  console.log(`\n=== ${text}`);
}

async function main(): Promise<number> {
  heading("Building or finding the Pulumi CLI (cached after the first run)");
  const bin = await ensurePulumi();

  const backend = newBackend("rds-backups-demo-", "demo");
  const data = generateData({
    seed: 42,
    accessKeys: { [KEY_ID]: KEY_SECRET },
    instances: [
      { id: FRESH, engine: "MySQL", engineVersion: "8.0", count: 240, newestAgeHours: 3 },
      { id: STALE, engine: "PostgreSQL", engineVersion: "16.0", count: 30, newestAgeHours: 40 },
      { id: ORDERS, engine: "MySQL", engineVersion: "8.0", count: 20, newestAgeHours: 40 },
      { id: USERS, engine: "MySQL", engineVersion: "8.0", count: 20, newestAgeHours: 3 },
      {
        id: GAPPY,
        engine: "MySQL",
        engineVersion: "8.0",
        count: 20,
        newestAgeHours: 3,
        logChain: { gaps: [{ fromHoursAgo: 2, toHoursAgo: 1.5 }] },
      },
    ],
  });
  const emulator = await startEmulator({ data, port: 0 });
  const failures: string[] = [];
  try {
    heading(
      `Emulator listening on ${emulator.url}: ${FRESH} (240 backup sets, newest 3 h old), ${STALE} (30, newest 40 h old)`,
    );
    // The provider plugin on PATH after the CLI's bin dir, as a user puts it there (for examples/yaml-gate).
    const env = {
      ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
      PATH: [bin, pluginDir(backend), process.env["PATH"] ?? ""].join(path.delimiter),
    };
    // Asynchronous: the emulator runs in this process and must keep answering.
    const step = async (cwd: string, args: string[], show = true) => {
      if (show) console.log(`\n$ pulumi ${args.join(" ")}`);
      const r = await pulumi(args, { cwd, backend, env });
      if (show) process.stdout.write(r.stdout + r.stderr);
      return { ok: r.code === 0, out: r.stdout + r.stderr };
    };
    const stack = async (cwd: string, name: string, config: Record<string, string>) => {
      await initStack(name, { cwd, backend });
      await configSetAll(
        { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID, ...config },
        { cwd, backend, stack: name },
        { "alicloud:secretKey": KEY_SECRET },
      );
    };

    heading("examples/read-backups: the backup sets as typed outputs, real in preview");
    const reader = copyExample("read-backups", backend.dir);
    await stack(reader, "demo", { dbInstanceId: FRESH });
    if (!(await step(reader, ["preview", "--stack", "demo"])).ok) failures.push("read-backups preview failed");
    if (!(await step(reader, ["up", "--yes", "--skip-preview", "--stack", "demo"])).ok)
      failures.push("read-backups up failed");
    const outputs = await stackOutputs({ cwd: reader, backend, stack: "demo" });
    console.log(`  backups read: ${outputs.backupCount}, failed: ${outputs.failedBackupIds?.length ?? 0}`);
    console.log(`  newest usable: ${outputs.latestId} (${outputs.latestStatus}, ended ${outputs.latestEndTime})`);
    console.log(`  DescribeBackups calls so far: ${emulator.stats.describeBackups}`);

    heading(`examples/fresh-backup-gate on ${FRESH}: a full backup within 24h, so the migration is applied`);
    const gate = copyExample("fresh-backup-gate", backend.dir);
    await stack(gate, "fresh", { dbInstanceId: FRESH, maxAge: "24h" });
    const passed = await step(gate, ["up", "--yes", "--stack", "fresh"]);
    if (!passed.ok) failures.push(`the gate stopped ${FRESH}, which has a fresh backup`);

    heading(`examples/fresh-backup-gate on ${STALE}: its newest backup is 40 h old, so the gate stops the deployment`);
    await stack(gate, "stale", { dbInstanceId: STALE, maxAge: "24h" });
    // The engine repeats a failure in its progress view and its diagnostics: show the verdict
    // once, as the engine's own diagnostic line ("error: Preview failed: requireFreshBackup: ...").
    console.log("\n$ pulumi up --yes --stack stale");
    const stopped = await step(gate, ["up", "--yes", "--stack", "stale"], false);
    if (stopped.ok) failures.push(`the gate let ${STALE} through with a 40 h old backup`);
    const verdict = stopped.out.split("\n").find((line) => /^\s*error: \w+ failed: requireFreshBackup:/.test(line));
    console.log(verdict ? `  ${verdict.trim()}` : stopped.out);

    heading(
      `examples/fresh-backup-gate on ${GAPPY}: its full backup is 3 h old, but its log chain has a gap; the freshness gate alone passes it`,
    );
    await stack(gate, "gap", { dbInstanceId: GAPPY, maxAge: "24h" });
    if (!(await step(gate, ["preview", "--stack", "gap"])).ok)
      failures.push(`the freshness gate stopped ${GAPPY}, whose full backup is fresh`);
    console.log(
      `\n  with recoverableWithin 15m the gate also requires a point-in-time restore to within 15 min of now:`,
    );
    await configSet("recoverableWithin", "15m", { cwd: gate, backend, stack: "gap" });
    console.log("\n$ pulumi up --yes --stack gap");
    const gapStopped = await step(gate, ["up", "--yes", "--stack", "gap"], false);
    if (gapStopped.ok || !/has a gap from/.test(gapStopped.out))
      failures.push(`the recoverability gate did not stop ${GAPPY}, naming the gap in its log chain`);
    const gapVerdict = gapStopped.out
      .split("\n")
      .find((line) => /^\s*error: \w+ failed: requireFreshBackup:/.test(line));
    console.log(gapVerdict ? `  ${gapVerdict.trim()}` : gapStopped.out);

    // Before ensure-backup, which gives the stale instance a fresh backup.
    const yamlResult = await runYamlExample(backend, emulator.url, step);
    failures.push(...yamlResult.failures);

    heading(`examples/ensure-backup on ${STALE}: take the missing backup before the migration, and wait for it`);
    const ensurer = copyExample("ensure-backup", backend.dir);
    await stack(ensurer, "ensure", { dbInstanceId: STALE, maxAge: "24h", timeout: "5m" });
    const planned = await step(ensurer, ["preview", "--stack", "ensure"]);
    if (!planned.ok || !/will take a Physical backup/.test(planned.out))
      failures.push("ensure-backup preview did not say a backup will be taken");
    if (emulator.stats.createBackup !== 0) failures.push("ensure-backup preview took a backup");
    console.log(`  CreateBackup calls after the preview: ${emulator.stats.createBackup}`);
    const ensured = await step(ensurer, ["up", "--yes", "--skip-preview", "--stack", "ensure"]);
    if (!ensured.ok) failures.push("ensure-backup up failed");
    const taken = await stackOutputs({ cwd: ensurer, backend, stack: "ensure" });
    console.log(
      `  backup ${taken.backupAction}: job ${taken.backupJobId}, backup set ${taken.protectedByBackupId} ended ${taken.protectedByBackupEndTime}`,
    );
    console.log(
      `  migration applied at ${taken.migrationAppliedAt}; CreateBackup calls: ${emulator.stats.createBackup}`,
    );
    const again = await step(ensurer, ["up", "--yes", "--skip-preview", "--expect-no-changes", "--stack", "ensure"]);
    if (!again.ok) failures.push("a second ensure-backup up was not a no-op");
    if (emulator.stats.createBackup !== 1)
      failures.push(`ensure-backup took ${emulator.stats.createBackup} backups, not 1`);

    // ensure-backup's count, before the other examples take their own.
    const ensureBackups = emulator.stats.createBackup;
    const languages = await runLanguageExamples({
      backend,
      env,
      endpoint: emulator.url,
      keyId: KEY_ID,
      keySecret: KEY_SECRET,
      gated: FRESH,
      ensured: STALE,
    });
    failures.push(...languages.failures);
    const hooksResult = await runBackupOnChangeExample(backend, bin, emulator);
    failures.push(...hooksResult.failures);

    heading("Summary");
    console.log(
      `  ${FRESH}: ${outputs.backupCount} backups read; newest usable ${outputs.latestId}; gate ${passed.ok ? "passed, migration applied" : "FAILED"}`,
    );
    console.log(
      `  ${STALE}: gate ${stopped.ok ? "DID NOT STOP the deployment" : "stopped the deployment (see its verdict above), nothing changed"}`,
    );
    console.log(`  examples/yaml-gate (Pulumi YAML): ${yamlResult.summary}`);
    console.log(
      `  ${STALE}: ensureFreshBackup ${ensureBackups === 1 ? `took one backup (${taken.protectedByBackupId}), then the migration ran; a second up took none` : "DID NOT take exactly one backup"}`,
    );
    for (const line of languages.summary) console.log(`  ${line}`);
    console.log(`  examples/backup-on-change: ${hooksResult.summary}`);
  } finally {
    await emulator.close();
    backend.cleanup();
  }
  for (const failure of failures) console.error(`demo: ${failure}`);
  console.log(
    failures.length === 0
      ? "\nDemo finished: everything behaved as expected. Emulator stopped, temporary state removed."
      : "",
  );
  return failures.length === 0 ? 0 : 1;
}

const PLUGIN = "pulumi-resource-alicloud-rds-backups";
const pluginDir = (backend: Backend) => path.join(backend.dir, "plugin-bin");

type Step = (cwd: string, args: string[], show?: boolean) => Promise<{ ok: boolean; out: string }>;

/**
 * examples/yaml-gate: the read (fn::invoke of getBackups) and the gate (FreshBackupGate) from a
 * Pulumi YAML program, run by Pulumi's YAML language host with the provider plugin on PATH.
 */
async function runYamlExample(
  backend: Backend,
  endpoint: string,
  step: Step,
): Promise<{ failures: string[]; summary: string }> {
  heading(
    "examples/yaml-gate: the same read and gate from a Pulumi YAML program (provider plugin, Pulumi's YAML host)",
  );
  fs.mkdirSync(pluginDir(backend));
  fs.symlinkSync(path.join(REPO_ROOT, "plugin", PLUGIN), path.join(pluginDir(backend), PLUGIN));
  const yaml = copyExample("yaml-gate", backend.dir);
  // The plugin's own configuration: the endpoint and the keys, never in the program.
  const stack = async (name: string, dbInstanceId: string) => {
    await initStack(name, { cwd: yaml, backend });
    await configSetAll(
      { dbInstanceId, "alicloud-rds-backups:region": "cn-hangzhou", "alicloud-rds-backups:endpoint": endpoint },
      { cwd: yaml, backend, stack: name },
      { "alicloud-rds-backups:accessKeyId": KEY_ID, "alicloud-rds-backups:accessKeySecret": KEY_SECRET },
    );
  };
  const failures: string[] = [];
  await stack("fresh", FRESH);
  console.log("\n$ pulumi up --yes --stack fresh");
  const applied = await step(yaml, ["up", "--yes", "--stack", "fresh"], false);
  if (!applied.ok) failures.push(`yaml-gate: up on ${FRESH} failed:\n${applied.out}`);
  const outputs = await stackOutputs({ cwd: yaml, backend, stack: "fresh" });
  console.log(
    `  successful backups in the last 7 days: ${outputs.backupCount}; newest usable ${outputs.latestId} (ended ${outputs.latestEndTime})`,
  );
  console.log(`  gate: ${outputs.gateChecked}; migration recorded: ${JSON.stringify(outputs.migration)}`);

  await stack("stale", STALE);
  console.log("\n$ pulumi preview --stack stale");
  const stopped = await step(yaml, ["preview", "--stack", "stale"], false);
  if (stopped.ok) failures.push(`yaml-gate: the gate let ${STALE} through with a 40 h old backup`);
  const verdict = stopped.out.split("\n").find((line) => /^\s*error: FreshBackupGate:/.test(line));
  console.log(verdict ? `  ${verdict.trim()}` : stopped.out);
  const summary =
    failures.length === 0
      ? `${FRESH} read and gated (migration applied), ${STALE} stopped by the gate`
      : "FAILED (see above)";
  return { failures, summary };
}

/**
 * examples/backup-on-change: backups before changes in one line, in a program written with the
 * real @pulumi/alicloud SDK, whose resource plugin is the project's stand-in (it keeps its own
 * state and gives the instances the emulator's ids).
 */
async function runBackupOnChangeExample(
  backend: Backend,
  bin: string,
  emulator: RunningEmulator,
): Promise<{ failures: string[]; summary: string }> {
  heading(
    `examples/backup-on-change: ${ORDERS} (newest backup 40 h old) and ${USERS} (3 h) protected in one line: a backup exactly when a database changes`,
  );
  const cwd = copyExample("backup-on-change", backend.dir);
  const env = {
    ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
    PATH: [ALICLOUD_STANDIN_DIR, bin, process.env["PATH"] ?? ""].join(path.delimiter),
    ALICLOUD_STANDIN_STATE: path.join(backend.dir, "alicloud-standin-state.json"),
    ALICLOUD_STANDIN_INSTANCE_IDS: JSON.stringify({ orders: ORDERS, users: USERS }),
  };
  const at = { cwd, backend, stack: "demo", env };
  const run = async (args: string[], show = true) => {
    if (show) console.log(`\n$ pulumi ${args.join(" ")}`);
    const r = await pulumi(args, at);
    if (show) process.stdout.write(r.stdout + r.stderr);
    return { ok: r.code === 0, out: r.stdout + r.stderr };
  };
  const failures: string[] = [];
  await initStack("demo", { cwd, backend });
  await configSetAll({ "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID }, at, {
    "alicloud:secretKey": KEY_SECRET,
  });
  console.log("\n$ pulumi up --yes --skip-preview   (creates the two instances, a database and a label)");
  if (!(await run(["up", "--yes", "--skip-preview"], false)).ok) failures.push("backup-on-change: the first up failed");

  const callsBefore = emulator.stats.requests;
  const backupsBefore = emulator.stats.createBackup;
  await configSet("label", "v2", at);
  if (!(await run(["up", "--yes"])).ok) failures.push("backup-on-change: up of the unrelated change failed");
  const unrelatedCalls = emulator.stats.requests - callsBefore;
  console.log(
    `  RDS API calls for the unrelated change: ${unrelatedCalls}; backups taken: ${emulator.stats.createBackup - backupsBefore}`,
  );
  if (unrelatedCalls !== 0)
    failures.push(`backup-on-change: the unrelated change made ${unrelatedCalls} RDS API calls`);

  await configSet("ordersClass", "mysql.n2.medium.1", at);
  const preview = await run(["preview"]);
  if (!preview.ok || !new RegExp(`up will take a Physical backup of ${ORDERS}`).test(preview.out))
    failures.push("backup-on-change: preview did not say a backup of orders will be taken");
  if (emulator.stats.createBackup !== backupsBefore) failures.push("backup-on-change: preview took a backup");
  const changed = await run(["up", "--yes", "--skip-preview"]);
  if (!changed.ok) failures.push("backup-on-change: up of the orders change failed");
  const taken = emulator.stats.createBackup - backupsBefore;
  const ordersTasks = emulator.backupTasks(ORDERS).length;
  const usersTasks = emulator.backupTasks(USERS).length;
  const outputs = await stackOutputs(at);
  for (const entry of outputs.backupsBeforeChanges ?? []) {
    console.log(
      `  recorded: ${String(entry.resource).split("::").pop()} (${entry.change}) on ${entry.dbInstanceId}: ${entry.action}, job ${entry.jobId ?? "-"}, backup ${entry.backupId} ended ${entry.backupEndTime}`,
    );
  }
  if (taken !== 1 || ordersTasks !== 1 || usersTasks !== 0)
    failures.push(
      `backup-on-change: ${taken} backups taken (orders ${ordersTasks}, users ${usersTasks}), not exactly one of orders`,
    );
  const summary =
    failures.length === 0
      ? `the unrelated change: 0 RDS API calls, no backup; the change to orders: exactly one backup of ${ORDERS}, taken first; ${USERS} untouched`
      : "FAILED (see above)";
  return { failures, summary };
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`demo: ${err.message}`);
    process.exit(1);
  },
);
