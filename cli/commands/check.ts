/**
 * `rds-backups check`: the deployment gate. Same verdict and same message as the Pulumi
 * gate (the sdk's checkFreshBackup + freshnessMessage). Exit 0 when every instance is fresh,
 * 1 when one is stale (or has no usable backup), 2 when one could not be read (the API failed,
 * or answered what cannot be right): fail closed.
 */
import {
  type ConnectionOptions,
  DEFAULT_FRESH_BACKUP_TYPE,
  FRESH_BACKUP_ARGUMENTS,
  type FreshBackupType,
  freshnessMessage,
  freshnessPlan,
  judgeFreshness,
  RdsApiError,
} from "../../sdk/internal";
import { ExitError } from "../exit-error";
import { renderJson } from "../format/json";
import { renderResultLines, type ResultStatus } from "../format/result-lines";
import { toRecord } from "../format/records";
import type { Io } from "../io";
import { mapBounded } from "../pool";
import { concurrencyOf, durationSeconds, plansPerInstance } from "../query";
import { errorText } from "../report-error";

export type CheckOutput = "text" | "json";

interface CheckOptions {
  readonly instances: readonly string[];
  /** As typed: "24h", "90m", "7d", "1h30m" or seconds. */
  readonly maxAge: string;
  /** Which backups count (`--backup-type`): FullBackup by default, IncrementalBackup or any. Checked by the parser. */
  readonly backupType?: FreshBackupType;
  readonly mode?: string;
  readonly output: CheckOutput;
  /** Instances checked at the same time, "1".."16" (default 4). */
  readonly concurrency?: string;
  readonly connection: ConnectionOptions;
}

/** The statuses check reports, in the vocabulary it shares with ensure. */
export const CHECK_STATUSES = ["fresh", "stale", "error"] as const satisfies readonly ResultStatus[];
type CheckStatus = (typeof CHECK_STATUSES)[number];

interface CheckResult {
  readonly instance: string;
  readonly status: CheckStatus;
  /** The gate's message (ok/stale) or the error's. */
  readonly message: string;
  readonly backup?: Record<string, unknown>;
  /** Seconds since the newest usable backup ended. */
  readonly ageSeconds?: number;
  readonly error?: { readonly code?: string; readonly message: string };
}

export async function check(options: CheckOptions, io: Io): Promise<void> {
  const maxAgeSeconds = durationSeconds(options.maxAge, "--max-age");
  const concurrency = concurrencyOf(options.concurrency);
  const backupType = options.backupType ?? DEFAULT_FRESH_BACKUP_TYPE;
  const plans = plansPerInstance(
    options.instances,
    { maxAge: maxAgeSeconds, backupType, backupMode: options.mode },
    FRESH_BACKUP_ARGUMENTS,
    freshnessPlan,
  );
  const results = await mapBounded(plans, concurrency, async (plan): Promise<CheckResult> => {
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
      const code = err instanceof RdsApiError ? err.code : undefined;
      const message = errorText(err);
      return { instance, status: "error", message, error: code ? { code, message } : { message } };
    }
  });
  const exitCode = results.some((r) => r.status === "error") ? 2 : results.some((r) => r.status === "stale") ? 1 : 0;
  if (options.output === "json") {
    io.out(
      renderJson({
        ok: exitCode === 0,
        exitCode,
        maxAge: options.maxAge,
        maxAgeSeconds,
        backupType,
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
  const label = { fresh: io.paint.green("ok   "), stale: io.paint.yellow("STALE"), error: io.paint.red("ERROR") };
  return renderResultLines(results, label);
}
