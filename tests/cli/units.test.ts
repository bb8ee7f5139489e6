import { expect } from "chai";
import { parseCommandArgs } from "../../cli/args";
import { findCommand } from "../../cli/commands";
import { ExitError } from "../../cli/exit-error";
import { painter } from "../../cli/format/color";
import { redact, type Io } from "../../cli/io";
import { mapBounded } from "../../cli/pool";
import { startProgress } from "../../cli/progress";
import { buildQueries } from "../../cli/query";
import { run } from "../../cli/run";

function fakeIo(tty: boolean): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    paint: painter(false),
    paintErr: painter(false),
    env: {},
    now: () => new Date("2026-11-27T12:00:00Z"),
  };
  return io;
}

describe("cli units", () => {
  it("parses a command's flags and refuses what is not declared", () => {
    const list = findCommand("list");
    if (!list) throw new Error("no list command");
    const args = parseCommandArgs(list, ["rm-a", "-o", "json", "--since=7d", "rm-b", "--show-download-urls"]);
    expect(args.positionals).to.deep.equal(["rm-a", "rm-b"]);
    expect(args.values).to.include({ output: "json", since: "7d", "show-download-urls": true });
    const refuse = (argv: string[]) => {
      try {
        parseCommandArgs(list, argv);
      } catch (err) {
        expect(err).to.be.instanceOf(ExitError).and.to.have.property("code", 2);
        return (err as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refuse(["rm-a", "--outptu", "json"])).to.match(/unknown option --outptu .*Did you mean --output\?/);
    expect(refuse(["rm-a", "-o", "yaml"])).to.equal(
      'invalid value for --output: "yaml" (allowed: table, json, ndjson, csv)',
    );
    expect(refuse(["rm-a", "--status", "Success", "--status", "Failed"])).to.match(/--status was given more than once/);
    expect(refuse(["rm-a", "--since"])).to.match(/--since needs a value <duration>/);
  });

  it("buildQueries: each instance's query checked, as the wire parameters the sdk then sends unchecked", () => {
    const now = new Date("2026-11-27T12:00:30Z");
    const queries = buildQueries(["rm-a", "rm-b", "rm-a"], { status: "Success", since: "1h" }, now);
    expect(queries).to.deep.equal(
      ["rm-a", "rm-b"].map((id) => ({
        dbInstanceId: id,
        // --since from the injected clock, rounded down to the API's minute.
        params: {
          DBInstanceId: id,
          BackupStatus: "Success",
          StartTime: "2026-11-27T11:00Z",
          PageSize: 100,
          PageNumber: 1,
        },
      })),
    );
    // Every instance's failures at once, each naming the flag, before any call.
    const refusal = (() => {
      try {
        buildQueries(["rm-a", "RM-B"], { status: "Sucess", start: "2026-11-28T13:00Z" }, now);
      } catch (err) {
        expect(err).to.be.instanceOf(ExitError).and.to.have.property("code", 2);
        return (err as Error).message;
      }
      throw new Error("accepted");
    })();
    expect(refusal).to.match(/^<instance-id>: .*"RM-B"/m);
    expect(refusal).to.match(/^--status: .*did you mean "Success"/m);
    expect(refusal).to.match(/^--start: .*is in the future/m);
  });

  it("run(): help and usage errors in-process, results on stdout and errors on stderr", async () => {
    const io = fakeIo(false);
    expect(await run(["check", "--help"], io)).to.equal(0);
    expect(io.stdout).to.include("Usage: rds-backups check").and.to.include("--max-age <duration>");
    const bad = fakeIo(false);
    expect(await run(["check", "rm-a", "--max-age", "-5m"], bad)).to.equal(2);
    expect(bad.stdout).to.equal("");
    expect(bad.stderr).to.match(/^error: /);
  });

  it("redacts secrets from anything written", () => {
    expect(redact("key s3cr3t and s3cr3t again", ["s3cr3t"])).to.equal("key *** and *** again");
  });

  it("bounds concurrency and keeps input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 3, 2, 4], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).to.deep.equal([50, 10, 30, 20, 40]);
    expect(peak).to.equal(2);
  });

  it("draws progress only on a TTY, after the delay, and erases it", () => {
    const tty = fakeIo(true);
    const p = startProgress(tty, 0);
    p.add(1204);
    for (let i = 0; i < 500; i++) p.add(1); // within the redraw interval: not drawn
    p.done();
    expect(tty.stderr).to.equal("\r\u001b[2Kfetched 1,204 backups...\r\u001b[2K");
    const late = fakeIo(true);
    const q = startProgress(late, 60_000);
    q.add(5);
    q.done();
    expect(late.stderr).to.equal("");
    const pipe = fakeIo(false);
    const r = startProgress(pipe, 0);
    r.add(5);
    r.done();
    expect(pipe.stderr).to.equal("");
  });
});
