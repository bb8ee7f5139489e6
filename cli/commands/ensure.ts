/**
 * `rds-backups ensure`: a fresh backup for each instance, taking one when it is missing and
 * waiting until it is usable (the sdk's ensureFreshBackup). Exit 0 when every instance is fresh
 * or got its backup; 1 when a backup failed or did not finish in time; 2 when an instance could
 * not be read or the input is bad (fail closed).
 */
import {
  type ConnectionOptions,
  ENSURE_ARGUMENTS,
  ensurePlan,
  ensurePlanned,
  type EnsureProgress,
  type EnsureResult,
  type FreshBackupType,
  RdsApiError,
  RdsBackupJobError,
} from "../../sdk/internal";
import { ExitError } from "../exit-error";
import { ENSURE_BACKUP_TYPE } from "../options";
import { renderJson } from "../format/json";
import { renderResultLines } from "../format/result-lines";
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
  readonly connection: ConnectionOptions;
}

type Status = "fresh" | "taken" | "joined" | "failed" | "timeout" | "error";

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
  const results = await mapBounded(plans, concurrency, async (plan): Promise<EnsureLine> => {
    const instance = plan.dbInstanceId;
    try {
      const result = await ensurePlanned(plan, { ...options.connection, onProgress: progress.update });
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
      progress.finish(instance);
    }
  });
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
  return {
    instance,
    status: r.action === "created" ? "taken" : "joined",
    message: `${r.verdict.message}; ${how} backup job ${r.jobId}`,
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
