/**
 * The package as users get it: `npm pack`, installed into a new project, then a Pulumi program
 * and the `rds-backups` binary run from there. This is the path where the serialized provider
 * finds its runtime by package name (under node_modules), not by the checkout's absolute path.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { rawBackup } from "../provider/fixtures";
import { type Backend, REPO_ROOT, SETUP_TIMEOUT_MS, configSetAll, ensurePulumi, initStack, newBackend, pulumiOk, stackExport } from "./harness";

const run = promisify(execFile);
const KEY_ID = "LTAI5tPackagedKey0001";
const SECRET = "packaged-secret-Hh4t";
const INSTANCE = "rm-packaged01";

describe("the packed package installed in a new project", function () {
  this.timeout(10 * 60_000);
  let backend: Backend;
  let project: string;
  let emulator: Awaited<ReturnType<typeof import("../../emulator").startEmulator>>;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    await ensurePulumi();
    const { startEmulator } = await import("../../emulator");
    emulator = await startEmulator({
      port: 0,
      data: {
        accessKeys: { [KEY_ID]: SECRET },
        instances: { [INSTANCE]: { regionId: "cn-hangzhou", backups: [rawBackup("610001", 30, { DBInstanceId: INSTANCE }), rawBackup("610002", 3, { DBInstanceId: INSTANCE })] } },
      },
    });
    backend = newBackend("rds-package-");
    project = path.join(backend.dir, "project");
    fs.mkdirSync(project);
    const { stdout } = await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", backend.dir], { cwd: REPO_ROOT });
    const tarball = path.join(backend.dir, stdout.trim().split("\n").pop()!);
    for (const file of ["index.ts", "Pulumi.yaml", "tsconfig.json"]) {
      fs.copyFileSync(path.join(REPO_ROOT, "examples", "read-backups", file), path.join(project, file));
    }
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, main: "index.ts" }));
    // The dependencies come from the npm cache that `npm ci` of this repository filled.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, "@pulumi/pulumi@3.276.0", "typescript@5.9.3", "ts-node@10.9.2"], {
      cwd: project,
      maxBuffer: 16 << 20,
    });
  });
  after(async () => {
    backend?.cleanup();
    await emulator?.close();
  });

  it("runs the example program with pulumi preview and up, from node_modules", async () => {
    const env = { ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url };
    await initStack("dev", { cwd: project, backend, env });
    await configSetAll({ dbInstanceId: INSTANCE, "alicloud:accessKey": KEY_ID }, { cwd: project, backend, env, stack: "dev" }, { "alicloud:secretKey": SECRET });
    const preview = await pulumiOk(["preview"], { cwd: project, backend, env, stack: "dev" });
    expect(preview.stdout).to.match(/latestId\s*:\s*"610002"/);
    await pulumiOk(["up", "--yes"], { cwd: project, backend, env, stack: "dev" });
    const state = await stackExport({ cwd: project, backend, env, stack: "dev" });
    const read = state.resources.find((r: any) => r.type === "pulumi-nodejs:dynamic/rds:Backups")!;
    expect(read, "the read is in the state").to.exist;
    // The serialized provider names the package, not a path on this machine.
    expect(read.inputs.__provider).to.contain("pulumi-alicloud-rds-backups/provider-runtime");
    expect(read.inputs.__provider).not.to.contain(REPO_ROOT);
    expect(state.text).not.to.contain(SECRET);
  });

  it("installs the rds-backups binary", async () => {
    const env = { ...process.env, ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    const { stdout } = await run("npx", ["--no-install", "rds-backups", "check", INSTANCE, "--max-age", "24h"], { cwd: project, env });
    expect(stdout).to.match(/^ok\s+rm-packaged01: newest usable backup 610002/);
  });
});
