#!/usr/bin/env node
/**
 * The emulator from a shell: `npm run emulator -- <flags>`, `node dist/emulator/main.js <flags>`,
 * or `rds-backups emulator <flags>` (which passes its flags here untouched). `--help` lists them.
 *
 * `serve` (the default) prints `http://127.0.0.1:<port>` as its first stdout line (scripts read
 * it to find a `--port 0` emulator), then one line per request on stderr, until SIGINT/SIGTERM.
 * `generate` writes generated data to a file instead.
 */
import { writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_INSTANCE_PRESETS } from "./engine-profiles";
import { generateData } from "./generate";
import { startEmulator } from "./server";
import type { EmulatorData } from "./types";

interface FlagDecl {
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder; a flag without one is a switch. */
  readonly value?: string;
  readonly description: string;
}

/** Every flag, declared once: the parser and `--help` are both derived from this list. */
const FLAGS: readonly FlagDecl[] = [
  { name: "port", value: "<n>", description: "Port to listen on (0 or absent: any free port)." },
  { name: "data", value: "<file>", description: "JSON data file: access keys and instances with their backups." },
  { name: "generate", description: "Serve generated data instead of a file." },
  { name: "out", value: "<file>", description: "With `generate`: where to write the generated data." },
  { name: "instances", value: "<n>", description: `Generated instances (default ${DEFAULT_INSTANCE_PRESETS.length}).` },
  { name: "backups", value: "<n>", description: "Generated backup sets per instance (default 60)." },
  { name: "seed", value: "<n>", description: "Seed of the generator (default 1): same seed, same data." },
  { name: "latency-ms", value: "<n>", description: "Added latency per request, in milliseconds (default 0)." },
  {
    name: "throttle-rps",
    value: "<n>",
    description: "Answer Throttling.User above this many requests per second (default 0: never).",
  },
  { name: "clock-offset-ms", value: "<n>", description: "Shift the emulator's clock, in milliseconds." },
  {
    name: "backup-duration",
    value: "<d>",
    description: "How long a CreateBackup task runs: 1500ms, 2s, 1m, 1h or seconds (default 5s).",
  },
  {
    name: "backup-visibility-lag",
    value: "<d>",
    description: "How long after its task ends a new set shows in DescribeBackups (default 1s).",
  },
  { name: "quiet", description: "No request log on stderr." },
  { name: "help", short: "h", description: "Show this help." },
];

const PARSE_OPTIONS: NonNullable<ParseArgsConfig["options"]> = Object.fromEntries(
  FLAGS.map((f) => [f.name, { type: f.value ? "string" : "boolean", ...(f.short ? { short: f.short } : {}) }] as const),
);

const USAGE = [
  "Emulator usage:",
  "  [serve] (--data <file> | --generate [--instances <n> --backups <n> --seed <n>]) [--port <n>] [flags]",
  "  generate --out <file> [--instances <n> --backups <n> --seed <n>]",
  "",
  "Emulator flags:",
  ...FLAGS.map((f) => {
    const head = `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.value ? ` ${f.value}` : ""}`;
    return `  ${head.padEnd(34)}${f.description}`;
  }),
].join("\n");

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
  const ms = m
    ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"]
    : NaN;
  if (!(ms <= 7 * 24 * 3_600_000))
    throw new UsageError(
      `${flag}: expected a duration such as 1500ms, 2s, 1m or 1h (at most 7 days), got ${JSON.stringify(value.slice(0, 40))}`,
    );
  return Math.round(ms);
}

type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A flag's value as given (parseArgs has checked that value flags got one), or undefined. */
function text(v: FlagValues, name: string): string | undefined {
  const value = v[name];
  return typeof value === "string" ? value : undefined;
}

function generated(v: FlagValues): EmulatorData {
  const instances = int(text(v, "instances"), "--instances", DEFAULT_INSTANCE_PRESETS.length);
  const count = int(text(v, "backups"), "--backups", 60);
  return generateData({
    seed: int(text(v, "seed"), "--seed", 1),
    instances: Array.from({ length: instances }, () => ({ count, logChain: {} })),
  });
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] === "generate" || argv[0] === "serve" ? argv.shift() : "serve";
  const { values: v } = parseArgs({ args: argv, options: PARSE_OPTIONS });
  if (v.help) return void process.stdout.write(`${USAGE}\n`);
  if (command === "generate") {
    const out = text(v, "out");
    if (!out) throw new UsageError("generate needs --out <file>");
    const data = generated(v);
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
    const sets = Object.values(data.instances).reduce((n, i) => n + i.backups.length, 0);
    return void process.stderr.write(
      `wrote ${Object.keys(data.instances).length} instances, ${sets} backup sets to ${out}\n`,
    );
  }
  if (!v.data === !v.generate) throw new UsageError("serve needs exactly one of --data <file> or --generate");
  const data = v.generate ? generated(v) : (text(v, "data") as string);
  const latencyMs = int(text(v, "latency-ms"), "--latency-ms", 0);
  const throttleRps = int(text(v, "throttle-rps"), "--throttle-rps", 0);
  const backupDurationMs = durationMs(text(v, "backup-duration"), "--backup-duration");
  const backupVisibilityLagMs = durationMs(text(v, "backup-visibility-lag"), "--backup-visibility-lag");
  const emulator = await startEmulator({
    data,
    port: int(text(v, "port"), "--port", 0),
    faults: { latencyMs, throttleRps },
    clockOffsetMs: int(text(v, "clock-offset-ms"), "--clock-offset-ms", 0),
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
  const usage =
    err instanceof UsageError ||
    (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"));
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage ? `${USAGE}\n` : ""}`);
  process.exit(usage ? 2 : 1);
});
