/** Small helpers shared by the benchmarks: timing, statistics, child processes. */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../support/repo-root";

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: mid, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

export function fmt(s: Stat, digits = 0, unit = ""): string {
  const f = (x: number): string => x.toFixed(digits);
  return s.runs === 1 ? `${f(s.median)}${unit}` : `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)}, n=${s.runs})`;
}

export async function repeat<T = number>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs node with args; resolves with stdout (throws with stderr on a non-zero exit). */
export function node(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`node ${args.join(" ")} exited ${code}: ${err}`)),
    );
  });
}

/** A TypeScript file of bench/ in a child node (ts-node, transpile only), output parsed as JSON from the last line. */
export async function tsChild<T>(
  file: string,
  args: string[],
  nodeFlags: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const out = await node(
    [...nodeFlags, "-r", "ts-node/register/transpile-only", path.join(__dirname, file), ...args],
    env,
  );
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** The emulator in its own process (its data not in ours): resolves with its URL and a stop(). */
export function emulatorProcess(
  dataFile: string,
  extra: string[] = [],
): Promise<{ url: string; stop: () => Promise<void>; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "dist", "emulator", "main.js"), "--port", "0", "--data", dataFile, "--quiet", ...extra],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let buf = "";
    const onData = (d: string): void => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      child.stdout!.off("data", onData);
      const stop = (): Promise<void> =>
        new Promise((r) => {
          if (child.exitCode !== null) return r();
          child.once("exit", () => r());
          child.kill("SIGTERM");
        });
      resolve({ url: buf.slice(0, nl).trim(), stop, child });
    };
    child.stdout!.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => reject(new Error(`emulator exited ${code} before printing its URL`)));
  });
}

/** `n` processes that each keep a core busy for at most `ms` (other work on a shared machine); stop() ends them at once. */
export function busyLoops(n: number, ms: number): { stop: () => Promise<void> } {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ["-e", `const end = Date.now() + ${Math.floor(ms)}; while (Date.now() < end);`], {
      stdio: "ignore",
    }),
  );
  return {
    stop: () =>
      Promise.all(
        children.map(
          (c) =>
            new Promise<void>((r) => {
              if (c.exitCode !== null || c.signalCode !== null) return r();
              c.once("exit", () => r());
              c.kill("SIGTERM");
            }),
        ),
      ).then(() => undefined),
  };
}
