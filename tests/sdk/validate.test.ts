import { expect } from "chai";
import { RdsValidationError } from "../../sdk/errors";
import { checkQuery, validateQuery } from "../../sdk/validate";

const ok = { dbInstanceId: "rm-uf6wjk5xxxxxxx" };
function only(q: unknown, paging = false) {
  const f = checkQuery(q, { paging });
  expect(f, JSON.stringify(f)).to.have.length(1);
  return f[0]!;
}

describe("sdk/validate", () => {
  it("accepts a minimal query and builds the wire parameters (page size 100)", () => {
    expect(checkQuery(ok)).to.deep.equal([]);
    expect(validateQuery(ok).params).to.deep.equal({ DBInstanceId: "rm-uf6wjk5xxxxxxx", PageSize: 100, PageNumber: 1 });
  });

  it("maps every filter to its API name, times in the minute format", () => {
    const v = validateQuery(
      {
        ...ok,
        backupId: "321020562",
        backupStatus: "Success",
        backupMode: "Manual",
        backupType: "FullBackup",
        startTime: "2026-11-27T10:15:30+08:00",
        endTime: new Date("2026-11-27T03:00:01Z"),
        pageSize: 30,
        pageNumber: 2,
      },
      { paging: true },
    );
    expect(v.params).to.deep.equal({
      DBInstanceId: "rm-uf6wjk5xxxxxxx",
      BackupId: "321020562",
      BackupStatus: "Success",
      BackupMode: "Manual",
      BackupType: "FullBackup",
      StartTime: "2026-11-27T02:15Z",
      EndTime: "2026-11-27T03:01Z",
      PageSize: 30,
      PageNumber: 2,
    });
  });

  it("instance id: required, a string, lower case, no spaces; other prefixes allowed", () => {
    for (const id of ["pgm-bp1abc", "pgr-2ze1", "rr-abc123", "mr-x1"])
      expect(checkQuery({ dbInstanceId: id })).to.deep.equal([]);
    expect(only({}).reason).to.match(/^dbInstanceId undefined is required; use an instance id/);
    expect(only({ dbInstanceId: "" }).field).to.equal("dbInstanceId");
    expect(only({ dbInstanceId: 42 }).reason).to.match(/is a number/);
    expect(only({ dbInstanceId: " rm-abc " }).reason).to.equal(
      'dbInstanceId " rm-abc " has spaces around it; use "rm-abc" (without the spaces)',
    );
    expect(only({ dbInstanceId: "RM-ABC" }).reason).to.match(/has upper-case letters; use "rm-abc"/);
    expect(only({ dbInstanceId: "rm abc" }).reason).to.match(/is not an instance id/);
    expect(only({ dbInstanceId: "abc" }).allowed).to.match(/rm-uf6wjk5xxxxxxx/);
  });

  it("enums: exact case, with the right case suggested", () => {
    const f = only({ ...ok, backupStatus: "success" });
    expect(f.reason).to.equal(
      'backupStatus "success" is not allowed; use one of Success, Failed (case matters: did you mean "Success"?)',
    );
    expect(f.field).to.equal("backupStatus");
    expect(f.value).to.equal("success");
    expect(only({ ...ok, backupMode: "automated" }).reason).to.match(/did you mean "Automated"/);
    expect(only({ ...ok, backupType: "Full" }).reason).to.match(/one of FullBackup, IncrementalBackup/);
    expect(only({ ...ok, backupType: 1 }).field).to.equal("backupType");
  });

  it("times: offsets required, real dates, end after start", () => {
    expect(only({ ...ok, startTime: "2026-11-27T02:00:00" }).reason).to.match(/startTime .* has no offset/);
    expect(only({ ...ok, endTime: "2026-02-30T00:00Z" }).field).to.equal("endTime");
    const f = only({ ...ok, startTime: "2026-11-27T02:00Z", endTime: "2026-11-27T02:00Z" });
    expect(f.field).to.equal("endTime");
    expect(f.reason).to.match(/is not after startTime/);
    expect(only({ ...ok, startTime: "2026-11-28T00:00Z", endTime: "2026-11-27T00:00Z" }).field).to.equal("endTime");
  });

  it("paging: page size 30/50/100 and page number >= 1, only where paging is allowed", () => {
    expect(only({ ...ok, pageSize: 20 }, true).reason).to.equal("pageSize 20 is not allowed; use 30, 50 or 100");
    expect(only({ ...ok, pageNumber: 0 }, true).allowed).to.equal("an integer >= 1");
    expect(only({ ...ok, pageNumber: 1.5 }, true).field).to.equal("pageNumber");
    expect(only({ ...ok, pageSize: 30 }).reason).to.match(/pageSize 30 is not a known parameter/);
  });

  it("unknown keys: refused with a suggestion", () => {
    expect(only({ ...ok, backupStaus: "Success" }).reason).to.match(
      /backupStaus "Success" is not a known parameter; use "backupStatus" \(did you mean "backupStatus"\?\)/,
    );
    expect(only({ DBInstanceId: "rm-abc", dbInstanceId: "rm-abc" }).reason).to.match(/did you mean "dbInstanceId"/);
    expect(only({ ...ok, regionId: "cn-hangzhou" }).reason).to.match(/regionId .* is not a known parameter/);
    expect(only({ ...ok, backupId: "1 2" }).field).to.equal("backupId");
  });

  it("validateQuery throws every failure at once, the first one in the message", () => {
    try {
      validateQuery({ dbInstanceId: "", backupStatus: "ok", pageSize: 7 });
      expect.fail("no error");
    } catch (e) {
      expect(e).to.be.instanceOf(RdsValidationError);
      const v = e as RdsValidationError;
      expect(v.failures.map((f) => f.field)).to.deep.equal(["pageSize", "dbInstanceId", "backupStatus"]);
      expect(v.field).to.equal("pageSize");
      expect(v.message).to.match(/and 2 more: dbInstanceId, backupStatus/);
    }
  });

  it("refuses a query that is not an object", () => {
    expect(only(null).field).to.equal("query");
    expect(only(["rm-abc"]).field).to.equal("query");
  });

  it("refuses a window that starts in the future (no backup can match: a typo), accepts a future end and small skew", () => {
    const now = new Date("2026-01-20T00:00:00Z");
    const f = checkQuery({ ...ok, startTime: "2027-01-19T00:00Z" }, { now });
    expect(f.map((x) => x.field)).to.deep.equal(["startTime"]);
    expect(f[0]!.reason).to.match(/startTime "2027-01-19T00:00Z" is in the future/);
    expect(checkQuery({ ...ok, startTime: "2026-01-19T00:00Z", endTime: "2027-01-01T00:00Z" }, { now })).to.deep.equal(
      [],
    );
    expect(checkQuery({ ...ok, startTime: "2026-01-20T00:04Z" }, { now })).to.deep.equal([]);
    expect(() => validateQuery({ ...ok, startTime: new Date(Date.now() + 86_400_000) })).to.throw(
      RdsValidationError,
      /startTime/,
    );
  });

  it("times: only what the API's minute format can write (four-digit years), rounding included", () => {
    expect(validateQuery({ ...ok, endTime: "9999-12-31T23:59:00Z" }).params.EndTime).to.equal("9999-12-31T23:59Z");
    expect(only({ ...ok, endTime: "9999-12-31T23:59:30Z" }).reason).to.match(
      /^endTime "9999-12-31T23:59:30Z" is after 9999-12-31T23:59Z; use a time from 0000-01-01T00:00Z/,
    );
    expect(only({ ...ok, endTime: new Date(Date.UTC(10_000, 0, 1)) }).field).to.equal("endTime");
    expect(only({ ...ok, startTime: "0000-01-01T00:30+01:00" }).reason).to.match(/is before 0000-01-01T00:00Z/);
    expect(validateQuery({ ...ok, startTime: "0000-01-01T00:00Z" }).params.StartTime).to.equal("0000-01-01T00:00Z");
  });

  it("instance id: too long is said as such, with the value cut in the echo", () => {
    const f = only({ dbInstanceId: `rm-${"a".repeat(62)}` });
    expect(f.reason).to.match(/is 65 characters long; use .*at most 64 characters$/);
    expect(f.reason).not.to.contain("upper-case");
    expect(only({ dbInstanceId: `rm-${"a".repeat(50_000)}` }).reason).to.contain(
      "(50,003 characters, cut to 120) is 50,003 characters long",
    );
  });
});
