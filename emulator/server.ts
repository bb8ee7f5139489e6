import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { KeyRing } from "./auth/key-ring";
import { NonceCache } from "./auth/nonce-cache";
import { SIGNATURE_WINDOW_MS } from "./auth/authenticate";
import {
  BackupTasks,
  type EndedTasksListed,
  DEFAULT_BACKUP_DURATION_MS,
  DEFAULT_BACKUP_VISIBILITY_LAG_MS,
  type NewTask,
} from "./backup-tasks";
import { loadData, validateData } from "./data";
import { logValue } from "./log-line";
import { FaultController, type FaultOptions, type ScriptedFault } from "./faults";
import { createPipeline, newContext } from "./pipeline";
import { StatsRecorder } from "./stats";
import { BackupStore } from "./store";
import type {
  BackupTaskSpec,
  DescribeBackupsParams,
  EmulatorData,
  EmulatorStats,
  RawBackup,
  RawBackupJob,
  RawBackupPolicy,
  RawBinlogFile,
  RequestHook,
} from "./types";

export interface EmulatorOptions {
  /** The data, or the path of a JSON data file. Validated either way. */
  data: EmulatorData | string;
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator checks signatures but is not meant to face a network. */
  host?: string;
  faults?: FaultOptions;
  /** Shifts the emulator's clock (ms) to simulate a client whose clock is off. */
  clockOffsetMs?: number;
  /**
   * The emulator's clock before the offset, epoch ms (default `Date.now`). A test can freeze it
   * (and move it with `advanceClock`) so task statuses do not depend on how fast the machine is;
   * signature dates are checked against it too, so keep it within 15 minutes of real time.
   */
  now?: () => number;
  /** How long a backup task runs, ms (default 5000); an instance's `backupDurationSeconds` wins. */
  backupDurationMs?: number;
  /** How long after a task ends its set shows in DescribeBackups, ms (default 1000); an instance's `backupVisibilityLagSeconds` wins. */
  backupVisibilityLagMs?: number;
  /**
   * Which ended tasks DescribeBackupTasks shows: `by-id` (default: a Finished or Failed task when
   * asked by BackupJobId) or `never` (an ended task vanishes from every answer, as the service may do).
   */
  endedTasksListed?: EndedTasksListed;
  /** One line per request: action, instance, status, code, ms. Never secrets or signatures. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** A copy of the counters at the time of reading. */
  readonly stats: EmulatorStats;
  resetStats(): void;
  /** Replaces the configured faults (and restarts their seeded sequence). */
  setFaults(faults: FaultOptions): void;
  /** Queues one-shot faults for the next authenticated requests, in order. */
  injectFaults(faults: readonly ScriptedFault[]): void;
  addBackup(instanceId: string, raw: RawBackup): void;
  /** False when there was no such set. */
  removeBackup(instanceId: string, backupId: string): boolean;
  /** Changes fields of the instance's backup policy (e.g. `{ BackupLog: "Disabled", EnableBackupLog: "0" }`). */
  setBackupPolicy(instanceId: string, fields: Partial<RawBackupPolicy>): void;
  /** Replaces the instance's log backup files (DescribeBinlogFiles and the restore window follow). */
  setLogFiles(instanceId: string, files: readonly RawBinlogFile[]): void;
  /** The instance's log backup files, oldest first (copies). */
  logFiles(instanceId: string): RawBinlogFile[];
  /**
   * Starts a backup task as if the service had (default: the nightly `Automated` one), without
   * CreateBackup's preconditions; CreateBackup answers BackupJobExists while it runs. Returns its BackupJobId.
   */
  startBackupTask(instanceId: string, spec?: BackupTaskSpec): string;
  /** The next task started on the instance (by CreateBackup or startBackupTask) ends `Failed`. */
  failNextBackup(instanceId: string): void;
  /** Sets the instance's status (`Running`, `Rebooting`, ...): CreateBackup needs `Running`. */
  setInstanceStatus(instanceId: string, status: string): void;
  /** Every task of the instance as DescribeBackupTasks would show it by id now, oldest first. */
  backupTasks(instanceId: string): RawBackupJob[];
  /**
   * Moves the emulator's clock forward (tasks, lags, signature dates alike). Requests signed
   * with the real time are refused once the total offset passes 15 minutes.
   */
  advanceClock(ms: number): void;
  /** Runs `hook` before each DescribeBackups answer; its counter starts at 1. Returns an unsubscribe. */
  onRequest(hook: RequestHook): () => void;
  /** Stops listening, ends keep-alive sockets and pending delays; resolves when closed. */
  close(): Promise<void>;
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const data = typeof options.data === "string" ? loadData(options.data) : validateData(options.data);
  const store = new BackupStore(data);
  const stats = new StatsRecorder();
  const faults = new FaultController(options.faults ?? {});
  const hooks = new Set<(params: DescribeBackupsParams) => Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let offset = options.clockOffsetMs ?? 0;
  const clock = options.now ?? Date.now;
  const now = () => clock() + offset;
  const log = options.log;
  const tasks = new BackupTasks(store, {
    durationMs: checkedMs(options.backupDurationMs, "backupDurationMs") ?? DEFAULT_BACKUP_DURATION_MS,
    visibilityLagMs:
      checkedMs(options.backupVisibilityLagMs, "backupVisibilityLagMs") ?? DEFAULT_BACKUP_VISIBILITY_LAG_MS,
    endedTasksListed: checkedListing(options.endedTasksListed),
  });
  const known = (instanceId: string, hook: string) => {
    if (!store.has(instanceId)) throw new Error(`${hook}: unknown instance ${instanceId}`);
  };

  const handle = createPipeline({
    store,
    tasks,
    keys: new KeyRing(data.accessKeys),
    nonces: new NonceCache(SIGNATURE_WINDOW_MS),
    faults,
    stats,
    now,
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      }),
    runHooks: async (params) => {
      for (const hook of [...hooks]) await hook(params);
    },
    unexpected: (err) =>
      log?.(
        `emulator: unexpected error: ${logValue(err instanceof Error ? err.message : String(err), { keepSpaces: true })}`,
      ),
  });

  const server = createServer((req, res) => {
    stats.request();
    const ctx = newContext(req);
    res.on("close", () => {
      const ms = Math.round(performance.now() - ctx.startedAt);
      const status = ctx.status ?? (ctx.fault ? `fault:${ctx.fault.kind}` : "-");
      log?.(
        `${logValue(ctx.action)} ${logValue(ctx.instance)} ${status} ${ctx.code ?? (ctx.status === 200 ? "OK" : "-")} ${ms}ms`,
      );
    });
    void handle(req, res, ctx);
  });
  // Keep-alive idle sockets must not outlive a test: the SDK keeps connections open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    get stats() {
      return stats.snapshot();
    },
    resetStats: () => stats.reset(),
    setFaults: (f) => faults.set(f),
    injectFaults: (list) => faults.inject(list),
    addBackup: (instanceId, raw) => store.add(instanceId, raw),
    removeBackup: (instanceId, backupId) => store.remove(instanceId, backupId),
    setBackupPolicy: (instanceId, fields) => store.setPolicy(instanceId, fields),
    setLogFiles: (instanceId, files) => store.setLogFiles(instanceId, files),
    logFiles(instanceId) {
      known(instanceId, "logFiles");
      return structuredClone([...store.logFilesOf(instanceId)]);
    },
    startBackupTask(instanceId, spec = {}) {
      known(instanceId, "startBackupTask");
      tasks.settle(now());
      const task: NewTask = { mode: spec.mode ?? "Automated", method: spec.method ?? "Physical" };
      const durationMs = checkedMs(spec.durationMs, "startBackupTask: durationMs");
      if (durationMs !== undefined) task.durationMs = durationMs;
      if (spec.fail !== undefined) task.fail = spec.fail;
      return tasks.start(instanceId, task, now()).jobId;
    },
    failNextBackup(instanceId) {
      known(instanceId, "failNextBackup");
      tasks.failNextOn(instanceId);
    },
    setInstanceStatus(instanceId, status) {
      known(instanceId, "setInstanceStatus");
      store.settingsOf(instanceId)!.status = status;
    },
    backupTasks(instanceId) {
      known(instanceId, "backupTasks");
      return tasks.snapshot(instanceId, now());
    },
    advanceClock(ms) {
      offset += checkedMs(ms, "advanceClock") ?? 0;
    },
    onRequest(hook) {
      let count = 0;
      const wrapped = async (params: DescribeBackupsParams) => {
        count += 1;
        await hook(structuredClone(params), count);
      };
      hooks.add(wrapped);
      return () => {
        hooks.delete(wrapped);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function checkedListing(value: EndedTasksListed | undefined): EndedTasksListed {
  if (value === undefined || value === "by-id" || value === "never") return value ?? "by-id";
  throw new Error(`endedTasksListed: expected "by-id" or "never", got ${String(value)}`);
}

/** A duration option: a finite number of ms, 0 or more (undefined stays undefined). */
function checkedMs(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new Error(`${name}: expected milliseconds >= 0, got ${String(value)}`);
  return value;
}
