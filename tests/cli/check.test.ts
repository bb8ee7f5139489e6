import { expect } from "chai";
import { checkFreshBackup, freshnessMessage } from "../../sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, agesBetween, cli, startTestEmulator, type CliResult, type Emulator } from "./harness";

describe("rds-backups latest and check (real binary against the emulator)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  const run = (...args: string[]): Promise<CliResult> => cli(args, env);

  before(async () => {
    emu = await startTestEmulator();
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  after(async () => emu.close());

  it("latest: the newest usable backup by end time, in every format", async () => {
    const table = await run("latest", "rm-fresh");
    expect(table.code, table.stderr).to.equal(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(/^1001 +Success +FullBackup /);
    const json = JSON.parse((await run("latest", "rm-fresh", "rm-stale", "-o", "json")).stdout) as Record<string, unknown>[];
    expect(json.map((b) => [b.instance, b.backupId])).to.deep.equal([["rm-fresh", "1001"], ["rm-stale", "2001"]]);
    expect((await run("latest", "rm-fresh", "--type", "IncrementalBackup", "-q")).stdout).to.equal("1002\n");
  });

  it("latest: exit 1 with a message on stderr when an instance has no usable backup, others still printed", async () => {
    const r = await run("latest", "rm-fresh", "rm-none", "-q");
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal("1001\n");
    expect(r.stderr).to.match(/rm-none: no usable backup/);
  });

  it("check: exit 0 and an ok line when every instance is fresh", async () => {
    const before = Date.now();
    const r = await run("check", "rm-fresh", "rm-big", "--max-age", "24h");
    const after = Date.now();
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^ok    rm-fresh: newest usable backup 1001 ended \S+Z, 1h \d+m ago, within the limit 24h$/);
    // The age is read from the CLI's clock, whenever it ran between the two clocks read here.
    const [, end, age] = /ended (\S+Z), (.+) ago/.exec(lines[0] ?? "") ?? [];
    expect(agesBetween(end ?? "", before, after)).to.include(age);
    expect(lines[1]).to.match(/^ok    rm-big: newest usable backup \d+ ended /);
    expect(r.stderr).to.equal("");
  });

  it("check: exit 1 with exactly the gate's message for a stale or missing backup", async () => {
    const r = await run("check", "rm-fresh", "rm-stale", "rm-none", "--max-age", "24h");
    expect(r.code).to.equal(1);
    const lines = r.stdout.trimEnd().split("\n");
    const connection = { endpoint: emu.url, credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET } };
    for (const [i, id] of [[1, "rm-stale"], [2, "rm-none"]] as const) {
      const verdict = await checkFreshBackup({ dbInstanceId: id, maxAge: "24h" }, connection);
      expect(verdict.fresh).to.equal(false);
      expect(lines[i]).to.equal(`STALE ${freshnessMessage(verdict)}`);
    }
    expect(lines[0]).to.match(/^ok    rm-fresh/);
    const typed = await run("check", "rm-fresh", "--max-age", "24h", "--type", "IncrementalBackup");
    expect(typed.code).to.equal(1); // the only incremental set ended 25.8h ago
  });

  it("check --output json: one object for machines, same messages and exit code", async () => {
    const r = await run("check", "rm-fresh", "rm-stale", "--max-age", "2d", "-o", "json");
    expect(r.code).to.equal(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; maxAgeSeconds: number; results: { instance: string; status: string; message: string; backup?: Record<string, unknown> }[] };
    expect(doc).to.include({ ok: false, exitCode: 1, maxAgeSeconds: 172_800 });
    expect(doc.results.map((x) => [x.instance, x.status])).to.deep.equal([["rm-fresh", "ok"], ["rm-stale", "stale"]]);
    expect(doc.results[0]?.backup?.backupId).to.equal("1001");
    expect(r.stdout).not.to.include("SIGNED-URL");
  });

  it("check: exit 2 with an ERROR line when the API cannot be read (fail closed)", async () => {
    const missing = await run("check", "rm-fresh", "rm-nosuch", "--max-age", "24h");
    expect(missing.code).to.equal(2);
    expect(missing.stdout).to.match(/^ok    rm-fresh: /);
    expect(missing.stdout).to.match(/\nERROR rm-nosuch: \S/);
    const down = await cli(["check", "rm-fresh", "--max-age", "24h", "--endpoint", "http://127.0.0.1:9"], env);
    expect(down.code).to.equal(2);
    expect(down.stdout).to.match(/^ERROR rm-fresh: /);
  });
});
