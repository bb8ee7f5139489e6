import { expect } from "chai";
import { startEmulator, type ScriptedFault } from "../../emulator";
import { checkFreshBackup } from "../../sdk";
import { freshnessMessage } from "../../sdk/freshness";
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  agesBetween,
  cli,
  raw,
  startTestEmulator,
  testData,
  type CliResult,
  type Emulator,
} from "./harness";

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
    const json = JSON.parse((await run("latest", "rm-fresh", "rm-stale", "-o", "json")).stdout) as Record<
      string,
      unknown
    >[];
    expect(json.map((b) => [b.instance, b.backupId])).to.deep.equal([
      ["rm-fresh", "1001"],
      ["rm-stale", "2001"],
    ]);
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
    expect(lines[0]).to.match(
      /^ok {4}rm-fresh: newest usable backup 1001 ended \S+Z, 1h \d+m ago, within the limit 24h \(backupType FullBackup\)$/,
    );
    // The age is read from the CLI's clock, whenever it ran between the two clocks read here.
    const [, end, age] = /ended (\S+Z), (.+) ago/.exec(lines[0] ?? "") ?? [];
    expect(agesBetween(end ?? "", before, after)).to.include(age);
    expect(lines[1]).to.match(/^ok {4}rm-big: newest usable backup \d+ ended /);
    expect(r.stderr).to.equal("");
  });

  it("check: exit 1 with exactly the gate's message for a stale or missing backup", async () => {
    const r = await run("check", "rm-fresh", "rm-stale", "rm-none", "--max-age", "24h");
    expect(r.code).to.equal(1);
    const lines = r.stdout.trimEnd().split("\n");
    const connection = {
      endpoint: emu.url,
      credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    };
    for (const [i, id] of [
      [1, "rm-stale"],
      [2, "rm-none"],
    ] as const) {
      const verdict = await checkFreshBackup({ dbInstanceId: id, maxAge: "24h" }, connection);
      expect(verdict.fresh).to.equal(false);
      expect(lines[i]).to.equal(`STALE ${freshnessMessage(verdict)}`);
    }
    expect(lines[0]).to.match(/^ok {4}rm-fresh/);
  });

  it("check --backup-type: full backups by default; IncrementalBackup or any when asked, named in the verdict", async () => {
    // rm-fresh: a full backup 1.5 h ago, an incremental 25.8 h ago.
    const incremental = await run(
      "check",
      "rm-fresh",
      "--max-age",
      "26h",
      "--backup-type",
      "IncrementalBackup",
      "-o",
      "json",
    );
    expect(incremental.code, incremental.stderr).to.equal(0);
    const doc = JSON.parse(incremental.stdout) as {
      backupType: string;
      results: { message: string; backup: { backupId: string } }[];
    };
    expect(doc.backupType).to.equal("IncrementalBackup");
    expect(doc.results[0]?.backup.backupId).to.equal("1002");
    expect(doc.results[0]?.message).to.match(/\(backupType IncrementalBackup\)$/);
    const stale = await run("check", "rm-fresh", "--max-age", "24h", "--backup-type", "IncrementalBackup");
    expect(stale.code).to.equal(1);
    const any = await run("check", "rm-fresh", "--max-age", "2h", "--backup-type", "any");
    expect(any.code, any.stderr).to.equal(0);
    expect(any.stdout).to.match(
      /^ok {4}rm-fresh: newest usable backup 1001 .*\(backupType any \(full or incremental\)\)\n$/,
    );
    const bad = await run("check", "rm-fresh", "--max-age", "2h", "--backup-type", "Full");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.equal(
      'error: invalid value for --backup-type: "Full" (allowed: FullBackup, IncrementalBackup, any)\n',
    );
  });

  it("check --output json: one object for machines, same messages and exit code", async () => {
    const r = await run("check", "rm-fresh", "rm-stale", "--max-age", "2d", "-o", "json");
    expect(r.code).to.equal(1);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      exitCode: number;
      maxAgeSeconds: number;
      results: { instance: string; status: string; message: string; backup?: Record<string, unknown> }[];
    };
    expect(doc).to.include({ ok: false, exitCode: 1, maxAgeSeconds: 172_800 });
    expect(doc.results.map((x) => [x.instance, x.status])).to.deep.equal([
      ["rm-fresh", "fresh"],
      ["rm-stale", "stale"],
    ]);
    expect(doc.results[0]?.backup?.backupId).to.equal("1001");
    expect(r.stdout).not.to.include("SIGNED-URL");
  });

  describe("check: exit 2, never ok, on an answer that cannot be right", () => {
    /** `check rm-fresh --max-age 24h` with `fault` served on its one request. */
    const served = async (fault: Omit<ScriptedFault, "kind">): Promise<CliResult> => {
      emu.injectFaults([{ kind: "rewrite", ...fault }]);
      const before = emu.stats.describeBackups;
      const r = await run("check", "rm-fresh", "--max-age", "24h");
      expect(emu.stats.describeBackups - before).to.equal(1);
      return r;
    };
    const REFUSED =
      /^ERROR rm-fresh: DescribeBackups answered Items\.Backup\[0\]\.(\w+) = ("[^"]*") \(request id "[0-9A-F-]{36}"\), which cannot be right: (.*)\. Nothing was concluded from this answer; report it to Alibaba Cloud with the request id\.\n$/;

    it("a backup of another instance", async () => {
      const r = await served({ setEachItem: { DBInstanceId: "rm-someoneelse" } });
      expect(r.code).to.equal(2);
      expect(REFUSED.exec(r.stdout)?.slice(1)).to.deep.equal([
        "DBInstanceId",
        '"rm-someoneelse"',
        'the request asked for DBInstanceId "rm-fresh"',
      ]);
    });

    it("an incremental backup when the gate asked for full ones", async () => {
      const r = await served({ setEachItem: { BackupType: "IncrementalBackup" } });
      expect(r.code).to.equal(2);
      expect(REFUSED.exec(r.stdout)?.slice(1)).to.deep.equal([
        "BackupType",
        '"IncrementalBackup"',
        'the request asked for BackupType "FullBackup"',
      ]);
    });

    it("a backup outside the window asked for", async () => {
      const r = await served({
        setEachItem: { BackupStartTime: "2020-01-01T00:00:00Z", BackupEndTime: "2020-01-01T00:30:00Z" },
      });
      expect(r.code).to.equal(2);
      expect(REFUSED.exec(r.stdout)?.slice(1, 3)).to.deep.equal(["BackupEndTime", '"2020-01-01T00:30:00Z"']);
      expect(r.stdout).to.match(/the request asked for backups from StartTime \d{4}-\d\d-\d\dT\d\d:\d\dZ\./);
    });

    it("a backup ending in 2099 (in the data)", async () => {
      emu.addBackup("rm-fresh", raw("rm-fresh", "1099", 0.5, Date.now(), { BackupEndTime: "2099-01-01T00:00:00Z" }));
      try {
        const r = await run("check", "rm-fresh", "--max-age", "24h");
        expect(r.code).to.equal(2);
        expect(r.stdout).to.match(
          /^ERROR rm-fresh: DescribeBackups answered Items\.Backup\[\d\]\.BackupEndTime = "2099-01-01T00:00:00Z" \(request id "[0-9A-F-]{36}"\), which cannot be right: it is in the future/,
        );
        expect(r.stdout).not.to.match(/within the limit/);
      } finally {
        emu.removeBackup("rm-fresh", "1099");
      }
    });

    it("a total of 999999999 over the same 100 items, page after page: fails after at most 11 requests", async () => {
      // Its own emulator: the lie is served on every request, however many the client makes.
      const now = Date.now();
      const own = await startEmulator({ data: testData(now) as never, port: 0 });
      const hundred = Array.from({ length: 100 }, (_, i) => raw("rm-big", String(700_000 + i), 1 + i * 0.2, now));
      own.injectFaults([
        {
          kind: "rewrite",
          times: 100_000,
          set: { Items: { Backup: hundred }, PageRecordCount: "100", TotalRecordCount: "999999999" },
        },
      ]);
      try {
        const r = await cli(["check", "rm-big", "--max-age", "24h"], { ALIBABA_CLOUD_RDS_ENDPOINT: own.url });
        expect(r.code).to.equal(2);
        expect(r.stdout).to.match(
          /^ERROR rm-big: DescribeBackups answered Items\.Backup = \[.*\(request id "[0-9A-F-]{36}"\), which cannot be right: page 2 repeats 100 backups of earlier pages/,
        );
        expect(own.stats.describeBackups).to.be.within(2, 11);
      } finally {
        await own.close();
      }
    });
  });

  it("check: exit 2 with an ERROR line when the API cannot be read (fail closed)", async () => {
    const missing = await run("check", "rm-fresh", "rm-nosuch", "--max-age", "24h");
    expect(missing.code).to.equal(2);
    expect(missing.stdout).to.match(/^ok {4}rm-fresh: /);
    expect(missing.stdout).to.match(/\nERROR rm-nosuch: \S/);
    const down = await cli(["check", "rm-fresh", "--max-age", "24h", "--endpoint", "http://127.0.0.1:9"], env);
    expect(down.code).to.equal(2);
    expect(down.stdout).to.match(/^ERROR rm-fresh: /);
  });
});
