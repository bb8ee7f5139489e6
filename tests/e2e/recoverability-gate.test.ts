/**
 * `recoverableWithin` in the real Pulumi engine, against the emulator's generated log chains: the
 * gate (examples/fresh-backup-gate), ensure (examples/ensure-backup) and the hooks (fixture
 * backup-hooks, with the project's stand-in for the alicloud plugin). A fresh full backup whose
 * log chain has a gap passes the freshness gate alone and is stopped with the option, naming the
 * gap; the override lets it through on the record; a healthy chain passes and does not churn.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { generateData, type RunningEmulator } from "../../emulator";
import { alicloudStandIn } from "../../support/alicloud-standin";
import {
  type Backend,
  FIXTURES_DIR,
  SETUP_TIMEOUT_MS,
  type E2eWithEmulator,
  copyExample,
  copyProject,
  describeFailure,
  ensurePulumi,
  pulumi,
  pulumiOk,
  stackExport,
  stackOutputs,
  startE2e,
  type PulumiOptions,
} from "./harness";

const KEY_ID = "LTAI5tE2ePitrKey00001";
const SECRET = "e2e-pitr-secret-Wv52";
/** Full backup 3 h old, healthy log chain. */
const HEALTHY = "rm-e2epitr01";
/** Full backup 3 h old, no log file from 2 h to 1.5 h ago. */
const GAP = "rm-e2epitr02";
/** Full backup 40 h old, the same gap: ensure's backup repairs it. */
const STALE_GAP = "rm-e2epitr03";
/** Full backup 3 h old, log backup off. */
const LOG_OFF = "rm-e2epitr04";
/** Full backup 3 h old and the gap, for the hooks in ensure mode: a new set repairs it. */
const HOOK_GAP = "rm-e2epitr05";
const REASON = "binlog upload outage, INC-4711";
const GAP_MESSAGE =
  /point-in-time restore to \S+Z within 15m: NOT possible: the log chain from full backup \d+ \(started \S+Z\) has a gap from \S+Z to \S+Z/;

describe("e2e: recoverableWithin (point-in-time restore) in the real engine", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let emulator: RunningEmulator;
  const credentials = { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    const gap = [{ fromHoursAgo: 2, toHoursAgo: 1.5 }];
    const data = generateData({
      seed: 2222,
      accessKeys: { [KEY_ID]: SECRET },
      instances: [
        { id: HEALTHY, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: {} },
        { id: GAP, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: { gaps: gap } },
        { id: STALE_GAP, engine: "PostgreSQL", count: 10, newestAgeHours: 40, logChain: { gaps: gap } },
        { id: LOG_OFF, engine: "MySQL", count: 10, newestAgeHours: 3, logBackup: false },
        { id: HOOK_GAP, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: { gaps: gap } },
      ],
    });
    for (const id of [STALE_GAP, GAP, LOG_OFF, HOOK_GAP]) {
      data.instances[id] = { ...data.instances[id]!, backupDurationSeconds: 0, backupVisibilityLagSeconds: 0 };
    }
    e2e = await startE2e({ prefix: "rds-e2e-pitr-", data });
    ({ backend, emulator } = e2e);
  });
  after(async () => {
    await e2e?.close();
  });

  const newStack = (cwd: string, stack: string, config: Record<string, string>): Promise<PulumiOptions> =>
    e2e!.stack(stack, cwd, { ...credentials, ...config }, { "alicloud:secretKey": SECRET });
  const resourceOf = async (at: PulumiOptions, type: string) =>
    (await stackExport(at)).resources.find((r) => r.type === type);
  /**
   * The backup-hooks fixture with recoverableWithin 15m, its instances A (`a`) and HEALTHY (`b`)
   * served by the stand-in alicloud plugin, created by a first up (which takes no backup).
   */
  const hooksStack = async (mode: "ensure" | "require", a: string) => {
    const dir = fs.mkdtempSync(path.join(backend.dir, `hooks-${mode}-`));
    const standIn = alicloudStandIn(dir, { a, b: HEALTHY });
    const cwd = copyProject(path.join(FIXTURES_DIR, "backup-hooks"), dir);
    const at = await e2e!.stack(
      `hooks-${mode}`,
      cwd,
      { ...credentials, mode, recoverableWithin: "15m", withOrders: "false" },
      { "alicloud:secretKey": SECRET },
      { env: standIn.env(await ensurePulumi()) },
    );
    await pulumiOk(["up", "--yes"], at);
    return { at, standIn };
  };

  describe("the gate (examples/fresh-backup-gate) on an instance whose fresh backup has a gap in its log chain", () => {
    let at: PulumiOptions;
    before(async () => {
      at = await newStack(copyExample("fresh-backup-gate", backend.dir), "gap", { dbInstanceId: GAP, maxAge: "24h" });
    });

    it("the freshness gate alone passes it, and reads no log file", async () => {
      emulator.resetStats();
      await pulumiOk(["up", "--yes"], at);
      expect(emulator.stats.byAction.DescribeBinlogFiles ?? 0).to.equal(0);
      expect((await stackOutputs(at)).gateRecoverable).to.equal(null);
    });

    it("with recoverableWithin 15m, preview and up stop naming the gap; the migration is not touched", async () => {
      await pulumiOk(["config", "set", "recoverableWithin", "15m"], at);
      await pulumiOk(["config", "set", "schemaVersion", "v43"], at);
      for (const command of [["preview"], ["up", "--yes"]]) {
        const r = await pulumi(command, at);
        expect(r.code, command.join(" ")).to.not.equal(0);
        expect(r.stdout + r.stderr)
          .to.match(GAP_MESSAGE)
          .and.to.contain(`rds-backups:gateOverrides["${GAP}"].reason`);
      }
      const migration = await resourceOf(at, "pulumi-nodejs:dynamic/example:SchemaMigration");
      expect(migration!.inputs.version, "the migration stays at the version before").to.equal("v42");
    });

    it("an override lets it through with a warning; the state records the verdict it overrode", async () => {
      await pulumiOk(["config", "set", "--path", `rds-backups:gateOverrides["${GAP}"].reason`, REASON], at);
      const up = await pulumi(["up", "--yes"], at);
      expect(up.code, describeFailure(["up"], up)).to.equal(0);
      expect(up.stdout + up.stderr).to.match(
        /warning: requireFreshBackup OVERRIDDEN by rds-backups:gateOverrides \(reason: "binlog upload outage, INC-4711"\)/,
      );
      const gate = await resourceOf(at, "pulumi-nodejs:dynamic/rds:FreshBackup");
      expect(gate!.outputs).to.include({ fresh: true, recoverable: false });
      expect(gate!.outputs.override.reason).to.equal(REASON);
      expect(gate!.outputs.override.verdict).to.match(GAP_MESSAGE);
      const migration = await resourceOf(at, "pulumi-nodejs:dynamic/example:SchemaMigration");
      expect(migration!.inputs).to.include({
        version: "v43",
        requires: `${GAP}: a usable FullBackup ended within 24h, and a point-in-time restore to within 15m of now`,
      });
    });
  });

  it("a healthy chain passes, with the restore's reach in the outputs; a second up changes nothing", async () => {
    const at = await newStack(copyExample("fresh-backup-gate", path.join(backend.dir, "healthy")), "healthy", {
      dbInstanceId: HEALTHY,
      maxAge: "24h",
      recoverableWithin: "15m",
    });
    const preview = await pulumiOk(["preview"], at);
    expect(preview.stdout).to.match(/gateRecoverable\s*:\s*true/);
    await pulumiOk(["up", "--yes"], at);
    const outputs = await stackOutputs(at);
    expect(outputs.gateRecoverable).to.equal(true);
    expect(Date.now() - Date.parse(outputs.logChainEnd)).to.be.within(4 * 60_000, 15 * 60_000);
    const again = await pulumi(["up", "--yes", "--expect-no-changes"], at);
    expect(again.code, describeFailure(["up", "--expect-no-changes"], again)).to.equal(0);
  });

  it("ensure (examples/ensure-backup): a stale backup with a gap since is repaired by the one backup up takes; log backup off stops preview with none taken", async () => {
    const cwd = copyExample("ensure-backup", path.join(backend.dir, "ensure"));
    const at = await newStack(cwd, "stale-gap", {
      dbInstanceId: STALE_GAP,
      maxAge: "24h",
      timeout: "5m",
      recoverableWithin: "15m",
    });
    emulator.resetStats();
    const up = await pulumi(["up", "--yes"], at);
    expect(up.code, describeFailure(["up"], up)).to.equal(0);
    expect(emulator.stats.createBackup).to.equal(1);
    const ensured = await resourceOf(at, "pulumi-nodejs:dynamic/rds:EnsuredBackup");
    expect(ensured!.outputs).to.include({ action: "created", recoverable: true, override: null });
    const again = await pulumi(["up", "--yes", "--expect-no-changes"], at);
    expect(again.code, describeFailure(["up", "--expect-no-changes"], again)).to.equal(0);
    expect(emulator.stats.createBackup, "no second backup").to.equal(1);

    const off = await newStack(cwd, "log-off", {
      dbInstanceId: LOG_OFF,
      maxAge: "1h",
      timeout: "5m",
      recoverableWithin: "15m",
    });
    emulator.resetStats();
    const stopped = await pulumi(["preview"], off);
    expect(stopped.code).to.not.equal(0);
    expect(stopped.stdout + stopped.stderr).to.match(
      /ensureFreshBackup: rm-e2epitr04: point-in-time restore .*NOT possible: log backup is off/,
    );
    expect(emulator.stats.createBackup).to.equal(0);
  });

  it("the hooks (ensure mode): a change to an instance whose fresh backup has a gap since: preview says up takes a backup; up takes exactly one, then changes it", async () => {
    const { at, standIn } = await hooksStack("ensure", HOOK_GAP);
    await pulumiOk(["config", "set", "aClass", "mysql.n2.medium.1"], at);
    emulator.resetStats();
    const preview = await pulumiOk(["preview"], at);
    expect(preview.stdout + preview.stderr).to.match(
      /a \(alicloud:rds\/instance:Instance\) will change: rm-e2epitr05: point-in-time restore .*has a gap from .*: up will take a Physical backup of rm-e2epitr05/,
    );
    expect(emulator.stats.createBackup).to.equal(0);
    const up = await pulumi(["up", "--yes"], at);
    expect(up.code, describeFailure(["up"], up)).to.equal(0);
    expect(emulator.stats.createBackup).to.equal(1);
    expect(standIn.operations().filter((o) => o.op === "update" && o.id === HOOK_GAP)).to.have.length(1);
    const record = (await stackExport(at)).resources.find((r) => r.type === "rds-backups:index:BackupHookRecord");
    expect(record!.outputs.backups[0]).to.include({ dbInstanceId: HOOK_GAP, action: "created", recoverable: true });
  });

  it("the hooks (require mode): a change to an instance whose chain has a gap is stopped naming it; one to a healthy instance goes through", async () => {
    const { at, standIn } = await hooksStack("require", GAP);

    await pulumiOk(["config", "set", "bClass", "mysql.n2.medium.1"], at);
    const healthy = await pulumi(["up", "--yes"], at);
    expect(healthy.code, describeFailure(["up"], healthy)).to.equal(0);
    expect(standIn.operations().filter((o) => o.op === "update" && o.id === HEALTHY)).to.have.length(1);

    await pulumiOk(["config", "set", "aClass", "mysql.n2.medium.1"], at);
    emulator.resetStats();
    const stopped = await pulumi(["up", "--yes"], at);
    expect(stopped.code).to.not.equal(0);
    expect(stopped.stdout + stopped.stderr).to.match(GAP_MESSAGE);
    expect(standIn.operations().filter((o) => o.op === "update" && o.id === GAP)).to.have.length(0);
    expect(emulator.stats.createBackup).to.equal(0);
  });
});
