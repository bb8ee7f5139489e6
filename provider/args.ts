/**
 * The arguments of `getBackups`, `requireFreshBackup` and `ensureFreshBackup`: which of sdk/'s
 * declared arguments each takes (sdk/arguments.ts), plus the connection's. Checked once per
 * process: in the program, before the read is registered (so bad input fails `pulumi preview`
 * before anything else), and in the provider's process, whose `read` gets no `check` from the
 * engine. What a check returns is what the provider runs: sdk/ does not check it again.
 *
 * The rules and their messages are sdk/'s: one place for each.
 */
import {
  ARGUMENTS,
  type BackupMode,
  checkArguments,
  type CheckedArguments,
  checkWindow,
  CONNECTION_ARGUMENTS,
  DEFAULT_FRESH_BACKUP_TYPE,
  ENSURE_ARGUMENTS,
  ensurePlan,
  type EnsurePlan,
  failure,
  formatDuration,
  type FreshBackupType,
  freshnessPlan,
  type FreshnessPlan,
  QUERY_ARGUMENTS,
  RdsValidationError,
  RECOVERY_OPTION_ARGUMENTS,
  recoveryRequirement,
  type RecoveryRequirement,
  type ValidatedQuery,
  type ValidationFailure,
  wireQuery,
} from "../sdk/internal";
import type { ConnectionArgs } from "./types";

/** Each function's arguments, in the order their failures are reported. */
export const GET_BACKUPS_ARGUMENTS = [
  ...QUERY_ARGUMENTS,
  ARGUMENTS.since,
  ARGUMENTS.includeDownloadUrls,
  ...CONNECTION_ARGUMENTS,
] as const;
/** The gate's, without `now`: a deployment is judged at the moment it runs. */
export const REQUIRE_FRESH_BACKUP_ARGUMENTS = [
  ARGUMENTS.dbInstanceId,
  ARGUMENTS.maxAge,
  ARGUMENTS.freshBackupType,
  ARGUMENTS.backupMode,
  ...RECOVERY_OPTION_ARGUMENTS,
  ...CONNECTION_ARGUMENTS,
] as const;
/**
 * The sdk's query, and the job to resume (the sdk's `options.jobId`; named `resumeJobId` here
 * because `jobId` is the resource's output: the job the last update waited for).
 */
export const ENSURE_FRESH_BACKUP_ARGUMENTS = [
  ...ENSURE_ARGUMENTS,
  {
    ...ARGUMENTS.jobId,
    name: "resumeJobId",
    doc:
      "A backup job to wait for instead of taking a backup: the id a timed-out update names. Set it for the next `pulumi up`, " +
      "remove it after that up succeeds. While a backup is fresh it changes nothing; once the job's set is listed and too old, it is ignored.",
  },
  ...RECOVERY_OPTION_ARGUMENTS,
  ...CONNECTION_ARGUMENTS,
] as const;

/** Failures as data (a provider's `check` wants a list); `request` only when there are none. */
export interface Checked<R> {
  readonly failures: readonly ValidationFailure[];
  readonly request?: R;
}

export interface BackupsRequest {
  /** Checked: sent as it is. */
  readonly query: ValidatedQuery;
  readonly connection: ConnectionArgs;
  readonly includeDownloadUrls: boolean;
}

export interface FreshBackupRequest extends FreshnessPlan {
  /** Also required: a point-in-time restore (`recoverableWithin` given). */
  readonly recovery?: RecoveryRequirement;
  readonly connection: ConnectionArgs;
}

export interface EnsureBackupRequest {
  readonly plan: EnsurePlan;
  /** The job to wait for instead of taking a backup (after a time-out). */
  readonly resumeJobId?: string;
  /** Also required after the backup: a point-in-time restore (`recoverableWithin` given). */
  readonly recovery?: RecoveryRequirement;
  readonly connection: ConnectionArgs;
}

/**
 * `now` turns `since` into a start time. It is read when the read runs, not when the program
 * registers it, so a rolling window keeps one read name from run to run.
 */
export function checkBackupsArgs(args: unknown, now: Date = new Date()): Checked<BackupsRequest> {
  const { values, failures } = checkArguments(args, GET_BACKUPS_ARGUMENTS, "args");
  const window = { ...values };
  if (values.since !== undefined) {
    const given = args as Record<string, unknown>;
    if (given.startTime !== undefined) {
      failures.push(
        failure("since", given.since, "either since or startTime, not both (both set the start of the window)"),
      );
    } else {
      window.startTime = new Date(now.getTime() - (values.since as number) * 1000);
    }
  }
  checkWindow(window, args as Record<string, unknown>, failures, now);
  if (failures.length > 0) return { failures };
  const request = {
    query: wireQuery(pick(window, QUERY_ARGUMENTS)),
    connection: connectionOf(values),
    includeDownloadUrls: values.includeDownloadUrls === true,
  };
  return { failures, request };
}

export function checkFreshBackupArgs(args: unknown): Checked<FreshBackupRequest> {
  return checked(checkArguments(args, REQUIRE_FRESH_BACKUP_ARGUMENTS, "args"), (values, recovery) => ({
    ...freshnessPlan(values),
    ...(recovery ? { recovery } : {}),
    connection: connectionOf(values),
  }));
}

export function checkEnsureBackupArgs(args: unknown): Checked<EnsureBackupRequest> {
  return checked(checkArguments(args, ENSURE_FRESH_BACKUP_ARGUMENTS, "args"), (values, recovery) => ({
    plan: ensurePlan(values),
    ...(typeof values.resumeJobId === "string" ? { resumeJobId: values.resumeJobId } : {}),
    ...(recovery ? { recovery } : {}),
    connection: connectionOf(values),
  }));
}

/** The parse* forms throw `RdsValidationError` naming every bad field. */
export function parseBackupsArgs(args: unknown, now?: Date): BackupsRequest {
  return orThrow(checkBackupsArgs(args, now));
}

export function parseFreshBackupArgs(args: unknown): FreshBackupRequest {
  return orThrow(checkFreshBackupArgs(args));
}

export function parseEnsureBackupArgs(args: unknown): EnsureBackupRequest {
  return orThrow(checkEnsureBackupArgs(args));
}

/** The request, or the failures: those of the list, and a retention minimum without recoverableWithin. */
function checked<R>(
  { values, failures }: CheckedArguments,
  request: (values: Readonly<Record<string, unknown>>, recovery: RecoveryRequirement | undefined) => R,
): Checked<R> {
  const all = [...failures];
  const recovery = recoveryRequirement(values, all);
  return all.length > 0 ? { failures: all } : { failures: all, request: request(values, recovery) };
}

function orThrow<R>(c: Checked<R>): R {
  if (c.request === undefined) throw new RdsValidationError(c.failures);
  return c.request;
}

function connectionOf(values: Readonly<Record<string, unknown>>): ConnectionArgs {
  return pick(values, CONNECTION_ARGUMENTS) as ConnectionArgs;
}

function pick(
  values: Readonly<Record<string, unknown>>,
  decls: readonly { readonly name: string }[],
): Record<string, unknown> {
  return Object.fromEntries(decls.filter((d) => values[d.name] !== undefined).map((d) => [d.name, values[d.name]]));
}

/**
 * `rm-xxx: a usable FullBackup ended within 24h`: what the gate requires and ensureFreshBackup
 * guarantees, from the arguments only, so it stays the same while the backup holds (the gate's
 * `checked` and ensure's `ensured`: the input to give a gated resource).
 */
export function requirementText(
  r: {
    dbInstanceId: string;
    maxAgeSeconds: number;
    backupType?: FreshBackupType;
    backupMode?: BackupMode;
  },
  recovery?: RecoveryRequirement,
): string {
  const type = r.backupType ?? DEFAULT_FRESH_BACKUP_TYPE;
  const what = [r.backupMode, type === "any" ? "backup of any type" : type].filter(Boolean).join(" ");
  const backup = `${r.dbInstanceId}: a usable ${what} ended within ${formatDuration(r.maxAgeSeconds)}`;
  if (recovery === undefined) return backup;
  const retention = [
    recovery.minRetentionDays !== undefined ? `backups kept ${recovery.minRetentionDays}+ days` : undefined,
    recovery.minLogRetentionDays !== undefined ? `logs kept ${recovery.minLogRetentionDays}+ days` : undefined,
  ].filter(Boolean);
  return `${backup}, and a point-in-time restore to within ${formatDuration(recovery.recoverableWithinSeconds)} of now${retention.length > 0 ? ` (${retention.join(", ")})` : ""}`;
}

// --- getRecoverability (the point-in-time recoverability data source) ---------------------------
// Its imports are here rather than above, so that this section reaches main as an append.
import { recoverabilityPlan, type RecoverabilityPlan } from "../sdk/internal";

/**
 * The sdk's recoverability query without `now` (a read judges at the moment it runs, as the gate
 * does), the log files' links (opt-in), and the connection.
 */
export const GET_RECOVERABILITY_ARGUMENTS = [
  ARGUMENTS.dbInstanceId,
  ARGUMENTS.recoverableWithin,
  ARGUMENTS.pointInTime,
  ARGUMENTS.minRetentionDays,
  ARGUMENTS.minLogRetentionDays,
  {
    ...ARGUMENTS.includeDownloadUrls,
    doc: "Include the log files' pre-signed download links. Off by default: a link is a key to the data. When on, the result is a secret.",
  },
  ...CONNECTION_ARGUMENTS,
] as const;

export interface RecoverabilityRequest {
  /** Checked: judged as it is (no `pointInTime`: the moment the read runs). */
  readonly plan: RecoverabilityPlan;
  readonly connection: ConnectionArgs;
  readonly includeDownloadUrls: boolean;
}

export function checkRecoverabilityArgs(args: unknown): Checked<RecoverabilityRequest> {
  return checked(checkArguments(args, GET_RECOVERABILITY_ARGUMENTS, "args"), (values) => ({
    plan: recoverabilityPlan(values),
    connection: connectionOf(values),
    includeDownloadUrls: values.includeDownloadUrls === true,
  }));
}

export function parseRecoverabilityArgs(args: unknown): RecoverabilityRequest {
  return orThrow(checkRecoverabilityArgs(args));
}
