/**
 * The provider plugin as a user without internet installs it: `npm run pack:plugin`'s tarball,
 * `pulumi plugin install resource alicloud-rds-backups <version> --file <tarball>`, then the real
 * CLI starts the installed plugin (not one on PATH) and asks it for its schema. Packing runs npm
 * install (the registry or its cache); installing and running use no network.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { type Backend, type E2e, REPO_ROOT, SETUP_TIMEOUT_MS, ensurePulumi, pulumiOk, startE2e } from "./harness";

const run = promisify(execFile);
const PLUGIN = "pulumi-resource-alicloud-rds-backups";
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
  .version;

/** npm's environment: ours, minus a network guard the test setup may put in NODE_OPTIONS (npm may fetch from the registry). */
function npmEnv(): NodeJS.ProcessEnv {
  const options = (process.env.NODE_OPTIONS ?? "")
    .replace(/--require\s+(?:"[^"]*network-guard\.js"|\S*network-guard\.js)/g, "")
    .trim();
  return { ...process.env, NODE_OPTIONS: options };
}

/** PATH without a directory holding the plugin (a checkout's root, a .bin): the CLI must use the installed one. */
function pathWithoutPlugin(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, PLUGIN)))
    .join(path.delimiter);
}

describe("the provider plugin installed from its tarball", function () {
  this.timeout(SETUP_TIMEOUT_MS);
  let e2e: E2e;
  let backend: Backend;
  let tarball: string;
  let bin: string;

  before(async () => {
    e2e = await startE2e({ prefix: "rds-plugin-pack-" });
    backend = e2e.backend;
    bin = await ensurePulumi();
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "pack-plugin.js")], {
      cwd: REPO_ROOT,
      env: npmEnv(),
      timeout: 10 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    tarball = stdout
      .split("\n")
      .find((line) => line.endsWith(".tar.gz"))!
      .trim();
  });
  after(() => e2e?.close());

  it("installs with pulumi plugin install --file and serves its schema from the plugin directory", async () => {
    expect(path.basename(tarball)).to.equal(`${PLUGIN}-v${VERSION}.tar.gz`);
    const env = { PATH: `${bin}${path.delimiter}${pathWithoutPlugin()}` };
    await pulumiOk(["plugin", "install", "resource", "alicloud-rds-backups", VERSION, "--file", tarball], {
      cwd: backend.dir,
      backend,
      env,
    });
    const installed = path.join(backend.home, "plugins", `resource-alicloud-rds-backups-v${VERSION}`);
    expect(fs.statSync(path.join(installed, PLUGIN)).mode & 0o111, "the wrapper is executable").to.not.equal(0);
    const { stdout } = await pulumiOk(["package", "get-schema", `alicloud-rds-backups@${VERSION}`], {
      cwd: backend.dir,
      backend,
      env,
    });
    expect(JSON.parse(stdout)).to.deep.equal(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")));
  });
});
