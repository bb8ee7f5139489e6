/**
 * Generates the Python, Go and .NET SDKs of the provider plugin from plugin/schema.json into lang/
 * (`npm run gen-sdks`); tests/e2e/sdks.test.ts regenerates them into a temp dir and fails on drift.
 *
 * `pulumi package gen-sdk` hands generation to each language's host (pulumi-language-python, -go,
 * -dotnet), and the Go module proxy does not serve those here. So tools/pulumi-codegen runs the
 * same generators (Pulumi's pkg/codegen, pinned in its go.mod) directly; it is built once with
 * `go build` and stamped like the CLI (scripts/setup-pulumi.sh).
 *
 * lang/<language> holds only generated files, except those in HAND_WRITTEN (the Go module's own
 * pinned go.mod and go.sum, so `go build ./...` works in lang/go): a regeneration keeps them.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/repo-root";

export { REPO_ROOT };

export const SCHEMA = path.join(REPO_ROOT, "plugin", "schema.json");
export const LANG_DIR = path.join(REPO_ROOT, "lang");
export const LANGUAGES = ["python", "go", "dotnet"] as const;
type Language = (typeof LANGUAGES)[number];

/** Files of lang/<language> that are ours, not generated. */
export const HAND_WRITTEN: Readonly<Record<Language, readonly string[]>> = {
  python: [],
  go: ["go.mod", "go.sum"],
  dotnet: [],
};

const CODEGEN_MODULE = path.join(REPO_ROOT, "tools", "pulumi-codegen");
const CODEGEN_BIN_DIR = path.join(REPO_ROOT, ".tools", "pulumi-codegen");
/** A cold Go build cache compiles a few hundred packages; minutes on a busy machine. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
const GENERATE_TIMEOUT_MS = 2 * 60_000;

/** The environment of every `go` command: go.sum must be complete, and the local Go is used. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local" };
}

/**
 * Builds tools/pulumi-codegen unless the binary matches its sources and the Go version (a stamp
 * next to it), and returns its path.
 */
export function buildCodegen(): string {
  const binary = path.join(CODEGEN_BIN_DIR, "pulumi-codegen");
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go", "logo.png"])
    hash.update(fs.readFileSync(path.join(CODEGEN_MODULE, file)));
  const goVersion = execFileSync("go", ["env", "GOVERSION"], { env: goEnv(), encoding: "utf8" }).trim();
  const stamp = `${hash.digest("hex").slice(0, 16)} ${goVersion}`;
  const stampFile = path.join(CODEGEN_BIN_DIR, ".stamp");
  if (fs.existsSync(binary) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8").trim() === stamp)
    return binary;

  fs.mkdirSync(CODEGEN_BIN_DIR, { recursive: true });
  process.stderr.write(
    "gen-sdks: building tools/pulumi-codegen (minutes on a cold Go build cache; cached after that)\n",
  );
  // A temp name then a rename: a concurrent run never executes a half-written binary.
  const building = `${binary}.${process.pid}.tmp`;
  execFileSync("go", ["build", "-trimpath", "-o", building, "."], {
    cwd: CODEGEN_MODULE,
    env: goEnv(),
    stdio: ["ignore", "inherit", "inherit"],
    timeout: BUILD_TIMEOUT_MS,
  });
  fs.renameSync(building, binary);
  fs.writeFileSync(stampFile, `${stamp}\n`);
  return binary;
}

/** Writes the generated SDK of each language into <outRoot>/<language> (replacing it). */
export function generateSdks(outRoot: string, codegen = buildCodegen()): void {
  for (const language of LANGUAGES) {
    execFileSync(codegen, [SCHEMA, language, path.join(outRoot, language)], {
      stdio: ["ignore", "inherit", "inherit"],
      timeout: GENERATE_TIMEOUT_MS,
    });
  }
}

/** Every file below `dir`, as paths relative to it with "/" separators, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Regenerates lang/: each language's directory gets exactly the generated files, plus HAND_WRITTEN. */
function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gen-sdks-"));
  try {
    generateSdks(work);
    for (const language of LANGUAGES) {
      const target = path.join(LANG_DIR, language);
      fs.mkdirSync(target, { recursive: true });
      for (const entry of fs.readdirSync(target)) {
        if (!HAND_WRITTEN[language].includes(entry))
          fs.rmSync(path.join(target, entry), { recursive: true, force: true });
      }
      fs.cpSync(path.join(work, language), target, { recursive: true });
      console.log(`lang/${language}: ${listFiles(path.join(work, language)).length} generated files`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`gen-sdks: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
