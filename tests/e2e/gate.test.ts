/**
 * The gate's life in the real Pulumi engine, against the emulator: a new backup changes nothing
 * (no churn), a stack whose backup went stale still refreshes and destroys, an override lets an
 * update through with a warning and leaves its reason in the state, an instance created in the
 * same update is judged during the update before the gated change, and a read's `preview --diff`
 * shows one new backup as one addition.
 */
import { expect } from "chai";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";
import type { EmulatorData } from "../../emulator/types";
import { rawBackup } from "../provider/fixtures";
import {
  type Backend,
  FIXTURES_DIR,
  SETUP_TIMEOUT_MS,
  type E2eWithEmulator,
  copyExample,
  copyProject,
  describeFailure,
  pulumi,
  pulumiOk,
  stackExport,
  startE2e,
  stackOutputs,
  type PulumiOptions,
} from "./harness";

const KEY_ID = "LTAI5tE2eGateKey01";
const SECRET = "e2e-gate-secret-Hq3v";
const GATED = "rm-e2egate01";
const CREATED_FRESH = "rm-e2egate02";
const CREATED_STALE = "rm-e2egate03";
const READ = "rm-e2egate04";
const EXISTING = "rm-e2egate05";
const REASON = "backup job broken, INC-123";

/**
 * rm-e2egate01: full backups that ended 5 h (600002) and 30 h (600001) ago. rm-e2egate02: one
 * 3 h ago; rm-e2egate03: one 40 h ago; rm-e2egate04: three, for the read's diff.
 */
function gateData(now = Date.now()): EmulatorData {
  const of = (instance: string) => ({ DBInstanceId: instance });
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      [GATED]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("600001", 30, of(GATED), now), rawBackup("600002", 5, of(GATED), now)],
      },
      [CREATED_FRESH]: { regionId: "cn-hangzhou", backups: [rawBackup("610001", 3, of(CREATED_FRESH), now)] },
      [CREATED_STALE]: { regionId: "cn-hangzhou", backups: [rawBackup("620001", 40, of(CREATED_STALE), now)] },
      [EXISTING]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("640001", 40, of(EXISTING), now), rawBackup("640002", 5, of(EXISTING), now)],
      },
      [READ]: {
        regionId: "cn-hangzhou",
        backups: [30, 20, 10].map((h, i) => rawBackup(String(630001 + i), h, of(READ), now)),
      },
    },
  };
}

describe("e2e: the gate in the real engine (refresh, override, unknown ids, no churn)", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let emulator: RunningEmulator;
  const credentials = { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-gate-", data: gateData() });
    ({ backend, emulator } = e2e);
  });
  after(async () => {
    await e2e?.close();
  });

  const newStack = (cwd: string, stack: string, config: Record<string, string>): Promise<PulumiOptions> =>
    e2e!.stack(stack, cwd, { ...credentials, ...config }, { "alicloud:secretKey": SECRET });
  const gateOf = async (at: PulumiOptions) =>
    (await stackExport(at)).resources.find((r) => r.type === "pulumi-nodejs:dynamic/rds:FreshBackup")!;
  const migrationOf = async (at: PulumiOptions) =>
    (await stackExport(at)).resources.find(
      (r) => r.type.includes("SchemaMigration") || r.type.includes("e2e:Migration"),
    );

  describe("one stack through a day of backups (examples/fresh-backup-gate)", () => {
    let at: PulumiOptions;
    before(async () => {
      at = await newStack(copyExample("fresh-backup-gate", backend.dir), "day", { dbInstanceId: GATED, maxAge: "24h" });
      await pulumiOk(["up", "--yes"], at);
    });

    it("a new backup lands: the gate sees it, and a second up changes nothing", async () => {
      emulator.addBackup(GATED, rawBackup("600003", 1, { DBInstanceId: GATED }));
      const r = await pulumi(["up", "--yes", "--expect-no-changes"], at);
      expect(r.code, describeFailure(["up", "--expect-no-changes"], r)).to.equal(0);
      expect((await gateOf(at)).outputs.backupId, "the gate read the new backup").to.equal("600003");
      expect((await migrationOf(at))!.inputs.requires).to.equal(`${GATED}: a usable FullBackup ended within 24h`);
    });

    it("the backups go stale: refresh passes and says so; preview stops, naming the override setting", async () => {
      emulator.removeBackup(GATED, "600003");
      emulator.removeBackup(GATED, "600002");
      const refresh = await pulumi(["refresh", "--yes"], at);
      expect(refresh.code, describeFailure(["refresh"], refresh)).to.equal(0);
      expect(refresh.stdout + refresh.stderr)
        .to.contain("not enforced on refresh")
        .and.to.contain("600001");
      const gate = await gateOf(at);
      expect(gate.outputs).to.include({ fresh: false, backupId: "600001" });
      const preview = await pulumi(["preview"], at);
      expect(preview.code).to.not.equal(0);
      expect(preview.stdout + preview.stderr)
        .to.match(/older than the limit 24h/)
        .and.to.contain(`rds-backups:gateOverrides["${GATED}"].reason`);
    });

    it("an override lets preview and up through with a warning, and its reason is in stack export", async () => {
      await pulumiOk(["config", "set", "--path", `rds-backups:gateOverrides["${GATED}"].reason`, REASON], at);
      for (const command of [["preview"], ["up", "--yes"]]) {
        const r = await pulumi(command, at);
        const out = r.stdout + r.stderr;
        expect(r.code, describeFailure(command, r)).to.equal(0);
        // A real warning (counted as one), on the gate, with the reason and the verdict.
        expect(out).to.match(
          /warning: requireFreshBackup OVERRIDDEN by rds-backups:gateOverrides \(reason: "backup job broken, INC-123"\)/,
        );
        expect(out).to.match(/OVERRIDDEN[^\n]*600001[^\n]*older than the limit 24h/);
      }
      const state = await stackExport(at);
      const gate = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/rds:FreshBackup")!;
      expect(gate.outputs.fresh).to.equal(false);
      expect(gate.outputs.override.reason).to.equal(REASON);
      expect(gate.outputs.override.verdict).to.match(/600001 .* older than the limit 24h/);
      expect(Date.parse(gate.outputs.override.usedAt)).to.be.closeTo(Date.now(), 10 * 60e3);
      expect(state.text).not.to.contain(SECRET);
    });

    it("without the override the gate closes again; destroy never judges it", async () => {
      await pulumiOk(["config", "rm", "--path", `rds-backups:gateOverrides["${GATED}"]`], at);
      expect((await pulumi(["preview"], at)).code).to.not.equal(0);
      emulator.resetStats();
      const destroy = await pulumi(["destroy", "--yes"], at);
      expect(destroy.code, describeFailure(["destroy"], destroy)).to.equal(0);
      expect(emulator.stats.describeBackups, "destroy reads no backup").to.equal(0);
      expect((await stackExport(at)).resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
  });

  it("a gate that already exists and passed fresh: each up on an override is on the record, never fresh; refresh settles", async () => {
    const at = await newStack(copyExample("fresh-backup-gate", path.join(backend.dir, "existing")), "existing", {
      dbInstanceId: EXISTING,
      maxAge: "24h",
    });
    await pulumiOk(["up", "--yes"], at);
    expect((await gateOf(at)).outputs).to.include({ fresh: true, override: null, backupId: "640002" });
    // No refresh in between: the state still says fresh when the backup goes stale.
    emulator.removeBackup(EXISTING, "640002");
    await pulumiOk(["config", "set", "--path", `rds-backups:gateOverrides["${EXISTING}"].reason`, REASON], at);
    const usedAt: string[] = [];
    for (const round of [1, 2]) {
      const up = await pulumiOk(["up", "--yes"], at);
      expect(up.stdout + up.stderr, `up ${round}`).to.contain(
        "requireFreshBackup OVERRIDDEN by rds-backups:gateOverrides",
      );
      const gate = (await gateOf(at)).outputs;
      expect(gate.fresh, `up ${round}: never fresh on an override`).to.equal(false);
      expect(gate.override.reason).to.equal(REASON);
      expect(gate.override.verdict).to.contain("640001");
      usedAt.push(gate.override.usedAt);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    expect(usedAt[1]! > usedAt[0]!, "every use recorded").to.equal(true);
    const refresh = await pulumi(["refresh", "--yes", "--expect-no-changes"], at);
    expect(refresh.code, describeFailure(["refresh", "--expect-no-changes"], refresh)).to.equal(0);
    expect((await gateOf(at)).outputs.override.usedAt, "refresh keeps the record").to.equal(usedAt[1]);
  });

  describe("an instance created in the same update (fixture gate-new-instance)", () => {
    let cwd: string;
    before(() => {
      cwd = copyProject(path.join(FIXTURES_DIR, "gate-new-instance"), path.join(backend.dir, "projects"));
    });

    it("preview says the gate will be judged during the update; up judges it before the migration", async () => {
      const at = await newStack(cwd, "fresh", { instanceId: CREATED_FRESH });
      const preview = await pulumiOk(["preview"], at);
      expect(preview.stdout + preview.stderr)
        .to.match(/warning: requireFreshBackup: the instance id \(or another argument\) is not known yet/)
        .and.to.contain("the gate will be judged during the update");
      expect(preview.stdout).to.match(/\+\s+pulumi-nodejs:dynamic\/e2e:Migration\s+schema-v1\s+create/);

      const reads: number[] = [];
      const unsubscribe = emulator.onRequest(
        (params) => void (params.DBInstanceId === CREATED_FRESH && reads.push(Date.now())),
      );
      try {
        await pulumiOk(["up", "--yes"], at);
      } finally {
        unsubscribe();
      }
      const outputs = await stackOutputs(at);
      expect(outputs.gateChecked).to.equal(`${CREATED_FRESH}: a usable FullBackup ended within 24h`);
      expect(reads, "the gate read once, during up").to.have.length(1);
      expect(Date.parse(outputs.instanceCreatedAt)).to.be.at.most(reads[0]!);
      expect(
        Date.parse(outputs.migrationCreatedAt),
        "the migration is created after the gate's read",
      ).to.be.greaterThan(reads[0]!);
    });

    it("with a stale backup, up fails at the gate and the migration is never created", async () => {
      const at = await newStack(cwd, "stale", { instanceId: CREATED_STALE });
      const up = await pulumi(["up", "--yes"], at);
      expect(up.code).to.not.equal(0);
      expect(up.stdout + up.stderr)
        .to.contain(CREATED_STALE)
        .and.to.match(/older than the limit 24h/);
      expect(await migrationOf(at)).to.equal(undefined);
    });
  });

  describe("a read after one new backup (examples/read-backups)", () => {
    it("preview --diff shows one added id and one added set, not every element shifted", async () => {
      const at = await newStack(copyExample("read-backups", backend.dir), "diff", { dbInstanceId: READ });
      await pulumiOk(["up", "--yes"], at);
      emulator.addBackup(READ, rawBackup("630004", 1, { DBInstanceId: READ }));
      const r = await pulumiOk(["preview", "--diff", "--show-reads"], at);
      const readRow = r.stdout.slice(r.stdout.indexOf("rds:Backups"));
      // ids: the three old ones unchanged, the new one added at the end.
      expect(readRow).to.match(/\+ \[3\]: "630004"/);
      expect(readRow).not.to.match(/~ \[\d\]: "63000\d"/);
      // backupsJson, diffed by the engine as JSON: one added key.
      expect(readRow).to.match(/\+ 630004\s*: \{/);
      expect(readRow.match(/[+-] 63000[1-3]\s*:/g) ?? []).to.deep.equal([]);
    });
  });
});
