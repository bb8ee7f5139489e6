import { Errors } from "./errors";
import {
  BACKUP_MODES,
  BACKUP_STATUSES,
  BACKUP_TYPES,
  DEFAULT_PAGE_SIZE,
  PAGE_SIZES,
  REQUEST_MINUTE,
  parseUtc,
} from "./enums";
import type { DescribeBackupsParams } from "./types";

/** An optional parameter: the service treats an empty value as not sent. */
function opt(params: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = params[name];
  return v === undefined || v === "" ? undefined : v;
}

function checkEnum(value: string | undefined, allowed: readonly string[]): void {
  // The reference names no per-filter code; its catalogue's generic one is Parameters.Invalid.
  if (value !== undefined && !allowed.includes(value)) throw Errors.parametersInvalid();
}

/**
 * The "validate" stage of DescribeBackups. Checks run in this order, so a request with
 * several faults gets the first one: DBInstanceId, enum filters, StartTime, EndTime, their
 * order, PageSize, PageNumber.
 */
export function validateDescribeBackupsParams(params: Readonly<Record<string, string>>): DescribeBackupsParams {
  const DBInstanceId = opt(params, "DBInstanceId");
  if (DBInstanceId === undefined) throw Errors.missingParameter("DBInstanceId");
  const BackupStatus = opt(params, "BackupStatus");
  const BackupMode = opt(params, "BackupMode");
  const BackupType = opt(params, "BackupType");
  checkEnum(BackupStatus, BACKUP_STATUSES);
  checkEnum(BackupMode, BACKUP_MODES);
  checkEnum(BackupType, BACKUP_TYPES);
  const StartTime = opt(params, "StartTime");
  const EndTime = opt(params, "EndTime");
  const start = StartTime === undefined ? undefined : parseUtc(StartTime, REQUEST_MINUTE);
  if (StartTime !== undefined && start === undefined) throw Errors.invalidStartTimeFormat();
  const end = EndTime === undefined ? undefined : parseUtc(EndTime, REQUEST_MINUTE);
  if (EndTime !== undefined && end === undefined) throw Errors.invalidEndTimeFormat();
  if (start !== undefined && end !== undefined && end <= start) throw Errors.invalidParameterCombination();
  const pageSizeText = opt(params, "PageSize");
  const PageSize =
    pageSizeText === undefined ? DEFAULT_PAGE_SIZE : /^\d{1,4}$/.test(pageSizeText) ? Number(pageSizeText) : NaN;
  if (!PAGE_SIZES.includes(PageSize)) throw Errors.invalidMaxRecordsPerPageMalformed();
  const pageNumberText = opt(params, "PageNumber");
  const PageNumber = pageNumberText === undefined ? 1 : /^\d{1,9}$/.test(pageNumberText) ? Number(pageNumberText) : 0;
  if (PageNumber < 1) throw Errors.invalidPageNumbersMalformed();
  const result: DescribeBackupsParams = { DBInstanceId, PageSize, PageNumber };
  const BackupId = opt(params, "BackupId");
  if (BackupId !== undefined) result.BackupId = BackupId;
  if (BackupStatus !== undefined) result.BackupStatus = BackupStatus;
  if (BackupMode !== undefined) result.BackupMode = BackupMode;
  if (BackupType !== undefined) result.BackupType = BackupType;
  if (StartTime !== undefined) result.StartTime = StartTime;
  if (EndTime !== undefined) result.EndTime = EndTime;
  return result;
}
