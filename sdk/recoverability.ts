/**
 * Can the instance be restored to a point in time (default now), losing at most a stated lag?
 * A fresh full backup is not enough: a restore to "the minute before this change" replays the
 * log backups (binlog, WAL) from a full set up to that minute, so the check a careful DBA runs is:
 *
 *  1. log backup on          DescribeBackupPolicy: BackupLog Enable (EnableBackupLog 1);
 *  2. a full set before it   DescribeBackups: the newest usable physical or snapshot full set
 *                            that ended by the point;
 *  3. the restore window     DescribeLocalAvailableRecoveryTime: it begins by the point and its end
 *                            is no older than the lag (point - end <= recoverableWithin);
 *  4. an unbroken log chain  DescribeBinlogFiles from the full set's start to the point: the
 *                            uploaded files cover it with no gap, up to the point minus the lag;
 *  5. retention, if asked    BackupRetentionPeriod >= minRetentionDays,
 *                            LogBackupRetentionPeriod >= minLogRetentionDays.
 *
 * Every failing condition is named with its figure (the window's end and age, the gap's bounds,
 * the policy field and its value); the verdict passes only when none fails. An answer that
 * cannot be right (a window of another instance or ending in the future, files outside the range
 * asked for, a total that lies) is an error, never a verdict. A log file names no instance, only
 * the node that wrote it, and backups usually run on the standby while logs come from the
 * primary, so a file's node cannot prove it foreign: no check pretends to. SQL Server: the log calls do not serve it, so the chain and the
 * window cannot be checked here; the verdict says so and never passes.
 *
 * Assumptions (the reference is silent): the chain is the union of every uploaded file whatever
 * its node (after an HA switch-over the new node's files continue the chain); two files that meet
 * within CHAIN_TOLERANCE_MS leave no gap; the chain must start by the full set's start (a
 * physical backup is consistent only with the logs written while it ran); a Logical set (a dump)
 * starts no chain, so it is never the restore's start (the cautious reading: it may only make a
 * restore look impossible, never possible).
 */
import { RECOVERABLE_ARGUMENTS } from "./arguments";
import { checkArguments } from "./check-arguments";
import { escapeControl } from "./display-text";
import { formatDuration } from "./duration";
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";
import { listValidatedBackups } from "./list-backups";
import { listRangeLogFiles, readBackupPolicy, readRestoreWindow } from "./log-backup-reads";
import { newestUsableBackup } from "./newest";
import { resolveOptions, type ListOptions } from "./options";
import { CLOCK_SKEW_MS, MAX_BACKUP_DURATION_SECONDS, parseTimeInput, toIsoSeconds } from "./time";
import type { Backup, BackupPolicy, LogFile, RestoreWindow, TimeInput } from "./types";
import { LOG_CHAIN_ENGINES } from "./types";
import { wireQuery } from "./validate";

/** Two files that meet within this many ms (the API's times are whole seconds) leave no gap. */
export const CHAIN_TOLERANCE_MS = 1_000;
const DAY_MS = 24 * 3600 * 1000;

export interface RecoverableQuery {
  readonly dbInstanceId: string;
  /** The most data a restore may lose: `"15m"`, `"1h"` or seconds. */
  readonly recoverableWithin: string | number;
  /** The moment a restore must reach. Default: now. */
  readonly pointInTime?: TimeInput;
  /** Least acceptable BackupRetentionPeriod, days. */
  readonly minRetentionDays?: number;
  /** Least acceptable LogBackupRetentionPeriod, days. */
  readonly minLogRetentionDays?: number;
  /** The moment to judge at. Default: `options.now`, then the clock. */
  readonly now?: TimeInput;
}

/** Which condition failed: each has its own figure in `message`. */
export type RecoverabilityCondition =
  "engine" | "logBackup" | "fullBackup" | "restoreWindow" | "logChain" | "retention" | "logRetention";

export interface RecoverabilityFailure {
  readonly condition: RecoverabilityCondition;
  /** One sentence with the figure: the policy field and value, the window's end and age, the gap's bounds. */
  readonly message: string;
}

/** A stretch the uploaded log files do not cover: no restore inside it. */
export interface LogGap {
  /** ISO-8601 UTC. */
  readonly from: string;
  readonly to: string;
  readonly seconds: number;
}

export interface RecoverabilityVerdict {
  readonly recoverable: boolean;
  readonly dbInstanceId: string;
  /** ISO-8601 UTC: the moment a restore must reach, and the moment of the check. */
  readonly pointInTime: string;
  readonly checkedAt: string;
  readonly recoverableWithinSeconds: number;
  /** Every failing condition, in the order of the header; empty when recoverable. */
  readonly failures: readonly RecoverabilityFailure[];
  readonly policy: BackupPolicy;
  /** The newest usable full set that ended by the point (absent: none). */
  readonly fullBackup?: Backup;
  /** The engine, from that set. */
  readonly engine?: string;
  /** Absent when not read (no full set, SQL Server). */
  readonly window?: RestoreWindow;
  /** The log files read from the full set's start to the point, oldest first (links only when asked). */
  readonly logFiles?: readonly LogFile[];
  /** Where the unbroken chain from the full set ends, ISO-8601 UTC. */
  readonly chainEnd?: string;
  readonly gaps: readonly LogGap[];
  /** API calls made (retries not counted): DescribeBinlogFiles alone in `logFileCalls`. */
  readonly calls: number;
  readonly logFileCalls: number;
  /** One line for people: the verdict and every failure. */
  readonly message: string;
}

/** A checked query. */
export interface RecoverabilityPlan {
  readonly dbInstanceId: string;
  readonly recoverableWithinSeconds: number;
  readonly pointInTime?: Date;
  readonly minRetentionDays?: number;
  readonly minLogRetentionDays?: number;
  readonly now?: Date;
}

/**
 * What a deployment gate (the Pulumi gate, ensure, the hooks) requires of a point-in-time restore
 * besides a fresh backup: judged at the moment it runs, so the point is now.
 */
export interface RecoveryRequirement {
  readonly recoverableWithinSeconds: number;
  readonly minRetentionDays?: number;
  readonly minLogRetentionDays?: number;
}

/**
 * The requirement among values checked against RECOVERY_OPTION_ARGUMENTS: absent when
 * `recoverableWithin` is not given. A retention minimum without it is a failure (pushed onto
 * `failures`): it would silently check nothing.
 */
export function recoveryRequirement(
  values: Readonly<Record<string, unknown>>,
  failures: ValidationFailure[],
): RecoveryRequirement | undefined {
  const { recoverableWithin, minRetentionDays, minLogRetentionDays } = values as {
    recoverableWithin?: number;
    minRetentionDays?: number;
    minLogRetentionDays?: number;
  };
  if (recoverableWithin === undefined) {
    for (const [field, value] of Object.entries({ minRetentionDays, minLogRetentionDays })) {
      if (value !== undefined)
        failures.push(
          failure(
            field,
            value,
            'it with recoverableWithin too (e.g. recoverableWithin: "15m")',
            "checks nothing alone",
          ),
        );
    }
    return undefined;
  }
  // ensure and the hooks: the backup they take must be able to start the chain.
  if (values.backupMethod === "Logical")
    failures.push(
      failure(
        "backupMethod",
        "Logical",
        "Physical or Snapshot with recoverableWithin",
        "cannot start a point-in-time restore (a logical backup is a dump, not the start of a log chain)",
      ),
    );
  return {
    recoverableWithinSeconds: recoverableWithin,
    ...(minRetentionDays !== undefined ? { minRetentionDays } : {}),
    ...(minLogRetentionDays !== undefined ? { minLogRetentionDays } : {}),
  };
}

/**
 * The conditions a new full backup meets by itself: a restore then starts from it, so neither an
 * old set's absence, nor a gap in the chain since that old set, nor a window that ends too long
 * ago matters (the window reaches the newest set's end; if the service's did not, the judgement
 * after the backup still stops the change). Never met by a backup: log backup off, retention,
 * the engine. ensure and the hooks take a backup for these, then judge everything again.
 */
export const CONDITIONS_A_NEW_BACKUP_MEETS: readonly RecoverabilityCondition[] = [
  "fullBackup",
  "logChain",
  "restoreWindow",
];

/** Whether a new full backup would make the verdict pass: it failed, and only on conditions such a backup meets. */
export function aNewBackupRepairs(verdict: RecoverabilityVerdict | undefined): boolean {
  return (
    verdict !== undefined &&
    !verdict.recoverable &&
    verdict.failures.every((f) => CONDITIONS_A_NEW_BACKUP_MEETS.includes(f.condition))
  );
}

/**
 * The verdict on what is left when a new full backup is about to be taken: without the conditions
 * it meets, and without what described the old set (its chain, gaps and files), which the new
 * one replaces; its message says the rest is judged again after the backup.
 */
export function verdictBeforeNewBackup(verdict: RecoverabilityVerdict): RecoverabilityVerdict {
  const failures = verdict.failures.filter((f) => !CONDITIONS_A_NEW_BACKUP_MEETS.includes(f.condition));
  const { fullBackup: _old, chainEnd: _end, logFiles: _files, ...rest } = verdict;
  const base = { ...rest, failures, gaps: [], recoverable: failures.length === 0 };
  const message = base.recoverable
    ? `${recoverabilityHead(base)}: possible from the new full backup, judged again once it is usable`
    : recoverabilityMessage(base);
  return { ...base, message };
}

/** The plan of values checked against RECOVERABLE_ARGUMENTS (or a list that holds them). */
export function recoverabilityPlan(values: Readonly<Record<string, unknown>>): RecoverabilityPlan {
  const v = values as {
    dbInstanceId: string;
    recoverableWithin: number;
    pointInTime?: Date;
    minRetentionDays?: number;
    minLogRetentionDays?: number;
    now?: Date;
  };
  return {
    dbInstanceId: v.dbInstanceId,
    recoverableWithinSeconds: v.recoverableWithin,
    ...(v.pointInTime ? { pointInTime: v.pointInTime } : {}),
    ...(v.minRetentionDays !== undefined ? { minRetentionDays: v.minRetentionDays } : {}),
    ...(v.minLogRetentionDays !== undefined ? { minLogRetentionDays: v.minLogRetentionDays } : {}),
    ...(v.now ? { now: v.now } : {}),
  };
}

export async function checkRecoverable(
  query: RecoverableQuery,
  options: ListOptions = {},
): Promise<RecoverabilityVerdict> {
  const { values, failures } = checkArguments(query, RECOVERABLE_ARGUMENTS);
  if (failures.length > 0) throw new RdsValidationError(failures);
  return judgeRecoverability(recoverabilityPlan(values), options);
}

const ago = (fromMs: number, toMs: number) => formatDuration(Math.max(0, Math.round((toMs - fromMs) / 1000)));

/** The uploaded files' union from `fromMs`: where it stops, and the holes before that. */
export function logChain(
  files: readonly LogFile[],
  fromMs: number,
  untilMs: number,
): { endMs: number; gaps: LogGap[] } {
  const uploaded = files
    .filter((f) => f.remoteStatus === undefined || f.remoteStatus === "Completed")
    .map((f) => ({ begin: Date.parse(f.beginTime), end: Date.parse(f.endTime) }))
    .sort((a, b) => a.begin - b.begin);
  const gaps: LogGap[] = [];
  let cursor = fromMs;
  let started = false;
  for (const f of uploaded) {
    if (f.end < cursor) continue;
    if (f.begin > cursor + CHAIN_TOLERANCE_MS) {
      if (cursor >= untilMs) break;
      gaps.push({
        from: toIsoSeconds(cursor),
        to: toIsoSeconds(f.begin),
        seconds: Math.round((f.begin - cursor) / 1000),
      });
    }
    started = true;
    cursor = Math.max(cursor, f.end);
  }
  return { endMs: started ? cursor : fromMs, gaps };
}

/** The verdict on a checked plan. */
export async function judgeRecoverability(
  plan: RecoverabilityPlan,
  options: ListOptions = {},
): Promise<RecoverabilityVerdict> {
  const { dbInstanceId, recoverableWithinSeconds: lagSeconds } = plan;
  const now = plan.now ?? (options.now === undefined ? new Date() : parseTimeInput(options.now, "now"));
  const point = plan.pointInTime ?? now;
  if (point.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new RdsValidationError([
      failure(
        "pointInTime",
        point,
        `a time not after now (${toIsoSeconds(now)}): no restore reaches the future`,
        "is in the future",
      ),
    ]);
  }
  const o = resolveOptions({ ...options, now });
  const pointMs = point.getTime();
  const lagMs = lagSeconds * 1000;
  const failures: RecoverabilityFailure[] = [];
  const fail = (condition: RecoverabilityCondition, message: string) => failures.push({ condition, message });
  let calls = 0;

  // 1. The policy (every engine has one).
  const policy = await readBackupPolicy(dbInstanceId, o);
  calls += 1;
  const fromPolicy = policyFailures(policy, plan);
  failures.push(...fromPolicy.filter((f) => f.condition === "logBackup"));

  // 2. The newest usable full set that ended by the point, within the data retention.
  // When the point is now, a set the service says ended a moment "after" it (its clock ahead of
  // ours, e.g. the backup ensure just took) is before it: the skew the answers' checks allow.
  const endedByMs = pointMs + (plan.pointInTime === undefined ? CLOCK_SKEW_MS : 0);
  const since = new Date(pointMs - policy.backupRetentionDays * DAY_MS - MAX_BACKUP_DURATION_SECONDS * 1000);
  const sets = await listValidatedBackups(
    wireQuery({
      dbInstanceId,
      backupStatus: "Success",
      backupType: "FullBackup",
      startTime: since,
      endTime: new Date(endedByMs),
    }),
    { ...options, now },
  );
  calls += sets.calls;
  const fullBackup = newestUsableBackup(
    sets.backups.filter((b) => Date.parse(b.backupEndTime) <= endedByMs && b.backupMethod !== "Logical"),
  );
  // Any listed set names the engine (SQL Server is known even with no usable set to start from).
  const engine = fullBackup?.engine ?? sets.backups[0]?.engine;
  if (!fullBackup) {
    fail(
      "fullBackup",
      `no usable physical or snapshot full backup ended between ${toIsoSeconds(since)} and the point ${toIsoSeconds(point)} (BackupRetentionPeriod ${policy.backupRetentionDays} days)`,
    );
  }

  let window: RestoreWindow | undefined;
  let logFiles: readonly LogFile[] | undefined;
  let chainEnd: string | undefined;
  let gaps: LogGap[] = [];
  let logFileCalls = 0;
  if (engine !== undefined && !(LOG_CHAIN_ENGINES as readonly string[]).includes(engine)) {
    fail(
      "engine",
      `${engine}: the restore window and the log chain cannot be checked (DescribeLocalAvailableRecoveryTime and ` +
        `DescribeBinlogFiles do not serve this engine); not judged recoverable`,
    );
  } else if (fullBackup) {
    // 3. The window.
    window = await readRestoreWindow(dbInstanceId, o);
    calls += 1;
    if (window.begin === undefined || window.end === undefined) {
      fail("restoreWindow", "the API reports no restore window (DescribeLocalAvailableRecoveryTime gave no times)");
    } else {
      const endMs = Date.parse(window.end);
      if (Date.parse(window.begin) > pointMs)
        fail("restoreWindow", `the restore window begins at ${window.begin}, after the point ${toIsoSeconds(point)}`);
      else if (pointMs - endMs > lagMs)
        fail(
          "restoreWindow",
          `the restore window ends at ${window.end}, ${ago(endMs, pointMs)} before the point ${toIsoSeconds(point)}, more than recoverableWithin ${formatDuration(lagSeconds)}`,
        );
    }
    // 4. The chain, when log backup is on.
    if (policy.logBackupEnabled) {
      const fromMs = Date.parse(fullBackup.backupStartTime);
      // A set that started within the lag of the point needs no log file (a backup just taken):
      // nothing to list, and the API refuses a range whose end is not after its start.
      const needsFiles = fromMs + CHAIN_TOLERANCE_MS < pointMs - lagMs;
      const list = needsFiles
        ? await listRangeLogFiles({ dbInstanceId, start: new Date(fromMs), end: point }, o)
        : { files: [], calls: 0 };
      calls += list.calls;
      logFileCalls = list.calls;
      logFiles = list.files;
      const chain = logChain(list.files, fromMs, pointMs - lagMs);
      gaps = chain.gaps;
      // Unbroken: to the first gap, not to the last file after it.
      chainEnd = gaps[0]?.from ?? toIsoSeconds(chain.endMs);
      const pending = list.files.filter((f) => f.remoteStatus !== undefined && f.remoteStatus !== "Completed").length;
      const pendingNote = pending > 0 ? ` (${pending} file${pending === 1 ? "" : "s"} not uploaded)` : "";
      const first = gaps[0];
      if (first) {
        const more = gaps.length > 1 ? ` and ${gaps.length - 1} more gap${gaps.length === 2 ? "" : "s"}` : "";
        fail(
          "logChain",
          `the log chain from full backup ${escapeControl(fullBackup.backupId)} (started ${fullBackup.backupStartTime}) has a gap from ${first.from} to ${first.to} (${formatDuration(first.seconds)})${more}: no restore inside it${pendingNote}`,
        );
      } else if (pointMs - chain.endMs > lagMs) {
        fail(
          "logChain",
          `the log chain from full backup ${escapeControl(fullBackup.backupId)} ends at ${chainEnd}, ${ago(chain.endMs, pointMs)} before the point ${toIsoSeconds(point)}, more than recoverableWithin ${formatDuration(lagSeconds)}${pendingNote}`,
        );
      }
    }
  }

  // 5. Retention.
  failures.push(...fromPolicy.filter((f) => f.condition !== "logBackup"));

  const base = {
    recoverable: failures.length === 0,
    dbInstanceId,
    pointInTime: toIsoSeconds(point),
    checkedAt: toIsoSeconds(now),
    recoverableWithinSeconds: lagSeconds,
    failures,
    policy,
    ...(fullBackup ? { fullBackup } : {}),
    ...(engine ? { engine } : {}),
    ...(window ? { window } : {}),
    ...(logFiles ? { logFiles } : {}),
    ...(chainEnd ? { chainEnd } : {}),
    gaps,
    calls,
    logFileCalls,
  };
  return { ...base, message: recoverabilityMessage(base) };
}

/**
 * What the policy alone says against a point-in-time restore: log backup off, a retention below
 * a minimum given. The verdict and the CLI's `policy` use this one wording.
 */
export function policyFailures(
  policy: BackupPolicy,
  minimums: { readonly minRetentionDays?: number; readonly minLogRetentionDays?: number },
): RecoverabilityFailure[] {
  const failures: RecoverabilityFailure[] = [];
  if (!policy.logBackupEnabled)
    failures.push({
      condition: "logBackup",
      message: "log backup is off (DescribeBackupPolicy BackupLog Disabled): no restore to a point in time",
    });
  if (minimums.minRetentionDays !== undefined && policy.backupRetentionDays < minimums.minRetentionDays)
    failures.push({
      condition: "retention",
      message: `BackupRetentionPeriod is ${policy.backupRetentionDays} days, below minRetentionDays ${minimums.minRetentionDays}`,
    });
  const days = policy.logBackupRetentionDays;
  if (minimums.minLogRetentionDays !== undefined && (days === undefined || days < minimums.minLogRetentionDays))
    failures.push({
      condition: "logRetention",
      message: `LogBackupRetentionPeriod is ${days === undefined ? "not reported" : `${days} days`}, below minLogRetentionDays ${minimums.minLogRetentionDays}`,
    });
  return failures;
}

/** One line: the verdict, then each failing condition with its figure. */
function recoverabilityHead(v: Omit<RecoverabilityVerdict, "message">): string {
  return `${v.dbInstanceId}: point-in-time restore to ${v.pointInTime} within ${formatDuration(v.recoverableWithinSeconds)}`;
}

export function recoverabilityMessage(v: Omit<RecoverabilityVerdict, "message">): string {
  const head = recoverabilityHead(v);
  if (v.recoverable) {
    const reach = v.chainEnd ? `, log chain unbroken to ${v.chainEnd}` : "";
    const full = v.fullBackup
      ? ` from full backup ${escapeControl(v.fullBackup.backupId)} (ended ${v.fullBackup.backupEndTime})`
      : "";
    return `${head}: possible${full}${reach}`;
  }
  return `${head}: NOT possible: ${v.failures.map((f) => f.message).join("; ")}`;
}
