/**
 * What end-to-end tests add to the Pulumi driver (support/pulumi-driver.ts, re-exported here:
 * ensurePulumi, newBackend, pulumi, pulumiOk, initStack, configSetAll, stackExport, ...): the one
 * set-up every file shares, and the test fixtures.
 *
 *   const e2e = await startE2e({ prefix: "rds-e2e-x-", data });   // the CLI, a backend, the emulator
 *   const cwd = copyExample("fresh-backup-gate", e2e.backend.dir);  // or copyFixture("smoke", e2e.backend)
 *   const at = await e2e.stack("dev", cwd, { dbInstanceId: "rm-x" }, { "alicloud:secretKey": "..." });
 *   const r = await pulumi(["preview"], at);                    // `at` carries cwd, backend, env, stack
 *   const state = await stackExport(at);
 *   await e2e.close();                                          // emulator closed, temp dirs removed
 *
 * Call startE2e() in a before() hook with this.timeout(SETUP_TIMEOUT_MS): a cold build of the
 * CLI takes minutes. A stack that needs more environment than the others (a PATH with a plugin)
 * gets it from e2e.stack(..., { env }).
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
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import type { EmulatorData } from "../../emulator/types";
import {
  type Backend,
  type PulumiOptions,
  configSetAll,
  ensurePulumi,
  initStack,
  newBackend,
  pulumiOk,
} from "../../support/pulumi-driver";
import { REPO_ROOT } from "../../support/repo-root";

export * from "../../support/pulumi-driver";
export { REPO_ROOT };

export const FIXTURES_DIR = path.join(__dirname, "fixtures");

/** What an end-to-end test runs against: a throw-away backend and, when given data, the emulator. */
export interface E2e {
  readonly backend: Backend;
  /** The environment of every CLI run: the emulator's endpoint (when there is one) plus what startE2e was given. */
  readonly env: Record<string, string>;
  /**
   * A stack of the project at `cwd`: `stack init`, then its config in one CLI call (`secrets` set
   * with --secret; `path` reads every key as a path; `env` adds to `E2e.env` for every run on this
   * stack, an undefined value removing a variable). Returns the options of every later run on it.
   */
  stack(
    name: string,
    cwd: string,
    config?: Record<string, string>,
    secrets?: Record<string, string>,
    options?: { readonly path?: boolean; readonly env?: Record<string, string | undefined> },
  ): Promise<PulumiOptions & { readonly stack: string }>;
  /** Closes the emulator and removes the backend's temp dir (projects copied there too). */
  close(): Promise<void>;
}

/** An E2e started with data: the emulator serves it. */
export type E2eWithEmulator = E2e & { readonly emulator: RunningEmulator };

export interface StartE2eOptions {
  /** The temp dir's prefix, naming the test file in /tmp. */
  readonly prefix?: string;
  /** More environment for every run (an undefined value removes a variable). */
  readonly env?: Record<string, string>;
  /**
   * With data: whether ALIBABA_CLOUD_RDS_ENDPOINT names the emulator (default true). false for a
   * program that names the endpoint in its own configuration, so no variable can stand in for it.
   */
  readonly endpointInEnv?: boolean;
}

/**
 * Builds or finds the Pulumi CLI, makes a backend and, given `data`, starts the emulator on a free
 * port and points ALIBABA_CLOUD_RDS_ENDPOINT at it.
 */
export async function startE2e(
  options: StartE2eOptions & { readonly data: EmulatorData; readonly emulator?: Omit<EmulatorOptions, "data"> },
): Promise<E2eWithEmulator>;
export async function startE2e(options?: StartE2eOptions): Promise<E2e>;
export async function startE2e(
  options: StartE2eOptions & { readonly data?: EmulatorData; readonly emulator?: Omit<EmulatorOptions, "data"> } = {},
): Promise<E2e & { readonly emulator?: RunningEmulator }> {
  await ensurePulumi();
  // Loaded here, not when mocha loads the file: a suite that never starts one pays nothing.
  const emulator =
    options.data === undefined
      ? undefined
      : await (await import("../../emulator")).startEmulator({ port: 0, ...options.emulator, data: options.data });
  const backend = newBackend(options.prefix);
  const env = {
    ...(emulator && options.endpointInEnv !== false && { ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url }),
    ...options.env,
  };
  return {
    backend,
    env,
    emulator,
    async stack(name, cwd, config = {}, secrets = {}, { path: asPath = false, env: stackEnv = {} } = {}) {
      const at = { cwd, backend, env: { ...env, ...stackEnv }, stack: name };
      await initStack(name, { cwd, backend, env: at.env });
      await configSetAll(config, { ...at, path: asPath }, secrets);
      return at;
    },
    async close() {
      backend.cleanup();
      await emulator?.close();
    },
  };
}

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

/** PATH without a directory holding the plugin (a checkout's plugin/, a .bin): the CLI must use the installed one. */
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
