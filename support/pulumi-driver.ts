/**
 * The one driver of the real Pulumi CLI with no internet access, used by the demo
 * (scripts/demo.ts), the end-to-end tests (tests/e2e/harness.ts adds fixtures and the
 * emulator) and the benchmarks (bench/engine.ts). It runs scripts/setup-pulumi.sh, which
 * finds or builds the CLI from the Go pin in tools/pulumi and writes the plugins next to it.
 *
 *   const bin = await ensurePulumi();                        // once per process; cached build
 *   const backend = newBackend();                           // temp state dir, PULUMI_HOME, passphrase
 *   const cwd = copyExample("read-backups", backend.dir);   // or copyProject(dir, backend.dir)
 *   await initStack("dev", { cwd, backend });
 *   await configSetAll({ "alicloud:region": "cn-hangzhou" }, { cwd, backend, stack: "dev" }, { "alicloud:secretKey": "..." });
 *   const r = await pulumi(["preview"], { cwd, backend, stack: "dev", env: { ALIBABA_CLOUD_RDS_ENDPOINT: url } });
 *   const a = await runAutomation(python, ["inline.py", "dev", "up"], { cwd, backend }); // an Automation API program
 *   backend.cleanup();
 *
 * Every run is hermetic and bounded:
 * - the environment is the inherited one minus PULUMI_* and cloud credentials (a developer's
 *   settings or keys never leak in), with the bin dir first on PATH (the CLI prefers plugins on
 *   PATH, so it uses ours instead of downloading any), no update check, no plugin download, a
 *   file:// backend, a passphrase and its own PULUMI_HOME (nothing touches ~/.pulumi), no colour;
 * - every Node.js process the CLI starts (language host, program, dynamic provider) loads the
 *   network guard (dist/support/network-guard.js, once built): loopback only;
 * - the CLI runs in its own process group, killed whole (plugins and programs included) when it
 *   exits, on time-out (COMMAND_TIMEOUT_MS unless given) and when this process exits;
 * - its output is captured (stdout and stderr apart, each cut at MAX_OUTPUT_CHARS) and returned;
 *   `pulumi()` never throws for a non-zero exit, `pulumiOk()` does, with the output.
 *
 * The bin dir is whatever setup-pulumi.sh prints last: every binary and plugin it provides lives
 * there, so a new plugin needs no change here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./repo-root";

/** The first setup may build the CLI from source (about 10 minutes cold on 2 cores); after that, instant. */
export const SETUP_TIMEOUT_MS = 20 * 60_000;
/** One CLI command: it starts the language host, the program and the providers, each a Node.js process. */
export const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** Output kept per stream of one command; the rest is dropped and the cut said. */
const MAX_OUTPUT_CHARS = 32 * 1024 * 1024;
/** The passphrase of the passphrase secrets provider, unless newBackend is given one. Not a secret: local throw-away state only. */
const DEFAULT_PASSPHRASE = "offline-pulumi-not-a-secret";

let setupPromise: Promise<string> | undefined;

/**
 * Runs scripts/setup-pulumi.sh once per process (its progress goes to our stderr) and returns
 * the bin dir holding `pulumi` and its plugins. A failed setup may be retried by a later call.
 */
export function ensurePulumi(): Promise<string> {
  if (!setupPromise) {
    setupPromise = runSetup();
    setupPromise.catch(() => (setupPromise = undefined));
  }
  return setupPromise;
}

async function runSetup(): Promise<string> {
  const setup = spawn("bash", [path.join(REPO_ROOT, "scripts", "setup-pulumi.sh")], {
    cwd: REPO_ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  setup.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout = (stdout + d).slice(-64 * 1024)));
  const timer = setTimeout(() => setup.kill("SIGTERM"), SETUP_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    setup.on("error", reject);
    setup.on("close", resolve);
  }).finally(() => clearTimeout(timer));
  const bin = stdout.trim().split("\n").pop()?.trim() ?? "";
  if (code !== 0 || !bin || !fs.existsSync(path.join(bin, "pulumi"))) {
    throw new Error(`scripts/setup-pulumi.sh failed (exit ${code}; its messages are above):\n${stdout}`);
  }
  return bin;
}

/** A throw-away local backend: a state directory, a PULUMI_HOME and the passphrase of its secrets. */
export interface Backend {
  /** The temp root; everything below it is deleted by cleanup(). Copy projects here. */
  readonly dir: string;
  /** `file://` URL of the state directory. */
  readonly url: string;
  /** PULUMI_HOME of this backend (plugins, workspace settings). */
  readonly home: string;
  readonly passphrase: string;
  cleanup(): void;
}

/** A fresh backend in a new temp dir. */
export function newBackend(prefix = "rds-pulumi-", passphrase = DEFAULT_PASSPHRASE): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const state = path.join(dir, "state");
  const home = path.join(dir, "home");
  fs.mkdirSync(state);
  fs.mkdirSync(home);
  return {
    dir,
    url: `file://${state}`,
    home,
    passphrase,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The compiled network guard (support/network-guard.ts), once `npm run build` has run: what a
 * child process loads with `NODE_OPTIONS=--require` (ts-node has nothing to give a child).
 */
export const COMPILED_NETWORK_GUARD = path.join(REPO_ROOT, "dist", "support", "network-guard.js");

/**
 * The environment of one CLI run (see the header). Without a backend, PULUMI_BACKEND_URL,
 * PULUMI_HOME and the passphrase are the caller's to give in `extra`. `extra` is applied last;
 * an undefined value removes a variable.
 */
function pulumiEnv(
  bin: string,
  backend?: Backend,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PULUMI_|ALIBABA_CLOUD_|ALICLOUD_)/.test(k)) env[k] = v;
  }
  const nodeOptions = process.env["NODE_OPTIONS"] ?? "";
  Object.assign(env, {
    PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    NODE_OPTIONS:
      fs.existsSync(COMPILED_NETWORK_GUARD) && !nodeOptions.includes(COMPILED_NETWORK_GUARD)
        ? `${nodeOptions} --require ${JSON.stringify(COMPILED_NETWORK_GUARD)}`.trim()
        : nodeOptions || undefined,
    ...(backend && {
      PULUMI_BACKEND_URL: backend.url,
      PULUMI_HOME: backend.home,
      PULUMI_CONFIG_PASSPHRASE: backend.passphrase,
    }),
    ...extra,
  });
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) result[k] = v;
  return result;
}

interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PulumiOptions {
  /** The project directory (where Pulumi.yaml is). */
  readonly cwd: string;
  /** The backend; without one, give PULUMI_BACKEND_URL, PULUMI_HOME and the passphrase in env. */
  readonly backend?: Backend;
  /** Extra environment, applied last (undefined removes a variable). */
  readonly env?: Record<string, string | undefined>;
  /** Adds `--stack <stack>`. */
  readonly stack?: string;
  /** Default COMMAND_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Written to the CLI's stdin (closed either way). */
  readonly input?: string;
}

/**
 * Runs `pulumi <args>` with `--non-interactive --color never` (and `--stack`), placed before a
 * `--` if there is one. Never throws for a non-zero exit: check `code`.
 */
export async function pulumi(args: readonly string[], opts: PulumiOptions): Promise<PulumiResult> {
  const bin = await ensurePulumi();
  const ours = ["--non-interactive", "--color", "never", ...(opts.stack ? ["--stack", opts.stack] : [])];
  const dashdash = args.indexOf("--");
  const full = dashdash < 0 ? [...args, ...ours] : [...args.slice(0, dashdash), ...ours, ...args.slice(dashdash)];
  return runBounded(path.join(bin, "pulumi"), full, {
    cwd: opts.cwd,
    env: pulumiEnv(bin, opts.backend, opts.env),
    timeoutMs: opts.timeoutMs ?? COMMAND_TIMEOUT_MS,
    input: opts.input,
  });
}

/** Like pulumi(), but throws with the whole output when the exit code is not 0. */
export async function pulumiOk(args: readonly string[], opts: PulumiOptions): Promise<PulumiResult> {
  const r = await pulumi(args, opts);
  if (r.code !== 0) throw new Error(describeFailure(args, r));
  return r;
}

export function describeFailure(args: readonly string[], r: PulumiResult): string {
  return `pulumi ${args.join(" ")} exited with ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/**
 * Runs a program that drives the CLI itself (an Automation API program: a Python or Go inline
 * program starts `pulumi` from PATH) with the environment and bounds of pulumi(): the bin dir
 * first on PATH, the backend, the time-out, its process group killed when it exits. Never throws
 * for a non-zero exit: check `code`.
 */
export async function runAutomation(
  command: string,
  args: readonly string[],
  opts: Omit<PulumiOptions, "stack">,
): Promise<PulumiResult> {
  const bin = await ensurePulumi();
  return runBounded(command, [...args], {
    cwd: opts.cwd,
    env: pulumiEnv(bin, opts.backend, opts.env),
    timeoutMs: opts.timeoutMs ?? COMMAND_TIMEOUT_MS,
    input: opts.input,
  });
}

/** `pulumi stack init <stack>` with the passphrase secrets provider. */
export function initStack(stack: string, opts: Omit<PulumiOptions, "stack">): Promise<PulumiResult> {
  return pulumiOk(["stack", "init", stack, "--secrets-provider", "passphrase"], opts);
}

/** `pulumi config set [--secret] <key> <value>` (the value may start with "-"). */
export function configSet(
  key: string,
  value: string,
  opts: PulumiOptions & { readonly secret?: boolean },
): Promise<PulumiResult> {
  return pulumiOk(["config", "set", ...(opts.secret ? ["--secret"] : []), "--", key, value], opts);
}

/**
 * Sets several keys in one CLI call (`pulumi config set-all`), which stores each exactly as
 * `config set` would: `secrets` with --secret, every key read as a path with `path`. Nothing
 * to set, no call.
 */
export async function configSetAll(
  values: Record<string, string>,
  opts: PulumiOptions & { readonly path?: boolean },
  secrets: Record<string, string> = {},
): Promise<void> {
  const pairs = [
    ...Object.entries(values).map(([k, v]) => ["--plaintext", `${k}=${v}`]),
    ...Object.entries(secrets).map(([k, v]) => ["--secret", `${k}=${v}`]),
  ].flat();
  if (pairs.length === 0) return;
  await pulumiOk(["config", "set-all", ...(opts.path ? ["--path"] : []), ...pairs], opts);
}

/** JSON the CLI printed, read as is: callers' assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON has no type of ours to check against
type CliJson = any;

/** `pulumi stack output --json` (add showSecrets to see secret values). */
export async function stackOutputs(
  opts: PulumiOptions & { readonly showSecrets?: boolean },
): Promise<Record<string, CliJson>> {
  const r = await pulumiOk(["stack", "output", "--json", ...(opts.showSecrets ? ["--show-secrets"] : [])], opts);
  return JSON.parse(r.stdout) as Record<string, CliJson>;
}

interface StackExport {
  /** The exported JSON text exactly as the CLI printed it (search it for leaked secrets). */
  readonly text: string;
  /** Parsed: { version, deployment: { resources?: [...], secrets_providers, ... } }. */
  readonly json: CliJson;
  /** deployment.resources, or [] when the stack is empty. */
  readonly resources: Array<{
    urn: string;
    type: string;
    id?: string;
    outputs?: CliJson;
    inputs?: CliJson;
    external?: boolean;
  }>;
}

/** `pulumi stack export` (secrets stay encrypted unless showSecrets). */
export async function stackExport(opts: PulumiOptions & { readonly showSecrets?: boolean }): Promise<StackExport> {
  const r = await pulumiOk(["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])], opts);
  const json = JSON.parse(r.stdout);
  return { text: r.stdout, json, resources: json?.deployment?.resources ?? [] };
}

// --- projects -------------------------------------------------------------------------------

/**
 * Copies examples/<name> into `parentDir` with the node_modules a user's project has after
 * `npm install pulumi-alicloud-rds-backups` (see copyProject). Returns the project directory.
 */
export function copyExample(name: string, parentDir: string): string {
  return copyProject(path.join(REPO_ROOT, "examples", name), parentDir);
}

/**
 * Copies the Pulumi project `src` into `parentDir` and gives it this package (linked to the
 * checkout, so dist/ must be built) and links to the repository's dependencies. Stack files
 * (Pulumi.<stack>.yaml) then never land in the source tree. Returns the project directory.
 */
export function copyProject(src: string, parentDir: string): string {
  if (!fs.existsSync(path.join(src, "Pulumi.yaml"))) throw new Error(`no Pulumi project at ${src}`);
  const dest = path.join(parentDir, path.basename(src));
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/[/\\](node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(p) });
  const modules = path.join(dest, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (!entry.startsWith("."))
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  const { name: packageName } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    name: string;
  };
  fs.symlinkSync(REPO_ROOT, path.join(modules, packageName), "dir");
  return dest;
}

// --- processes ------------------------------------------------------------------------------

const running = new Set<ChildProcess>();

/** Kills a child's whole process group: it was started detached, so it leads its own group. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

// If this process exits (mocha finishing, Ctrl-C, the demo's exit), leave nothing behind.
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** Appends to a captured stream, up to MAX_OUTPUT_CHARS, then says once that the rest was dropped. */
function capped(current: string, more: string): string {
  if (current.length >= MAX_OUTPUT_CHARS) return current;
  const room = MAX_OUTPUT_CHARS - current.length;
  return more.length <= room
    ? current + more
    : `${current}${more.slice(0, room)}\n[pulumi-driver] output cut at ${MAX_OUTPUT_CHARS} characters`;
}

function runBounded(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string | undefined },
): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout = capped(stdout, d)));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = capped(stderr, d)));
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(opts.input ?? "");

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGTERM");
      setTimeout(() => killGroup(child, "SIGKILL"), 5000).unref();
    }, opts.timeoutMs);

    child.on("error", (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`could not run ${cmd}: ${err.message}`));
    });
    // Plugins the CLI started live in its group: none may outlive it (nor hold our pipes open).
    child.on("exit", () => killGroup(child, "SIGKILL"));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (timedOut) {
        stderr += `\n[pulumi-driver] ${path.basename(cmd)} ${args.join(" ")} timed out after ${opts.timeoutMs} ms; process group killed`;
      }
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
