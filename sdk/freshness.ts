/**
 * The deployment gate's verdict: is there a usable backup that ended within `maxAge`?
 *
 * One read of a narrow window whatever the history length: BackupStatus=Success, StartTime =
 * now - maxAge - MAX_BACKUP_DURATION_SECONDS (backups run for hours; one that ended within maxAge
 * started at most that long before), EndTime = now (rounded up). Then judged here by
 * backupEndTime, never by the API's order. More calls only when more than 100 successful sets
 * fall in that window. `freshnessMessage` is THE message the Pulumi gate and the CLI print.
 *
 * Only full backups count unless asked otherwise (`backupType`): an incremental set cannot be
 * restored on its own, so a fresh incremental after a stale full backup is not a fresh restore
 * point. The verdict and its message always name the type judged.
 */
import { ARGUMENTS, FRESH_BACKUP_ARGUMENTS } from "./arguments";
import { checkArguments } from "./check-arguments";
import { escapeControl } from "./display-text";
import { formatDuration } from "./duration";
import { RdsValidationError } from "./errors";
import { listValidatedBackups } from "./list-backups";
import { newestUsableBackup } from "./newest";
import type { ListOptions } from "./options";
import { MAX_BACKUP_DURATION_SECONDS, parseTimeInput, toIsoSeconds } from "./time";
import type { Backup, BackupMode, FreshBackupType, TimeInput } from "./types";
import { wireQuery } from "./validate";

/** What the gate counts: one backup type, or `any` (full and incremental sets alike). Declared in ./types.ts. */
export type { FreshBackupType } from "./types";
/** Full backups: the conservative choice, since an incremental set cannot be restored alone. */
export const DEFAULT_FRESH_BACKUP_TYPE: FreshBackupType = ARGUMENTS.freshBackupType.default;

export interface FreshBackupQuery {
  readonly dbInstanceId: string;
  /** "24h", "90m", "7d", "1h30m", "3600s" or seconds. */
  readonly maxAge: string | number;
  /** Which backups count. Default FullBackup (an incremental set cannot be restored alone). */
  readonly backupType?: FreshBackupType;
  readonly backupMode?: BackupMode;
  /** The moment to judge at. Default: `options.now`, then the clock. */
  readonly now?: TimeInput;
}

export interface FreshnessVerdict {
  readonly fresh: boolean;
  readonly dbInstanceId: string;
  readonly maxAgeSeconds: number;
  /** The newest usable backup found in the window, fresh or not. */
  readonly newest?: Backup;
  /** Seconds between its end and `checkedAt` (0 if it ends in the future). */
  readonly ageSeconds?: number;
  /** ISO-8601 UTC. */
  readonly checkedAt: string;
  readonly message: string;
  /** The backup type judged: FullBackup unless asked otherwise. */
  readonly backupType: FreshBackupType;
  /** The mode filter the verdict was made under, if any. */
  readonly backupMode?: BackupMode;
}

/** A checked gate query: what a verdict is asked for. */
export interface FreshnessPlan {
  readonly dbInstanceId: string;
  readonly maxAgeSeconds: number;
  readonly backupType: FreshBackupType;
  readonly backupMode?: BackupMode;
  /** The moment to judge at; absent: `options.now`, then the clock. */
  readonly now?: Date;
}

/** The plan of values checked against FRESH_BACKUP_ARGUMENTS (or a list that holds them). */
export function freshnessPlan(values: Readonly<Record<string, unknown>>): FreshnessPlan {
  const v = values as {
    dbInstanceId: string;
    maxAge: number;
    backupType?: FreshBackupType;
    backupMode?: BackupMode;
    now?: Date;
  };
  return {
    dbInstanceId: v.dbInstanceId,
    maxAgeSeconds: v.maxAge,
    backupType: v.backupType ?? DEFAULT_FRESH_BACKUP_TYPE,
    ...(v.backupMode ? { backupMode: v.backupMode } : {}),
    ...(v.now ? { now: v.now } : {}),
  };
}

/** One message for every consumer: instance, newest usable backup (id, end, age) or none, and the limit. */
export function freshnessMessage(v: Omit<FreshnessVerdict, "message">): string {
  const limit = formatDuration(v.maxAgeSeconds);
  const type = v.backupType === "any" ? "backupType any (full or incremental)" : `backupType ${v.backupType}`;
  const filters = [type, v.backupMode && `backupMode ${v.backupMode}`].filter(Boolean).join(", ");
  if (!v.newest || v.ageSeconds === undefined) {
    return `${v.dbInstanceId}: no usable backup ended in the last ${limit} (status Success and available, ${filters})`;
  }
  const verdict = v.fresh ? `within the limit ${limit}` : `older than the limit ${limit}`;
  return (
    `${v.dbInstanceId}: newest usable backup ${escapeControl(v.newest.backupId)} ended ${v.newest.backupEndTime}, ` +
    `${formatDuration(v.ageSeconds)} ago, ${verdict} (${filters})`
  );
}

export async function checkFreshBackup(query: FreshBackupQuery, options: ListOptions = {}): Promise<FreshnessVerdict> {
  const { values, failures } = checkArguments(query, FRESH_BACKUP_ARGUMENTS);
  if (failures.length > 0) throw new RdsValidationError(failures);
  return judgeFreshness(freshnessPlan(values), options);
}

/** The verdict on a checked plan: one read of the window, judged here. */
export async function judgeFreshness(plan: FreshnessPlan, options: ListOptions = {}): Promise<FreshnessVerdict> {
  const { dbInstanceId, maxAgeSeconds, backupType, backupMode } = plan;
  const now = plan.now ?? (options.now === undefined ? new Date() : parseTimeInput(options.now, "now"));
  const startTime = new Date(now.getTime() - (maxAgeSeconds + MAX_BACKUP_DURATION_SECONDS) * 1000);
  const query = wireQuery({
    dbInstanceId,
    backupStatus: "Success",
    startTime,
    endTime: now,
    ...(backupType !== "any" ? { backupType } : {}),
    ...(backupMode ? { backupMode } : {}),
  });
  const list = await listValidatedBackups(query, { ...options, now });
  const newest = newestUsableBackup(list.backups);
  const ageSeconds =
    newest === undefined ? undefined : Math.max(0, (now.getTime() - Date.parse(newest.backupEndTime)) / 1000);
  const base = {
    fresh: ageSeconds !== undefined && ageSeconds <= maxAgeSeconds,
    dbInstanceId,
    maxAgeSeconds,
    checkedAt: toIsoSeconds(now),
    ...(newest ? { newest, ageSeconds } : {}),
    backupType,
    ...(backupMode ? { backupMode } : {}),
  };
  return { ...base, message: freshnessMessage(base) };
}
