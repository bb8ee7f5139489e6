import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../emulator";
import { REPO_ROOT } from "../../support/repo-root";
import { ACCESS_KEY_SECRET, cli, startTestEmulator, type CliResult, type Emulator } from "./harness";

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
    [
      ["list", "rm-fresh", "--status", "Sucess"],
      [/--status/, /"Sucess"/, /Success, Failed/],
    ],
    [
      ["list", "rm-fresh", "--type", "full"],
      [/--type/, /"full"/, /FullBackup/],
    ],
    [
      ["list", "rm-fresh", "--output", "xml"],
      [/--output/, /"xml"/, /table, json, ndjson, csv/],
    ],
    [
      ["list", "rm-fresh", "--sattus", "Failed"],
      [/unknown option --sattus/, /Did you mean --status\?/],
    ],
    [
      ["list", "rm-fresh", "--since", "3 weeks"],
      [/--since/, /"3 weeks"/, /24h/],
    ],
    [["list", "rm-fresh", "--since", "7d", "--start", "2026-01-01T00:00Z"], [/--since and --start/]],
    [
      ["list", "rm-fresh", "--start", "2026-01-01"],
      [/--start/, /"2026-01-01"/, /offset/],
    ],
    [
      ["list", "rm-fresh", "--start", "2026-02-01T00:00Z", "--end", "2026-01-01T00:00Z"],
      [/--end/, /after startTime/],
    ],
    [["list", "rm-fresh", "--status"], [/--status needs a value/]],
    [
      ["list", "rm-fresh", "--endpoint", "ftp://example.com"],
      [/--endpoint/, /"ftp:\/\/example.com"/, /http/],
    ],
    [
      ["list", "rm-fresh", "--region", "CN-Hangzhou"],
      [/--region/, /did you mean "cn-hangzhou"/],
    ],
    [["list", "rm-fresh", "--show-download-urls=yes"], [/--show-download-urls takes no value/]],
    [["list"], [/missing <instance-id>/]],
    [
      ["list", "bad id!"],
      [/<instance-id>/, /"bad id!"/],
    ],
    [["check", "rm-fresh"], [/--max-age is required/]],
    [
      ["check", "rm-fresh", "--max-age", "soon"],
      [/--max-age/, /"soon"/, /24h/],
    ],
    // A bare number would silently be seconds: the CLI asks for the unit instead.
    [
      ["check", "rm-fresh", "--max-age", "24"],
      [/--max-age "24" has no unit/, /24h for hours/, /24d for days/],
    ],
    [
      ["list", "rm-fresh", "--since", "7"],
      [/--since "7" has no unit/, /7d for days/],
    ],
    [
      ["check", "rm-fresh", "--max-age", "1d", "--concurrency", "0"],
      [/--concurrency/, /"0"/, /1 to 16/],
    ],
    [["latest", "rm-fresh", "--status", "Success"], [/unknown option --status/]],
    [
      ["lsit", "rm-fresh"],
      [/unknown command "lsit"/, /list, latest, check, ensure, ensure-plan, emulator/],
    ],
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
      expect(r.stdout)
        .to.include(`Usage: rds-backups ${c?.name}`)
        .and.to.include("Examples:")
        .and.to.include(`  rds-backups ${c?.name} `);
      for (const o of c?.options ?? []) expect(r.stdout).to.include(`--${o.name}`);
    });
    expect(results[0]?.stdout)
      .to.include("--show-download-urls")
      .and.to.match(/hidden by default/);
    // The emulator's flags are its own: its help comes from the emulator, after ours.
    const emulatorHelp = results[COMMANDS.findIndex((c) => c.name === "emulator")]?.stdout ?? "";
    expect(emulatorHelp).to.match(/Emulator flags:\n(.*\n)*\s+--backup-visibility-lag <d>/);
    expect((await run("help", "check")).stdout).to.equal(results[2]?.stdout);
    expect((await run("list", "-h")).stdout).to.equal(results[0]?.stdout);
  });

  it("--version prints the package version; no command prints help on stderr with exit 2", async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect((await run("--version")).stdout).to.equal(`${pkg.version}\n`);
    const none = await run();
    expect(none.code).to.equal(2);
    expect(none.stdout).to.equal("");
    expect(none.stderr).to.include("Usage: rds-backups <command>");
  });

  it("durations take weeks: --max-age 1w, --since 1w", async () => {
    const fresh = await run("check", "rm-fresh", "--max-age", "1w");
    expect(fresh.code, fresh.stderr).to.equal(0);
    expect(fresh.stdout).to.match(/^ok +rm-fresh: .*within the limit 7d/);
    // rm-fresh's sets ended 1.5 h, 25.8 h, 49 h and 8 days ago: the week holds the first three.
    const listed = await run("list", "rm-fresh", "--since", "1w", "-q");
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout.trim().split("\n").sort()).to.deep.equal(["1001", "1002", "1003"]);
  });

  it("--version and --help anywhere on the line, before any API call", async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    emu.resetStats();
    for (const args of [
      ["list", "rm-fresh", "--version"],
      ["check", "rm-fresh", "--max-age", "24h", "-V"],
      ["--region", "cn-hangzhou", "latest", "--version"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).to.equal(0);
      expect(r.stdout, args.join(" ")).to.equal(`${pkg.version}\n`);
    }
    const help = (await run("list", "--help")).stdout;
    for (const args of [
      ["list", "rm-fresh", "--since", "7d", "--help"],
      ["--region", "cn-hangzhou", "list", "-h"],
      ["list", "--sattus", "x", "--help"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).to.equal(0);
      expect(r.stdout, args.join(" ")).to.equal(help);
    }
    expect((await run("--endpoint", "http://127.0.0.1:1", "--help")).stdout).to.include("Usage: rds-backups <command>");
    expect(emu.stats.requests).to.equal(0);
  });

  it("no credentials anywhere: exit 2 and one line saying where credentials are looked for", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "rds-backups-nocred-"));
    // Every link of the chain stays on this machine: no instance metadata, a refused credentials URI.
    const r = await cli(["list", "rm-fresh"], {
      ...env,
      HOME: home,
      ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CREDENTIALS_URI: "http://127.0.0.1:1/credentials",
    });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(
      /^error: no Alibaba Cloud credentials found\. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
    );
    expect(r.stderr).to.include("--profile").and.to.include("~/.alibabacloud/credentials");
    expect(r.stderr).not.to.match(/undefined|https?:\/\//);
    // The configured source that failed is named, without its URL.
    expect(r.stderr).to.include("Configured but gave none: the credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI).");
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
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "cli/main.ts",
        "emulator",
        "--port",
        "0",
        "--generate",
        "--instances",
        "1",
        "--backups",
        "4",
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
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
      const listed = await cli(["list", instance, "--endpoint", url, "-q"], {
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET,
      });
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
