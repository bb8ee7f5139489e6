import { expect } from "chai";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../emulator";
import { ACCESS_KEY_SECRET, cli, ROOT, startTestEmulator, type CliResult, type Emulator } from "./harness";

describe("rds-backups usage, errors and secrets (real binary)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  const seen: CliResult[] = [];
  const run = async (...args: string[]): Promise<CliResult> => {
    const r = await cli(args, env);
    seen.push(r);
    return r;
  };

  before(async () => {
    emu = await startTestEmulator();
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  after(async () => emu.close());

  const refused: [string[], RegExp[]][] = [
    [["list", "rm-fresh", "--status", "Sucess"], [/--status/, /"Sucess"/, /Success, Failed/]],
    [["list", "rm-fresh", "--type", "full"], [/--type/, /"full"/, /FullBackup/]],
    [["list", "rm-fresh", "--output", "xml"], [/--output/, /"xml"/, /table, json, ndjson, csv/]],
    [["list", "rm-fresh", "--sattus", "Failed"], [/unknown option --sattus/, /Did you mean --status\?/]],
    [["list", "rm-fresh", "--since", "3 weeks"], [/--since/, /"3 weeks"/, /24h/]],
    [["list", "rm-fresh", "--since", "7d", "--start", "2026-01-01T00:00Z"], [/--since and --start/]],
    [["list", "rm-fresh", "--start", "2026-01-01"], [/--start/, /"2026-01-01"/, /offset/]],
    [["list", "rm-fresh", "--start", "2026-02-01T00:00Z", "--end", "2026-01-01T00:00Z"], [/--end/, /after startTime/]],
    [["list", "rm-fresh", "--status"], [/--status needs a value/]],
    [["list", "rm-fresh", "--endpoint", "ftp://example.com"], [/--endpoint/, /"ftp:\/\/example.com"/, /http/]],
    [["list", "rm-fresh", "--region", "CN-Hangzhou"], [/--region/, /did you mean "cn-hangzhou"/]],
    [["list", "rm-fresh", "--show-download-urls=yes"], [/--show-download-urls takes no value/]],
    [["list"], [/missing <instance-id>/]],
    [["list", "bad id!"], [/<instance-id>/, /"bad id!"/]],
    [["check", "rm-fresh"], [/--max-age is required/]],
    [["check", "rm-fresh", "--max-age", "soon"], [/--max-age/, /"soon"/, /24h/]],
    [["check", "rm-fresh", "--max-age", "1d", "--concurrency", "0"], [/--concurrency/, /"0"/, /1 to 16/]],
    [["latest", "rm-fresh", "--status", "Success"], [/unknown option --status/]],
    [["lsit", "rm-fresh"], [/unknown command "lsit"/, /list, latest, check, ensure, emulator/]],
  ];
  for (const [args, patterns] of refused) {
    it(`refuses \`${args.join(" ")}\` with exit 2, naming the flag, before any API call`, async () => {
      emu.resetStats();
      const r = await run(...args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/^error: /);
      for (const p of patterns) expect(r.stderr).to.match(p);
      expect(emu.stats.requests).to.equal(0);
    });
  }

  it("--help for every command: usage, options and real examples on stdout, exit 0", async () => {
    const global = await run("--help");
    expect(global.code).to.equal(0);
    for (const c of COMMANDS) expect(global.stdout).to.match(new RegExp(`\\n  ${c.name} +\\S`));
    const results = await Promise.all(COMMANDS.map((c) => run(c.name, "--help")));
    results.forEach((r, i) => {
      const c = COMMANDS[i];
      expect(r.code, c?.name).to.equal(0);
      expect(r.stdout).to.include(`Usage: rds-backups ${c?.name}`).and.to.include("Examples:").and.to.include(`  rds-backups ${c?.name} `);
      for (const o of c?.options ?? []) expect(r.stdout).to.include(`--${o.name}`);
    });
    expect(results[0]?.stdout).to.include("--show-download-urls").and.to.match(/hidden by default/);
    expect((await run("help", "check")).stdout).to.equal(results[2]?.stdout);
    expect((await run("list", "-h")).stdout).to.equal(results[0]?.stdout);
  });

  it("--version prints the package version; no command prints help on stderr with exit 2", async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect((await run("--version")).stdout).to.equal(`${pkg.version}\n`);
    const none = await run();
    expect(none.code).to.equal(2);
    expect(none.stdout).to.equal("");
    expect(none.stderr).to.include("Usage: rds-backups <command>");
  });

  it("a wrong secret: exit 2, a clear error, and no secret anywhere in the output", async () => {
    const wrong = "wrong-SECRET-value-4242";
    const r = await cli(["list", "rm-fresh"], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: wrong });
    const c = await cli(["check", "rm-fresh", "--max-age", "1d"], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: wrong });
    expect(r.code).to.equal(2);
    expect(c.code).to.equal(2);
    expect(r.stderr).to.match(/^error: .*(Signature|secret)/i);
    expect(c.stdout).to.match(/^ERROR rm-fresh: .*Signature/);
    for (const out of [r.stdout, r.stderr, c.stdout, c.stderr]) {
      expect(out).not.to.include(wrong);
      expect(out).not.to.include(ACCESS_KEY_SECRET);
    }
  });

  it("the emulator subcommand serves the emulator with its own flags, until SIGTERM", async () => {
    const bad = await run("emulator", "--data", "/nonexistent/file.json");
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.include("/nonexistent/file.json");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "cli/main.ts", "emulator", "--port", "0", "--generate", "--instances", "1", "--backups", "4"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      while (!/\n/.test(out) || !/generated instances: \S+/.test(err)) {
        if (child.exitCode !== null) throw new Error(`emulator exited: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = out.split("\n")[0] ?? "";
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const instance = /generated instances: (\S+)/.exec(err)?.[1] ?? "";
      const listed = await cli(["list", instance, "--endpoint", url, "-q"], { ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET });
      expect(listed.code, listed.stderr).to.equal(0);
      expect(listed.stdout.trimEnd().split("\n")).to.have.length(4);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    }
    expect(child.exitCode).to.equal(0);
  });

  it("never printed the access key secret in any run above", () => {
    expect(seen.length).to.be.greaterThan(20);
    for (const r of seen) expect(r.stdout + r.stderr).not.to.include(ACCESS_KEY_SECRET);
  });
});
