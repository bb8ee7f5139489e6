/**
 * The SDKs generated from schema.json (lang/, `npm run gen-sdks`): they are exactly what the
 * schema generates today, the Go SDK builds against its pinned Pulumi Go SDK, and the Python SDK
 * installs and imports with the pinned Pulumi Python SDK (from the Go module proxy and PyPI; the
 * first run downloads and compiles, later runs use the Go and pip caches). The .NET SDK is
 * generated and drift-checked only: there is no dotnet here.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  HAND_WRITTEN,
  LANGUAGES,
  LANG_DIR,
  REPO_ROOT,
  SCHEMA,
  buildCodegen,
  generateSdks,
  goEnv,
  listFiles,
} from "../../scripts/gen-sdks";
import { run, STEP_TIMEOUT_MS } from "../../support/inline-programs";

describe("e2e: the generated SDKs (lang/)", function () {
  this.timeout(2 * STEP_TIMEOUT_MS);
  let work: string;
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "rds-sdks-"));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("lang/ holds exactly what schema.json generates (else: npm run gen-sdks)", () => {
    const generated = path.join(work, "generated");
    generateSdks(generated, buildCodegen());
    for (const language of LANGUAGES) {
      const expected = listFiles(path.join(generated, language));
      const committed = listFiles(path.join(LANG_DIR, language)).filter((f) => !HAND_WRITTEN[language].includes(f));
      expect(expected, `${language}: the generator wrote nothing`).to.not.have.lengthOf(0);
      expect(committed, `lang/${language}: files differ from a regeneration; run npm run gen-sdks`).to.deep.equal(
        expected,
      );
      const changed = expected.filter(
        (f) =>
          !fs.readFileSync(path.join(generated, language, f)).equals(fs.readFileSync(path.join(LANG_DIR, language, f))),
      );
      expect(changed, `lang/${language}: contents differ from a regeneration; run npm run gen-sdks`).to.deep.equal([]);
    }
  });

  it("the Go SDK builds: go build ./... with its pinned go.mod and go.sum", () => {
    const goDir = path.join(LANG_DIR, "go");
    run("go", ["build", "./..."], { cwd: goDir, env: goEnv() });
    // Every package of the module was built: the SDK package and its internal helpers.
    const packages = run("go", ["list", "./..."], { cwd: goDir, env: goEnv() }).trim().split("\n");
    expect(packages).to.include.members([
      "example.com/pulumi-alicloud-rds-backups/sdk/go/alicloudrdsbackups",
      "example.com/pulumi-alicloud-rds-backups/sdk/go/alicloudrdsbackups/config",
    ]);
  });

  it("the Python SDK installs with the pinned pulumi package and imports, with the schema's function arguments", () => {
    const venv = path.join(work, "venv");
    run("python3", ["-m", "venv", venv]);
    const python = path.join(venv, "bin", "python");
    const pipInstall = (...args: string[]) =>
      run(python, [
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar",
        "off",
        "-q",
        ...args,
      ]);
    pipInstall("-r", path.join(REPO_ROOT, "tools", "python-sdk-check", "requirements.txt"));
    // A copy: setuptools builds in the source tree (build/, *.egg-info), which lang/ must not get.
    const source = path.join(work, "python-sdk");
    fs.cpSync(path.join(LANG_DIR, "python"), source, { recursive: true });
    pipInstall("--no-deps", "--no-build-isolation", source);

    const probe = [
      "import inspect, json, pulumi_alicloud_rds_backups as p",
      "print(json.dumps({",
      "  'module': p.__file__,",
      "  'classes': [n for n in ('FreshBackupGate', 'EnsuredBackup', 'Provider') if inspect.isclass(getattr(p, n, None))],",
      "  'getBackups': sorted(inspect.signature(p.get_backups).parameters),",
      "}))",
    ].join("\n");
    const found = JSON.parse(run(python, ["-c", probe], { cwd: work })) as {
      module: string;
      classes: string[];
      getBackups: string[];
    };
    expect(found.module.startsWith(venv), `imported from the venv, not ${found.module}`).to.equal(true);
    expect(found.classes).to.deep.equal(["FreshBackupGate", "EnsuredBackup", "Provider"]);
    const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as {
      functions: Record<string, { inputs: { properties: Record<string, unknown> } }>;
    };
    const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const args = Object.keys(schema.functions["alicloud-rds-backups:index:getBackups"]!.inputs.properties).map(snake);
    expect(found.getBackups).to.include.members(args);
  });
});
