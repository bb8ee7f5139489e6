import { expect } from "chai";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import RdsClient, * as $Rds from "@alicloud/rds20140815";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, validateData } from "../../emulator";
import { REPO_ROOT } from "../../support/repo-root";

const MAIN = ["-r", "ts-node/register/transpile-only", "emulator/main.ts"];

describe("emulator: shell entry (emulator/main.ts)", () => {
  it("prints its URL as the first stdout line, serves signed calls, logs them, and exits cleanly on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        ...MAIN,
        "--port",
        "0",
        "--generate",
        "--backups",
        "40",
        "--backup-duration",
        "0s",
        "--backup-visibility-lag",
        "0ms",
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = once(child, "exit");
    try {
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const [firstLine] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
      expect(firstLine).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      while (!/generated instances: (\S+)/.test(stderr)) await once(child.stderr, "data");
      const instance = /generated instances: (\S+)/.exec(stderr)?.[1] ?? "";
      const client = new RdsClient(
        new $OpenApiUtil.Config({
          accessKeyId: DEFAULT_ACCESS_KEY_ID,
          accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
          endpoint: firstLine.replace("http://", ""),
          protocol: "http",
          connectTimeout: 3000,
          readTimeout: 3000,
        }),
      );
      const res = await client.describeBackups(new $Rds.DescribeBackupsRequest({ DBInstanceId: instance }));
      expect(res.body?.totalRecordCount).to.equal("40");
      // --backup-duration 0s: the task has ended by the first look (the default lasts 5 s).
      const jobId = (await client.createBackup(new $Rds.CreateBackupRequest({ DBInstanceId: instance }))).body
        ?.backupJobId;
      const job = await client.describeBackupTasks(
        new $Rds.DescribeBackupTasksRequest({ DBInstanceId: instance, backupJobId: Number(jobId) }),
      );
      expect(job.body?.items?.backupJob?.[0]?.backupStatus).to.equal("Finished");
      while (!stderr.includes(`DescribeBackups ${instance} 200 OK`)) await once(child.stderr, "data");
      expect(stderr).not.to.contain(DEFAULT_ACCESS_KEY_SECRET);
    } finally {
      child.kill("SIGTERM");
    }
    const [code, signal] = (await exited) as [number | null, string | null];
    expect([code, signal]).to.deep.equal([0, null]);
  });

  it("generate --out writes a valid data file; bad flags exit with status 2", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "emu-gen-")), "data.json");
    const gen = spawn(
      process.execPath,
      [...MAIN, "generate", "--out", out, "--instances", "2", "--backups", "25", "--seed", "3"],
      { cwd: REPO_ROOT, stdio: "ignore" },
    );
    expect((await once(gen, "exit"))[0]).to.equal(0);
    const data = validateData(JSON.parse(readFileSync(out, "utf8")));
    expect(Object.values(data.instances).map((i) => i.backups.length)).to.deep.equal([25, 25]);
    const bad = spawn(process.execPath, [...MAIN, "--port", "0"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    bad.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    expect((await once(bad, "exit"))[0]).to.equal(2);
    expect(err).to.contain("exactly one of --data <file> or --generate");
  });

  it("refuses a --backup-duration that is not a duration with status 2, naming the flag", async () => {
    const badDuration = spawn(process.execPath, [...MAIN, "--port", "0", "--generate", "--backup-duration", "soon"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let durationErr = "";
    badDuration.stderr.on("data", (c: Buffer) => {
      durationErr += c.toString();
    });
    expect((await once(badDuration, "exit"))[0]).to.equal(2);
    expect(durationErr).to.contain(
      '--backup-duration: expected a duration such as 1500ms, 2s, 1m or 1h (at most 7 days), got "soon"',
    );
  });
});
