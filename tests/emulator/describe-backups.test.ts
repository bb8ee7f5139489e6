import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import {
  AK,
  SAMPLE,
  SECRET,
  backup,
  describeRequest,
  expectSdkError,
  sdkClient,
  signedRaw,
  withEmulator,
} from "./helpers";

const INST = "rm-test0001";

/** 130 sets, one per hour going back from 2026-01-10T00:00:00Z, mixed statuses/modes/types. */
function manySets() {
  const sets = [];
  for (let i = 0; i < 130; i++) {
    const at = new Date(Date.UTC(2026, 0, 10) - i * 3600_000).toISOString().slice(0, 19) + "Z";
    sets.push(
      backup(String(500000000 + i), at, {
        BackupStatus: i % 10 === 3 ? "Failed" : "Success",
        BackupMode: i % 7 === 0 ? "Manual" : "Automated",
        BackupType: i % 2 === 0 ? "FullBackup" : "IncrementalBackup",
      }),
    );
  }
  return sets;
}

describe("emulator: DescribeBackups through the official SDK", () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await withEmulator({
      data: {
        accessKeys: { [AK]: SECRET },
        instances: {
          "rm-uf6wjk5****": { regionId: "cn-hangzhou", backups: [SAMPLE] },
          [INST]: { regionId: "cn-hangzhou", backups: manySets().reverse() },
        },
      },
    });
  });
  after(() => emu.close());
  const call = (fields: Record<string, unknown>) =>
    sdkClient(emu).describeBackups(describeRequest({ DBInstanceId: INST, ...fields }));

  it("round-trips every field of the reference's sample response", async () => {
    const res = await sdkClient(emu).describeBackups(describeRequest({ DBInstanceId: "rm-uf6wjk5****" }));
    const b = res.body?.items?.backup?.[0];
    expect(res.statusCode).to.equal(200);
    expect(b?.toMap()).to.deep.equal({
      BackupDownloadLinkByDB: { BackupDownloadLinkByDB: SAMPLE.BackupDownloadLinkByDB?.BackupDownloadLinkByDB },
      BackupDownloadURL: SAMPLE.BackupDownloadURL,
      BackupEndTime: "2019-02-13T12:20:00Z",
      BackupId: "321020562",
      BackupInitiator: "System",
      BackupIntranetDownloadURL: SAMPLE.BackupIntranetDownloadURL,
      BackupMethod: "Physical",
      BackupMode: "Automated",
      BackupSize: 2167808,
      BackupStartTime: "2019-02-03T12:20:00Z",
      BackupStatus: "Success",
      BackupType: "FullBackup",
      Checksum: "1835830439****",
      ConsistentTime: 1576506856,
      CopyOnlyBackup: "0",
      DBInstanceId: "rm-uf6wjk5****",
      Encryption: "{}",
      Engine: "MySQL",
      EngineVersion: "8.0",
      ExpectExpireTime: "2025-06-17T12:10:23Z",
      HostInstanceID: "5882781",
      IsAvail: 1,
      MetaStatus: "OK",
      StorageClass: "0",
      StoreStatus: "Disabled",
    });
    expect(res.body?.pageNumber).to.equal("1");
    expect(res.body?.pageRecordCount).to.equal("1");
    expect(res.body?.totalRecordCount).to.equal("1");
    expect(res.body?.totalEcsSnapshotSize).to.equal(0);
    expect(res.body?.requestId).to.match(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(res.headers?.["x-acs-request-id"]).to.equal(res.body?.requestId);
    expect(res.headers?.["x-acs-trace-id"]).to.match(/^[0-9a-f]{32}$/);
    expect(res.headers?.["content-type"]).to.equal("application/json;charset=utf-8");
  });

  it("sends the counts as JSON strings and TotalEcsSnapshotSize as a number in the raw body", async () => {
    const res = await signedRaw(emu.port, { DBInstanceId: INST, PageSize: "50", PageNumber: "3" });
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(Object.keys(body)).to.deep.equal([
      "Items",
      "PageNumber",
      "PageRecordCount",
      "RequestId",
      "TotalEcsSnapshotSize",
      "TotalRecordCount",
    ]);
    expect(body).to.include({
      PageNumber: "3",
      PageRecordCount: "30",
      TotalRecordCount: "130",
      TotalEcsSnapshotSize: 0,
    });
    expect(res.headers["x-acs-request-id"]).to.equal(body.RequestId);
  });

  it("pages with the default size 30, and 50 and 100; a page past the end is empty", async () => {
    const ids = async (fields: Record<string, unknown>) =>
      (await call(fields)).body?.items?.backup?.map((b) => b.backupId) ?? [];
    expect(await ids({})).to.have.length(30);
    expect(await ids({ pageSize: 50, pageNumber: 3 })).to.have.length(30);
    const all = [...(await ids({ pageSize: 100 })), ...(await ids({ pageSize: 100, pageNumber: 2 }))];
    expect(all).to.have.length(130);
    expect(new Set(all).size).to.equal(130);
    const past = await call({ pageSize: 100, pageNumber: 3 });
    expect(past.body?.items?.backup).to.deep.equal([]);
    expect(past.body?.pageRecordCount).to.equal("0");
    expect(past.body?.totalRecordCount).to.equal("130");
  });

  it("orders newest first by BackupStartTime", async () => {
    const starts = (await call({ pageSize: 100 })).body?.items?.backup?.map((b) => b.backupStartTime ?? "") ?? [];
    expect(starts[0]).to.equal("2026-01-10T00:00:00Z");
    expect([...starts].sort().reverse()).to.deep.equal(starts);
  });

  it("filters by BackupId, BackupStatus, BackupMode and BackupType", async () => {
    const one = await call({ backupId: "500000007" });
    expect(one.body?.items?.backup?.map((b) => b.backupId)).to.deep.equal(["500000007"]);
    expect((await call({ backupId: "1" })).body?.totalRecordCount).to.equal("0");
    expect((await call({ backupStatus: "Failed" })).body?.totalRecordCount).to.equal("13");
    expect((await call({ backupMode: "Manual" })).body?.totalRecordCount).to.equal("19");
    const inc = await call({ backupType: "IncrementalBackup", backupStatus: "Success", pageSize: 100 });
    expect(
      inc.body?.items?.backup?.every((b) => b.backupType === "IncrementalBackup" && b.backupStatus === "Success"),
    ).to.equal(true);
    expect(inc.body?.totalRecordCount).to.equal("52");
  });

  it("filters BackupStartTime within [StartTime, EndTime], both ends inclusive", async () => {
    const res = await call({ startTime: "2026-01-09T20:00Z", endTime: "2026-01-09T23:00Z" });
    expect(res.body?.items?.backup?.map((b) => b.backupStartTime)).to.deep.equal([
      "2026-01-09T23:00:00Z",
      "2026-01-09T22:00:00Z",
      "2026-01-09T21:00:00Z",
      "2026-01-09T20:00:00Z",
    ]);
    expect((await call({ startTime: "2026-01-09T23:01Z" })).body?.totalRecordCount).to.equal("1");
    expect((await call({ endTime: "2026-01-04T20:00Z" })).body?.totalRecordCount).to.equal("6");
  });

  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ["no DBInstanceId", { DBInstanceId: undefined }, 400, "MissingDBInstanceId"],
    ["unknown instance", { DBInstanceId: "rm-nosuch" }, 400, "InvalidDBInstanceId.NotFound"],
    ["BackupStatus outside the enum", { backupStatus: "Running" }, 400, "Parameters.Invalid"],
    ["BackupMode outside the enum", { backupMode: "automated" }, 400, "Parameters.Invalid"],
    ["BackupType outside the enum", { backupType: "Full" }, 400, "Parameters.Invalid"],
    ["StartTime with seconds", { startTime: "2026-01-09T20:00:00Z" }, 400, "InvalidStartTime.Format"],
    ["StartTime impossible date", { startTime: "2026-02-30T20:00Z" }, 400, "InvalidStartTime.Format"],
    ["EndTime with seconds", { endTime: "2026-01-09T20:00:00Z" }, 400, "InvalidEndTime.Format"],
    ["EndTime not in UTC", { endTime: "2026-01-09T20:00+08:00" }, 400, "InvalidEndTime.Format"],
    [
      "EndTime equal to StartTime",
      { startTime: "2026-01-09T20:00Z", endTime: "2026-01-09T20:00Z" },
      400,
      "InvalidParameterCombination",
    ],
    [
      "EndTime before StartTime",
      { startTime: "2026-01-09T20:00Z", endTime: "2026-01-08T20:00Z" },
      400,
      "InvalidParameterCombination",
    ],
    ["PageSize 20", { pageSize: 20 }, 403, "InvalidMaxRecordsPerPage.Malformed"],
    ["PageSize 1000", { pageSize: 1000 }, 403, "InvalidMaxRecordsPerPage.Malformed"],
    ["PageNumber 0", { pageNumber: 0 }, 400, "InvalidPageNumbers.Malformed"],
    ["PageNumber -1", { pageNumber: -1 }, 400, "InvalidPageNumbers.Malformed"],
  ];
  for (const [name, fields, status, code] of cases) {
    it(`rejects ${name} with ${status} ${code}`, async () => {
      const err = await expectSdkError(call(fields));
      expect(err.code).to.equal(code);
      expect(err.statusCode).to.equal(status);
      expect(err.data).to.include.keys("RequestId", "HostId", "Code", "Message", "Recommend");
      expect(err.requestId).to.equal(err.data?.RequestId);
    });
  }

  it("rejects a PageNumber that is not an integer (raw request)", async () => {
    const res = await signedRaw(emu.port, { DBInstanceId: INST, PageNumber: "1.5" });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.text).Code).to.equal("InvalidPageNumbers.Malformed");
  });
});
