/**
 * The scenario examples/python-gate and examples/go-gate share: one program (read with the
 * getBackups invoke, a FreshBackupGate before a migration, an EnsuredBackup before a change on a
 * second instance) run as an Automation API inline program through the real CLI, against the
 * emulator, with the provider plugin installed from its tarball (no launcher on PATH). One stack,
 * steps in order: preview with real values; up, where EnsuredBackup takes exactly one backup; a
 * second up --expect-no-changes; a stale gate stopping preview; an override on the existing gate;
 * destroy. tests/e2e/python.test.ts and go.test.ts give the runner (how to start the program).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";
import type { EmulatorData } from "../../emulator/types";
import { copyInlineExample, type InlineRunner } from "../../support/inline-programs";
import { rawBackup } from "../provider/fixtures";
import {
  type Backend,
  type E2eWithEmulator,
  type PulumiOptions,
  PACKAGE_VERSION,
  REPO_ROOT,
  SETUP_TIMEOUT_MS,
  describeFailure,
  installPackedPlugin,
  pulumiOk,
  runAutomation,
  stackExport,
  stackOutputs,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tE2eInlineKey001";
const SECRET = "e2e-inline-secret-Qk7d";
const REASON = "backup job broken, INC-7";

export interface InlineGateProgram {
  /** "Python", "Go". */
  readonly language: string;
  /** The directory under examples/. */
  readonly example: string;
  /** Two instance ids of its own (the gated one, the ensured one): each test has its own data. */
  readonly gated: string;
  readonly ensured: string;
  /** Builds or installs what the runner needs, below `workDir` (the backend's temp dir). */
  prepare(workDir: string): Promise<InlineRunner>;
}

/**
 * The gated instance: full backups that ended 30 h (…1) and 5 h (…2) ago, and a failed one 1 h
 * ago (…3, which the program's backupStatus filter leaves out). The ensured instance: one full
 * backup 30 h ago (…4), older than the program's ensureMaxAge (24h).
 */
function scenarioData(gated: string, ensured: string, now: number): EmulatorData {
  const of = (instance: string) => ({ DBInstanceId: instance });
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      [gated]: {
        regionId: "cn-hangzhou",
        backups: [
          rawBackup("830001", 30, of(gated), now),
          rawBackup("830002", 5, of(gated), now),
          rawBackup(
            "830003",
            1,
            { ...of(gated), BackupStatus: "Failed", IsAvail: 0, MetaStatus: "EMPTY", BackupDownloadURL: "" },
            now,
          ),
        ],
      },
      [ensured]: { regionId: "cn-hangzhou", backups: [rawBackup("830004", 30, of(ensured), now)] },
    },
  };
}

export function describeInlineGateProgram(program: InlineGateProgram): void {
  const { gated, ensured } = program;
  describe(`e2e: examples/${program.example}, a ${program.language} Automation API inline program with the generated SDK and the installed plugin`, function () {
    this.timeout(10 * 60_000);
    let data: EmulatorData;
    let e2e: E2eWithEmulator | undefined;
    let emulator: RunningEmulator;
    let backend: Backend;
    let at: PulumiOptions;
    let runner: InlineRunner;

    before(async function () {
      this.timeout(2 * SETUP_TIMEOUT_MS);
      expect(
        fs.existsSync(path.join(REPO_ROOT, "dist", "plugin", "main.js")),
        "the plugin runs dist/: run npm run build first",
      ).to.equal(true);
      data = scenarioData(gated, ensured, Date.now());
      // The endpoint is the provider's configuration (below): no variable to fall back on.
      e2e = await startE2e({
        prefix: `rds-e2e-${program.example}-`,
        data,
        emulator: { backupDurationMs: 1500, backupVisibilityLagMs: 500 },
        endpointInEnv: false,
      });
      ({ backend, emulator } = e2e);
      const [env, prepared] = await Promise.all([installPackedPlugin(backend), program.prepare(backend.dir)]);
      runner = prepared;
      // A copy of the project: its stack file must not land in the source tree.
      const cwd = copyInlineExample(program.example, backend.dir);
      at = await e2e.stack(
        "dev",
        cwd,
        {
          dbInstanceId: gated,
          ensureInstanceId: ensured,
          "alicloud-rds-backups:region": "cn-hangzhou",
          "alicloud-rds-backups:endpoint": emulator.url,
        },
        { "alicloud-rds-backups:accessKeyId": KEY_ID, "alicloud-rds-backups:accessKeySecret": SECRET },
        { env },
      );
    });
    after(async () => {
      await e2e?.close();
    });

    /** Runs the inline program: `<stack> <verb> [flag]`, with the CLI of pulumi() first on PATH. */
    const inline = (...args: string[]) =>
      runAutomation(runner.command, [...runner.args, "dev", ...args], { cwd: at.cwd, backend, env: at.env });
    const inlineOk = async (...args: string[]) => {
      const r = await inline(...args);
      expect(r.code, describeFailure([`(inline ${program.language})`, ...args], r)).to.equal(0);
      return r;
    };
    const endTimeOf = (instance: string, id: string) =>
      data.instances[instance]!.backups.find((b) => b.BackupId === id)!.BackupEndTime;

    it("preview shows the real backups read by the invoke, plans the ensured backup, and takes none", async () => {
      emulator.resetStats();
      const r = await inlineOk("preview");
      expect(r.stdout).to.match(/backupCount\s*:\s*2\b/);
      expect(r.stdout).to.match(/latestId\s*:\s*"830002"/);
      expect(r.stdout).to.match(/\+\s+alicloud-rds-backups:index:EnsuredBackup\s+backup\s+create/);
      expect(r.stdout + r.stderr).to.match(
        new RegExp(
          `EnsuredBackup: the update will take a Physical backup: ${ensured}: newest usable backup 830004 ended`,
        ),
      );
      expect(emulator.stats.describeBackups, "preview called DescribeBackups").to.be.greaterThan(0);
      expect(emulator.stats.createBackup, "preview takes no backup").to.equal(0);
      expect((await stackExport(at)).resources, "a preview writes no state").to.deep.equal([]);
    });

    it("up takes exactly one backup, passes the gate, and the SDK asked for the packed plugin's version", async () => {
      emulator.resetStats();
      await inlineOk("up");
      expect(emulator.stats.createBackup, "one CreateBackup").to.equal(1);
      const outputs = await stackOutputs(at);
      expect(outputs).to.include({ backupCount: 2, latestId: "830002", protectedByBackupId: "830002" });
      expect(outputs).to.include({ gateFresh: true, backupAction: "created" });
      expect(outputs.backupIds).to.deep.equal(["830001", "830002"]);
      expect(outputs.migration).to.deep.equal({
        dbInstanceId: gated,
        version: "v42",
        requires: `${gated}: a usable FullBackup ended within 24h`,
      });
      expect(outputs.ensuredBackupId, "the backup the up took").to.be.a("string").and.not.be.oneOf(["830004", ""]);
      expect(outputs.change).to.have.property("dbInstanceId", ensured);

      const state = await stackExport(at);
      const provider = state.resources.find((r) => r.type === "pulumi:providers:alicloud-rds-backups");
      expect(provider?.inputs?.version, "the version the SDK asked the engine for").to.equal(PACKAGE_VERSION);
      expect(state.text).not.to.contain(SECRET);
    });

    it("a second up --expect-no-changes passes and takes no backup", async () => {
      emulator.resetStats();
      await inlineOk("up", "--expect-no-changes");
      expect(emulator.stats.createBackup).to.equal(0);
    });

    it("a stale gate stops preview, naming the instance and its newest usable backup", async () => {
      expect(emulator.removeBackup(gated, "830002"), "the 5 h backup is gone").to.equal(true);
      emulator.resetStats();
      const r = await inline("preview");
      const out = r.stdout + r.stderr;
      expect(r.code, "the preview fails").to.not.equal(0);
      expect(out).to.match(
        new RegExp(
          `FreshBackupGate: ${gated}: newest usable backup 830001 ended ${endTimeOf(gated, "830001")}, 30h(\\d+m)? ago, older than the limit 24h`,
        ),
      );
      expect(out).not.to.contain(SECRET);
      expect(emulator.stats.createBackup).to.equal(0);
    });

    it("an override on the existing gate lets up through with its warning", async () => {
      await pulumiOk(["config", "set", "--path", `alicloud-rds-backups:gateOverrides["${gated}"].reason`, REASON], at);
      emulator.resetStats();
      const r = await inlineOk("up");
      expect(r.stdout + r.stderr).to.match(
        /warning: FreshBackupGate OVERRIDDEN by alicloud-rds-backups:gateOverrides \(reason: "backup job broken, INC-7"\)/,
      );
      expect(emulator.stats.createBackup, "the ensured backup is still fresh").to.equal(0);
    });

    // Mocha runs these in the order written: this one reads the state the override's up left.
    it("the override's up records it in the state, and the gate does not say fresh", async () => {
      const gate = (await stackExport(at)).resources.find(
        (r) => r.type === "alicloud-rds-backups:index:FreshBackupGate",
      );
      expect(gate?.outputs?.override, "the override's record").to.include({ reason: REASON });
      expect(gate?.outputs?.fresh, "fresh").to.not.equal(true);
    });

    it("destroy removes everything", async () => {
      await inlineOk("destroy");
      expect((await stackExport(at)).resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
  });
}
