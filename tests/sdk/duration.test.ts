import { expect } from "chai";
import { formatDuration, parseDuration } from "../../sdk/duration";
import { RdsValidationError } from "../../sdk/errors";

describe("sdk/duration", () => {
  it("reads units, combinations and plain seconds", () => {
    expect(parseDuration("24h")).to.equal(86_400);
    expect(parseDuration("90m")).to.equal(5_400);
    expect(parseDuration("7d")).to.equal(604_800);
    expect(parseDuration("1h30m")).to.equal(5_400);
    expect(parseDuration("1w")).to.equal(604_800);
    expect(parseDuration("2w3d")).to.equal(1_468_800);
    expect(parseDuration("1d 2h")).to.equal(93_600);
    expect(parseDuration("3600s")).to.equal(3_600);
    expect(parseDuration(7200)).to.equal(7_200);
    expect(parseDuration("1.5h")).to.equal(5_400);
  });

  it("refuses text without a unit, saying which units mean what; a number stays seconds", () => {
    for (const [bare, field] of [
      ["24", "maxAge"],
      [" 3600 ", "timeout"],
      ["1.5", "since"],
    ] as const) {
      try {
        parseDuration(bare, field);
        expect.fail("no error");
      } catch (e) {
        expect(e).to.be.instanceOf(RdsValidationError);
        const shown = bare.trim();
        expect((e as Error).message).to.equal(
          `${field} ${JSON.stringify(bare)} has no unit; use ${shown}h for hours, ${shown}d for days, ${shown}m for minutes ` +
            `or ${shown}s for seconds (units w, d, h, m, s; e.g. "1h30m")`,
        );
      }
    }
    expect(parseDuration(24)).to.equal(24);
  });

  for (const bad of ["1x", "-5m", 0, "", "0h", Number.NaN, "h", "5 minutes", -3, Infinity, "99999d"] as Array<
    string | number
  >) {
    it(`refuses ${JSON.stringify(bad) ?? String(bad)} naming the field`, () => {
      try {
        parseDuration(bad, "maxAge");
        expect.fail("no error");
      } catch (e) {
        expect(e).to.be.instanceOf(RdsValidationError);
        const v = e as RdsValidationError;
        expect(v.field).to.equal("maxAge");
        expect(v.message)
          .to.match(/^maxAge /)
          .and.match(/use a positive duration with its unit such as "24h"/);
      }
    });
  }

  it("renders ages for humans", () => {
    expect(formatDuration(45)).to.equal("45s");
    expect(formatDuration(5_400)).to.equal("1h 30m");
    expect(formatDuration(86_400)).to.equal("24h");
    expect(formatDuration(27 * 3600 + 5 * 60 + 20)).to.equal("27h 5m");
    expect(formatDuration(7 * 86_400)).to.equal("7d");
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).to.equal("3d 4h");
    expect(formatDuration(-5)).to.equal("0s");
  });
});
