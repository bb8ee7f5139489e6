import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../support/repo-root";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli, raw, type CliResult, type Emulator } from "./harness";
import { ACCOUNT, DATABASE, INSTANCE, plan, step } from "./plan-steps";

/**
 * `rds-backups ensure-plan`, the real binary against the emulator: backups for exactly the
 * instances a saved preview changes, with ensure's output and exit status. Backups of the
 * emulator take no time here; every call is counted per instance from the emulator's log.
 */
describe("rds-backups ensure-plan (real binary against the emulator)", function () {
  this.timeout(120_000);
  let emu: Emulator;
  let calls: string[];
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(tmpdir(), "rds-backups-ensure-plan-"));
  const instant = { backupDurationSeconds: 0, backupVisibilityLagSeconds: 0 };
  const write = (name: string, json: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(json, null, 4));
    return file;
  };
  const run = (...args: string[]): Promise<CliResult> => cli(args, env);
  /** The actions the emulator answered for one instance, in order. */
  const callsFor = (instance: string): string[] =>
    calls.filter((l) => l.split(" ")[1] === instance).map((l) => l.split(" ")[0] ?? "");

  /**
   * A deployment that touches rm-stale twice (a database and an account), rm-fresh once, creates
   * a new instance, leaves rm-other as it is (shown: --show-sames), and updates a resource of
   * another type that names rm-other.
   */
  const mixed = plan(
    step({ op: "same", type: INSTANCE, name: "other", id: "rm-other" }),
    step({ op: "update", type: DATABASE, name: "orders", id: "rm-stale:orders", inputs: { instanceId: "rm-stale" } }),
    step({ op: "delete", type: ACCOUNT, name: "report", id: "rm-stale:report", inputs: { dbInstanceId: "rm-stale" } }),
    step({ op: "update", type: INSTANCE, name: "fresh", id: "rm-fresh" }),
    step({ op: "create", type: INSTANCE, name: "brand-new" }),
    step({
      op: "update",
      type: "alicloud:ecs/instance:Instance",
      name: "app",
      id: "i-1",
      inputs: { instanceId: "rm-other" },
    }),
  );

  beforeEach(async () => {
    const now = Date.now();
    calls = [];
    emu = await startEmulator({
      port: 0,
      log: (line) => calls.push(line),
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        instances: {
          "rm-fresh": { regionId: "cn-hangzhou", backups: [raw("rm-fresh", "1001", 2, now)], ...instant },
          "rm-stale": { regionId: "cn-hangzhou", backups: [raw("rm-stale", "2001", 72, now)], ...instant },
          "rm-other": { regionId: "cn-hangzhou", backups: [raw("rm-other", "3001", 72, now)], ...instant },
          // The instances of the saved real previews (tests/fixtures/previews).
          "rm-planfilea": { regionId: "cn-hangzhou", backups: [raw("rm-planfilea", "5001", 72, now)], ...instant },
          "rm-planfileb": { regionId: "cn-hangzhou", backups: [raw("rm-planfileb", "6001", 72, now)], ...instant },
          "rm-broken": {
            regionId: "cn-hangzhou",
            backups: [raw("rm-broken", "4001", 72, now)],
            ...instant,
            failBackups: true,
          },
        },
      } as never,
    });
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  afterEach(async () => emu.close());

  it("exit 0: one backup of the changed stale instance, none of the fresh one, no call for what the plan leaves alone", async () => {
    const r = await run("ensure-plan", write("mixed.json", mixed), "--max-age", "24h", "--timeout", "5m");
    expect(r.code, r.stderr).to.equal(0);
    const [task, ...more] = emu.backupTasks("rm-stale");
    expect(more, "backups of rm-stale").to.have.length(0);
    expect(emu.stats.createBackup).to.equal(1);
    expect(emu.backupTasks("rm-fresh")).to.have.length(0);
    expect(callsFor("rm-other"), "calls for rm-other").to.deep.equal([]);
    expect(callsFor("rm-fresh")).to.deep.equal(["DescribeBackups"]);
    expect(callsFor("rm-stale")).to.include("CreateBackup");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(new RegExp(`^TAKEN   rm-stale: .*; took backup job ${task?.BackupJobId}$`));
    expect(lines[1]).to.match(/^ok {6}rm-fresh: newest usable backup 1001 ended .*; nothing taken$/);
    expect(r.stderr).to.equal(
      'plan: rm-stale: update of alicloud:rds/database:Database "orders", delete of alicloud:rds/account:Account "report"\n' +
        'plan: rm-fresh: update of alicloud:rds/instance:Instance "fresh"\n',
    );
  });

  for (const [file, changes] of [
    [
      "update-a.json",
      'update of alicloud:rds/instance:Instance "a", update of alicloud:rds/database:Database "orders"',
    ],
    [
      "replace-a-delete-orders.json",
      'create-replacement of alicloud:rds/instance:Instance "a", replace of alicloud:rds/instance:Instance "a", ' +
        'delete of alicloud:rds/database:Database "orders", delete-replaced of alicloud:rds/instance:Instance "a"',
    ],
  ] as const) {
    it(`a preview the real engine printed (${file}): one backup of the changed instance, no call for the other`, async () => {
      const saved = path.join(REPO_ROOT, "tests", "fixtures", "previews", file);
      const r = await run("ensure-plan", saved, "--max-age", "24h", "--timeout", "5m");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal(`plan: rm-planfilea: ${changes}\n`);
      expect(r.stdout).to.match(/^TAKEN {3}rm-planfilea: .*; took backup job \S+\n$/);
      expect(emu.backupTasks("rm-planfilea")).to.have.length(1);
      expect(callsFor("rm-planfileb"), "calls for the unchanged instance").to.deep.equal([]);
    });
  }

  it("--dry-run: what it would ensure and why, and not one call", async () => {
    const r = await run("ensure-plan", write("dry.json", mixed), "--max-age", "24h", "--timeout", "5m", "--dry-run");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(
      'would ensure rm-stale: update of alicloud:rds/database:Database "orders", delete of alicloud:rds/account:Account "report"\n' +
        'would ensure rm-fresh: update of alicloud:rds/instance:Instance "fresh"\n' +
        "would ensure a backup no older than 24h of 2 instances; nothing was called (--dry-run)\n",
    );
    expect(emu.stats.requests).to.equal(0);
    const json = await run(
      "ensure-plan",
      write("dry.json", mixed),
      "--max-age",
      "1d",
      "--timeout",
      "5m",
      "--dry-run",
      "-o",
      "json",
    );
    const out = JSON.parse(json.stdout);
    expect(out).to.include({ dryRun: true, maxAge: "1d", maxAgeSeconds: 86_400, timeoutSeconds: 300 });
    expect(out.instances.map((i: { instance: string }) => i.instance)).to.deep.equal(["rm-stale", "rm-fresh"]);
    expect(out.instances[0].changes[1]).to.deep.equal({
      op: "delete",
      urn: "urn:pulumi:dev::shop::alicloud:rds/account:Account::report",
      type: ACCOUNT,
      name: "report",
    });
    expect(emu.stats.requests).to.equal(0);
  });

  it("json: ensure's own JSON for the plan's instances; a Failed backup exits 1 and the others are still handled", async () => {
    const broken = plan(
      step({ op: "replace", type: INSTANCE, name: "broken", id: "rm-broken" }),
      step({ op: "update", type: DATABASE, name: "orders", inputs: { instanceId: "rm-stale" } }),
    );
    const r = await run(
      "ensure-plan",
      write("broken.json", broken),
      "--max-age",
      "24h",
      "--timeout",
      "5m",
      "-o",
      "json",
    );
    expect(r.code).to.equal(1);
    const out = JSON.parse(r.stdout);
    expect(out).to.include({ ok: false, exitCode: 1, maxAgeSeconds: 86_400 });
    expect(out.results.map((x: { instance: string; status: string }) => [x.instance, x.status])).to.deep.equal([
      ["rm-broken", "failed"],
      ["rm-stale", "taken"],
    ]);
    expect(emu.stats.createBackup).to.equal(2);
  });

  it("reads the plan from standard input with -", async () => {
    const r = await cli(["ensure-plan", "-", "--max-age", "24h", "--timeout", "5m"], env, {
      stdin: JSON.stringify(plan(step({ op: "delete", type: INSTANCE, name: "stale", id: "rm-stale" }))),
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^TAKEN {3}rm-stale: /);
    expect(emu.backupTasks("rm-stale")).to.have.length(1);
  });

  it("a plan that changes no RDS resource: said (text), an empty result (json), exit 0, no call", async () => {
    const none = plan(
      step({ op: "create", type: INSTANCE, name: "new" }),
      step({ op: "same", type: INSTANCE, name: "x", id: "rm-stale" }),
    );
    const r = await run("ensure-plan", write("none.json", none), "--max-age", "24h", "--timeout", "5m");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(
      "nothing to back up: the plan updates, replaces or deletes no RDS resource (3 steps read)\n",
    );
    const json = await run(
      "ensure-plan",
      write("none.json", none),
      "--max-age",
      "24h",
      "--timeout",
      "5m",
      "-o",
      "json",
    );
    expect(json.code, json.stderr).to.equal(0);
    expect(JSON.parse(json.stdout))
      .to.include({ ok: true, exitCode: 0 })
      .and.to.have.property("results")
      .that.deep.equals([]);
    expect(emu.stats.requests).to.equal(0);
  });

  it("exit 2 before any call: a bad plan (the field named), a failed preview, bad flags, no plan or two", async () => {
    const bad = plan(
      step({ op: "update", type: INSTANCE, name: "a", id: "rm-stale" }),
      step({ op: "explode", type: INSTANCE, name: "b" }),
    );
    const failedPreview = { ...mixed, diagnostics: [{ message: "error: preview failed", severity: "error" }] };
    const cases: [string[], RegExp][] = [
      [
        [write("bad.json", bad), "--max-age", "24h", "--timeout", "5m"],
        /bad\.json": steps\[2\]\.op "explode" is not allowed; use one of update,/,
      ],
      [
        [write("failed.json", failedPreview), "--max-age", "24h", "--timeout", "5m"],
        /failed\.json": diagnostics "error: preview failed" is an error of the preview/,
      ],
      [[write("ok.json", mixed), "--max-age", "24", "--timeout", "5m"], /--max-age "24" has no unit/],
      [[write("ok.json", mixed), "--max-age", "24h", "--timeout", "5m", "--method", "Tape"], /--method: .*"Tape"/],
      [
        [write("ok.json", mixed), "--max-age", "24h", "--timeout", "5m", "--backup-type", "IncrementalBackup"],
        /^error: --backup-type: backupType "IncrementalBackup" can never be satisfied here: CreateBackup takes full backups/,
      ],
      [[write("ok.json", mixed), "--max-age", "24h"], /--max-age and --timeout are required/],
      [["--max-age", "24h", "--timeout", "5m"], /^error: missing <preview\.json>/],
      [
        [write("ok.json", mixed), write("ok2.json", mixed), "--max-age", "24h", "--timeout", "5m"],
        /ensure-plan reads one plan \(got 2\)/,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => run("ensure-plan", ...args)));
    cases.forEach(([args, pattern], i) => {
      const r = results[i] as CliResult;
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(pattern);
    });
    expect(emu.stats.requests).to.equal(0);
  });
});
