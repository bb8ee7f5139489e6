/**
 * Where a command writes, and what it knows about the terminal. Commands take an `Io` so
 * tests can call them without a process; `processIo()` is the real one.
 *
 * Every write goes through `redact`: whatever happens upstream, the access key secret and
 * the security token from the environment are never printed.
 */
import { colorEnabled, painter, type Painter } from "./format/color";

export interface Io {
  /** Results. */
  out(text: string): void;
  /** Errors, warnings, progress. */
  err(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Colour for stdout / stderr (TTY, NO_COLOR, FORCE_COLOR). */
  readonly paint: Painter;
  readonly paintErr: Painter;
  readonly env: NodeJS.ProcessEnv;
  now(): Date;
  /**
   * Runs `handler` on SIGINT or SIGTERM, then ends the process as that signal would have (exit
   * status 130 or 143 in a shell). Returns the function that removes it.
   */
  onInterrupt?(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void;
}

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const secrets = [env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN].filter(
    (s): s is string => typeof s === "string" && s.length >= 4,
  );
  const stdoutIsTTY = process.stdout.isTTY === true;
  const stderrIsTTY = process.stderr.isTTY === true;
  return {
    out: (text) => void process.stdout.write(redact(text, secrets)),
    err: (text) => void process.stderr.write(redact(text, secrets)),
    stdoutIsTTY,
    stderrIsTTY,
    paint: painter(colorEnabled(env, stdoutIsTTY)),
    paintErr: painter(colorEnabled(env, stderrIsTTY)),
    env,
    now: () => new Date(),
    onInterrupt: (handler) => {
      const off = (): void => {
        process.off("SIGINT", on);
        process.off("SIGTERM", on);
      };
      function on(signal: "SIGINT" | "SIGTERM"): void {
        off();
        try {
          handler(signal);
        } finally {
          // The default action of the signal, once stderr is flushed: the conventional status.
          process.stderr.write("", () => process.kill(process.pid, signal));
        }
      }
      process.on("SIGINT", on);
      process.on("SIGTERM", on);
      return off;
    },
  };
}

/** Replaces every occurrence of a secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join("***");
  return result;
}
