/**
 * examples/yaml-gate, a Pulumi YAML program, in the real engine with Pulumi's official YAML
 * language host (built by scripts/setup-pulumi.sh beside the CLI) and the provider plugin
 * `pulumi-resource-alicloud-rds-backups` on PATH, against the emulator: the getBackups invoke
 * shows real values in preview, the FreshBackupGate resource stops a stale instance's preview,
 * and up / up --expect-no-changes / destroy pass. An override used on a gate that already exists
 * lands in the state; after an update that failed half-way, refresh settles.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";
import type { EmulatorData } from "../../emulator/types";
import { rawBackup } from "../provider/fixtures";
import {
  type Backend,
  type PulumiOptions,
  REPO_ROOT,
  type E2eWithEmulator,
  SETUP_TIMEOUT_MS,
  copyExample,
  copyFixture,
  describeFailure,
  ensurePulumi,
  pulumi,
  pulumiOk,
  stackExport,
  stackOutputs,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tE2eYamlKey0001";
const SECRET = "e2e-yaml-secret-Pv8c";
const FRESH = "rm-e2eyaml01";
const STALE = "rm-e2eyaml02";
const OVERRIDDEN = "rm-e2eyaml03";
const ENSURED = "rm-e2eyaml04";
const PLUGIN = "pulumi-resource-alicloud-rds-backups";

/**
 * rm-e2eyaml01: full backups that ended 30 h (810001) and 5 h (810002) ago, and a failed one 1 h
 * ago (810003, which the program's backupStatus filter leaves out). rm-e2eyaml02: one full backup
 * 40 h ago (820001).
 */
function yamlData(now: number): EmulatorData {
  const of = (instance: string) => ({ DBInstanceId: instance });
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      [FRESH]: {
        regionId: "cn-hangzhou",
        backups: [
          rawBackup("810001", 30, of(FRESH), now),
          rawBackup("810002", 5, of(FRESH), now),
          rawBackup(
            "810003",
            1,
            { ...of(FRESH), BackupStatus: "Failed", IsAvail: 0, MetaStatus: "EMPTY", BackupDownloadURL: "" },
            now,
          ),
        ],
      },
      [STALE]: { regionId: "cn-hangzhou", backups: [rawBackup("820001", 40, of(STALE), now)] },
      // Fresh (830002, 5 h) until a test removes that backup.
      [OVERRIDDEN]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("830001", 40, of(OVERRIDDEN), now), rawBackup("830002", 5, of(OVERRIDDEN), now)],
      },
      // Only an automated backup 40 h old; a backup EnsuredBackup takes is manual and done at once.
      [ENSURED]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("840001", 40, { ...of(ENSURED), BackupMode: "Automated" }, now)],
        backupDurationSeconds: 0,
        backupVisibilityLagSeconds: 0,
      },
    },
  };
}

describe("e2e: examples/yaml-gate with the official YAML language host and the provider plugin", function () {
  this.timeout(10 * 60_000);
  // Built when the emulator starts, not when mocha loads the file: ages in messages are measured from it.
  let data: EmulatorData;
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let cwd: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    const bin = await ensurePulumi();
    expect(
      fs.existsSync(path.join(bin, "pulumi-language-yaml")),
      "setup-pulumi.sh puts pulumi-language-yaml beside the CLI",
    ).to.equal(true);
    expect(
      fs.existsSync(path.join(REPO_ROOT, "dist", "plugin", "main.js")),
      "the plugin runs dist/: run npm run build first",
    ).to.equal(true);
    data = yamlData(Date.now());
    // The endpoint is the provider's configuration (newStack): no variable to fall back on.
    e2e = await startE2e({ prefix: "rds-e2e-yaml-", data, endpointInEnv: false });
    ({ backend, emulator } = e2e);
    // The plugin on PATH as a user puts it there: a directory holding (a link to) its launcher,
    // after the CLI's own bin dir.
    const pluginDir = path.join(backend.dir, "plugin-bin");
    fs.mkdirSync(pluginDir);
    fs.symlinkSync(path.join(REPO_ROOT, "plugin", PLUGIN), path.join(pluginDir, PLUGIN));
    env = { PATH: [bin, pluginDir, process.env.PATH ?? ""].join(path.delimiter) };
    cwd = copyExample("yaml-gate", backend.dir);
  });
  after(async () => {
    await e2e?.close();
  });

  // The provider's own configuration: the endpoint and the keys, never in the program.
  const newStack = (stack: string, dbInstanceId: string, project = cwd): Promise<PulumiOptions> =>
    e2e!.stack(
      stack,
      project,
      { dbInstanceId, "alicloud-rds-backups:region": "cn-hangzhou", "alicloud-rds-backups:endpoint": emulator.url },
      { "alicloud-rds-backups:accessKeyId": KEY_ID, "alicloud-rds-backups:accessKeySecret": SECRET },
      { env },
    );
  const endTimeOf = (instance: string, id: string) =>
    data.instances[instance]!.backups.find((b) => b.BackupId === id)!.BackupEndTime;

  describe("an instance with a fresh full backup", () => {
    let at: PulumiOptions;
    before(async () => {
      at = await newStack("fresh", FRESH);
    });

    it("preview shows the real backups read by fn::invoke, and creates nothing", async () => {
      emulator.resetStats();
      const r = await pulumiOk(["preview"], at);
      const out = r.stdout + r.stderr;
      expect(r.stdout).to.match(/backupCount\s*:\s*2\b/);
      expect(r.stdout).to.match(/latestId\s*:\s*"810002"/);
      expect(r.stdout).to.contain(`latestEndTime           : "${endTimeOf(FRESH, "810002")}"`);
      expect(r.stdout).to.match(/\[0\]: "810001"\s+\[1\]: "810002"\s+\]/);
      expect(r.stdout).to.match(/\+\s+pulumi:index:Stash\s+migration\s+create/);
      expect(emulator.stats.describeBackups, "preview called DescribeBackups").to.be.greaterThan(0);
      // The host beside the CLI is the one used (the CLI warns when it takes one from PATH).
      expect(out).not.to.contain("pulumi-language-yaml from $PATH");
      expect((await stackExport(at)).resources, "a preview writes no state").to.deep.equal([]);
    });

    it("up applies the gated change; a second up --expect-no-changes passes; the keys stay out of the state", async () => {
      await pulumiOk(["up", "--yes"], at);
      const outputs = await stackOutputs(at);
      expect(outputs).to.include({ backupCount: 2, latestId: "810002", protectedByBackupId: "810002" });
      expect(outputs.backupIds).to.deep.equal(["810001", "810002"]);
      expect(outputs.protectedByBackupEndTime).to.equal(endTimeOf(FRESH, "810002"));
      expect(outputs.migration).to.deep.equal({
        dbInstanceId: FRESH,
        version: "v42",
        requires: `${FRESH}: a usable FullBackup ended within 24h`,
      });

      const state = await stackExport(at);
      const gate = state.resources.find((r) => r.type === "alicloud-rds-backups:index:FreshBackupGate")!;
      const migration = state.resources.find((r) => r.type === "pulumi:index:Stash")!;
      expect(gate.outputs).to.include({ fresh: true, backupId: "810002" });
      expect((migration as { dependencies?: string[] }).dependencies, "the migration depends on the gate").to.include(
        gate.urn,
      );
      expect(state.text).not.to.contain(SECRET);

      const again = await pulumi(["up", "--yes", "--expect-no-changes"], at);
      expect(again.code, describeFailure(["up", "--yes", "--expect-no-changes"], again)).to.equal(0);
    });

    it("destroy removes everything", async () => {
      await pulumiOk(["destroy", "--yes"], at);
      expect((await stackExport(at)).resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
  });

  it("an override used on a gate that already exists is in the state (fresh false), every use; a gate that holds again shows no diff", async () => {
    const at = await newStack("override", OVERRIDDEN);
    const gateOf = async () =>
      (await stackExport(at)).resources.find((r) => r.type === "alicloud-rds-backups:index:FreshBackupGate")!
        .outputs as Record<string, unknown> & { override: { reason: string; usedAt: string; verdict: string } | null };
    await pulumiOk(["up", "--yes"], at);
    expect(await gateOf()).to.include({ fresh: true, override: null, backupId: "830002" });

    // The fresh backup goes: the existing gate stops the preview, until an override says why.
    const fresh = data.instances[OVERRIDDEN]!.backups.find((b) => b.BackupId === "830002")!;
    expect(emulator.removeBackup(OVERRIDDEN, "830002")).to.equal(true);
    const stopped = await pulumi(["preview"], at);
    expect(stopped.code, "a stale gate stops the preview").to.not.equal(0);
    expect(stopped.stdout + stopped.stderr).to.contain(`FreshBackupGate: ${OVERRIDDEN}: newest usable backup 830001`);
    const overrideKey = `alicloud-rds-backups:gateOverrides["${OVERRIDDEN}"].reason`;
    await pulumiOk(["config", "set", "--path", overrideKey, "backup job broken, INC-7"], at);

    const up = await pulumiOk(["up", "--yes"], at);
    expect(up.stdout + up.stderr).to.contain("FreshBackupGate OVERRIDDEN by alicloud-rds-backups:gateOverrides");
    const overridden = await gateOf();
    expect(overridden.fresh, "never fresh when an override let it through").to.equal(false);
    expect(overridden.override?.reason).to.equal("backup job broken, INC-7");
    expect(overridden.override?.verdict).to.contain(OVERRIDDEN).and.to.contain("830001");
    // A refresh reports the state it finds and settles.
    const refreshed = await pulumi(["refresh", "--yes", "--expect-no-changes"], at);
    expect(refreshed.code, describeFailure(["refresh", "--yes", "--expect-no-changes"], refreshed)).to.equal(0);

    // Every use is on the record: the next up records its own.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await pulumiOk(["up", "--yes"], at);
    const again = await gateOf();
    expect(again.fresh).to.equal(false);
    expect(again.override!.usedAt > overridden.override!.usedAt, "a second use, a second record").to.equal(true);

    // A new backup and no override: fresh again, then no diff while it holds.
    emulator.addBackup(OVERRIDDEN, fresh);
    await pulumiOk(["config", "rm", "--path", `alicloud-rds-backups:gateOverrides["${OVERRIDDEN}"]`], at);
    await pulumiOk(["up", "--yes"], at);
    expect(await gateOf()).to.include({ fresh: true, override: null, backupId: "830002" });
    const holds = await pulumi(["up", "--yes", "--expect-no-changes"], at);
    expect(holds.code, describeFailure(["up", "--yes", "--expect-no-changes"], holds)).to.equal(0);
  });

  it("after up --skip-preview failed half-way (EnsuredBackup took its backup, the gate failed), refresh settles", async () => {
    const project = copyFixture("yaml-ensure-gate", backend);
    const at = await newStack("half-way", ENSURED, project);
    emulator.resetStats();
    const up = await pulumi(["up", "--yes", "--skip-preview"], at);
    expect(up.code, "the gate fails the update").to.not.equal(0);
    expect(up.stdout + up.stderr).to.contain(`FreshBackupGate: ${ENSURED}: newest usable backup 840001`);
    expect(emulator.stats.createBackup, "EnsuredBackup took one backup").to.equal(1);
    const ensured = (await stackExport(at)).resources.find(
      (r) => r.type === "alicloud-rds-backups:index:EnsuredBackup",
    )!;
    expect(ensured.outputs).to.include({ action: "created" });
    for (const round of [1, 2]) {
      const r = await pulumi(["refresh", "--yes", "--expect-no-changes"], at);
      expect(r.code, `refresh ${round}: ${describeFailure(["refresh", "--yes", "--expect-no-changes"], r)}`).to.equal(
        0,
      );
    }
    expect(emulator.stats.createBackup, "a refresh takes no backup").to.equal(1);
  });

  it("a stale instance fails its preview, naming the instance and its newest usable backup", async () => {
    const at = await newStack("stale", STALE);
    const r = await pulumi(["preview"], at);
    const out = r.stdout + r.stderr;
    expect(r.code, "the preview fails").to.not.equal(0);
    expect(out).to.match(
      new RegExp(
        `error: FreshBackupGate: ${STALE}: newest usable backup 820001 ended ${endTimeOf(STALE, "820001")}, 40h( \\d+m)? ago, older than the limit 24h`,
      ),
    );
    expect(out).not.to.contain(SECRET);
    expect((await stackExport(at)).resources, "nothing was created").to.deep.equal([]);
  });
});
