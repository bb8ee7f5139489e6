/**
 * The Python and Go examples (examples/python-gate, examples/go-gate) as Automation API inline
 * programs: what it takes to start each one here, where the Python and Go language hosts are not
 * available. The tests (tests/e2e/python.test.ts, go.test.ts) and the demo use these.
 *
 *   const runner = preparePythonInline(workDir);   // or prepareGoInline(workDir)
 *   await runAutomation(runner.command, [...runner.args, "dev", "up"], { cwd: projectCopy, backend });
 *
 * - Python: a venv below `workDir` with the example's pinned requirements (PyPI or pip's cache),
 *   and the generated SDK installed from a wheel built from a copy of lang/python, as
 *   docs/languages.md tells users; the runner is `<venv>/bin/python inline.py`, started in a copy of
 *   the example (inline.py imports the program module beside it).
 * - Go: `go build ./inline` in examples/go-gate (its go.mod takes lang/go with a replace, go.sum
 *   pins the rest: the Go module proxy or the module cache), the binary written below `workDir`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { goEnv } from "../scripts/gen-sdks";
import { REPO_ROOT } from "./repo-root";

/** How to start an example's inline program: `command ...args <stack> <verb> [--expect-no-changes]`. */
export interface InlineRunner {
  readonly command: string;
  readonly args: readonly string[];
}

const EXAMPLES = path.join(REPO_ROOT, "examples");
/** An empty pip cache or a cold Go build cache means downloads and compiles: minutes, bounded. */
export const STEP_TIMEOUT_MS = 20 * 60_000;

/** Runs a command (a build or install step, bounded by STEP_TIMEOUT_MS); on failure the error carries its output. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  try {
    return execFileSync(cmd, args, {
      ...opts,
      encoding: "utf8",
      timeout: STEP_TIMEOUT_MS,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(
      `${cmd} ${args.join(" ")} failed: ${e.message}\n--- stdout ---\n${e.stdout ?? ""}\n--- stderr ---\n${e.stderr ?? ""}`,
      { cause: err },
    );
  }
}

/** A venv with the pinned Pulumi Python SDK and the generated SDK from its wheel; python runs inline.py. */
export function preparePythonInline(workDir: string): InlineRunner {
  const venv = path.join(workDir, "venv");
  run("python3", ["-m", "venv", venv]);
  const python = path.join(venv, "bin", "python");
  const pip = (...args: string[]) =>
    run(python, ["-m", "pip", "--disable-pip-version-check", "--no-input", "-q", ...args]);
  pip("install", "--progress-bar", "off", "-r", path.join(EXAMPLES, "python-gate", "requirements.txt"));
  // A copy: building writes into the source tree (build/, *.egg-info), which lang/ must not get.
  const source = path.join(workDir, "python-sdk");
  fs.cpSync(path.join(REPO_ROOT, "lang", "python"), source, { recursive: true });
  const wheels = path.join(workDir, "wheels");
  // The requirements bring setuptools: no isolated build environment to download.
  pip("wheel", "--no-deps", "--no-build-isolation", "-w", wheels, source);
  const built = fs.readdirSync(wheels).filter((f) => f.endsWith(".whl"));
  if (built.length !== 1) throw new Error(`expected one wheel of lang/python in ${wheels}, found ${built.join(", ")}`);
  pip("install", "--no-deps", path.join(wheels, built[0]!));
  return { command: python, args: ["inline.py"] };
}

/** The Go example's inline runner, built into `workDir`. */
export function prepareGoInline(workDir: string): InlineRunner {
  const binary = path.join(workDir, "go-gate-inline");
  run("go", ["build", "-trimpath", "-o", binary, "./inline"], { cwd: path.join(EXAMPLES, "go-gate"), env: goEnv() });
  return { command: binary, args: [] };
}

/**
 * Copies examples/<name> into `parentDir` (no venv, cache or stack file), where the runner is
 * started and `pulumi config set` writes the stack's file. Returns the project directory.
 */
export function copyInlineExample(name: string, parentDir: string): string {
  const dest = path.join(parentDir, name);
  fs.cpSync(path.join(EXAMPLES, name), dest, {
    recursive: true,
    filter: (p) => !/[/\\](venv|__pycache__|Pulumi\.[^/\\]+\.yaml)$/.test(p),
  });
  return dest;
}
