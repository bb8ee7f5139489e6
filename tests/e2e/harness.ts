/**
 * Helpers for end-to-end tests that drive the real Pulumi CLI (built offline by
 * scripts/setup-pulumi.sh) against a throw-away local backend.
 *
 *   const bin = await ensurePulumi();                 // once per process (builds/caches the CLI)
 *   const backend = newBackend();                      // temp state dir + PULUMI_HOME
 *   const cwd = copyFixture("smoke", backend);         // temp copy of tests/e2e/fixtures/smoke
 *   await initStack("dev", { cwd, backend });
 *   await configSet("alicloud:accessKey", "x", { cwd, backend, stack: "dev", secret: true });
 *   const r = await pulumi(["preview"], { cwd, backend, stack: "dev" });
 *   const state = await stackExport({ cwd, backend, stack: "dev" });
 *   backend.cleanup();
 *
 * Every CLI run gets an offline, hermetic environment (see offlineEnv): no update check, no
 * plugin downloads, a file:// backend, a passphrase secrets provider, and its own PULUMI_HOME,
 * so nothing touches ~/.pulumi. The CLI runs in its own process group; on time-out the whole
 * group (CLI, language host, program, provider plugins) is killed.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import { copyExample as copyExampleInto, offlinePulumiEnv } from "../../scripts/offline-pulumi";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES_DIR = path.join(__dirname, "fixtures");

/** Passphrase for the passphrase secrets provider of every test stack. */
export const TEST_PASSPHRASE = "e2e-not-a-secret";

/** Time-outs: the first setup may build the CLI (~10 min cold on 2 cores); CLI commands start node + ts-node. */
export const SETUP_TIMEOUT_MS = 20 * 60_000;
export const COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Backend {
  /** Temp root; everything below is deleted by cleanup(). */
  dir: string;
  /** file:// URL of the state directory. */
  url: string;
  /** PULUMI_HOME of this backend (plugins, workspace settings). */
  home: string;
  /** The environment this backend adds to every CLI run. */
  env: Record<string, string>;
  cleanup(): void;
}

export interface PulumiOptions {
  /** Project directory (where Pulumi.yaml is). */
  cwd: string;
  /** Backend to use; without one, pass PULUMI_BACKEND_URL etc. in env yourself. */
  backend?: Backend;
  /** Extra environment, applied last (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Adds `--stack <stack>`. */
  stack?: string;
  timeoutMs?: number;
  /** Written to the CLI's stdin (closed either way). */
  input?: string;
}

let setupPromise: Promise<string> | undefined;

/**
 * Runs scripts/setup-pulumi.sh once per process and returns the bin dir holding `pulumi`,
 * `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. Use a generous mocha timeout
 * (SETUP_TIMEOUT_MS) for the hook that calls it: a cold build takes minutes.
 */
export function ensurePulumi(): Promise<string> {
  if (!setupPromise) {
    // Its progress (stderr) goes straight to ours: a cold build takes many minutes.
    const setup = spawn("bash", [path.join(REPO_ROOT, "scripts", "setup-pulumi.sh")], { cwd: REPO_ROOT, env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    setup.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const timer = setTimeout(() => setup.kill("SIGTERM"), SETUP_TIMEOUT_MS);
    setupPromise = new Promise<number | null>((resolve, reject) => {
      setup.on("error", reject);
      setup.on("close", resolve);
    }).then((code) => {
      clearTimeout(timer);
      const lines = stdout.trim().split("\n");
      const bin = lines[lines.length - 1]?.trim() ?? "";
      if (code !== 0 || !bin || !fs.existsSync(path.join(bin, "pulumi"))) {
        throw new Error(`setup-pulumi.sh failed (exit ${code}; its messages are above):\n${stdout}`);
      }
      return bin;
    });
    // A failed setup may be retried by a later call.
    setupPromise.catch(() => (setupPromise = undefined));
  }
  return setupPromise;
}

/** A fresh local backend in a temp dir: state, PULUMI_HOME, and the env pointing at them. */
export function newBackend(prefix = "rds-e2e-"): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const state = path.join(dir, "state");
  const home = path.join(dir, "home");
  fs.mkdirSync(state);
  fs.mkdirSync(home);
  const url = `file://${state}`;
  return {
    dir,
    url,
    home,
    env: { PULUMI_BACKEND_URL: url, PULUMI_HOME: home },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
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

/** A temp copy of examples/<name> with a user's node_modules (see scripts/offline-pulumi.ts). */
export function copyExample(name: string, backend: Backend): string {
  return copyExampleInto(name, path.join(backend.dir, "examples"));
}

/**
 * The environment every CLI run gets: the inherited one minus PULUMI_* and cloud credentials
 * (so a developer's settings or keys never leak into a test), plus the offline settings.
 */
export function offlineEnv(bin: string, backend?: Backend): Record<string, string> {
  const env = offlinePulumiEnv({ bin, backendUrl: backend?.url ?? "", home: backend?.home ?? "", passphrase: TEST_PASSPHRASE });
  if (!backend) {
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_HOME;
  }
  env.NO_COLOR = "1";
  return env;
}

/** Runs the real `pulumi` CLI. Never throws for a non-zero exit: check `code`. */
export async function pulumi(args: string[], opts: PulumiOptions): Promise<PulumiResult> {
  const bin = await ensurePulumi();
  const env: Record<string, string | undefined> = { ...offlineEnv(bin, opts.backend), ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  // Our flags go before a "--" (after it everything is a positional value).
  const ours = ["--non-interactive", "--color", "never", ...(opts.stack ? ["--stack", opts.stack] : [])];
  const dashdash = args.indexOf("--");
  const full = dashdash < 0 ? [...args, ...ours] : [...args.slice(0, dashdash), ...ours, ...args.slice(dashdash)];
  return run(path.join(bin, "pulumi"), full, {
    cwd: opts.cwd,
    env: env as NodeJS.ProcessEnv,
    timeoutMs: opts.timeoutMs ?? COMMAND_TIMEOUT_MS,
    input: opts.input,
  });
}

/** Like pulumi(), but throws with the full output when the exit code is not 0. */
export async function pulumiOk(args: string[], opts: PulumiOptions): Promise<PulumiResult> {
  const r = await pulumi(args, opts);
  if (r.code !== 0) throw new Error(describeFailure(args, r));
  return r;
}

export function describeFailure(args: string[], r: PulumiResult): string {
  return `pulumi ${args.join(" ")} exited with ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** `pulumi stack init <stack>` with the passphrase secrets provider. */
export function initStack(stack: string, opts: Omit<PulumiOptions, "stack">): Promise<PulumiResult> {
  return pulumiOk(["stack", "init", stack, "--secrets-provider", "passphrase"], opts);
}

/** `pulumi config set [--secret] <key> <value>` (the value may start with "-"). */
export function configSet(
  key: string,
  value: string,
  opts: PulumiOptions & { secret?: boolean },
): Promise<PulumiResult> {
  const args = ["config", "set", ...(opts.secret ? ["--secret"] : []), "--", key, value];
  return pulumiOk(args, opts);
}

/** Sets several keys; `secrets` are set with --secret. */
export async function configSetAll(
  values: Record<string, string>,
  opts: PulumiOptions,
  secrets: Record<string, string> = {},
): Promise<void> {
  for (const [k, v] of Object.entries(values)) await configSet(k, v, opts);
  for (const [k, v] of Object.entries(secrets)) await configSet(k, v, { ...opts, secret: true });
}

export interface StackExport {
  /** The exported JSON text exactly as the CLI printed it (search it for leaked secrets). */
  text: string;
  /** Parsed: { version, deployment: { resources?: [...], secrets_providers, ... } }. */
  json: { deployment: { secrets_providers?: { type: string } } };
  /** deployment.resources, or [] when the stack is empty. */
  resources: Array<{ urn: string; type: string; id?: string; outputs?: CliJson; inputs?: CliJson; external?: boolean }>;
}

/** JSON the CLI printed, read as is: the tests' assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type CliJson = any;

/** `pulumi stack export` (secrets stay encrypted unless showSecrets). */
export async function stackExport(opts: PulumiOptions & { showSecrets?: boolean }): Promise<StackExport> {
  const r = await pulumiOk(["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])], opts);
  const json = JSON.parse(r.stdout);
  return { text: r.stdout, json, resources: json?.deployment?.resources ?? [] };
}

/** `pulumi stack output --json` (add showSecrets to see secret values). */
export async function stackOutputs(opts: PulumiOptions & { showSecrets?: boolean }): Promise<Record<string, CliJson>> {
  const r = await pulumiOk(["stack", "output", "--json", ...(opts.showSecrets ? ["--show-secrets"] : [])], opts);
  return JSON.parse(r.stdout);
}

// --- the emulator ---------------------------------------------------------------------------

/**
 * Starts the RDS API emulator (emulator/index.ts, `startEmulator`; contract in docs/DESIGN.md)
 * with `data` (EmulatorData or the path of a JSON file), runs `fn` with it, and closes it
 * whatever happens. Other emulator options (faults, clockOffsetMs, log...) go in `options`.
 */
export async function withEmulator<T>(
  data: EmulatorOptions["data"],
  fn: (emulator: RunningEmulator) => Promise<T>,
  options: Omit<EmulatorOptions, "data"> = {},
): Promise<T> {
  // Loaded when used, so suites that do not need the emulator do not load it.
  const { startEmulator } = await import("../../emulator");
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0, ...options, data });
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

// --- processes ------------------------------------------------------------------------------

const running = new Set<ChildProcess>();

/**
 * Kills a child's whole process group (it was started detached, so it leads its own group and
 * everything it starts, plugins and programs included, is in it).
 */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

// If the test process exits (mocha finishing, Ctrl-C), leave nothing behind.
process.on("exit", () => {
  for (const child of running) killTree(child, "SIGKILL");
});

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string | undefined },
): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(opts.input ?? "");

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, "SIGTERM");
      setTimeout(() => killTree(child, "SIGKILL"), 5000).unref();
    }, opts.timeoutMs);

    child.on("error", (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`could not run ${cmd}: ${err.message}`));
    });
    // Plugins the CLI started live in its group: none may outlive it (nor hold our pipes open).
    child.on("exit", () => killTree(child, "SIGKILL"));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (timedOut) {
        stderr += `\n[harness] ${path.basename(cmd)} ${args.join(" ")} timed out after ${opts.timeoutMs} ms; process group killed`;
      }
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
