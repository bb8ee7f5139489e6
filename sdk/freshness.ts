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
import { escapeControl } from "./display-text";
import { formatDuration, parseDuration } from "./duration";
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";
import { listBackups } from "./list-backups";
import { MAX_BACKUP_DURATION_SECONDS, newestUsableBackup } from "./newest";
import type { ListOptions } from "./options";
import { closest } from "./suggest";
import { parseTimeInput, toIsoSeconds } from "./time";
import type { Backup, BackupMode, TimeInput } from "./types";
import { requireQueryObject } from "./validate";

/** What the gate counts: one backup type, or `any` (full and incremental sets alike). */
export const FRESH_BACKUP_TYPES = ["FullBackup", "IncrementalBackup", "any"] as const;
export type FreshBackupType = (typeof FRESH_BACKUP_TYPES)[number];
/** Full backups: the conservative choice, since an incremental set cannot be restored alone. */
export const DEFAULT_FRESH_BACKUP_TYPE: FreshBackupType = "FullBackup";

/** The gate's `backupType` rule, as data (for the provider's and the CLI's checks). */
export function checkFreshBackupType(value: unknown): ValidationFailure | undefined {
  if (value === undefined || (FRESH_BACKUP_TYPES as readonly unknown[]).includes(value)) return undefined;
  const near = typeof value === "string" ? closest(value, FRESH_BACKUP_TYPES) : undefined;
  return failure("backupType", value, `FullBackup (the default), IncrementalBackup, or any to count both${near ? ` (did you mean "${near}"?)` : ""}`);
}

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

const KEYS = ["dbInstanceId", "maxAge", "backupType", "backupMode", "now"];

/** One message for every consumer: instance, newest usable backup (id, end, age) or none, and the limit. */
export function freshnessMessage(v: Omit<FreshnessVerdict, "message">): string {
  const limit = formatDuration(v.maxAgeSeconds);
  const type = v.backupType === "any" ? "backupType any (full or incremental)" : `backupType ${v.backupType}`;
  const filters = [type, v.backupMode && `backupMode ${v.backupMode}`].filter(Boolean).join(", ");
  if (!v.newest || v.ageSeconds === undefined) {
    return `${v.dbInstanceId}: no usable backup ended in the last ${limit} (status Success and available, ${filters})`;
  }
  const verdict = v.fresh ? `within the limit ${limit}` : `older than the limit ${limit}`;
  return `${v.dbInstanceId}: newest usable backup ${escapeControl(v.newest.backupId)} ended ${v.newest.backupEndTime}, ` +
    `${formatDuration(v.ageSeconds)} ago, ${verdict} (${filters})`;
}

export async function checkFreshBackup(query: FreshBackupQuery, options: ListOptions = {}): Promise<FreshnessVerdict> {
  requireQueryObject(query, "{ dbInstanceId: \"rm-...\", maxAge: \"24h\" }");
  for (const k of Object.keys(query)) {
    if (KEYS.includes(k) || (query as unknown as Record<string, unknown>)[k] === undefined) continue;
    const near = closest(k, KEYS);
    throw new RdsValidationError([failure(k, (query as unknown as Record<string, unknown>)[k], near ? `"${near}" (did you mean "${near}"?)` : KEYS.join(", "), "is not a known parameter")]);
  }
  const typeFailure = checkFreshBackupType(query.backupType);
  if (typeFailure) throw new RdsValidationError([typeFailure]);
  const backupType = query.backupType ?? DEFAULT_FRESH_BACKUP_TYPE;
  const maxAgeSeconds = parseDuration(query.maxAge, "maxAge");
  const nowInput = query.now ?? options.now;
  const now = nowInput === undefined ? new Date() : parseTimeInput(nowInput, "now");
  const startTime = new Date(now.getTime() - (maxAgeSeconds + MAX_BACKUP_DURATION_SECONDS) * 1000);
  const list = await listBackups({
    dbInstanceId: query.dbInstanceId, backupStatus: "Success", startTime, endTime: now,
    ...(backupType !== "any" ? { backupType } : {}), ...(query.backupMode ? { backupMode: query.backupMode } : {}),
  }, { ...options, now });
  const newest = newestUsableBackup(list.backups);
  const ageSeconds = newest === undefined ? undefined : Math.max(0, (now.getTime() - Date.parse(newest.backupEndTime)) / 1000);
  const base = {
    fresh: ageSeconds !== undefined && ageSeconds <= maxAgeSeconds,
    dbInstanceId: query.dbInstanceId, maxAgeSeconds, checkedAt: toIsoSeconds(now),
    ...(newest ? { newest, ageSeconds } : {}),
    backupType, ...(query.backupMode ? { backupMode: query.backupMode } : {}),
  };
  return { ...base, message: freshnessMessage(base) };
}
