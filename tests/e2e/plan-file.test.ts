/**
 * `rds-backups ensure-plan` on what the real engine prints: a program written with the real
 * `@pulumi/alicloud` SDK (two instances, a database in the first, an unrelated resource), served
 * by the stand-in alicloud plugin with ids of emulator instances; each change is previewed with
 * `pulumi preview --json`, saved to a file, and handed to the CLI. Calls are counted per
 * instance at the emulator.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli, raw } from "../cli/harness";
import { alicloudStandIn, type AlicloudStandIn } from "../../support/alicloud-standin";
import {
  type Backend,
  type E2eWithEmulator,
  FIXTURES_DIR,
  SETUP_TIMEOUT_MS,
  configSet,
  copyProject,
  ensurePulumi,
  pulumiOk,
  startE2e,
} from "./harness";

const A = "rm-e2eplana";
const B = "rm-e2eplanb";

describe("e2e: ensure-plan reads a saved `pulumi preview --json` of an @pulumi/alicloud program", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator | undefined;
  let backend: Backend;
  let emulator: RunningEmulator;
  let cwd: string;
  let bin: string;
  let standIn: AlicloudStandIn;
  let calls: string[] = [];
  const stack = "dev";
  const at = () => ({ cwd, backend, stack, env: standIn.env(bin) });
  const callsFor = (instance: string): string[] =>
    calls.filter((l) => l.split(" ")[1] === instance).map((l) => l.split(" ")[0] ?? "");

  /** `pulumi preview --json` saved to a file, as a pipeline does; the path. */
  async function savePreview(name: string, args: string[] = []): Promise<string> {
    const r = await pulumiOk(["preview", "--json", ...args], at());
    const file = path.join(backend.dir, `${name}.json`);
    fs.writeFileSync(file, r.stdout);
    return file;
  }
  const ensurePlan = (file: string, ...flags: string[]) =>
    cli(["ensure-plan", file, "--max-age", "24h", "--timeout", "5m", ...flags], {
      ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
    });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    const now = Date.now();
    const instant = { backupDurationSeconds: 0, backupVisibilityLagSeconds: 0 };
    e2e = await startE2e({
      prefix: "rds-e2e-plan-",
      emulator: { log: (line) => calls.push(line) },
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        // Both stale: a backup of the wrong one would show.
        instances: {
          [A]: { regionId: "cn-hangzhou", backups: [raw(A, "810001", 40, now)], ...instant },
          [B]: { regionId: "cn-hangzhou", backups: [raw(B, "820001", 40, now)], ...instant },
        },
      } as never,
    });
    ({ backend, emulator } = e2e);
    bin = await ensurePulumi();
    standIn = alicloudStandIn(backend.dir, { a: A, b: B });
    cwd = copyProject(path.join(FIXTURES_DIR, "alicloud-rds"), backend.dir);
    await e2e.stack(stack, cwd);
    await pulumiOk(["up", "--yes"], at());
  });
  after(async () => {
    await e2e?.close();
  });
  beforeEach(() => {
    calls = [];
    emulator.resetStats();
  });

  it("a change of an unrelated resource: nothing to back up, not one RDS call", async () => {
    await configSet("label", "v2", at());
    const r = await ensurePlan(await savePreview("unrelated"));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^nothing to back up: the plan updates, replaces or deletes no RDS resource/);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("A's class and its database change: exactly one backup, of A; B gets no call", async () => {
    await configSet("aClass", "mysql.n2.medium.1", at());
    await configSet("ordersDescription", "orders v2", at());
    const file = await savePreview("update-a");
    const dry = await ensurePlan(file, "--dry-run");
    expect(dry.stdout).to.equal(
      `would ensure ${A}: update of alicloud:rds/instance:Instance "a", update of alicloud:rds/database:Database "orders"\n` +
        "would ensure a backup no older than 24h of 1 instance; nothing was called (--dry-run)\n",
    );
    expect(emulator.stats.requests).to.equal(0);
    const r = await ensurePlan(file);
    expect(r.code, r.stderr).to.equal(0);
    const tasks = emulator.backupTasks(A);
    expect(tasks).to.have.length(1);
    expect(r.stdout).to.match(new RegExp(`^TAKEN {3}${A}: .*; took backup job ${tasks[0]?.BackupJobId}\\n$`));
    expect(callsFor(B), "calls for B").to.deep.equal([]);
    expect(emulator.backupTasks(B)).to.have.length(0);
    await pulumiOk(["up", "--yes"], at());
  });

  it("a replace of A and a delete of its database (replacement steps shown): A once, fresh now, so nothing taken", async () => {
    await configSet("aEngine", "PostgreSQL", at());
    await configSet("withOrders", "false", at());
    const r = await ensurePlan(await savePreview("replace-a", ["--show-replacement-steps", "--show-sames"]));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(new RegExp(`^plan: ${A}: .*replace of alicloud:rds/instance:Instance "a"`));
    expect(r.stderr).to.include('delete of alicloud:rds/database:Database "orders"');
    expect(r.stdout).to.match(new RegExp(`^ok {6}${A}: newest usable backup .*; nothing taken\\n$`));
    expect(emulator.stats.createBackup).to.equal(0);
    expect(callsFor(B)).to.deep.equal([]);
  });
});
