/**
 * getRecoverability in the real engine, against the emulator: a TypeScript program reading
 * getRecoverabilityOutput (fixture `recoverability`) shows the real verdict in `pulumi preview`
 * (the dynamic read runs in preview), up records it, a second up changes nothing, and a program
 * may stop itself on the verdict; a YAML program (fixture `yaml-recoverability`) calls the
 * plugin's invoke and shows the same verdict in preview. Run `npm run build` first.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, generateData } from "../../emulator";
import type { EmulatorData } from "../../emulator/types";
import {
  type Backend,
  FIXTURES_DIR,
  REPO_ROOT,
  SETUP_TIMEOUT_MS,
  type E2eWithEmulator,
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

const HEALTHY = "rm-e2epitr01";
const GAP = "rm-e2epitr02";
const HOUR = 3600_000;
const PLUGIN = "pulumi-resource-alicloud-rds-backups";

function pitrData(now: number): EmulatorData {
  return generateData({
    seed: 3,
    now,
    instances: [
      { id: HEALTHY, engine: "MySQL", count: 10, logChain: {}, retentionDays: 14 },
      { id: GAP, engine: "MySQL", count: 10, logChain: { gaps: [{ fromHoursAgo: 3, toHoursAgo: 2 }] } },
    ],
  });
}

describe("e2e: getRecoverability in the real engine (TypeScript, and YAML through the plugin)", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let now: number;
  let cwd: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    expect(
      fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "runtime.js")),
      "the dynamic provider runs dist/: run npm run build first",
    ).to.equal(true);
    now = Date.now();
    e2e = await startE2e({ prefix: "rds-e2e-pitr-", data: pitrData(now) });
    ({ backend } = e2e);
    cwd = copyProject(path.join(FIXTURES_DIR, "recoverability"), path.join(backend.dir, "projects"));
  });
  after(async () => {
    await e2e?.close();
  });

  const newStack = (stack: string, config: Record<string, string>): Promise<PulumiOptions> =>
    e2e!.stack(
      stack,
      cwd,
      { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID, ...config },
      { "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET },
    );

  it("a chain with a gap: preview shows the real verdict and the gap's start; up records it; a second up changes nothing", async () => {
    const at = await newStack("gap", { dbInstanceId: GAP });
    const preview = await pulumiOk(["preview"], at);
    // Real values in preview: the read ran, and "not recoverable" is a result, not a failure.
    expect(preview.stdout).to.match(/recoverable\s*:\s*false/);
    expect(preview.stdout).to.match(/conditions\s*:\s*"logChain"/);
    const gapFrom = /gapFrom\s*:\s*"([^"]+)"/.exec(preview.stdout)?.[1];
    expect(gapFrom, preview.stdout).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((now - Date.parse(gapFrom!)) / HOUR).to.be.within(3, 3.2);
    expect(preview.stdout).to.match(/logBackupEnabled\s*:\s*true/);
    expect((await stackExport(at)).resources, "a preview writes no state").to.deep.equal([]);

    await pulumiOk(["up", "--yes"], at);
    const outputs = await stackOutputs(at);
    expect(outputs).to.include({ recoverable: false, conditions: "logChain", gapFrom, logBackupEnabled: true });
    expect(outputs.message).to.contain(`has a gap from ${gapFrom} to `);
    expect(outputs.logFileCount).to.be.a("number").and.above(0);
    const read = (await stackExport(at)).resources.find((r) => r.type === "pulumi-nodejs:dynamic/rds:Recoverability");
    expect(read, "the read is in the state").not.to.equal(undefined);
    // The log files as one JSON text; the judged point under its own key, the argument left as written (none).
    expect(read!.outputs.logFilesJson).to.be.a("string");
    expect(read!.outputs.judgedPointInTime).to.match(/Z$/);
    expect(read!.outputs).not.to.have.property("pointInTime");

    const again = await pulumi(["up", "--yes", "--expect-no-changes"], at);
    expect(again.code, describeFailure(["up", "--expect-no-changes"], again)).to.equal(0);
  });

  it("a healthy chain: recoverable, the window's end and the full set in preview; a program may stop on the verdict", async () => {
    const at = await newStack("healthy", { dbInstanceId: HEALTHY, requireRecoverable: "true" });
    const preview = await pulumiOk(["preview"], at);
    expect(preview.stdout).to.match(/recoverable\s*:\s*true/);
    expect(preview.stdout).to.match(/gapFrom\s*:\s*"none"/);
    expect(preview.stdout).to.match(/retentionDays\s*:\s*14/);
    expect(preview.stdout).to.match(/restoreWindowEnd\s*:\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(preview.stdout).to.match(/fullBackupId\s*:\s*"\d+"/);

    // The same program on the gap's instance stops itself in preview, with the sdk's message.
    const stopped = await newStack("gap-required", { dbInstanceId: GAP, requireRecoverable: "true" });
    const refused = await pulumi(["preview"], stopped);
    expect(refused.code).to.not.equal(0);
    expect(refused.stdout + refused.stderr)
      .to.contain(`not deploying: ${GAP}: point-in-time restore to`)
      .and.to.contain("has a gap from");
  });

  it("bad input fails preview before any call, naming the field", async () => {
    const at = await newStack("bad", { dbInstanceId: "RM-NOT-AN-ID" });
    e2e!.emulator.resetStats();
    const r = await pulumi(["preview"], at);
    expect(r.code).to.not.equal(0);
    expect(r.stdout + r.stderr)
      .to.contain("dbInstanceId")
      .and.to.contain("RM-NOT-AN-ID");
    expect(e2e!.emulator.stats.requests).to.equal(0);
  });

  describe("a YAML program through the provider plugin (fixture yaml-recoverability)", () => {
    let yamlAt: PulumiOptions;
    before(async () => {
      const bin = await ensurePulumi();
      expect(
        fs.existsSync(path.join(REPO_ROOT, "dist", "plugin", "main.js")),
        "the plugin runs dist/: run npm run build first",
      ).to.equal(true);
      const pluginDir = path.join(backend.dir, "plugin-bin");
      fs.mkdirSync(pluginDir);
      fs.symlinkSync(path.join(REPO_ROOT, "plugin", PLUGIN), path.join(pluginDir, PLUGIN));
      const env = { PATH: [bin, pluginDir, process.env.PATH ?? ""].join(path.delimiter) };
      const yamlCwd = copyProject(path.join(FIXTURES_DIR, "yaml-recoverability"), path.join(backend.dir, "projects"));
      yamlAt = await e2e!.stack(
        "yaml-gap",
        yamlCwd,
        {
          dbInstanceId: GAP,
          "alicloud-rds-backups:region": "cn-hangzhou",
          "alicloud-rds-backups:endpoint": e2e!.emulator.url,
        },
        {
          "alicloud-rds-backups:accessKeyId": DEFAULT_ACCESS_KEY_ID,
          "alicloud-rds-backups:accessKeySecret": DEFAULT_ACCESS_KEY_SECRET,
        },
        { env },
      );
    });

    it("preview shows the invoke's real verdict, the gap and the policy; up records them", async () => {
      const preview = await pulumiOk(["preview"], yamlAt);
      expect(preview.stdout).to.match(/recoverable\s*:\s*false/);
      expect(preview.stdout).to.match(/firstCondition\s*:\s*"logChain"/);
      expect(preview.stdout).to.match(/logBackupEnabled\s*:\s*true/);
      const gapFrom = /gapFrom\s*:\s*"([^"]+)"/.exec(preview.stdout)?.[1];
      expect((now - Date.parse(gapFrom!)) / HOUR).to.be.within(3, 3.2);
      await pulumiOk(["up", "--yes"], yamlAt);
      expect(await stackOutputs(yamlAt)).to.include({ recoverable: false, firstCondition: "logChain", gapFrom });
    });

    it("FreshBackupGate with recoverableWithin (fixture yaml-recoverability-gate): the gap stops preview, naming it; the plugin's override lets up through, recorded", async () => {
      const gateCwd = copyProject(
        path.join(FIXTURES_DIR, "yaml-recoverability-gate"),
        path.join(backend.dir, "projects-gate"),
      );
      const gateAt = await e2e!.stack(
        "yaml-gate-gap",
        gateCwd,
        {
          dbInstanceId: GAP,
          "alicloud-rds-backups:region": "cn-hangzhou",
          "alicloud-rds-backups:endpoint": e2e!.emulator.url,
        },
        {
          "alicloud-rds-backups:accessKeyId": DEFAULT_ACCESS_KEY_ID,
          "alicloud-rds-backups:accessKeySecret": DEFAULT_ACCESS_KEY_SECRET,
        },
        { env: yamlAt.env },
      );
      const stopped = await pulumi(["preview"], gateAt);
      expect(stopped.code).to.not.equal(0);
      expect(stopped.stdout + stopped.stderr)
        .to.match(/FreshBackupGate: rm-e2epitr02: point-in-time restore .*NOT possible: .*has a gap from/)
        .and.to.contain(`alicloud-rds-backups:gateOverrides["${GAP}"].reason`);
      await pulumiOk(
        ["config", "set", "--path", `alicloud-rds-backups:gateOverrides["${GAP}"].reason`, "WAL upload outage, INC-77"],
        gateAt,
      );
      const up = await pulumiOk(["up", "--yes"], gateAt);
      expect(up.stdout + up.stderr).to.contain("FreshBackupGate OVERRIDDEN by alicloud-rds-backups:gateOverrides");
      expect(await stackOutputs(gateAt)).to.include({
        fresh: true,
        recoverable: false,
        overrideReason: "WAL upload outage, INC-77",
      });
    });
  });
});
