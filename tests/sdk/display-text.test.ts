/**
 * Text from outside shown to a human: control characters escaped, quotes bounded with the cut
 * stated. Unit level; tests/reliability/terminal-safety.test.ts drives the same through the
 * CLI, the sdk and the provider against hostile answers.
 */
import { expect } from "chai";
import { escapeControl, escapeJsonText, quoteServerText } from "../../sdk/display-text";
import { RdsApiError, RdsResponseError, RdsValidationError, toRdsApiError } from "../../sdk/errors";
import { showValue } from "../../sdk/failure";
import { freshnessMessage } from "../../sdk/freshness";
import type { Backup } from "../../sdk/types";

/** Every character a terminal acts on, one of each family. */
const HOSTILE = "a\u001b[2J\u001b]0;title\u0007b\rc\nd\te\u007ff\u009b31mg\u202eh\u2066i\u2028j\u200fk";
/** Anything a terminal would act on: C0, DEL, C1, bidi, separators. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("sdk/display-text", () => {
  it("escapeControl shows every control character as a visible escape and leaves the rest alone", () => {
    expect(escapeControl(HOSTILE)).to.equal(
      "a\\x1b[2J\\x1b]0;title\\x07b\\rc\\nd\\te\\x7ff\\x9b31mg\\u202eh\\u2066i\\u2028j\\u200fk",
    );
    expect(escapeControl(HOSTILE)).not.to.match(RAW_CONTROL);
    const plain = "rm-uf6wjk5 321020562 Übersicht 数据库 😀 \\x1b";
    expect(escapeControl(plain)).to.equal(plain);
  });

  it("quoteServerText escapes and cuts long text, saying how long it was", () => {
    const five = "x".repeat(5 * 1024 * 1024);
    const q = quoteServerText(`\u001b[2J${five}`, 200);
    expect(q).to.equal(`\\x1b[2J${"x".repeat(196)}… (5,242,884 characters, cut to 200)`);
    expect(quoteServerText("short\r", 200)).to.equal("short\\r");
    // Never half a surrogate pair.
    expect(quoteServerText(`${"a".repeat(9)}😀😀`, 10)).to.equal(`${"a".repeat(9)}… (13 characters, cut to 10)`);
  });

  it("escapeJsonText keeps JSON valid and its value exact, with no raw C1, DEL or bidi", () => {
    const value = { id: HOSTILE, list: [HOSTILE] };
    for (const text of [escapeJsonText(JSON.stringify(value, null, 2)), escapeJsonText(JSON.stringify(value))]) {
      expect(JSON.parse(text)).to.deep.equal(value);
      expect(text.replace(/\n/g, "")).not.to.match(RAW_CONTROL);
    }
  });

  it("an API error's message, code and request id are escaped and bounded in the message", () => {
    const apiMessage = `bad\r\u001b]0;pwned\u0007 ${"m".repeat(5 * 1024 * 1024)}`;
    const err = Object.assign(new Error("x"), {
      name: "ClientError",
      code: "Invalid\u001b[2JParameter",
      statusCode: 400,
      requestId: "req-\u001b[1m",
      data: { Code: "Invalid\u001b[2JParameter", RequestId: "req-\u001b[1m", Message: apiMessage },
    });
    const e = toRdsApiError(err, {
      dbInstanceId: "rm-abc",
      region: "cn-hangzhou",
      endpoint: "http://127.0.0.1:1",
    }) as RdsApiError;
    expect(e.message).not.to.match(RAW_CONTROL);
    expect(e.message)
      .to.contain("Invalid\\x1b[2JParameter")
      .and.to.contain("bad\\r\\x1b]0;pwned\\x07")
      .and.to.contain("req-\\x1b[1m");
    expect(e.message).to.contain("characters, cut to 500)");
    expect(e.message.length).to.be.below(1_500);
    // The data stays as the server sent it (for code that matches on it).
    expect(e.code).to.equal("Invalid\u001b[2JParameter");
  });

  it("a response field of the wrong type is quoted escaped and bounded", () => {
    const value = `\u001b[2J${"9".repeat(100_000)}`;
    const e = new RdsResponseError("Items.Backup[0].BackupSize", value, "req\r1", "a non-negative integer");
    expect(e.message).not.to.match(RAW_CONTROL);
    // The value is quoted as JSON (which writes ESC as \u001b), then cut.
    expect(JSON.stringify(value)).to.have.length(100_011);
    expect(e.message)
      .to.contain("\\u001b[2J")
      .and.to.contain("(100,011 characters, cut to 200)")
      .and.to.contain("req\\r1");
    expect(e.message.length).to.be.below(600);
  });

  it("the gate's message shows a hostile backup id escaped", () => {
    const newest = { backupId: "66\u001b[2J\rok", backupEndTime: "2026-11-27T02:00:00Z" } as Backup;
    const m = freshnessMessage({
      fresh: true,
      dbInstanceId: "rm-abc",
      maxAgeSeconds: 86_400,
      newest,
      ageSeconds: 60,
      checkedAt: "2026-11-27T02:01:00Z",
      backupType: "FullBackup",
    });
    expect(m).to.contain("66\\x1b[2J\\rok").and.not.to.match(RAW_CONTROL);
  });

  it("rejected values and unknown keys are echoed escaped and bounded", () => {
    expect(showValue(`${"v".repeat(50_000)}`)).to.equal(`"${"v".repeat(120)}"… (50,000 characters, cut to 120)`);
    expect(showValue("a\u009bb\u202ec\u001b")).to.equal('"a\\x9bb\\u202ec\\u001b"');
    expect(showValue({ k: "x".repeat(1000) })).to.match(/… \(1,008 characters, cut to 120\)$/);
    const e = new RdsValidationError([
      { field: "a", value: 1, allowed: "", reason: "r" },
      ...Array.from({ length: 30 }, (_, i) => ({ field: `k${i}\u001b[2J`, value: 1, allowed: "", reason: "r" })),
    ]);
    expect(e.message)
      .to.contain("(and 30 more: k0\\x1b[2J, ")
      .and.to.contain("k9\\x1b[2J, ...)")
      .and.not.to.match(RAW_CONTROL);
  });
});
