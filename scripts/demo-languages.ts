/**
 * The demo's part for Python and Go (scripts/demo.ts calls it): examples/python-gate and
 * examples/go-gate, each run as an Automation API inline program (support/inline-programs.ts)
 * through the real CLI, with the provider plugin the demo put on PATH: `up` reads the backups,
 * passes the gate on the fresh instance and ensures a backup of the other one; then `destroy`.
 * A language whose toolchain (python3, go) is missing is skipped, and said so.
 */
import { execFileSync } from "node:child_process";
import { configSetAll, initStack, runAutomation, stackOutputs, type Backend } from "../support/pulumi-driver";
import { copyInlineExample, prepareGoInline, preparePythonInline, type InlineRunner } from "../support/inline-programs";

export interface LanguageDemo {
  readonly backend: Backend;
  /** The environment of every CLI run (PATH with the CLI and the plugin). */
  readonly env: Record<string, string>;
  readonly endpoint: string;
  readonly keyId: string;
  readonly keySecret: string;
  /** The instance the gate protects (a fresh backup) and the one EnsuredBackup covers. */
  readonly gated: string;
  readonly ensured: string;
}

const LANGUAGES: ReadonlyArray<{
  name: string;
  example: string;
  /** The toolchain, and how to ask it its version (does it run at all?). */
  tool: readonly [string, ...string[]];
  /** How a user starts the runner in the example's directory. */
  shown: string;
  prepare(workDir: string): InlineRunner;
}> = [
  {
    name: "Python",
    example: "python-gate",
    tool: ["python3", "--version"],
    shown: "python inline.py",
    prepare: preparePythonInline,
  },
  { name: "Go", example: "go-gate", tool: ["go", "version"], shown: "go run ./inline", prepare: prepareGoInline },
];

function runs([command, ...args]: readonly [string, ...string[]]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs both examples; returns what failed and one summary line per language. */
export async function runLanguageExamples(demo: LanguageDemo): Promise<{ failures: string[]; summary: string[] }> {
  const failures: string[] = [];
  const summary: string[] = [];
  for (const language of LANGUAGES) {
    console.log(
      `\n=== examples/${language.example}: the read, the gate and an ensured backup from ${language.name}, as an Automation API inline program`,
    );
    if (!runs(language.tool)) {
      console.log(`  skipped: no ${language.tool[0]} on PATH`);
      summary.push(`examples/${language.example} (${language.name}): skipped, no ${language.tool[0]}`);
      continue;
    }
    console.log(`  preparing (${language.name} SDK from lang/, pinned dependencies; cached after the first run)`);
    const runner = language.prepare(demo.backend.dir);
    const cwd = copyInlineExample(language.example, demo.backend.dir);
    const at = { cwd, backend: demo.backend, env: demo.env, stack: "demo" };
    await initStack("demo", { cwd, backend: demo.backend, env: demo.env });
    await configSetAll(
      {
        dbInstanceId: demo.gated,
        ensureInstanceId: demo.ensured,
        "alicloud-rds-backups:region": "cn-hangzhou",
        "alicloud-rds-backups:endpoint": demo.endpoint,
      },
      at,
      { "alicloud-rds-backups:accessKeyId": demo.keyId, "alicloud-rds-backups:accessKeySecret": demo.keySecret },
    );
    const inline = (verb: string) => {
      console.log(`\n$ ${language.shown} demo ${verb}`);
      return runAutomation(runner.command, [...runner.args, "demo", verb], {
        cwd,
        backend: demo.backend,
        env: demo.env,
      });
    };
    const up = await inline("up");
    if (up.code !== 0) {
      failures.push(`${language.example}: up failed:\n${up.stdout}${up.stderr}`);
      summary.push(`examples/${language.example} (${language.name}): FAILED (see above)`);
      continue;
    }
    const outputs = await stackOutputs(at);
    console.log(`  successful backups in the last 7 days: ${outputs.backupCount}; newest usable ${outputs.latestId}`);
    console.log(
      `  gate on ${demo.gated}: fresh ${outputs.gateFresh}, protected by backup ${outputs.protectedByBackupId}`,
    );
    console.log(
      `  EnsuredBackup on ${demo.ensured}: ${outputs.backupAction ?? "nothing to take"}, backup ${outputs.ensuredBackupId}`,
    );
    const destroyed = await inline("destroy");
    if (destroyed.code !== 0)
      failures.push(`${language.example}: destroy failed:\n${destroyed.stdout}${destroyed.stderr}`);
    summary.push(
      `examples/${language.example} (${language.name}): gate passed on ${demo.gated}, ${demo.ensured} protected by backup ${outputs.ensuredBackupId}, destroyed`,
    );
  }
  return { failures, summary };
}
