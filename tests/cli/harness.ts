/**
 * Test harness for the CLI: the emulator in-process with known data, and the REAL binary run
 * as a subprocess, so argv parsing, exit codes and streams are real: the compiled one in dist/
 * when it is newer than every source it is built from, else cli/main.ts through ts-node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { formatAge } from "../../cli/format/human";
import { startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../support/repo-root";

export const ACCESS_KEY_ID = "LTAI5tCliTestKey0001";
export const ACCESS_KEY_SECRET = "cli-test-SECRET-9f8e7d6c5b4a";
const HOME = mkdtempSync(path.join(tmpdir(), "rds-backups-cli-home-"));

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** What the binary is built from: a change to any of these makes dist/ stale. */
const CLI_SOURCES = ["cli", "sdk", "emulator"];
const COMPILED_CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

/** The newest modification time of the .ts files below `dir`, in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

let command: string[] | undefined;
/**
 * The node arguments that start the CLI. Compiled when `npm run build` ran after the last edit
 * (each ts-node start compiles the CLI's sources again, seconds of CPU per run), else the sources
 * themselves, so a run without a build still tests the code as it is. Decided once per process.
 */
function cliCommand(): string[] {
  if (!command) {
    const compiledAt = (() => {
      try {
        return statSync(COMPILED_CLI).mtimeMs;
      } catch {
        return 0;
      }
    })();
    const current = CLI_SOURCES.every((dir) => newestSource(path.join(REPO_ROOT, dir)) < compiledAt);
    command = current ? [COMPILED_CLI] : ["-r", "ts-node/register/transpile-only", "cli/main.ts"];
  }
  return command;
}

const HOUR = 3_600_000;
/** `yyyy-MM-ddTHH:mm:ssZ`, the API's response format. */
export const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface RawOverrides {
  [field: string]: unknown;
}

export function raw(instance: string, id: string, endHoursAgo: number, now: number, over: RawOverrides = {}) {
  const end = now - endHoursAgo * HOUR;
  return {
    BackupId: id,
    DBInstanceId: instance,
    BackupStatus: "Success",
    BackupStartTime: apiTime(end - 0.5 * HOUR),
    BackupEndTime: apiTime(end),
    BackupType: "FullBackup",
    BackupMethod: "Physical",
    BackupMode: "Automated",
    BackupInitiator: "System",
    BackupSize: 5 * 1024 ** 3,
    IsAvail: 1,
    Engine: "MySQL",
    EngineVersion: "8.0",
    HostInstanceID: "12345",
    Checksum: "123456789",
    ConsistentTime: 0,
    Encryption: "{}",
    MetaStatus: "OK",
    StorageClass: "0",
    StoreStatus: "Disabled",
    BackupDownloadURL: `https://dl.example.com/${id}?Signature=SIGNED-URL-${id}`,
    BackupIntranetDownloadURL: `https://dl-internal.example.com/${id}?Signature=SIGNED-URL-${id}`,
    ...over,
  };
}

/** Known instances: fresh (4 sets, one failed), stale (3 days), none (failed only), big (230 sets). */
export function testData(now: number) {
  const big = Array.from({ length: 230 }, (_, i) =>
    raw("rm-big", String(500000 + i), 2 + ((i * 37) % 230), now, { BackupSize: 1024 * (i + 1) }),
  );
  return {
    accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
    instances: {
      "rm-fresh": {
        regionId: "cn-hangzhou",
        backups: [
          raw("rm-fresh", "1003", 49, now, {
            BackupStatus: "Failed",
            IsAvail: 0,
            BackupSize: 0,
            BackupDownloadURL: "",
          }),
          raw("rm-fresh", "1001", 1.5, now),
          raw("rm-fresh", "1004", 8 * 24, now, { Encryption: '{"alg":"AES, 256","note":"say \\"hi\\""}' }),
          raw("rm-fresh", "1002", 25.8, now, {
            BackupType: "IncrementalBackup",
            BackupMode: "Manual",
            BackupInitiator: "User",
            BackupSize: 1536,
          }),
        ],
      },
      "rm-stale": { regionId: "cn-hangzhou", backups: [raw("rm-stale", "2001", 72, now)] },
      "rm-none": {
        regionId: "cn-hangzhou",
        backups: [raw("rm-none", "3001", 5, now, { BackupStatus: "Failed", IsAvail: 0 })],
      },
      "rm-big": { regionId: "cn-hangzhou", backups: big },
    },
  };
}

export async function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ data: testData(Date.now()) as never, port: 0 });
}

export interface CliResult {
  readonly code: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `rds-backups <args>` with the test keys and endpoint; pipes (not a TTY) for all streams.
 * In `env`, undefined removes a variable (the test keys too).
 */
export function cli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  {
    stdin,
    onStderr,
  }: {
    /** What standard input holds (default: nothing, at its end). */
    readonly stdin?: string;
    /** Sees the process and what it wrote so far on stderr, on each chunk (to signal it, say). */
    readonly onStderr?: (child: ChildProcess, stderrSoFar: string) => void;
  } = {},
): Promise<CliResult> {
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME,
    TS_NODE_TRANSPILE_ONLY: "true",
    ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
    ...env,
  };
  const child = spawn(process.execPath, [...cliCommand(), ...args], {
    cwd: REPO_ROOT,
    env: Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined)),
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(stdin ?? "");
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    onStderr?.(child, stderr);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Every age the CLI can have printed for a backup that ended at `endIso`, when it read its clock
 * somewhere between `fromMs` and `toMs` (clocks read before and after running it): the test then
 * holds however long the subprocess took.
 */
export function agesBetween(endIso: string, fromMs: number, toMs: number): string[] {
  const ages = new Set<string>();
  for (let t = fromMs; t < toMs + 1_000; t += 1_000) ages.add(formatAge(endIso, new Date(Math.min(t, toMs))));
  return [...ages];
}

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF) to parse the CLI's CSV back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
