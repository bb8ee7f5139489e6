/**
 * `rds-backups emulator`: runs the project's emulator (emulator/main) as a child process with
 * the flags as given, so it behaves exactly like `npm run emulator`. Signals reach it (see
 * below); the child's exit status becomes ours.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { ExitError } from "../exit-error";

interface EmulatorOptions {
  /** The emulator's flags, untouched (`--port 9000 --data file.json`). */
  readonly args: readonly string[];
}

/** emulator/main next to this build: `.ts` under ts-node, `.js` in dist/. */
function emulatorEntry(): { file: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const file = path.resolve(__dirname, "..", "..", "emulator", `main${ext}`);
  const execArgv = ext === ".ts" ? ["-r", "ts-node/register/transpile-only"] : [];
  return { file, execArgv };
}

export async function emulator(options: EmulatorOptions): Promise<void> {
  const { file, execArgv } = emulatorEntry();
  if (!existsSync(file)) throw new ExitError(2, `the emulator is not installed here (${file} is missing)`);
  const child = spawn(process.execPath, [...execArgv, file, ...options.args], { stdio: "inherit" });
  // Ctrl-C in a terminal reaches the child too (same process group): forward SIGINT only if the
  // child is still up a moment later, i.e. when only we were signalled (`kill -INT <pid>`).
  const onInt = (): void =>
    void setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGINT"), 500).unref();
  const onTerm = (): void => void child.kill("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (status, signal) => resolve(status ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
    if (code !== 0) throw new ExitError(code);
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1;
}
