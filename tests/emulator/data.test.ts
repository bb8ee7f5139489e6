import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  loadData,
  validateData,
  type RawBackup,
} from "../../emulator";
import { SAMPLE, backup, baseData, describeRequest, sdkClient, withEmulator } from "./helpers";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("emulator: data loading and validation", () => {
  it("loads a valid file and names the faulty path of an invalid one", () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-data-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(baseData()));
    expect(loadData(good).instances["rm-uf6wjk5****"]?.backups[0]).to.deep.equal(SAMPLE);
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        ...baseData(),
        instances: {
          "rm-a": { regionId: "cn-hangzhou", backups: [{ ...SAMPLE, DBInstanceId: "rm-a", BackupSize: "12" }] },
        },
      }),
    );
    expect(() => loadData(bad)).to.throw(/bad\.json: instances\.rm-a\.backups\[0\]\.BackupSize: expected an integer/);
    writeFileSync(bad, "{ not json");
    expect(() => loadData(bad)).to.throw(/not JSON/);
    expect(() => loadData(join(dir, "missing.json"))).to.throw(/cannot read/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ["no accessKeys", { instances: {} }, /accessKeys/],
    ["a key without secret", { accessKeys: { a: { instances: [] } }, instances: {} }, /accessKeys\.a/],
    ["a bad expiresAt", { accessKeys: { a: { secret: "s", expiresAt: "soon" } }, instances: {} }, /expiresAt/],
    [
      "a missing field",
      { accessKeys: {}, instances: { "rm-a": { regionId: "r", backups: [{ BackupId: "1" }] } } },
      /missing DBInstanceId/,
    ],
    [
      "an unknown field",
      { accessKeys: {}, instances: { "rm-uf6wjk5****": { regionId: "r", backups: [{ ...SAMPLE, backupSize: 1 }] } } },
      /unknown field backupSize/,
    ],
    [
      "a value outside its enum",
      {
        accessKeys: {},
        instances: { "rm-uf6wjk5****": { regionId: "r", backups: [{ ...SAMPLE, BackupStatus: "OK" }] } },
      },
      /BackupStatus: "OK" is not one of/,
    ],
    [
      "a time without seconds",
      {
        accessKeys: {},
        instances: {
          "rm-uf6wjk5****": { regionId: "r", backups: [{ ...SAMPLE, BackupEndTime: "2019-02-13T12:20Z" }] },
        },
      },
      /BackupEndTime: expected yyyy-MM-ddTHH:mm:ssZ/,
    ],
    [
      "a set under another instance",
      { accessKeys: {}, instances: { "rm-b": { regionId: "r", backups: [SAMPLE] } } },
      /differs from its instance rm-b/,
    ],
    [
      "duplicate ids",
      { accessKeys: {}, instances: { "rm-uf6wjk5****": { regionId: "r", backups: [SAMPLE, SAMPLE] } } },
      /duplicate 321020562/,
    ],
  ];
  for (const [name, data, message] of invalid) {
    it(`rejects ${name}`, () => expect(() => validateData(data)).to.throw(message));
  }
});

describe("emulator: generateData", () => {
  const spec = {
    seed: 7,
    now: NOW,
    instances: [
      { engine: "MySQL" as const, engineVersion: "5.6", count: 400, newestAgeHours: 5, failedShare: 0.1 },
      { engine: "SQLServer" as const, backupMethod: "Snapshot" as const, count: 50, manualShare: 0.3 },
      { engine: "PostgreSQL" as const, count: 30 },
      { engine: "MariaDB" as const, count: 3000 },
    ],
  };
  const data = generateData(spec);
  const sets = (i: number): RawBackup[] => Object.values(data.instances)[i]?.backups ?? [];

  it("is deterministic for a seed and a now, valid, and as large as asked", () => {
    expect(generateData(spec)).to.deep.equal(data);
    expect(generateData({ ...spec, seed: 8 })).not.to.deep.equal(data);
    expect(() => validateData(data)).not.to.throw();
    expect([0, 1, 2, 3].map((i) => sets(i).length)).to.deep.equal([400, 50, 30, 3000]);
    expect(data.accessKeys).to.deep.equal({ [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET });
    expect(Object.keys(data.instances)[2]).to.match(/^pgm-bp1[a-z0-9]{14}$/);
  });

  it("makes the newest set a successful automated one that ended newestAgeHours before now", () => {
    const newest = [...sets(0)].sort((a, b) => b.BackupEndTime.localeCompare(a.BackupEndTime))[0];
    expect(newest).to.include({
      BackupEndTime: "2026-03-01T07:00:00Z",
      BackupStatus: "Success",
      BackupMode: "Automated",
      BackupInitiator: "System",
    });
  });

  it("gives failed sets MetaStatus EMPTY, IsAvail 0 and no links; MySQL 5.6 gets ConsistentTime in epoch seconds", () => {
    const failed = sets(0).filter((b) => b.BackupStatus === "Failed");
    expect(failed.length).to.be.within(20, 70);
    for (const b of failed) expect(b).to.include({ MetaStatus: "EMPTY", IsAvail: 0, BackupDownloadURL: "" });
    const ok = sets(0).filter((b) => b.BackupStatus === "Success");
    for (const b of ok) expect(Math.abs((b.ConsistentTime ?? 0) - Date.parse(b.BackupEndTime) / 1000)).to.be.below(60);
    expect(sets(0).some((b) => b.BackupType === "IncrementalBackup")).to.equal(true);
    expect(sets(0)[0]?.BackupDownloadURL).to.match(
      /^https:\/\/rdsbak-hz-v3\d\d\.oss-cn-hangzhou\.aliyuncs\.com\/.+\?Expires=\d+&OSSAccessKeyId=LTAI\w+&Signature=.+/,
    );
  });

  it("gives SQL Server snapshots no download URL but per-database links, others ConsistentTime 0", () => {
    const ok = sets(1).filter((b) => b.BackupStatus === "Success");
    for (const b of ok) {
      expect(b).to.include({ BackupMethod: "Snapshot", BackupDownloadURL: "", ConsistentTime: 0, Engine: "SQLServer" });
      expect(b.BackupDownloadLinkByDB?.BackupDownloadLinkByDB.length).to.be.greaterThan(0);
      expect(b.CopyOnlyBackup).to.be.oneOf(["0", "1"]);
    }
    expect(ok.some((b) => b.BackupMode === "Manual" && b.ExpectExpireTime)).to.equal(true);
    for (const b of sets(2)) expect(b.ConsistentTime).to.equal(0);
    for (const b of [...sets(0), ...sets(3)]) expect(() => JSON.parse(b.Encryption ?? "")).not.to.throw();
  });
});

describe("emulator: page shifts and stats", () => {
  it("lets a test insert and delete sets between pages through onRequest", async () => {
    const base = baseData();
    const INST = "rm-test0001";
    base.instances[INST]!.backups = Array.from({ length: 60 }, (_, i) =>
      backup(String(1000 + i), new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString().slice(0, 19) + "Z"),
    );
    const emu = await withEmulator({ data: base });
    try {
      const seen: number[] = [];
      const off = emu.onRequest((params, count) => {
        seen.push(count);
        if (count === 2) emu.addBackup(INST, backup("9999", "2026-02-01T00:00:00Z"));
        expect(params).to.include({ DBInstanceId: INST, PageSize: 30 });
      });
      const page = async (n: number) =>
        (await sdkClient(emu).describeBackups(describeRequest({ DBInstanceId: INST, pageNumber: n }))).body;
      const first = await page(1);
      const second = await page(2);
      // The insert pushed the last set of page 1 onto page 2: a client sees it twice.
      expect(second?.items?.backup?.[0]?.backupId).to.equal(first?.items?.backup?.[29]?.backupId);
      expect(second?.totalRecordCount).to.equal("61");
      off();
      expect(emu.removeBackup(INST, "9999")).to.equal(true);
      expect(emu.removeBackup(INST, "9999")).to.equal(false);
      expect((await page(1))?.totalRecordCount).to.equal("60");
      expect(seen).to.deep.equal([1, 2]);
      expect(() => emu.addBackup(INST, { ...SAMPLE, DBInstanceId: INST, BackupSize: -1.5 })).to.throw(/BackupSize/);

      const stats = emu.stats;
      expect(stats).to.deep.include({
        requests: 3,
        describeBackups: 3,
        byAction: { DescribeBackups: 3 },
        byCode: {},
        lastParams: { DBInstanceId: INST, PageNumber: "1" },
      });
      await sdkClient(emu, { accessKeySecret: "wrong" })
        .describeBackups(describeRequest({ DBInstanceId: INST }))
        .catch(() => undefined);
      await sdkClient(emu)
        .describeBackups(describeRequest({ DBInstanceId: INST, pageSize: 7 }))
        .catch(() => undefined);
      expect(emu.stats.byCode).to.deep.equal({ SignatureDoesNotMatch: 1, "InvalidMaxRecordsPerPage.Malformed": 1 });
      emu.resetStats();
      expect(emu.stats).to.deep.equal({
        requests: 0,
        describeBackups: 0,
        createBackup: 0,
        byAction: {},
        byCode: {},
        faults: {},
        lastParams: undefined,
      });
    } finally {
      await emu.close();
    }
  });
});
