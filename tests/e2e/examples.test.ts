/**
 * The examples, run by the real Pulumi engine (`pulumi preview` / `up` / `refresh` / `destroy`)
 * against the emulator: reads show real values in preview, the gate stops a deployment, nothing
 * secret reaches the state, and a second `up` changes nothing.
 */
import { expect } from "chai";
import type { EmulatorData } from "../../emulator/types";
import { rawBackup } from "../provider/fixtures";
import {
  type Backend,
  type E2eWithEmulator,
  SETUP_TIMEOUT_MS,
  copyExample,
  pulumi,
  pulumiOk,
  stackExport,
  stackOutputs,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tE2eExamplesKey01";
const SECRET = "e2e-examples-secret-W7xq";
const FRESH = "rm-e2efresh01";
const STALE = "rm-e2estale01";
const EMPTY = "rm-e2eempty01";

/**
 * rm-e2efresh01: 113 backups in the last week (two pages): the newest usable is an incremental
 * 2 h old (900004), the newest full one 5 h old (900003); a failed one 1 h old.
 * rm-e2estale01: its newest full backup ended 40 h ago. rm-e2eempty01: none.
 */
function e2eData(now = Date.now()): EmulatorData {
  const older = Array.from({ length: 110 }, (_, i) =>
    rawBackup(String(800000 + i), 6 + i, { DBInstanceId: FRESH }, now),
  );
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      [FRESH]: {
        regionId: "cn-hangzhou",
        backups: [
          ...older,
          rawBackup("900003", 5, { DBInstanceId: FRESH }, now),
          rawBackup("900004", 2, { DBInstanceId: FRESH, BackupType: "IncrementalBackup" }, now),
          rawBackup(
            "900005",
            1,
            { DBInstanceId: FRESH, BackupStatus: "Failed", IsAvail: 0, MetaStatus: "EMPTY", BackupDownloadURL: "" },
            now,
          ),
        ],
      },
      [STALE]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("700001", 40, { DBInstanceId: STALE, Engine: "PostgreSQL", EngineVersion: "16.0" }, now)],
      },
      [EMPTY]: { regionId: "cn-hangzhou", backups: [] },
    },
  };
}

describe("examples under the real Pulumi engine", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator;
  let backend: Backend;
  let emulator: E2eWithEmulator["emulator"];
  let env: Record<string, string>;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-examples-", data: e2eData() });
    ({ backend, emulator, env } = e2e);
  });
  after(() => e2e?.close());

  const credentials = { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID };
  const secretCredentials = { "alicloud:secretKey": SECRET };

  describe("read-backups", () => {
    let cwd: string;
    const stack = "dev";
    before(async () => {
      cwd = copyExample("read-backups", backend.dir);
      await e2e.stack(stack, cwd, { dbInstanceId: FRESH, ...credentials }, secretCredentials);
    });

    it("pulumi preview shows the real backup ids, states and the newest usable backup", async () => {
      emulator.resetStats();
      const r = await pulumiOk(["preview", "--diff", "--show-reads"], { cwd, backend, env, stack });
      expect(r.stdout).to.match(/backupCount\s*:\s*113/);
      expect(r.stdout).to.match(/latestId\s*:\s*"900004"/);
      expect(r.stdout).to.match(/latestStatus\s*:\s*"Success"/);
      expect(r.stdout).to.match(/failedBackupIds\s*:\s*\[\s*\[0\]:\s*"900005"/);
      expect(r.stdout).to.contain("rds:Backups");
      // 113 backups: two pages, no more.
      expect(emulator.stats.describeBackups).to.equal(2);
    });

    it("pulumi up records them as stack outputs", async () => {
      await pulumiOk(["up", "--yes"], { cwd, backend, env, stack });
      const outputs = await stackOutputs({ cwd, backend, env, stack });
      expect(outputs.backupCount).to.equal(113);
      expect(outputs.latestId).to.equal("900004");
      expect(outputs.latestEndTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(outputs.backupIds).to.have.length(113);
      expect(outputs.latestSizeBytes).to.equal(512 * 1024 * 1024);
    });

    it("a second up with nothing changed changes nothing", async () => {
      const r = await pulumi(["up", "--yes", "--expect-no-changes"], { cwd, backend, env, stack });
      expect(r.code, r.stdout + r.stderr).to.equal(0);
    });

    it("the state holds no access key secret and no download link", async () => {
      const state = await stackExport({ cwd, backend, env, stack });
      expect(state.text).not.to.contain(SECRET);
      expect(state.text).not.to.contain("presigned-");
      expect(state.text).not.to.contain("aliyuncs.com/9");
      const read = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/rds:Backups");
      expect(read?.external).to.equal(true);
      expect(read?.id).to.equal(FRESH);
    });

    it("refresh and destroy work", async () => {
      await pulumiOk(["refresh", "--yes"], { cwd, backend, env, stack });
      await pulumiOk(["destroy", "--yes"], { cwd, backend, env, stack });
      const state = await stackExport({ cwd, backend, env, stack });
      expect(state.resources.filter((r) => r.type.includes("rds:Backups"))).to.have.length(0);
    });
  });

  describe("fresh-backup-gate", () => {
    let cwd: string;
    before(() => {
      cwd = copyExample("fresh-backup-gate", backend.dir);
    });
    async function stackFor(stack: string, config: Record<string, string>): Promise<void> {
      await e2e.stack(stack, cwd, { ...credentials, ...config }, secretCredentials);
    }
    const migrations = async (stack: string) =>
      (await stackExport({ cwd, backend, env, stack })).resources.filter((r) => r.type.includes("SchemaMigration"));

    it("with a fresh full backup: preview shows the migration to create, up applies it", async () => {
      await stackFor("fresh", { dbInstanceId: FRESH, maxAge: "24h" });
      const preview = await pulumiOk(["preview"], { cwd, backend, env, stack: "fresh" });
      expect(preview.stdout).to.match(/\+\s+pulumi-nodejs:dynamic\/example:SchemaMigration\s+schema-v42\s+create/);
      expect(preview.stdout).to.match(/protectedByBackupId\s*:\s*"900003"/);
      await pulumiOk(["up", "--yes"], { cwd, backend, env, stack: "fresh" });
      const outputs = await stackOutputs({ cwd, backend, env, stack: "fresh" });
      expect(outputs.protectedByBackupId).to.equal("900003");
      expect(outputs.migrationId).to.equal(`${FRESH}/v42`);
      expect(await migrations("fresh")).to.have.length(1);
      const again = await pulumi(["up", "--yes", "--expect-no-changes"], { cwd, backend, env, stack: "fresh" });
      expect(again.code, again.stdout + again.stderr).to.equal(0);
    });

    it("with a stale backup: preview and up stop with the gate's message, and nothing is created", async () => {
      await stackFor("stale", { dbInstanceId: STALE, maxAge: "24h" });
      for (const command of [["preview"], ["up", "--yes"]]) {
        const r = await pulumi(command, { cwd, backend, env, stack: "stale" });
        const out = r.stdout + r.stderr;
        expect(r.code, `${command[0]} must fail`).to.not.equal(0);
        expect(out).to.contain(STALE).and.to.contain("700001").and.to.contain("24h");
        expect(out).to.match(/older than/);
        expect(out).not.to.match(/schema-v42\s+created/);
      }
      expect(await migrations("stale")).to.have.length(0);
    });

    it("with no backup at all: the message says there is none", async () => {
      await stackFor("none", { dbInstanceId: EMPTY, maxAge: "24h" });
      const r = await pulumi(["preview"], { cwd, backend, env, stack: "none" });
      expect(r.code).to.not.equal(0);
      expect(r.stdout + r.stderr)
        .to.contain(EMPTY)
        .and.to.match(/no usable backup/);
    });

    it("when the API cannot be read: the gate fails closed and says it could not read", async () => {
      await e2e.stack(
        "denied",
        cwd,
        { dbInstanceId: FRESH, ...credentials },
        { "alicloud:secretKey": "not-the-secret" },
      );
      const r = await pulumi(["up", "--yes"], { cwd, backend, env, stack: "denied" });
      const out = r.stdout + r.stderr;
      expect(r.code).to.not.equal(0);
      expect(out).to.contain("could not read").and.not.to.contain("not-the-secret");
      expect(await migrations("denied")).to.have.length(0);
    });

    it("bad input fails the preview naming the field, with no API call", async () => {
      await stackFor("bad", { dbInstanceId: FRESH, maxAge: "1x" });
      emulator.resetStats();
      const r = await pulumi(["preview"], { cwd, backend, env, stack: "bad" });
      expect(r.code).to.not.equal(0);
      const out = r.stdout + r.stderr;
      expect(out).to.contain("maxAge").and.to.contain('"1x"');
      expect(emulator.stats.requests).to.equal(0);
      // A clean Pulumi error: the message once among the diagnostics (the progress view above
      // them echoes each diagnostic as it happens), no stack trace, no escape codes in a pipe.
      const diagnostics = r.stdout.slice(r.stdout.indexOf("Diagnostics:"));
      expect(diagnostics.split('maxAge "1x" is not allowed').length - 1, out).to.equal(1);
      expect(out, "no stack trace").not.to.match(/^\s+at .+[(:]\d+/m);
      expect(out, "no escape codes").not.to.include("\x1b");
    });
  });
});
