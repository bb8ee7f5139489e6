/**
 * The gate never opens on an answer it cannot vouch for, in the real engine: a backup that ends in
 * 2099 ("0 s ago") and a backup of another instance both stop `preview` and `up` saying the
 * backups could not be read, and the gated migration is never created. (The sdk and the CLI are
 * tested case by case in tests/sdk/implausible-answers.test.ts and tests/cli/check.test.ts.)
 */
import { expect } from "chai";
import type { EmulatorData } from "../../emulator/types";
import { rawBackup } from "../provider/fixtures";
import {
  SETUP_TIMEOUT_MS,
  copyExample,
  describeFailure,
  pulumi,
  stackExport,
  startE2e,
  type E2eWithEmulator,
  type PulumiOptions,
} from "./harness";

const KEY_ID = "LTAI5tE2eUntrusted1";
const SECRET = "e2e-untrusted-secret-Zq8";
const FUTURE = "rm-e2efuture01";
const FOREIGN = "rm-e2eforeign01";

function data(now = Date.now()): EmulatorData {
  return {
    accessKeys: { [KEY_ID]: SECRET },
    instances: {
      // A full backup that "ended" in 2099: the newest by end time, and "0 s old" to a naive gate.
      [FUTURE]: {
        regionId: "cn-hangzhou",
        backups: [rawBackup("710001", 2, { DBInstanceId: FUTURE, BackupEndTime: "2099-01-01T00:00:00Z" }, now)],
      },
      // A fresh full backup; the emulator is told to answer it as another instance's.
      [FOREIGN]: { regionId: "cn-hangzhou", backups: [rawBackup("720001", 2, { DBInstanceId: FOREIGN }, now)] },
    },
  };
}

describe("e2e: the gate fails closed on answers that cannot be right", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator;
  let cwd: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-untrusted-", data: data() });
    cwd = copyExample("fresh-backup-gate", e2e.backend.dir);
  });
  after(() => e2e?.close());

  /** One stack per instance, in one copy of the example. */
  function gateStack(instance: string): Promise<PulumiOptions> {
    return e2e.stack(
      instance,
      cwd,
      { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": KEY_ID, dbInstanceId: instance, maxAge: "24h" },
      { "alicloud:secretKey": SECRET },
    );
  }

  async function expectClosed(at: PulumiOptions, instance: string, field: RegExp): Promise<void> {
    for (const command of [["preview"], ["up", "--yes"]]) {
      const r = await pulumi(command, at);
      const out = r.stdout + r.stderr;
      expect(r.code, describeFailure(command, r)).to.not.equal(0);
      expect(out).to.contain(`requireFreshBackup: could not read the backups of ${instance}`);
      expect(out)
        .to.match(field)
        .and.to.match(/which cannot be right/);
      expect(out).not.to.match(/within the limit/);
    }
    const resources = (await stackExport(at)).resources;
    expect(
      resources.some((r) => r.type.includes("SchemaMigration")),
      "the migration was created",
    ).to.equal(false);
  }

  it("a backup that ends in 2099 stops preview and up, and the migration is not created", async () => {
    await expectClosed(await gateStack(FUTURE), FUTURE, /BackupEndTime = "2099-01-01T00:00:00Z"/);
  });

  it("a backup of another instance stops preview and up, and the migration is not created", async () => {
    const at = await gateStack(FOREIGN);
    // Every answer from here on says the set belongs to rm-other01.
    e2e.emulator.injectFaults([{ kind: "rewrite", times: 1_000, setEachItem: { DBInstanceId: "rm-other01" } }]);
    await expectClosed(at, FOREIGN, /DBInstanceId = "rm-other01"/);
  });
});
