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
  };
}

/** Replaces every occurrence of a secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join("***");
  return result;
}
