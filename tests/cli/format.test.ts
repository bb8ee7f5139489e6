import { expect } from "chai";
import type { Backup } from "../../sdk/types";
import { renderBackupTable } from "../../cli/format/backup-table";
import { colorEnabled, painter } from "../../cli/format/color";
import { csvField, csvLine, csvValue, renderCsv } from "../../cli/format/csv";
import { formatAge, formatCount, formatSize, formatTime } from "../../cli/format/human";
import { renderJson, renderNdjson } from "../../cli/format/json";
import { compareNewestFirst, recordFields, toRecord } from "../../cli/format/records";
import { renderTable } from "../../cli/format/table";

const backup = (over: Partial<Backup> = {}): Backup => ({
  backupId: "321",
  dbInstanceId: "rm-a",
  backupStatus: "Success",
  backupStartTime: "2026-11-27T02:00:05Z",
  backupEndTime: "2026-11-27T02:30:00Z",
  backupType: "FullBackup",
  backupMethod: "Physical",
  backupMode: "Automated",
  backupSize: 1536,
  downloadLinksByDatabase: [{ database: "db1", downloadLink: "https://x/secret-db" }],
  encryption: {},
  isAvail: true,
  backupDownloadUrl: "https://x/secret",
  ...over,
});

describe("cli formatters", () => {
  it("formats sizes 1024-based with the unit", () => {
    expect(formatSize(0)).to.equal("0 B");
    expect(formatSize(1023)).to.equal("1023 B");
    expect(formatSize(1536)).to.equal("1.5 KiB");
    expect(formatSize(5 * 1024 ** 3)).to.equal("5.0 GiB");
    expect(formatSize(300 * 1024 ** 2)).to.equal("300 MiB");
    expect(formatSize(2 * 1024 ** 4)).to.equal("2.0 TiB");
  });

  it("formats ages, times and counts", () => {
    const now = new Date("2026-11-27T05:32:10Z");
    expect(formatAge("2026-11-27T02:30:00Z", now)).to.equal("3h 2m");
    expect(formatAge("2026-11-27T05:32:00Z", now)).to.equal("10s");
    expect(formatAge(undefined, now)).to.equal("-");
    expect(formatTime("2026-11-27T02:00:05Z")).to.equal("2026-11-27 02:00:05");
    expect(formatCount(1204)).to.equal("1,204");
  });

  it("quotes CSV fields per RFC 4180", () => {
    expect(csvField("plain")).to.equal("plain");
    expect(csvField("a,b")).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField("two\nlines")).to.equal('"two\nlines"');
    expect(csvField(" padded")).to.equal('" padded"');
    expect(csvLine(["a", "b,c"])).to.equal('a,"b,c"\r\n');
    expect(csvValue(undefined)).to.equal("");
    expect(csvValue(false)).to.equal("false");
    expect(csvValue({ a: 1 })).to.equal('{"a":1}');
    expect(renderCsv(["x", "y"], [{ x: 1 }])).to.equal("x,y\r\n1,\r\n");
  });

  it("renders JSON arrays and NDJSON lines", () => {
    expect(JSON.parse(renderJson([{ a: 1 }]))).to.deep.equal([{ a: 1 }]);
    expect(renderNdjson([{ a: 1 }, { b: 2 }])).to.equal('{"a":1}\n{"b":2}\n');
  });

  it("aligns table columns, right-aligns numbers, leaves no trailing spaces", () => {
    const out = renderTable(
      [{ header: "NAME" }, { header: "N", align: "right" }, { header: "END" }],
      [
        ["a", "1", "x"],
        ["longer", "100", ""],
      ],
    );
    expect(out).to.equal("NAME      N  END\na         1  x\nlonger  100\n");
  });

  it("keeps alignment when colour is on", () => {
    const rows = [
      { instance: "rm-a", backup: backup({ backupStatus: "Failed", isAvail: false }) },
      { instance: "rm-a", backup: backup() },
    ];
    const opts = { withInstance: false, showDownloadUrls: false, now: new Date("2026-11-28T00:00:00Z") };
    const plain = renderBackupTable(rows, { ...opts, paint: painter(false) });
    const coloured = renderBackupTable(rows, { ...opts, paint: painter(true) });
    expect(coloured).to.match(/\u001b\[31m/);
    expect(coloured.replace(/\u001b\[\d+m/g, "")).to.equal(plain);
    expect(plain).not.to.match(/\u001b/);
    expect(plain).not.to.include("secret");
    const lines = plain.trimEnd().split("\n");
    expect(lines[0]).to.match(
      /^ID\s+STATUS\s+TYPE\s+METHOD\s+MODE\s+START \(UTC\)\s+END \(UTC\)\s+AGE\s+SIZE \(1024\)\s+AVAILABLE$/,
    );
    const col = (line: string) => line.indexOf("FullBackup");
    expect(col(lines[1] ?? ""))
      .to.equal(col(lines[2] ?? ""))
      .and.to.equal(lines[0]?.indexOf("TYPE"));
    expect(lines[1]).to.include("1.5 KiB").and.to.include("21h 30m").and.to.match(/no$/);
  });

  it("decides colour from TTY, NO_COLOR and FORCE_COLOR", () => {
    expect(colorEnabled({}, true)).to.equal(true);
    expect(colorEnabled({}, false)).to.equal(false);
    expect(colorEnabled({ NO_COLOR: "1" }, true)).to.equal(false);
    expect(colorEnabled({ FORCE_COLOR: "1" }, false)).to.equal(true);
    expect(colorEnabled({ FORCE_COLOR: "0" }, true)).to.equal(false);
  });

  it("keeps the sdk's field names and hides download links unless asked", () => {
    const hidden = toRecord(backup(), "rm-a", { showDownloadUrls: false, withInstance: false });
    expect(hidden).not.to.have.property("backupDownloadUrl");
    expect(hidden.downloadLinksByDatabase).to.deep.equal([{ database: "db1" }]);
    expect(JSON.stringify(hidden)).not.to.include("secret");
    const shown = toRecord(backup(), "rm-a", { showDownloadUrls: true, withInstance: true });
    expect(Object.keys(shown)[0]).to.equal("instance");
    expect(shown.backupDownloadUrl).to.equal("https://x/secret");
    for (const key of Object.keys(shown)) if (key !== "instance") expect(backup()).to.have.property(key);
    expect(recordFields({ showDownloadUrls: false, withInstance: false })).not.to.include("backupDownloadUrl");
  });

  it("shows control characters from the API escaped in the table, CSV and quiet lists; JSON stays exact", () => {
    const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    const hostile = backup({
      backupId: "66\u001b[2J\r\u009b31m\u202eok",
      engineVersion: "8.0\u001b]0;pwned\u0007\n",
      backupDownloadUrl: "https://x/\u001b[8m",
    });
    const rows = [
      { instance: "rm-a", backup: hostile },
      { instance: "rm-a", backup: backup() },
    ];
    const table = renderBackupTable(rows, {
      withInstance: false,
      showDownloadUrls: true,
      now: new Date("2026-11-28T00:00:00Z"),
      paint: painter(false),
    });
    expect(table).not.to.match(rawControl);
    expect(table).to.contain("66\\x1b[2J\\r\\x9b31m\\u202eok").and.to.contain("https://x/\\x1b[8m");
    const lines = table.trimEnd().split("\n");
    expect(lines).to.have.length(3);
    expect(lines[1]?.indexOf("Success")).to.equal(lines[2]?.indexOf("Success")); // the escaped cell keeps the columns aligned
    const record = toRecord(hostile, "rm-a", { showDownloadUrls: false, withInstance: false });
    const csv = renderCsv(Object.keys(record), [record]);
    expect(csv.replace(/\r\n/g, "")).not.to.match(rawControl);
    expect(csv).to.contain("8.0\\x1b]0;pwned\\x07\\n");
    const json = renderJson([record]);
    expect(JSON.parse(json)).to.deep.equal([JSON.parse(JSON.stringify(record))]);
    expect(json.replace(/\n/g, "")).not.to.match(rawControl);
    expect(renderNdjson([record]).slice(0, -1)).not.to.match(rawControl);
  });

  it("orders newest first by start time, then by id", () => {
    const list = [
      backup({ backupId: "1", backupStartTime: "2026-01-01T00:00:00Z" }),
      backup({ backupId: "3", backupStartTime: "2026-03-01T00:00:00Z" }),
      backup({ backupId: "10", backupStartTime: "2026-01-01T00:00:00Z" }),
    ];
    expect([...list].sort(compareNewestFirst).map((b) => b.backupId)).to.deep.equal(["3", "10", "1"]);
  });
});
