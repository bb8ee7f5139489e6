/**
 * `rds-backups ensure`: a fresh backup for each instance, taking one when it is missing and
 * waiting until it is usable (the sdk's ensureFreshBackup). Exit 0 when every instance is fresh
 * or got its backup; 1 when a backup failed or did not finish in time; 2 when an instance could
 * not be read or the input is bad (fail closed).
 *
 * In CI (stderr not a terminal) a heartbeat line per instance goes to stderr every --heartbeat
 * (job id, status, elapsed), so a log shows what runs; on SIGINT or SIGTERM the jobs started or
 * joined are named, with the fact that they go on at the service, before the process ends as
 * the signal would have ended it.
 */
import {
  type ConnectionOptions,
  ENSURE_ARGUMENTS,
  formatDuration,
  ensurePlan,
  ensurePlanned,
  type EnsureProgress,
  type EnsureResult,
  type FreshBackupType,
  RdsApiError,
  RdsBackupJobError,
} from "../../sdk/internal";
import { ExitError, usageError } from "../exit-error";
import { ENSURE_BACKUP_TYPE } from "../options";
import { renderJson } from "../format/json";
import { renderResultLines, type ResultStatus } from "../format/result-lines";
import { toRecord } from "../format/records";
import type { Io } from "../io";
import { mapBounded } from "../pool";
import { concurrencyOf, durationSeconds, plansPerInstance } from "../query";
import { errorText } from "../report-error";

export type EnsureOutput = "text" | "json";

interface EnsureCommandOptions {
  readonly instances: readonly string[];
  /** As typed: "24h", "90m", "7d", "1h30m" or seconds. */
  readonly maxAge: string;
  readonly timeout: string;
  readonly method?: string;
  readonly backupType?: FreshBackupType;
  readonly output: EnsureOutput;
  readonly concurrency?: string;
  /** A job a run before printed (`--job-id`): waited for, never replaced; one instance only. */
  readonly jobId?: string;
  /** As typed (`--heartbeat`): the interval of the heartbeat lines when stderr is not a terminal. Default 30s. */
  readonly heartbeat?: string;
  readonly connection: ConnectionOptions;
}

/** The statuses ensure reports, in the vocabulary it shares with check. */
export const ENSURE_STATUSES = [
  "fresh",
  "taken",
  "joined",
  "failed",
  "timeout",
  "error",
] as const satisfies readonly ResultStatus[];
type Status = (typeof ENSURE_STATUSES)[number];

/** The heartbeat's interval when --heartbeat is not given, seconds; and its bounds. */
export const HEARTBEAT_DEFAULT_SECONDS = 30;
const HEARTBEAT_MAX_SECONDS = 3_600;

interface EnsureLine {
  readonly instance: string;
  readonly status: Status;
  readonly message: string;
  readonly jobId?: string;
  readonly backup?: Record<string, unknown>;
  readonly error?: { readonly code?: string; readonly message: string };
}

export async function ensure(options: EnsureCommandOptions, io: Io): Promise<void> {
  const maxAgeSeconds = durationSeconds(options.maxAge, "--max-age");
  const timeoutSeconds = durationSeconds(options.timeout, "--timeout");
  const concurrency = concurrencyOf(options.concurrency);
  const heartbeatSeconds =
    options.heartbeat === undefined ? HEARTBEAT_DEFAULT_SECONDS : durationSeconds(options.heartbeat, "--heartbeat");
  if (heartbeatSeconds < 1 || heartbeatSeconds > HEARTBEAT_MAX_SECONDS)
    throw usageError(`--heartbeat ${JSON.stringify(options.heartbeat)} is out of range; use 1s to 1h (default 30s)`);
  if (options.jobId !== undefined) {
    if (!/^\d{1,15}$/.test(options.jobId))
      throw usageError(
        `--job-id ${JSON.stringify(options.jobId.slice(0, 40))} is not a job id; use the digits a time-out of ensure printed`,
      );
    if (new Set(options.instances).size !== 1)
      throw usageError("--job-id names the job of one instance: give exactly one <instance-id> with it");
  }
  // Every input is judged before the first call: a bad --timeout or --method stops all of them.
  const plans = plansPerInstance(
    options.instances,
    {
      maxAge: maxAgeSeconds,
      timeout: timeoutSeconds,
      backupMethod: options.method,
      backupType: options.backupType,
    },
    ENSURE_ARGUMENTS,
    ensurePlan,
    [ENSURE_BACKUP_TYPE],
  );
  const progress = progressLine(io);
  const watch = watcher(io, heartbeatSeconds);
  const results = await mapBounded(plans, concurrency, async (plan): Promise<EnsureLine> => {
    const instance = plan.dbInstanceId;
    watch.begin(instance);
    try {
      const result = await ensurePlanned(plan, {
        ...options.connection,
        ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
        onProgress: (p) => {
          watch.update(p);
          progress.update(p);
        },
      });
      return lineOf(instance, result);
    } catch (err) {
      const message = errorText(err);
      if (err instanceof RdsBackupJobError)
        return {
          instance,
          status: err.reason === "timeout" ? "timeout" : "failed",
          message,
          ...(err.jobId ? { jobId: err.jobId } : {}),
        };
      const code = err instanceof RdsApiError ? err.code : undefined;
      return { instance, status: "error", message, error: code ? { code, message } : { message } };
    } finally {
      watch.finish(instance);
      progress.finish(instance);
    }
  });
  watch.stop();
  progress.done();
  const exitCode = results.some((r) => r.status === "error")
    ? 2
    : results.some((r) => r.status === "failed" || r.status === "timeout")
      ? 1
      : 0;
  if (options.output === "json") {
    io.out(
      renderJson({
        ok: exitCode === 0,
        exitCode,
        maxAge: options.maxAge,
        maxAgeSeconds,
        timeoutSeconds,
        checkedAt: io.now().toISOString(),
        results,
      }),
    );
  } else {
    io.out(renderLines(results, io));
  }
  if (exitCode !== 0) throw new ExitError(exitCode);
}

function lineOf(instance: string, r: EnsureResult): EnsureLine {
  const backup = toRecord(r.backup, instance, { showDownloadUrls: false, withInstance: false });
  const jobId = r.jobId === undefined ? {} : { jobId: r.jobId };
  if (r.action === "none") return { instance, status: "fresh", message: `${r.verdict.message}; nothing taken`, backup };
  const how = r.action === "created" ? "took" : "joined the running";
  const what =
    r.jobId === undefined ? "a backup (its job id was lost with CreateBackup's answer)" : `backup job ${r.jobId}`;
  return {
    instance,
    status: r.action === "created" ? "taken" : "joined",
    message: `${r.verdict.message}; ${how} ${what}`,
    ...jobId,
    backup,
  };
}

/** `ok      rm-a: ...` / `TAKEN   rm-b: ...`: the message starts with the instance id; errors get it put first. */
function renderLines(results: readonly EnsureLine[], io: Io): string {
  const p = io.paint;
  const label: Record<Status, string> = {
    fresh: p.green("ok     "),
    taken: p.green("TAKEN  "),
    joined: p.green("JOINED "),
    failed: p.red("FAILED "),
    timeout: p.red("TIMEOUT"),
    error: p.red("ERROR  "),
  };
  return renderResultLines(results, label);
}

/**
 * One line on stderr, redrawn, with the latest progress of each instance being waited for.
 * Only on a terminal: in CI logs, the result lines say everything.
 */
function progressLine(io: Io): {
  update: (p: EnsureProgress) => void;
  finish: (instance: string) => void;
  done: () => void;
} {
  const latest = new Map<string, string>();
  let drawn = false;
  const draw = (): void => {
    if (!io.stderrIsTTY) return;
    const text = [...latest.values()].join(" | ");
    io.err(`\r\u001b[2K${text}`);
    drawn = text !== "";
  };
  return {
    update: (p) => {
      latest.set(p.dbInstanceId, p.message);
      draw();
    },
    finish: (instance) => {
      if (latest.delete(instance)) draw();
    },
    done: () => {
      if (drawn && io.stderrIsTTY) io.err("\r\u001b[2K");
    },
  };
}

/**
 * What each instance is doing, for the heartbeat (stderr not a terminal: one line per instance
 * every `seconds`) and for a signal (the jobs started or joined, which go on at the service).
 */
function watcher(
  io: Io,
  seconds: number,
): {
  begin: (instance: string) => void;
  update: (p: EnsureProgress) => void;
  finish: (instance: string) => void;
  stop: () => void;
} {
  const started = io.now().getTime();
  const state = new Map<string, { job?: EnsureProgress }>();
  const elapsed = () => formatDuration(Math.max(0, Math.round((io.now().getTime() - started) / 1000)));
  const describe = (instance: string, job: EnsureProgress | undefined): string =>
    job
      ? `${instance}: backup job ${job.jobId} (${job.action}) ${job.status === "Listing" ? "finished, its set not listed yet" : job.status}${job.percent !== undefined ? ` ${job.percent}%` : ""}`
      : `${instance}: no backup job yet (judging, looking for a running task)`;
  const beat = (): void => {
    for (const [instance, { job }] of state) io.err(`ensure: ${describe(instance, job)}; elapsed ${elapsed()}\n`);
  };
  const timer = io.stderrIsTTY ? undefined : setInterval(beat, seconds * 1000);
  timer?.unref();
  const stopSignals = io.onInterrupt?.((signal) => {
    for (const [instance, { job }] of state) {
      io.err(
        job
          ? `ensure: ${signal}: stopped waiting for backup job ${job.jobId} of ${instance} (${job.action}, last status ${job.status}); ` +
              `the job goes on at the service: follow it with DescribeBackupTasks (BackupJobId ${job.jobId}) or ` +
              `rds-backups ensure ${instance} --job-id ${job.jobId} --max-age <duration> --timeout <duration>\n`
          : `ensure: ${signal}: stopped ${instance} before any backup job was seen; if CreateBackup was sent, a job may run at the service: look at its backup tasks\n`,
      );
    }
  });
  return {
    begin: (instance) => void state.set(instance, {}),
    update: (p) => void state.set(p.dbInstanceId, { job: p }),
    finish: (instance) => void state.delete(instance),
    stop: () => {
      if (timer) clearInterval(timer);
      stopSignals?.();
    },
  };
}
