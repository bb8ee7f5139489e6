import { expect } from "chai";
import { BACKUP_FIELDS } from "../../cli/format/records";
import { agesBetween, cli, parseCsv, startTestEmulator, type CliResult, type Emulator } from "./harness";

const ESC = "\u001b";

describe("rds-backups list (real binary against the emulator)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  const run = (...args: string[]): Promise<CliResult> => cli(args, env);

  before(async () => {
    emu = await startTestEmulator();
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  after(async () => emu.close());

  it("prints an aligned table, newest first, with human sizes and no colour or links on a pipe", async () => {
    const before = Date.now();
    const r = await run("list", "rm-fresh");
    const after = Date.now();
    expect(r.stderr).to.equal("");
    expect(r.code).to.equal(0);
    expect(r.stdout).not.to.include(ESC);
    expect(r.stdout).not.to.include("SIGNED-URL");
    const lines = r.stdout.trimEnd().split("\n");
    const header = lines[0] ?? "";
    expect(header).to.match(
      /^ID +STATUS +TYPE +METHOD +MODE +START \(UTC\) +END \(UTC\) +AGE +SIZE \(1024\) +AVAILABLE$/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).to.deep.equal(["1001", "1002", "1003", "1004"]);
    for (const column of ["STATUS", "TYPE", "METHOD", "MODE", "START (UTC)", "AVAILABLE"]) {
      const at = header.indexOf(column);
      for (const line of lines.slice(1)) {
        expect(line[at - 1], `${column} in "${line}"`).to.equal(" ");
        expect(line[at], `${column} in "${line}"`).to.match(/\S/);
      }
    }
    const sizeEnd = header.indexOf("SIZE (1024)") + "SIZE (1024)".length;
    expect(lines.slice(1).map((l) => l.slice(0, sizeEnd).trimEnd().split(/ {2,}/).pop())).to.deep.equal([
      "5.0 GiB",
      "1.5 KiB",
      "0 B",
      "5.0 GiB",
    ]);
    expect(lines[1]).to.match(
      /^1001 +Success +FullBackup +Physical +Automated +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +1h \d+m +5\.0 GiB +yes$/,
    );
    // 1001 ended 1.5 h before the data was built: its age is read from the CLI's clock, whenever it ran.
    const [, endDay, endTime, age] = /^1001 .* (\S+) (\S+) +(\S+ \S+) +5\.0 GiB/.exec(lines[1] ?? "") ?? [];
    expect(agesBetween(`${endDay}T${endTime}Z`, before, after)).to.include(age);
    expect(lines[3]).to.match(/Failed .* no$/);
  });

  it("json, ndjson and csv carry the same records with the sdk's field names, newest first", async () => {
    const [json, ndjson, csv] = await Promise.all([
      run("list", "rm-fresh", "-o", "json"),
      run("list", "rm-fresh", "--output", "ndjson"),
      run("list", "rm-fresh", "--output=csv"),
    ]);
    for (const r of [json, ndjson, csv]) expect(r.code, r.stderr).to.equal(0);
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(records.map((b) => b.backupId)).to.deep.equal(["1001", "1002", "1003", "1004"]);
    for (const b of records) {
      for (const key of Object.keys(b)) expect(BACKUP_FIELDS as readonly string[]).to.include(key);
      expect(b).not.to.have.property("backupDownloadUrl");
    }
    expect(records[0]).to.include({
      dbInstanceId: "rm-fresh",
      backupStatus: "Success",
      backupSize: 5 * 1024 ** 3,
      isAvail: true,
      backupType: "FullBackup",
    });
    expect(
      ndjson.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).to.deep.equal(records);

    expect(csv.stdout.endsWith("\r\n")).to.equal(true);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header).to.deep.equal(BACKUP_FIELDS.filter((f) => !f.endsWith("Url")));
    expect(rows).to.have.length(4);
    rows.forEach((row, i) => {
      const rec = records[i] as Record<string, unknown>;
      (header ?? []).forEach((field, j) => {
        const v = rec[field];
        const expected =
          v === undefined ? "" : typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
        expect(row[j], `${field} of ${rec.backupId}`).to.equal(expected);
      });
    });
    const encrypted = records.find((b) => b.backupId === "1004");
    expect(encrypted?.encryption).to.deep.equal({ alg: "AES, 256", note: 'say "hi"' });
  });

  it("reads every page and sorts across instances, with an instance column", async () => {
    emu.resetStats();
    const r = await run("list", "rm-big", "rm-fresh", "-o", "ndjson");
    expect(r.code, r.stderr).to.equal(0);
    const records = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(records).to.have.length(234);
    expect(new Set(records.map((b) => b.backupId)).size).to.equal(234);
    expect(emu.stats.describeBackups).to.be.at.least(4);
    const starts = records.map((b) => Date.parse(b.backupStartTime ?? ""));
    expect(starts).to.deep.equal([...starts].sort((a, b) => b - a));
    expect(Object.keys(records[0] ?? {})[0]).to.equal("instance");
    expect(records.filter((b) => b.instance === "rm-fresh").map((b) => b.backupId)).to.deep.equal([
      "1001",
      "1002",
      "1003",
      "1004",
    ]);
    const table = await run("list", "rm-fresh", "rm-stale");
    expect(table.stdout.split("\n")[0]).to.match(/^INSTANCE +ID +STATUS/);
    expect(table.stdout.split("\n")[1]).to.match(/^rm-fresh +1001 /);
    expect(table.stdout).to.match(/\nrm-stale +2001 /);
  });

  it("passes every filter to the API and applies --since as a window start", async () => {
    const ids = async (...args: string[]) => {
      const r = await run("list", "rm-fresh", "-q", ...args);
      expect(r.code, r.stderr).to.equal(0);
      return r.stdout.trimEnd().split("\n").filter(Boolean);
    };
    expect(await ids("--status", "Failed")).to.deep.equal(["1003"]);
    expect(emu.stats.lastParams).to.include({ BackupStatus: "Failed", DBInstanceId: "rm-fresh" });
    expect(await ids("--type", "IncrementalBackup")).to.deep.equal(["1002"]);
    expect(await ids("--mode", "Manual")).to.deep.equal(["1002"]);
    expect(await ids("--backup-id", "1004")).to.deep.equal(["1004"]);
    const before = Date.now();
    expect(await ids("--since", "30h")).to.deep.equal(["1001", "1002"]);
    const after = Date.now();
    // The window start is the CLI's clock minus 30 h (rounded down to the minute), whenever it ran.
    const sent = Date.parse(emu.stats.lastParams?.StartTime ?? "");
    expect(sent).to.be.within(Math.floor((before - 30 * 3_600_000) / 60_000) * 60_000, after - 30 * 3_600_000);
    const start = new Date(Date.now() - 60 * 3_600_000).toISOString();
    expect(await ids("--start", start, "--end", new Date().toISOString())).to.deep.equal(["1001", "1002", "1003"]);
    const none = await run("list", "rm-fresh", "--status", "Failed", "--type", "IncrementalBackup");
    expect(none).to.include({ code: 0, stdout: "" });
    expect(none.stderr).to.include("no backups matched");
  });

  it("prints download links only with --show-download-urls", async () => {
    const hidden = await Promise.all([
      run("list", "rm-fresh"),
      run("list", "rm-fresh", "-o", "csv"),
      run("latest", "rm-fresh", "-o", "json"),
    ]);
    for (const r of hidden) expect(r.stdout + r.stderr).not.to.include("SIGNED-URL");
    const json = await run("list", "rm-fresh", "-o", "json", "--show-download-urls");
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(records[0]?.backupDownloadUrl).to.equal("https://dl.example.com/1001?Signature=SIGNED-URL-1001");
    expect(records[0]?.backupIntranetDownloadUrl).to.include("SIGNED-URL-1001");
    const table = await run("list", "rm-fresh", "--show-download-urls");
    expect(table.stdout.split("\n")[0]).to.match(/DOWNLOAD URL$/);
    expect(table.stdout).to.include("SIGNED-URL-1001");
  });

  it("uses colour only when forced, and never NO_COLOR", async () => {
    const forced = await cli(["list", "rm-fresh"], { ...env, FORCE_COLOR: "1" });
    expect(forced.stdout).to.include(`${ESC}[1m`);
    const plain = await cli(["list", "rm-fresh"], { ...env, NO_COLOR: "1" });
    expect(plain.stdout + plain.stderr).not.to.include(ESC);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, "").replace(/ \d+[dhms]( \d+[hms])? /g, " AGE ")).to.equal(
      plain.stdout.replace(/ \d+[dhms]( \d+[hms])? /g, " AGE "),
    );
  });
});
