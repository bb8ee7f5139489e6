/**
 * What end-to-end tests add to the Pulumi driver (scripts/pulumi-driver.ts, re-exported here:
 * ensurePulumi, newBackend, pulumi, pulumiOk, initStack, configSetAll, stackExport, ...): the
 * test fixtures.
 *
 *   const backend = newBackend();                      // temp state dir + PULUMI_HOME
 *   const cwd = copyFixture("smoke", backend);         // temp copy of tests/e2e/fixtures/smoke
 *   await initStack("dev", { cwd, backend });
 *   await configSet("alicloud:accessKey", "x", { cwd, backend, stack: "dev", secret: true });
 *   const r = await pulumi(["preview"], { cwd, backend, stack: "dev" });
 *   const state = await stackExport({ cwd, backend, stack: "dev" });
 *   backend.cleanup();
 *
 * Call ensurePulumi() in a before() hook with this.timeout(SETUP_TIMEOUT_MS): a cold build of
 * the CLI takes minutes.
 *
 * The provider plugin as a user installs it (docs/languages.md): `npm run pack:plugin`'s tarball,
 * then `pulumi plugin install --file` into the backend's PULUMI_HOME, with PATH leaving out every
 * directory that holds the plugin's launcher, so the CLI runs the installed plugin:
 *
 *   const env = await installPackedPlugin(backend);     // { PATH } for pulumi() and runAutomation()
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { pluginInstallArgs } from "../../scripts/pack-plugin";
import { type Backend, ensurePulumi, pulumiOk } from "../../scripts/pulumi-driver";
import { REPO_ROOT } from "../../scripts/repo-root";

export * from "../../scripts/pulumi-driver";
export { REPO_ROOT };

export const FIXTURES_DIR = path.join(__dirname, "fixtures");

/**
 * Copies tests/e2e/fixtures/<name> into the backend's temp dir and links the repository's
 * node_modules next to it, so the program resolves @pulumi/pulumi (and this package's deps)
 * from the repo without an npm install, and stack files (Pulumi.<stack>.yaml) never land in
 * the source tree. Returns the project directory.
 */
export function copyFixture(name: string, backend: Backend): string {
  const src = path.join(FIXTURES_DIR, name);
  if (!fs.existsSync(path.join(src, "Pulumi.yaml"))) throw new Error(`no fixture at ${src}`);
  const dest = path.join(backend.dir, "projects", name);
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/[/\\](node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(p) });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}

export const PLUGIN = "pulumi-resource-alicloud-rds-backups";
/** package.json's version: the one the plugin is packed, installed and asked for at. */
export const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
/** Packing runs npm install (its cache, else the registry). */
const PACK_TIMEOUT_MS = 10 * 60_000;

/** npm's environment: ours, minus a network guard the test setup may put in NODE_OPTIONS (npm may fetch from the registry). */
function npmEnv(): NodeJS.ProcessEnv {
  const options = (process.env.NODE_OPTIONS ?? "")
    .replace(/--require\s+(?:"[^"]*network-guard\.js"|\S*network-guard\.js)/g, "")
    .trim();
  return { ...process.env, NODE_OPTIONS: options };
}

let packed: Promise<string> | undefined;

/** `npm run pack:plugin` (dist/ built), once per process: the tarball's path. */
export function packPlugin(): Promise<string> {
  if (!packed) {
    packed = promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "pack-plugin.js")], {
      cwd: REPO_ROOT,
      env: npmEnv(),
      timeout: PACK_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }).then(({ stdout }) => {
      const tarball = stdout.split("\n").find((line) => line.endsWith(".tar.gz"));
      if (tarball === undefined) throw new Error(`pack-plugin printed no tarball:\n${stdout}`);
      return tarball.trim();
    });
    packed.catch(() => (packed = undefined));
  }
  return packed;
}

/** PATH without a directory holding the plugin (a checkout's root, a .bin): the CLI must use the installed one. */
export function pathWithoutPlugin(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, PLUGIN)))
    .join(path.delimiter);
}

/**
 * Packs the plugin (once per process) and installs it into the backend's PULUMI_HOME with the
 * documented command. Returns the environment that makes the CLI use it: PATH with the CLI's bin
 * dir and no plugin launcher.
 */
export async function installPackedPlugin(backend: Backend): Promise<{ PATH: string }> {
  const [bin, tarball] = await Promise.all([ensurePulumi(), packPlugin()]);
  const env = { PATH: `${bin}${path.delimiter}${pathWithoutPlugin()}` };
  await pulumiOk(pluginInstallArgs(PACKAGE_VERSION, tarball), {
    cwd: backend.dir,
    backend,
    env,
  });
  return env;
}
