import { expect } from "chai";
import { RdsValidationError } from "../../sdk/errors";
import { checkTime, epochSecondsToIso, parseApiTime, parseTimeInput, toApiMinute, toIsoSeconds } from "../../sdk/time";

describe("sdk/time", () => {
  it("sends yyyy-MM-ddTHH:mmZ in UTC, start rounded down and end rounded up", () => {
    expect(toApiMinute("2026-11-27T10:15:30+08:00", "floor")).to.equal("2026-11-27T02:15Z");
    expect(toApiMinute("2026-11-27T10:15:30+08:00", "ceil")).to.equal("2026-11-27T02:16Z");
    expect(toApiMinute(new Date("2026-11-27T02:15:00.000Z"), "ceil")).to.equal("2026-11-27T02:15Z");
    expect(toApiMinute(new Date("2026-11-27T02:15:00.001Z"), "ceil")).to.equal("2026-11-27T02:16Z");
    expect(toApiMinute("2026-12-31T23:59:59Z", "ceil")).to.equal("2027-01-01T00:00Z");
    expect(toApiMinute("2026-11-27T02:15Z", "floor")).to.equal("2026-11-27T02:15Z");
  });

  it("accepts Z, z, +08:00, -0530 offsets", () => {
    expect(parseTimeInput("2026-11-27T02:15:00z").toISOString()).to.equal("2026-11-27T02:15:00.000Z");
    expect(parseTimeInput("2026-11-27T08:00-0530").toISOString()).to.equal("2026-11-27T13:30:00.000Z");
  });

  it("refuses strings without an offset, naming the field and the value", () => {
    const r = checkTime("2026-11-27T02:15:00", "startTime");
    expect(r).not.to.be.instanceOf(Date);
    expect((r as { reason: string }).reason)
      .to.match(/^startTime "2026-11-27T02:15:00" has no offset/)
      .and.match(/use a Date or an ISO-8601/);
    expect(() => parseTimeInput("2026-11-27", "endTime")).to.throw(
      RdsValidationError,
      /endTime "2026-11-27" has no offset/,
    );
  });

  it("refuses invalid dates, non-strings and garbage", () => {
    expect(() => parseTimeInput("2026-02-30T00:00Z", "startTime")).to.throw(/not a real date/);
    expect(() => parseTimeInput("2026-13-01T00:00Z", "startTime")).to.throw(/not a real date/);
    expect(() => parseTimeInput("2026-11-27T24:00Z", "startTime")).to.throw(/not a real date/);
    expect(() => parseTimeInput(new Date("nope"), "startTime")).to.throw(/startTime Invalid Date is an invalid Date/);
    expect(() => parseTimeInput("yesterday", "startTime")).to.throw(/not an ISO-8601 time/);
    const e = (() => {
      try {
        parseTimeInput(12 as unknown as string, "endTime");
      } catch (x) {
        return x as RdsValidationError;
      }
      return undefined;
    })();
    expect(e?.field).to.equal("endTime");
    expect(e?.value).to.equal(12);
    expect(e?.allowed).to.match(/ISO-8601/);
  });

  it("reads the API's times with and without seconds, always answering with seconds", () => {
    expect(parseApiTime("2019-02-13T12:20:00Z")).to.equal("2019-02-13T12:20:00Z");
    expect(parseApiTime("2025-06-17T12:10Z")).to.equal("2025-06-17T12:10:00Z");
    expect(parseApiTime("2019-02-13 12:20:00")).to.equal(undefined);
    expect(parseApiTime("2019-02-30T12:20:00Z")).to.equal(undefined);
    expect(parseApiTime("")).to.equal(undefined);
  });

  it("treats ConsistentTime 0 as absent, not 1970", () => {
    expect(epochSecondsToIso(0)).to.equal(undefined);
    expect(epochSecondsToIso(1576506856)).to.equal("2019-12-16T14:34:16Z");
    expect(toIsoSeconds(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).to.equal("2026-01-02T03:04:05Z");
  });
});
