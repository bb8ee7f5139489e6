#!/usr/bin/env node
/**
 * The emulator from a shell.
 *
 *   node dist/emulator/main.js [serve] --port 9000 (--data file.json | --generate [--instances N --backups M --seed S])
 *                              [--latency-ms N] [--throttle-rps N] [--clock-offset-ms N] [--quiet]
 *                              [--backup-duration <d>] [--backup-visibility-lag <d>]   (d: 1500ms, 2s, 1m, or seconds)
 *   node dist/emulator/main.js generate --out file.json [--instances N --backups M --seed S]
 *
 * `serve` prints `http://127.0.0.1:<port>` as its first stdout line (scripts read it to find a
 * `--port 0` emulator), then one line per request on stderr, until SIGINT/SIGTERM.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_INSTANCE_PRESETS } from "./engine-profiles";
import { generateData } from "./generate";
import { startEmulator } from "./server";
import type { EmulatorData } from "./types";

const USAGE = `usage: main.js [serve] --port <n> (--data <file> | --generate) [--instances N --backups M --seed S]
                [--latency-ms N] [--throttle-rps N] [--clock-offset-ms N] [--quiet]
                [--backup-duration <d>] [--backup-visibility-lag <d>]   (d: 1500ms, 2s, 1m, or seconds)
       main.js generate --out <file> [--instances N --backups M --seed S]`;

/** A user error: message on stderr, exit status 2, no stack. */
class UsageError extends Error {}

function int(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag}: expected an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `1500ms`, `2s`, `1.5m`, `1h`, or a bare number of seconds → ms. */
function durationMs(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"] : NaN;
  if (!(ms <= 7 * 24 * 3_600_000)) throw new UsageError(`${flag}: expected a duration such as 1500ms, 2s, 1m or 1h (at most 7 days), got ${JSON.stringify(value.slice(0, 40))}`);
  return Math.round(ms);
}

function generated(v: Record<string, string | boolean | undefined>): EmulatorData {
  const instances = int(v.instances as string | undefined, "--instances", DEFAULT_INSTANCE_PRESETS.length);
  const count = int(v.backups as string | undefined, "--backups", 60);
  return generateData({ seed: int(v.seed as string | undefined, "--seed", 1), instances: Array.from({ length: instances }, () => ({ count })) });
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] === "generate" || argv[0] === "serve" ? argv.shift() : "serve";
  const { values: v } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" }, data: { type: "string" }, generate: { type: "boolean" }, out: { type: "string" },
      instances: { type: "string" }, backups: { type: "string" }, seed: { type: "string" },
      "latency-ms": { type: "string" }, "throttle-rps": { type: "string" }, "clock-offset-ms": { type: "string" },
      "backup-duration": { type: "string" }, "backup-visibility-lag": { type: "string" },
      quiet: { type: "boolean" }, help: { type: "boolean" },
    },
  });
  if (v.help) return void process.stdout.write(`${USAGE}\n`);
  if (command === "generate") {
    if (!v.out) throw new UsageError("generate needs --out <file>");
    const data = generated(v);
    writeFileSync(v.out, `${JSON.stringify(data, null, 2)}\n`);
    const sets = Object.values(data.instances).reduce((n, i) => n + i.backups.length, 0);
    return void process.stderr.write(`wrote ${Object.keys(data.instances).length} instances, ${sets} backup sets to ${v.out}\n`);
  }
  if (!v.data === !v.generate) throw new UsageError("serve needs exactly one of --data <file> or --generate");
  const data = v.generate ? generated(v) : (v.data as string);
  const latencyMs = int(v["latency-ms"], "--latency-ms", 0);
  const throttleRps = int(v["throttle-rps"], "--throttle-rps", 0);
  const backupDurationMs = durationMs(v["backup-duration"], "--backup-duration");
  const backupVisibilityLagMs = durationMs(v["backup-visibility-lag"], "--backup-visibility-lag");
  const emulator = await startEmulator({
    data,
    port: int(v.port, "--port", 0),
    faults: { latencyMs, throttleRps },
    clockOffsetMs: int(v["clock-offset-ms"], "--clock-offset-ms", 0),
    ...(backupDurationMs === undefined ? {} : { backupDurationMs }),
    ...(backupVisibilityLagMs === undefined ? {} : { backupVisibilityLagMs }),
    ...(v.quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
  });
  process.stdout.write(`${emulator.url}\n`);
  if (v.generate && !v.quiet) {
    const ids = Object.keys(typeof data === "string" ? {} : data.instances);
    // The key id, not its secret: the emulator's logs hold no secret, even its own public test
    // key's (the README gives it).
    process.stderr.write(
      `generated instances: ${ids.join(" ")}\n` +
        `access key id ${DEFAULT_ACCESS_KEY_ID} (secret: see "The emulator" in README.md); ` +
        `export ALIBABA_CLOUD_RDS_ENDPOINT=${emulator.url}\n`,
    );
  }
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"));
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage ? `${USAGE}\n` : ""}`);
  process.exit(usage ? 2 : 1);
});
