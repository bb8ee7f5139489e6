/**
 * Terminal safety: text a server sends (an error Message, a code, a request id, a BackupId, an
 * EngineVersion) never reaches a human's terminal raw, and a huge message is cut saying so.
 * Two hostile servers on 127.0.0.1: a plain HTTP server answering every call with a 400 whose
 * JSON error holds escape sequences and 5 MB of text, and the emulator serving a backup whose id
 * and engine version hold escape sequences. Driven through the sdk, the provider's reads (the
 * Pulumi error) and the real CLI binary. JSON output must stay valid JSON with the exact value.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { readBackups, readFreshBackup, setStackSettings } from "../../provider/runtime";
import { listBackups, RdsApiError } from "../../sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli, raw, testData } from "../cli/harness";
import { Figures, rejection } from "./helpers";

/** Anything a terminal acts on, line feeds aside (they end lines). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_ID = "66\u001b[2J\r\u009b31m\u202eok";
const HOSTILE_VERSION = "8.0\u001b]0;pwned\u0007";
const MESSAGE = `bad\r\u001b]0;pwned\u0007 \u009b31m\u202e ${"m".repeat(5 * 1024 * 1024)}`;
const INSTANCE = "rm-evil01";
const figures = new Figures("Terminal safety", ["surface", "hostile text", "shown as", "message length"]);

describe("terminal safety: control characters from a server are shown escaped, long text cut", function () {
  this.timeout(120_000);
  let hostile: Server;
  let hostileUrl: string;
  let emu: RunningEmulator;

  before(async () => {
    const body = JSON.stringify({
      RequestId: "req-\u001b[1m-1",
      Code: "InvalidParameter\u001b[2J",
      Message: MESSAGE,
    });
    hostile = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(400, { "content-type": "application/json" }).end(body));
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    // The CLI (a subprocess) judges with its own clock: the data is built on the same clock, and
    // the gate below allows 30 days, so no amount of time passing in between changes a verdict.
    const now = Date.now();
    const data = testData(now) as ReturnType<typeof testData> & { instances: Record<string, unknown> };
    data.instances[INSTANCE] = {
      regionId: "cn-hangzhou",
      backups: [raw(INSTANCE, HOSTILE_ID, 2, now, { EngineVersion: HOSTILE_VERSION }), raw(INSTANCE, "67", 30, now)],
    };
    emu = await startEmulator({ data: data as never, port: 0 });
    setStackSettings({ accessKey: ACCESS_KEY_ID, secretKey: ACCESS_KEY_SECRET });
  });
  after(async () => {
    setStackSettings({});
    await new Promise((resolve) => hostile.close(resolve));
    await emu.close();
    figures.flush();
  });

  const expectSafe = (text: string, surface: string): void => {
    expect(text.replace(/\r?\n/g, ""), `${surface}: ${JSON.stringify(text.slice(0, 300))}`).not.to.match(RAW_CONTROL);
  };

  describe("an API error with escape sequences and a 5 MB message", () => {
    const retry = { maxAttempts: 1 };

    it("sdk: the RdsApiError's message is escaped and cut, saying how long the text was", async () => {
      expect(MESSAGE).to.have.length(5_242_901);
      const err = await rejection(
        listBackups(
          { dbInstanceId: INSTANCE },
          {
            endpoint: hostileUrl,
            credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
            retry,
          },
        ),
      );
      expect(err).to.be.instanceOf(RdsApiError);
      expectSafe(err.message, "sdk");
      expect(err.message)
        .to.contain("InvalidParameter\\x1b[2J")
        .and.to.contain("bad\\r\\x1b]0;pwned\\x07 \\x9b31m\\u202e");
      expect(err.message).to.contain("(5,242,901 characters, cut to 500)").and.to.contain("req-\\x1b[1m-1");
      expect(err.message.length).to.be.below(1_500);
      figures.add({
        surface: "sdk RdsApiError",
        "hostile text": "Code, Message (5 MB), RequestId with ESC, CR, C1, bidi",
        "shown as": "\\x1b \\r \\x9b \\u202e; cut to 500",
        "message length": err.message.length,
      });
    });

    it("provider: the Pulumi error of getBackups' and requireFreshBackup's reads is escaped and cut", async () => {
      for (const [surface, read] of [
        ["getBackups read", () => readBackups(INSTANCE, { dbInstanceId: INSTANCE, endpoint: hostileUrl })],
        [
          "requireFreshBackup read",
          () => readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "24h", endpoint: hostileUrl }),
        ],
      ] as const) {
        const err = await rejection(read());
        expectSafe(err.message, surface);
        expect(err.message).to.contain("InvalidParameter\\x1b[2J").and.to.contain("characters, cut to 500)");
        expect(err.message.length).to.be.below(2_000);
        figures.add({
          surface,
          "hostile text": "the same answer",
          "shown as": "escaped, cut to 500",
          "message length": err.message.length,
        });
      }
    });

    it("CLI: list's error line and check's ERROR line are escaped and cut; check -o json stays JSON", async () => {
      const env = { ALIBABA_CLOUD_RDS_ENDPOINT: hostileUrl };
      const list = await cli(["list", INSTANCE], env);
      expect(list.code).to.equal(2);
      expectSafe(list.stderr, "list stderr");
      expect(list.stderr).to.match(/^error: DescribeBackups rm-evil01: .*InvalidParameter\\x1b\[2J/);
      expect(list.stderr.length).to.be.below(2_000);
      const check = await cli(["check", INSTANCE, "--max-age", "24h"], env);
      expect(check.code).to.equal(2);
      expectSafe(check.stdout, "check stdout");
      expect(check.stdout).to.match(/^ERROR rm-evil01: .*characters, cut to 500\)/);
      const json = await cli(["check", INSTANCE, "--max-age", "24h", "-o", "json"], env);
      const parsed = JSON.parse(json.stdout) as { results: Array<{ status: string; message: string }> };
      expect(parsed.results[0]?.status).to.equal("error");
      expectSafe(json.stdout, "check -o json");
      figures.add({
        surface: "CLI list / check / check -o json",
        "hostile text": "the same answer",
        "shown as": "escaped, cut to 500",
        "message length": list.stderr.length,
      });
    });
  });

  describe("a backup whose BackupId and EngineVersion hold escape sequences (the emulator)", () => {
    const env = () => ({ ALIBABA_CLOUD_RDS_ENDPOINT: emu.url });

    it("CLI table, -q, CSV and check lines show them escaped", async () => {
      const table = await cli(["list", INSTANCE], env());
      expect(table.code, table.stderr).to.equal(0);
      expectSafe(table.stdout, "table");
      expect(table.stdout).to.contain("66\\x1b[2J\\r\\x9b31m\\u202eok");
      const quiet = await cli(["list", INSTANCE, "-q"], env());
      expect(quiet.stdout).to.equal("66\\x1b[2J\\r\\x9b31m\\u202eok\n67\n");
      const csv = await cli(["list", INSTANCE, "-o", "csv"], env());
      expectSafe(csv.stdout, "csv");
      expect(csv.stdout).to.contain("8.0\\x1b]0;pwned\\x07");
      const check = await cli(["check", INSTANCE, "--max-age", "30d"], env());
      expect(check.code, check.stderr).to.equal(0);
      expectSafe(check.stdout, "check");
      expect(check.stdout).to.match(/^ok {4}rm-evil01: newest usable backup 66\\x1b\[2J\\r\\x9b31m\\u202eok ended /);
      figures.add({
        surface: "CLI table / -q / csv / check",
        "hostile text": "BackupId, EngineVersion with ESC, CR, C1, bidi",
        "shown as": "\\x1b \\r \\x9b \\u202e",
        "message length": "-",
      });
    });

    it("CLI JSON and NDJSON stay valid JSON with the exact values, nothing raw a terminal acts on", async () => {
      for (const output of ["json", "ndjson"]) {
        const r = await cli(["list", INSTANCE, "-o", output], env());
        expect(r.code, r.stderr).to.equal(0);
        expectSafe(r.stdout, output);
        const records = (
          output === "json"
            ? JSON.parse(r.stdout)
            : r.stdout
                .trimEnd()
                .split("\n")
                .map((l) => JSON.parse(l))
        ) as Array<Record<string, unknown>>;
        expect(records.map((b) => b.backupId)).to.deep.equal([HOSTILE_ID, "67"]);
        expect(records[0]?.engineVersion).to.equal(HOSTILE_VERSION);
      }
      figures.add({
        surface: "CLI -o json / ndjson",
        "hostile text": "the same backup",
        "shown as": "\\u001b \\u009b \\u202e (valid JSON, exact value)",
        "message length": "-",
      });
    });
  });
});
