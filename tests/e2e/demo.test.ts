/**
 * `npm run demo` (dist/scripts/demo.js) as the README's first command runs it: exit 0, and the
 * gate's verdict on the stale instance said once, as the engine's own diagnostic line.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as path from "path";
import { REPO_ROOT, SETUP_TIMEOUT_MS, ensurePulumi } from "./harness";

describe("npm run demo", function () {
  this.timeout(15 * 60_000);
  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    await ensurePulumi();
  });

  it("finishes with exit 0 and prints the stale verdict once per program (TypeScript, YAML), with nothing dangling", async () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(PULUMI_|ALIBABA_CLOUD_|ALICLOUD_)/.test(k)),
    );
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "demo.js")], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).to.equal(0);
    // The gate's verdict, once per program: the TypeScript example's (the engine's "Preview
    // failed" line, naming requireFreshBackup), then the YAML example's (naming the resource the
    // YAML program declares, FreshBackupGate; ensureFreshBackup's own lines come later).
    const verdicts = out
      .split("\n")
      .filter((line) =>
        /(requireFreshBackup|FreshBackupGate): pgm-2zedemopg01: newest usable backup \d+ ended .* older than the limit 24h/.test(
          line,
        ),
      );
    expect(verdicts, out).to.have.length(2);
    expect(verdicts[0]).to.match(
      /^\s*error: \w+ failed: requireFreshBackup: .*\(backupType FullBackup\); to deploy anyway, record why: pulumi config set --path 'rds-backups:gateOverrides\["pgm-2zedemopg01"\]\.reason' "<why>"$/,
    );
    expect(out).to.include("ensureFreshBackup took one backup");
    expect(out).to.include("gate stopped the deployment");
    expect(verdicts[1]).to.match(/^\s*error: FreshBackupGate: pgm-2zedemopg01: .*\(backupType FullBackup\)/);
    expect(out).to.include(
      "examples/yaml-gate (Pulumi YAML): rm-2zedemomysql01 read and gated (migration applied), pgm-2zedemopg01 stopped by the gate",
    );
    // The Python and Go examples, as Automation API inline programs with the generated SDKs.
    for (const language of ["python-gate (Python)", "go-gate (Go)"])
      expect(out).to.include(
        `examples/${language}: gate passed on rm-2zedemomysql01, pgm-2zedemopg01 protected by backup`,
      );
    expect(out).to.include(
      "examples/backup-on-change: the unrelated change: 0 RDS API calls, no backup; the change to orders: exactly one backup of rm-2zedemoorders01, taken first; rm-2zedemousers01 untouched",
    );
    expect(out).to.match(/recorded: orders \(update\) on rm-2zedemoorders01: created, job \d+, backup \d+ ended \S+Z/);
    expect(out).to.include("Demo finished: everything behaved as expected.");
  });
});
