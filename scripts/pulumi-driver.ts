/**
 * Running the real Pulumi CLI with no internet access: the environment it needs, and a
 * throw-away project directory for an example. Shared by the demo (scripts/demo.ts) and the
 * end-to-end tests (tests/e2e/harness.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The checkout: the nearest directory above this file holding examples/ (dist/scripts/ when compiled, scripts/ under ts-node). */
export const REPO_ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "examples"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..");
  }
})();

/**
 * Runs scripts/setup-pulumi.sh (instant once built; a cold build takes minutes) and returns the
 * bin dir holding `pulumi` and the two Node.js plugins.
 */
export function setupPulumi(): string {
  const r = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "setup-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const bin = r.stdout.trim().split("\n").pop()?.trim() ?? "";
  if (r.status !== 0 || !fs.existsSync(path.join(bin, "pulumi"))) throw new Error(`setup-pulumi.sh failed (exit ${r.status})`);
  return bin;
}

export interface OfflineSettings {
  /** The bin dir from setupPulumi(). */
  readonly bin: string;
  /** `file://...`: the state backend. */
  readonly backendUrl: string;
  /** PULUMI_HOME, so nothing touches ~/.pulumi. */
  readonly home: string;
  readonly passphrase: string;
}

/**
 * The environment of one CLI run: the inherited one minus PULUMI_* and cloud credentials (so a
 * developer's settings or keys never leak in), plus the offline settings.
 */
export function offlinePulumiEnv(settings: OfflineSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(PULUMI_|ALIBABA_CLOUD_|ALICLOUD_)/.test(k)) continue;
    env[k] = v;
  }
  return Object.assign(env, {
    // Our bin dir first: the CLI prefers plugins found on PATH, so it uses our language host and
    // dynamic-provider wrapper instead of trying to download them.
    PATH: `${settings.bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: settings.passphrase,
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_BACKEND_URL: settings.backendUrl,
    PULUMI_HOME: settings.home,
  });
}

/**
 * Copies examples/<name> into `parentDir` and gives it the node_modules a user's project has
 * after `npm install pulumi-alicloud-rds-backups`: this package (linked to the checkout, so
 * dist/ must be built) and links to the repository's dependencies. Stack files
 * (Pulumi.<stack>.yaml) then never land in the source tree. Returns the project directory.
 */
export function copyExample(name: string, parentDir: string): string {
  return copyProject(path.join(REPO_ROOT, "examples", name), parentDir);
}

/** The same for any Pulumi project directory (the benchmarks' fixtures). */
export function copyProject(src: string, parentDir: string): string {
  if (!fs.existsSync(path.join(src, "Pulumi.yaml"))) throw new Error(`no Pulumi project at ${src}`);
  const dest = path.join(parentDir, path.basename(src));
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/[/\\](node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(p) });
  const modules = path.join(dest, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (!entry.startsWith(".")) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  const { name: packageName } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string };
  fs.symlinkSync(REPO_ROOT, path.join(modules, packageName), "dir");
  return dest;
}
