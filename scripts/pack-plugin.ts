/**
 * Packs the provider plugin into one tarball that `pulumi plugin install` takes from a local file,
 * with no network at install time:
 *
 *   pulumi plugin install resource alicloud-rds-backups <version> --file dist/pack/pulumi-resource-alicloud-rds-backups-v<version>.tar.gz
 *
 * Layout (the engine runs the executable at the root of the plugin directory): the wrapper script
 * `pulumi-resource-alicloud-rds-backups` and schema.json (both from plugin/ in a checkout, at the
 * root here), package.json, README.md, LICENSE, the compiled sdk/, provider/
 * and plugin/, and node_modules with the runtime dependencies and @pulumi/pulumi (a peer of the
 * library, but the plugin's own host). The dependencies are installed by npm here, when packing
 * (from its cache or registry); the tarball then carries them. Node itself is found on PATH.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/repo-root";

const root = REPO_ROOT;
const PLUGIN = "pulumi-resource-alicloud-rds-backups";

/** The tarball's file name: the engine's own naming of a plugin at `version`. */
export function pluginTarballName(version: string): string {
  return `${PLUGIN}-v${version}.tar.gz`;
}

/** The documented install of that tarball, the CLI's arguments: the engine registers the plugin at `version`. */
export function pluginInstallArgs(version: string, tarball: string): string[] {
  return ["plugin", "install", "resource", "alicloud-rds-backups", version, "--file", tarball];
}

/** The same, as a command line for people. */
export function pluginInstallCommand(version: string, tarball: string): string {
  return ["pulumi", ...pluginInstallArgs(version, tarball)].join(" ");
}
/** npm install and tar are bounded: a stuck registry fails the pack instead of hanging it. */
const STEP_TIMEOUT_MS = 10 * 60 * 1000;

interface Manifest {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

function main(): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  const pulumiVersion = (
    JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as Manifest
  ).version;
  for (const built of ["sdk", "provider", "plugin"]) {
    if (!fs.existsSync(path.join(root, "dist", built)))
      throw new Error(`dist/${built} is missing: run npm run build first`);
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "rds-backups-plugin-"));
  try {
    for (const file of [path.join("plugin", PLUGIN), path.join("plugin", "schema.json"), "README.md", "LICENSE"])
      fs.cpSync(path.join(root, file), path.join(staging, path.basename(file)));
    for (const dir of ["sdk", "provider", "plugin"])
      fs.cpSync(path.join(root, "dist", dir), path.join(staging, "dist", dir), { recursive: true });
    const pluginManifest: Manifest = {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license,
      dependencies: { ...manifest.dependencies, "@pulumi/pulumi": pulumiVersion },
      allowScripts: manifest.allowScripts,
    };
    fs.writeFileSync(
      path.join(staging, "package.json"),
      `${JSON.stringify({ private: true, ...pluginManifest }, null, 2)}\n`,
    );
    execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock", "--prefer-offline"], {
      cwd: staging,
      stdio: ["ignore", "inherit", "inherit"],
      timeout: STEP_TIMEOUT_MS,
    });
    const outDir = path.join(root, "dist", "pack");
    fs.mkdirSync(outDir, { recursive: true });
    const tarball = path.join(outDir, pluginTarballName(manifest.version));
    execFileSync("tar", ["-czf", tarball, "-C", staging, "."], { stdio: "inherit", timeout: STEP_TIMEOUT_MS });
    console.log(tarball);
    console.log(`install: ${pluginInstallCommand(manifest.version, path.relative(process.cwd(), tarball))}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) main();
