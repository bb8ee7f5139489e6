/**
 * "Newest usable": status Success AND available (IsAvail), the latest backupEndTime; ties go to
 * the later start, then the larger id. Never the API's order: nothing promises one.
 */
import { RdsValidationError } from "./errors";
import { failure } from "./failure";
import { listValidatedBackups } from "./list-backups";
import type { ListOptions } from "./options";
import { MAX_BACKUP_DURATION_SECONDS, parseTimeInput } from "./time";
import type { Backup, BackupQuery } from "./types";
import { requireQueryObject, validateQuery, type ValidatedQuery, withStartTime } from "./validate";

// Declared in ./time.ts, where the argument table (./arguments.ts) can read it without a cycle.
/** Windows tried in turn by findNewestUsableBackup, seconds; then the whole history. */
const NEWEST_WINDOWS_SECONDS: readonly number[] = [2 * 86_400, 14 * 86_400, 90 * 86_400];

function isUsable(b: Backup): boolean {
  return b.backupStatus === "Success" && b.isAvail;
}

/** Numeric ids by value (`9` before `10`), others as text. */
export function compareBackupIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** > 0 when `a` is newer than `b`. */
function compareBackups(a: Backup, b: Backup): number {
  return (
    Date.parse(a.backupEndTime) - Date.parse(b.backupEndTime) ||
    Date.parse(a.backupStartTime) - Date.parse(b.backupStartTime) ||
    compareBackupIds(a.backupId, b.backupId)
  );
}

export function newestUsableBackup(backups: Iterable<Backup>): Backup | undefined {
  let best: Backup | undefined;
  for (const b of backups) if (isUsable(b) && (best === undefined || compareBackups(b, best) > 0)) best = b;
  return best;
}

/**
 * Asks the API for Success sets in widening windows (2 days, 14, 90, then all), so that it
 * usually costs one call. With startTime/endTime in the query, exactly that window is read.
 */
export async function findNewestUsableBackup(
  query: BackupQuery,
  options: ListOptions = {},
): Promise<Backup | undefined> {
  requireQueryObject(query);
  if (typeof options !== "object" || options === null)
    throw new RdsValidationError([failure("options", options, "an object")]);
  if (query.backupStatus !== undefined && query.backupStatus !== "Success") {
    throw new RdsValidationError([
      failure("backupStatus", query.backupStatus, "Success or nothing (only successful backups are usable)"),
    ]);
  }
  return findNewestValidatedBackup(validateQuery(query), options);
}

/**
 * `findNewestUsableBackup` of a query checked already (by the CLI, which names its flags in the
 * failures). Only Success sets are asked for: a status in `q` is replaced.
 */
export async function findNewestValidatedBackup(
  q: ValidatedQuery,
  options: ListOptions = {},
): Promise<Backup | undefined> {
  // One moment for the windows and for judging every answer.
  const now = options.now === undefined ? Date.now() : parseTimeInput(options.now, "now").getTime();
  const listOptions: ListOptions = { ...options, now: new Date(now) };
  const successful: ValidatedQuery = { ...q, params: { ...q.params, BackupStatus: "Success" } };
  const newestIn = async (query: ValidatedQuery): Promise<Backup | undefined> =>
    newestUsableBackup((await listValidatedBackups(query, listOptions)).backups);
  if (q.params.StartTime !== undefined || q.params.EndTime !== undefined) return newestIn(successful);
  for (const w of NEWEST_WINDOWS_SECONDS) {
    const startMs = now - (w + MAX_BACKUP_DURATION_SECONDS) * 1000;
    const found = await newestIn(withStartTime(successful, new Date(startMs)));
    if (found && Date.parse(found.backupEndTime) >= startMs + MAX_BACKUP_DURATION_SECONDS * 1000) return found;
  }
  return newestIn(successful);
}
