import { expect } from "chai";
import { RdsResponseError } from "../../sdk/errors";
import { normalizePage } from "../../sdk/normalize";
import referenceSample from "../fixtures/reference-sample.json";

/** The sample response of the API reference (DescribeBackups.api-reference.ja.txt), verbatim. */
const SAMPLE = referenceSample;

function clone(): typeof SAMPLE & { Items: { Backup: Array<Record<string, unknown>> } } {
  return JSON.parse(JSON.stringify(SAMPLE));
}
function withField(key: string, value: unknown): unknown {
  const c = clone();
  if (value === undefined) delete c.Items.Backup[0]![key];
  else c.Items.Backup[0]![key] = value;
  return c;
}

describe("sdk/normalize", () => {
  it("parses the reference sample field by field", () => {
    const page = normalizePage(SAMPLE, { pageSize: 30, pageNumber: 1 });
    expect(page).to.deep.include({
      pageNumber: 1,
      pageSize: 30,
      pageRecordCount: 30,
      totalRecordCount: 100,
      totalEcsSnapshotSize: 0,
      requestId: "1A6D328C-84B8-40DC-BF49-6C73984D7494",
    });
    expect(page.backups).to.have.length(1);
    expect(page.backups[0]).to.deep.equal({
      backupId: "321020562",
      dbInstanceId: "rm-uf6wjk5****",
      backupStatus: "Success",
      backupStartTime: "2019-02-03T12:20:00Z",
      backupEndTime: "2019-02-13T12:20:00Z",
      backupType: "FullBackup",
      backupMethod: "Physical",
      backupMode: "Automated",
      backupInitiator: "System",
      backupSize: 2167808,
      backupDownloadUrl: "http://rdsbak-hz-v3.oss-cn-hangzhou.aliyuncs.com/****",
      backupIntranetDownloadUrl: "http://rdsbak-hz-v3.oss-cn-hangzhou-internal.aliyuncs.com/****",
      downloadLinksByDatabase: [
        {
          database: "dbs",
          downloadLink: SAMPLE.Items.Backup[0]!.BackupDownloadLinkByDB.BackupDownloadLinkByDB[0]!.DownloadLink,
          intranetDownloadLink:
            SAMPLE.Items.Backup[0]!.BackupDownloadLinkByDB.BackupDownloadLinkByDB[0]!.IntranetDownloadLink,
        },
      ],
      checksum: "1835830439****",
      consistentTime: "2019-12-16T14:34:16Z",
      copyOnlyBackup: false,
      encryption: {},
      engine: "MySQL",
      engineVersion: "8.0",
      hostInstanceId: "5882781",
      isAvail: true,
      metaStatus: "OK",
      storageClass: "Standard",
      storeStatus: "Disabled",
      expectExpireTime: "2025-06-17T12:10:23Z",
    });
  });

  it("maps the wire quirks: 0 consistent time, '' meta status, empty/null URLs, flags, minute-format expiry", () => {
    const c = clone();
    Object.assign(c.Items.Backup[0]!, {
      ConsistentTime: 0,
      MetaStatus: "",
      BackupDownloadURL: "",
      BackupIntranetDownloadURL: null,
      CopyOnlyBackup: "1",
      StorageClass: "1",
      IsAvail: 0,
      ExpectExpireTime: "2025-06-17T12:10Z",
      Encryption: '{"encryptionKey":"k1"}',
      BackupDownloadLinkByDB: {
        BackupDownloadLinkByDB: [{ DataBase: "db1", DownloadLink: "null", IntranetDownloadLink: "" }],
      },
    });
    const b = normalizePage(c).backups[0]!;
    expect(b).not.to.have.any.keys(
      "consistentTime",
      "metaStatus",
      "backupDownloadUrl",
      "backupIntranetDownloadUrl",
      "encryptionRaw",
    );
    expect(b).to.deep.include({
      copyOnlyBackup: true,
      storageClass: "Archive",
      isAvail: false,
      expectExpireTime: "2025-06-17T12:10:00Z",
      encryption: { encryptionKey: "k1" },
    });
    expect(b.downloadLinksByDatabase).to.deep.equal([{ database: "db1" }]);
  });

  it("keeps a non-JSON Encryption text raw instead of failing the page", () => {
    const b = normalizePage(withField("Encryption", "kms:abc")).backups[0]!;
    expect(b.encryption).to.deep.equal({});
    expect(b.encryptionRaw).to.equal("kms:abc");
  });

  it("accepts counts as numbers and an empty page", () => {
    const p = normalizePage({
      Items: { Backup: [] },
      PageNumber: 3,
      PageRecordCount: 0,
      TotalRecordCount: 0,
      RequestId: "r",
    });
    expect(p).to.deep.include({
      backups: [],
      pageNumber: 3,
      pageRecordCount: 0,
      totalRecordCount: 0,
      totalEcsSnapshotSize: 0,
    });
    expect(normalizePage({ Items: {}, TotalRecordCount: "0", RequestId: "r" }).backups).to.deep.equal([]);
  });

  const wrong: Array<[string, unknown, RegExp]> = [
    ["BackupSize", "", /Items\.Backup\[0\]\.BackupSize = ""/],
    ["BackupSize", "2MB", /BackupSize = "2MB"/],
    ["BackupSize", -1, /non-negative integer/],
    ["IsAvail", "yes", /IsAvail = "yes"/],
    ["IsAvail", 2, /IsAvail = 2 .*expected 1 or 0/],
    ["BackupStatus", "success", /BackupStatus = "success".*one of Success, Failed/],
    ["BackupEndTime", "2019-02-13 12:20:00", /BackupEndTime/],
    ["BackupEndTime", undefined, /BackupEndTime = undefined/],
    ["BackupId", undefined, /BackupId/],
    ["ConsistentTime", "soon", /ConsistentTime/],
    ["StorageClass", "2", /StorageClass = "2".*"0" or "1"/],
    ["CopyOnlyBackup", true, /CopyOnlyBackup/],
    ["BackupDownloadLinkByDB", [], /BackupDownloadLinkByDB = \[\].*an object/],
    ["BackupDownloadURL", 5, /BackupDownloadURL = 5/],
  ];
  for (const [field, value, re] of wrong) {
    it(`refuses ${field} = ${JSON.stringify(value)} naming field, value and request id`, () => {
      try {
        normalizePage(withField(field, value));
        expect.fail("no error");
      } catch (e) {
        expect(e).to.be.instanceOf(RdsResponseError);
        expect((e as Error).message)
          .to.match(re)
          .and.match(/request id 1A6D328C-84B8-40DC-BF49-6C73984D7494/);
        expect((e as RdsResponseError).field).to.contain(field);
      }
    });
  }

  it("refuses a missing TotalRecordCount and a body that is not an object", () => {
    expect(() => normalizePage({ Items: { Backup: [] }, RequestId: "r9" })).to.throw(
      RdsResponseError,
      /TotalRecordCount = undefined \(request id r9\)/,
    );
    expect(() => normalizePage("<html>")).to.throw(RdsResponseError, /\(body\)/);
    expect(() => normalizePage({ Items: { Backup: {} }, TotalRecordCount: "1" })).to.throw(
      /Items\.Backup = \{\}.*an array/,
    );
  });
});
