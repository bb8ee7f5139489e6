/**
 * `rds-backups check`: the deployment gate. Same verdict and same message as the Pulumi
 * gate (the sdk's checkFreshBackup + freshnessMessage). Exit 0 when every instance is fresh,
 * 1 when one is stale (or has no usable backup), 2 when one could not be read (the API failed,
 * or answered what cannot be right): fail closed. With --recoverable-within, the sdk's
 * point-in-time verdict (judgeRecoverability) too, as one more line per instance: FAIL counts
 * as STALE does (exit 1).
 */
import {
  type ConnectionOptions,
  DEFAULT_FRESH_BACKUP_TYPE,
  FRESH_BACKUP_ARGUMENTS,
  type FreshBackupType,
  freshnessMessage,
  freshnessPlan,
  judgeFreshness,
  judgeRecoverability,
  RdsApiError,
  RECOVERABLE_ARGUMENTS,
  recoverabilityPlan,
  type RecoverabilityVerdict,
} from "../../sdk/internal";
import { usageError } from "../exit-error";
import { ExitError } from "../exit-error";
import { renderJson } from "../format/json";
import { renderResultLines, type ResultStatus } from "../format/result-lines";
import { toRecord } from "../format/records";
import type { Io } from "../io";
import { mapBounded } from "../pool";
import { concurrencyOf, dayCount, durationSeconds, plansPerInstance } from "../query";
import { errorText } from "../report-error";

export type CheckOutput = "text" | "json";

interface CheckOptions {
  readonly instances: readonly string[];
  /** As typed: "24h", "90m", "7d", "1h30m" or seconds. At least one of maxAge and recoverableWithin. */
  readonly maxAge?: string;
  /** As typed, with its unit ("15m"): also judge a point-in-time restore. */
  readonly recoverableWithin?: string;
  /** As typed: checked by the sdk (the flag named in its failures). */
  readonly pointInTime?: string;
  readonly minRetentionDays?: string;
  readonly minLogRetentionDays?: string;
  /** Which backups count (`--backup-type`): FullBackup by default, IncrementalBackup or any. Checked by the parser. */
  readonly backupType?: FreshBackupType;
  readonly mode?: string;
  readonly output: CheckOutput;
  /** Instances checked at the same time, "1".."16" (default 4). */
  readonly concurrency?: string;
  readonly connection: ConnectionOptions;
}

/** The statuses check reports, in the vocabulary it shares with ensure. */
export const CHECK_STATUSES = [
  "fresh",
  "stale",
  "recoverable",
  "unrecoverable",
  "error",
] as const satisfies readonly ResultStatus[];
type CheckStatus = (typeof CHECK_STATUSES)[number];

interface CheckResult {
  readonly instance: string;
  /** Only on the point-in-time lines (the freshness lines keep their shape). */
  readonly check?: "recoverability";
  readonly status: CheckStatus;
  /** The gate's message (ok/stale) or the error's. */
  readonly message: string;
  readonly backup?: Record<string, unknown>;
  /** Seconds since the newest usable backup ended. */
  readonly ageSeconds?: number;
  readonly error?: { readonly code?: string; readonly message: string };
  /** The point-in-time verdict's figures (recoverability lines). */
  readonly recoverability?: Record<string, unknown>;
}

/** What JSON shows of a verdict: every figure, the files as a count (links are never printed). */
function verdictRecord(v: RecoverabilityVerdict): Record<string, unknown> {
  return {
    recoverable: v.recoverable,
    pointInTime: v.pointInTime,
    recoverableWithinSeconds: v.recoverableWithinSeconds,
    failures: v.failures,
    ...(v.engine ? { engine: v.engine } : {}),
    ...(v.fullBackup ? { fullBackupId: v.fullBackup.backupId, fullBackupEndTime: v.fullBackup.backupEndTime } : {}),
    ...(v.window ? { window: { begin: v.window.begin ?? null, end: v.window.end ?? null } } : {}),
    ...(v.chainEnd ? { chainEnd: v.chainEnd } : {}),
    gaps: v.gaps,
    logFiles: v.logFiles?.length ?? 0,
    policy: {
      logBackupEnabled: v.policy.logBackupEnabled,
      backupRetentionDays: v.policy.backupRetentionDays,
      logBackupRetentionDays: v.policy.logBackupRetentionDays ?? null,
    },
  };
}

async function recoverabilityLine(
  plan: ReturnType<typeof recoverabilityPlan>,
  options: CheckOptions,
  io: Io,
): Promise<CheckResult> {
  const instance = plan.dbInstanceId;
  try {
    const verdict = await judgeRecoverability({ ...plan, now: io.now() }, options.connection);
    return {
      instance,
      check: "recoverability",
      status: verdict.recoverable ? "recoverable" : "unrecoverable",
      message: verdict.message,
      recoverability: verdictRecord(verdict),
    };
  } catch (err) {
    return { instance, check: "recoverability", ...failed(err) };
  }
}

function failed(err: unknown): Pick<CheckResult, "status" | "message" | "error"> {
  const code = err instanceof RdsApiError ? err.code : undefined;
  const message = errorText(err);
  return { status: "error", message, error: code ? { code, message } : { message } };
}

export async function check(options: CheckOptions, io: Io): Promise<void> {
  if (options.maxAge === undefined && options.recoverableWithin === undefined)
    throw usageError(
      "--max-age or --recoverable-within is required, e.g. --max-age 24h (see 'rds-backups check --help')",
    );
  const maxAgeSeconds = options.maxAge === undefined ? undefined : durationSeconds(options.maxAge, "--max-age");
  const concurrency = concurrencyOf(options.concurrency);
  const backupType = options.backupType ?? DEFAULT_FRESH_BACKUP_TYPE;
  const plans =
    maxAgeSeconds === undefined
      ? undefined
      : plansPerInstance(
          options.instances,
          { maxAge: maxAgeSeconds, backupType, backupMode: options.mode },
          FRESH_BACKUP_ARGUMENTS,
          freshnessPlan,
        );
  const recoveryPlans =
    options.recoverableWithin === undefined
      ? undefined
      : plansPerInstance(
          options.instances,
          {
            recoverableWithin: durationSeconds(options.recoverableWithin, "--recoverable-within"),
            pointInTime: options.pointInTime,
            minRetentionDays: dayCount(options.minRetentionDays),
            minLogRetentionDays: dayCount(options.minLogRetentionDays),
          },
          RECOVERABLE_ARGUMENTS,
          recoverabilityPlan,
        );
  if (!recoveryPlans && (options.pointInTime ?? options.minRetentionDays ?? options.minLogRetentionDays) !== undefined)
    throw usageError("--point-in-time, --min-retention-days and --min-log-retention-days need --recoverable-within");
  const instances = [...new Set(options.instances)];
  const perInstance = await mapBounded(instances, concurrency, async (_instance, i): Promise<CheckResult[]> => {
    const lines: CheckResult[] = [];
    const plan = plans?.[i];
    if (plan) lines.push(await freshnessLine(plan, io, options));
    const recovery = recoveryPlans?.[i];
    if (recovery) lines.push(await recoverabilityLine(recovery, options, io));
    return lines;
  });
  const results = perInstance.flat();
  const exitCode = results.some((r) => r.status === "error")
    ? 2
    : results.some((r) => r.status === "stale" || r.status === "unrecoverable")
      ? 1
      : 0;
  if (options.output === "json") {
    io.out(
      renderJson({
        ok: exitCode === 0,
        exitCode,
        ...(options.maxAge !== undefined ? { maxAge: options.maxAge, maxAgeSeconds, backupType } : {}),
        ...(options.recoverableWithin !== undefined ? { recoverableWithin: options.recoverableWithin } : {}),
        checkedAt: io.now().toISOString(),
        results,
      }),
    );
  } else {
    io.out(renderLines(results, io));
  }
  if (exitCode !== 0) throw new ExitError(exitCode);
}

/**
 * `ok    rm-a: newest usable backup ...` / `STALE rm-b: ...` / `ERROR rm-c: ...`: the gate's
 * message verbatim (it starts with the instance id); errors get the instance id put first.
 */
function renderLines(results: readonly CheckResult[], io: Io): string {
  const label = {
    fresh: io.paint.green("ok   "),
    stale: io.paint.yellow("STALE"),
    recoverable: io.paint.green("ok   "),
    unrecoverable: io.paint.yellow("FAIL "),
    error: io.paint.red("ERROR"),
  };
  return renderResultLines(results, label);
}

async function freshnessLine(
  plan: ReturnType<typeof freshnessPlan>,
  io: Io,
  options: CheckOptions,
): Promise<CheckResult> {
  const instance = plan.dbInstanceId;
  try {
    const verdict = await judgeFreshness({ ...plan, now: io.now() }, options.connection);
    const backup = verdict.newest
      ? toRecord(verdict.newest, instance, { showDownloadUrls: false, withInstance: false })
      : undefined;
    return {
      instance,
      status: verdict.fresh ? "fresh" : "stale",
      message: freshnessMessage(verdict),
      ...(backup ? { backup, ageSeconds: Math.round(verdict.ageSeconds ?? 0) } : {}),
    };
  } catch (err) {
    return { instance, ...failed(err) };
  }
}
