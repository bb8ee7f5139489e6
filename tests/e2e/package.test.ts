/**
 * The package as users get it: `npm pack`, installed into a new project, then a Pulumi program
 * and the `rds-backups` binary run from there. This is the path where the serialized provider
 * finds its runtime by package name (under node_modules), not by the checkout's absolute path.
 *
 * The project's @pulumi/pulumi is the oldest release our peer range accepts, an older minor
 * than the one this repository develops with: the package must use the project's copy (one
 * @pulumi/pulumi in node_modules), and the program must run with it in the real engine.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { rawBackup } from "../provider/fixtures";
import {
  type E2eWithEmulator,
  PLUGIN,
  REPO_ROOT,
  SETUP_TIMEOUT_MS,
  ensurePulumi,
  pathWithoutPlugin,
  pulumiOk,
  stackExport,
  startE2e,
} from "./harness";

const run = promisify(execFile);
const KEY_ID = "LTAI5tPackagedKey0001";
const SECRET = "packaged-secret-Hh4t";
const INSTANCE = "rm-packaged01";

const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** The floor of the peer range (`^3.141.0` -> 3.141.0): the oldest @pulumi/pulumi we promise to work with. */
const OLDEST_PULUMI = /^\^(\d+\.\d+\.\d+)$/.exec(PACKAGE.peerDependencies["@pulumi/pulumi"] ?? "")?.[1];

/**
 * npm's environment: ours, minus a network guard the test setup may put in NODE_OPTIONS for the
 * processes we start. npm fetches from the package registry (the older @pulumi/pulumi is not in
 * the cache that `npm ci` filled), the one place a test may go beyond loopback.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const options = (process.env.NODE_OPTIONS ?? "")
    .replace(/--require\s+(?:"[^"]*network-guard\.js"|\S*network-guard\.js)/g, "")
    .trim();
  return { ...process.env, NODE_OPTIONS: options };
}

/** Every installed copy of @pulumi/pulumi below `dir`/node_modules, as `path@version`. */
function pulumiCopies(dir: string): string[] {
  const found: string[] = [];
  const visit = (modules: string, depth: number): void => {
    if (depth > 8 || !fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const names = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const pkgDir = path.join(modules, name);
        if (name === "@pulumi/pulumi") {
          const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as {
            version: string;
          };
          found.push(`${path.relative(dir, pkgDir)}@${version}`);
        }
        visit(path.join(pkgDir, "node_modules"), depth + 1);
      }
    }
  };
  visit(path.join(dir, "node_modules"), 0);
  return found;
}

describe("the packed package installed in a new project", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator;
  let project: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({
      prefix: "rds-package-",
      data: {
        accessKeys: { [KEY_ID]: SECRET },
        instances: {
          [INSTANCE]: {
            regionId: "cn-hangzhou",
            backups: [
              rawBackup("610001", 30, { DBInstanceId: INSTANCE }),
              rawBackup("610002", 3, { DBInstanceId: INSTANCE }),
            ],
          },
        },
      },
    });
    const { backend } = e2e;
    project = path.join(backend.dir, "project");
    fs.mkdirSync(project);
    const { stdout } = await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", backend.dir], {
      cwd: REPO_ROOT,
    });
    const tarball = path.join(backend.dir, stdout.trim().split("\n").pop()!);
    for (const file of ["index.ts", "Pulumi.yaml", "tsconfig.json"]) {
      fs.copyFileSync(path.join(REPO_ROOT, "examples", "read-backups", file), path.join(project, file));
    }
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "user-project", private: true, main: "index.ts" }),
    );
    expect(OLDEST_PULUMI, "peerDependencies['@pulumi/pulumi'] is a caret range").to.be.a("string");
    expect(OLDEST_PULUMI).not.to.equal(
      PACKAGE.devDependencies["@pulumi/pulumi"],
      "the project's Pulumi is another minor than ours",
    );
    const dev = (name: string) => `${name}@${PACKAGE.devDependencies[name]}`;
    // Most dependencies come from the npm cache that `npm ci` of this repository filled.
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        tarball,
        `@pulumi/pulumi@${OLDEST_PULUMI}`,
        dev("typescript"),
        dev("ts-node"),
      ],
      {
        cwd: project,
        env: npmEnv(),
        maxBuffer: 16 << 20,
      },
    );
  });
  after(() => e2e?.close());

  it("uses the project's @pulumi/pulumi, an older minor: one copy in node_modules", () => {
    expect(pulumiCopies(project)).to.deep.equal([`node_modules/@pulumi/pulumi@${OLDEST_PULUMI}`]);
  });

  it("runs the example program with pulumi preview and up, from node_modules", async () => {
    const at = await e2e.stack(
      "dev",
      project,
      { dbInstanceId: INSTANCE, "alicloud:accessKey": KEY_ID },
      { "alicloud:secretKey": SECRET },
    );
    const preview = await pulumiOk(["preview"], at);
    expect(preview.stdout).to.match(/latestId\s*:\s*"610002"/);
    await pulumiOk(["up", "--yes"], at);
    const state = await stackExport(at);
    const read = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/rds:Backups")!;
    expect(read, "the read is in the state").to.not.equal(undefined);
    // The serialized provider names the package, not a path on this machine.
    expect(read.inputs.__provider).to.contain("pulumi-alicloud-rds-backups/provider-runtime");
    expect(read.inputs.__provider).not.to.contain(REPO_ROOT);
    expect(state.text).not.to.contain(SECRET);
  });

  it("compiles an import of the sdk subpath under the tsconfig `pulumi new typescript` writes", async () => {
    // "moduleResolution": "node" reads no `exports`: the package's typesVersions must lead it to dist/sdk.
    fs.writeFileSync(
      path.join(project, "uses-sdk.ts"),
      [
        'import { listBackups } from "pulumi-alicloud-rds-backups/sdk";',
        'import * as rds from "pulumi-alicloud-rds-backups";',
        "export const list: typeof listBackups = listBackups;",
        "export const gate: typeof rds.requireFreshBackup = rds.requireFreshBackup;",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(project, "tsconfig.pulumi-default.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          sourceMap: true,
          experimentalDecorators: true,
          pretty: false,
          noFallthroughCasesInSwitch: true,
          noImplicitReturns: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["uses-sdk.ts"],
      }),
    );
    const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.pulumi-default.json", "--noEmit"], {
      cwd: project,
    }).catch((err: { stdout?: string; code?: number }) => ({ stdout: `exit ${err.code}: ${err.stdout ?? ""}` }));
    expect(result.stdout, "tsc's errors").to.equal("");
  });

  it("installs the rds-backups binary", async () => {
    const env = {
      ...process.env,
      ALIBABA_CLOUD_RDS_ENDPOINT: e2e.emulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
    };
    const { stdout } = await run("npx", ["--no-install", "rds-backups", "check", INSTANCE, "--max-age", "24h"], {
      cwd: project,
      env,
    });
    expect(stdout).to.match(/^ok\s+rm-packaged01: newest usable backup 610002/);
  });

  it("installs the provider plugin's executable, which serves the packaged schema", async () => {
    // npm links node_modules/.bin/<plugin> to plugin/<plugin> of the package; the CLI starts it by that link.
    const bin = path.join(project, "node_modules", ".bin");
    const shipped = path.join(project, "node_modules", "pulumi-alicloud-rds-backups", "plugin", "schema.json");
    expect(fs.realpathSync(path.join(bin, PLUGIN))).to.equal(path.join(fs.realpathSync(path.dirname(shipped)), PLUGIN));
    const { stdout } = await pulumiOk(["package", "get-schema", path.join(bin, PLUGIN)], {
      cwd: project,
      backend: e2e.backend,
      env: { PATH: [await ensurePulumi(), pathWithoutPlugin()].join(path.delimiter) },
    });
    expect(JSON.parse(stdout)).to.deep.equal(JSON.parse(fs.readFileSync(shipped, "utf8")));
  });
});
