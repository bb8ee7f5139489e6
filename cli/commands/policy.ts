/**
 * `rds-backups policy`: the backup policy of each instance (DescribeBackupPolicy), as a table or
 * JSON. Answers "is log backup on for every production instance, and is retention long enough?":
 * exit 0 when every instance has log backup on and meets the minimums given, 1 when one does not
 * (named on stderr), 2 when one could not be read or the input is bad, as `check`.
 */
import {
  ARGUMENTS,
  type BackupPolicy,
  checkArguments,
  type ConnectionOptions,
  describeBackupPolicy,
  POLICY_ARGUMENTS,
  policyFailures,
  RdsApiError,
} from "../../sdk/internal";
import { ExitError, usageError } from "../exit-error";
import { renderJson } from "../format/json";
import { renderTable, type Column } from "../format/table";
import type { Io } from "../io";
import { mapBounded } from "../pool";
import { concurrencyOf, dayCount, describeFailures, plansPerInstance } from "../query";
import { errorText } from "../report-error";

export type PolicyOutput = "table" | "json";

interface PolicyOptions {
  readonly instances: readonly string[];
  /** As typed: checked by the sdk's rule (an integer >= 1), the flag named in its failures. */
  readonly minRetentionDays?: string;
  readonly minLogRetentionDays?: string;
  readonly output: PolicyOutput;
  readonly concurrency?: string;
  readonly connection: ConnectionOptions;
}

interface PolicyResult {
  readonly instance: string;
  readonly status: "ok" | "short" | "error";
  readonly policy?: BackupPolicy;
  /** Why the policy falls short: log backup off, a retention below a minimum. */
  readonly problems: readonly string[];
  readonly error?: { readonly code?: string; readonly message: string };
}

export async function policy(options: PolicyOptions, io: Io): Promise<void> {
  const concurrency = concurrencyOf(options.concurrency);
  // The minimums are the recoverability check's arguments: checked by the same rules, before any call.
  const given = Object.fromEntries(
    [
      ["minRetentionDays", dayCount(options.minRetentionDays)],
      ["minLogRetentionDays", dayCount(options.minLogRetentionDays)],
    ].filter(([, v]) => v !== undefined),
  );
  const checked = checkArguments(given, [ARGUMENTS.minRetentionDays, ARGUMENTS.minLogRetentionDays]);
  if (checked.failures.length > 0) throw usageError(describeFailures(checked.failures));
  const minimums = checked.values as { minRetentionDays?: number; minLogRetentionDays?: number };
  const ids = plansPerInstance(options.instances, {}, POLICY_ARGUMENTS, (v) => v.dbInstanceId as string);
  const results = await mapBounded(ids, concurrency, async (instance): Promise<PolicyResult> => {
    try {
      const p = await describeBackupPolicy({ dbInstanceId: instance }, options.connection);
      const problems = policyFailures(p, minimums).map((f) => f.message);
      return { instance, status: problems.length > 0 ? "short" : "ok", policy: p, problems };
    } catch (err) {
      const code = err instanceof RdsApiError ? err.code : undefined;
      const message = errorText(err);
      return { instance, status: "error", problems: [], error: code ? { code, message } : { message } };
    }
  });
  const exitCode = results.some((r) => r.status === "error") ? 2 : results.some((r) => r.status === "short") ? 1 : 0;
  if (options.output === "json") {
    io.out(
      renderJson({
        ok: exitCode === 0,
        exitCode,
        results: results.map(({ policy: p, ...rest }) => ({ ...rest, ...(p ? { policy: withoutRequestId(p) } : {}) })),
      }),
    );
  } else {
    const readable = results.filter((r) => r.policy !== undefined);
    if (readable.length > 0) io.out(renderPolicyTable(readable, io));
    for (const r of results) {
      if (r.status === "error") io.err(`${io.paintErr.red("ERROR")} ${r.instance}: ${r.error?.message ?? ""}\n`);
      for (const problem of r.problems) io.err(`${io.paintErr.yellow("SHORT")} ${r.instance}: ${problem}\n`);
    }
  }
  if (exitCode !== 0) throw new ExitError(exitCode);
}

function withoutRequestId(p: BackupPolicy): Omit<BackupPolicy, "requestId" | "dbInstanceId"> {
  const { requestId: _id, dbInstanceId: _instance, ...rest } = p;
  return rest;
}

function renderPolicyTable(results: readonly PolicyResult[], io: Io): string {
  const columns: Column[] = [
    { header: "INSTANCE" },
    { header: "LOG BACKUP", paint: (padded, raw) => (raw === "off" ? io.paint.red(padded) : padded) },
    { header: "RETENTION", align: "right" },
    { header: "LOG RETENTION", align: "right" },
    { header: "WINDOW (UTC)" },
    { header: "NEXT BACKUP" },
    { header: "WEEKDAYS" },
  ];
  const rows = results.map((r) => {
    const p = r.policy as BackupPolicy;
    return [
      r.instance,
      p.logBackupEnabled ? "on" : "off",
      `${p.backupRetentionDays}d`,
      p.logBackupRetentionDays === undefined ? "-" : `${p.logBackupRetentionDays}d`,
      p.preferredBackupTime ?? "-",
      p.preferredNextBackupTime ?? "-",
      p.preferredBackupPeriod?.map((d) => d.slice(0, 3)).join(",") ?? "-",
    ];
  });
  return renderTable(columns, rows, { color: io.paint.enabled, paintHeader: io.paint.bold });
}
