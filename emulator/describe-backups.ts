import { Errors } from "./errors";
import { REQUEST_MINUTE, RESPONSE_SECOND, parseUtc } from "./enums";
import type { BackupStore } from "./store";
import type { DescribeBackupsParams, RawBackup } from "./types";

/** The success body, keys in the order of the reference's sample. */
export interface DescribeBackupsResponse {
  Items: { Backup: RawBackup[] };
  PageNumber: string;
  PageRecordCount: string;
  RequestId: string;
  TotalEcsSnapshotSize: number;
  TotalRecordCount: string;
}

function matches(
  b: RawBackup,
  p: DescribeBackupsParams,
  startMs: number | undefined,
  endMs: number | undefined,
): boolean {
  if (p.BackupId !== undefined && b.BackupId !== p.BackupId) return false;
  if (p.BackupStatus !== undefined && b.BackupStatus !== p.BackupStatus) return false;
  if (p.BackupMode !== undefined && b.BackupMode !== p.BackupMode) return false;
  if (p.BackupType !== undefined && b.BackupType !== p.BackupType) return false;
  if (startMs === undefined && endMs === undefined) return true;
  // The window applies to BackupStartTime, both ends inclusive.
  const at = parseUtc(b.BackupStartTime, RESPONSE_SECOND) ?? NaN;
  return (startMs === undefined || at >= startMs) && (endMs === undefined || at <= endMs);
}

/**
 * The handler: filter, order (newest first, the real service's probable order, which no
 * client may rely on), page. A page past the end is an empty list, not an error. A BackupId
 * that matches nothing is also an empty list (see the README of the emulator for why).
 */
export function describeBackups(
  store: BackupStore,
  p: DescribeBackupsParams,
  requestId: string,
): DescribeBackupsResponse {
  if (!store.has(p.DBInstanceId)) throw Errors.invalidDBInstanceIdNotFound();
  const startMs = p.StartTime === undefined ? undefined : parseUtc(p.StartTime, REQUEST_MINUTE);
  const endMs = p.EndTime === undefined ? undefined : parseUtc(p.EndTime, REQUEST_MINUTE);
  const all = store.list(p.DBInstanceId);
  const matching = all.filter((b) => matches(b, p, startMs, endMs));
  const first = (p.PageNumber - 1) * p.PageSize;
  // Copies of the page only: a caller may change what it got without changing the store.
  const page = first >= matching.length ? [] : matching.slice(first, first + p.PageSize).map((b) => structuredClone(b));
  // The size of the instance's snapshot chain: a property of the instance, not of the filter.
  const snapshotBytes = all
    .filter((b) => b.BackupMethod === "Snapshot" && b.BackupStatus === "Success")
    .reduce((sum, b) => sum + b.BackupSize, 0);
  return {
    Items: { Backup: page },
    PageNumber: String(p.PageNumber),
    PageRecordCount: String(page.length),
    RequestId: requestId,
    TotalEcsSnapshotSize: snapshotBytes,
    TotalRecordCount: String(matching.length),
  };
}
