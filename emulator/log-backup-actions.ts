/**
 * The three calls that tell whether an instance can be restored to a point in time:
 * DescribeBackupPolicy (every engine), DescribeLocalAvailableRecoveryTime and DescribeBinlogFiles
 * (MySQL, PostgreSQL, MariaDB; SQL Server is refused). Each has its "validate" stage (parameters
 * in the order written) and its handler; the pipeline runs faults and RAM between the two.
 */
import { Errors } from "./errors";
import { formatSecond, parseUtc, RESPONSE_SECOND } from "./enums";
import { LOG_BACKUP_ENGINES, recoveryWindow } from "./log-backups";
import type { BackupStore } from "./store";
import type { RawBackupPolicy, RawBinlogFile } from "./types";

const opt = (params: Readonly<Record<string, string>>, name: string) =>
  params[name] === undefined || params[name] === "" ? undefined : params[name];

function instanceId(params: Readonly<Record<string, string>>): string {
  const id = opt(params, "DBInstanceId");
  if (id === undefined) throw Errors.missingParameter("DBInstanceId");
  return id;
}

/** The instance, which must exist and, for the log calls, run an engine that has them. */
function engineOf(store: BackupStore, id: string, needsLogs: boolean): string {
  const settings = store.settingsOf(id);
  if (!settings) throw Errors.invalidDBInstanceIdNotFound();
  if (needsLogs && !LOG_BACKUP_ENGINES.includes(settings.engine)) throw Errors.engineNotSupported();
  return settings.engine;
}

// --- DescribeBackupPolicy ------------------------------------------------------------------------

const POLICY_MODES: readonly string[] = ["DataBackupPolicy", "LogBackupPolicy"];

export interface DescribeBackupPolicyParams {
  DBInstanceId: string;
  BackupPolicyMode: string;
}

export function validateDescribeBackupPolicyParams(
  params: Readonly<Record<string, string>>,
): DescribeBackupPolicyParams {
  const DBInstanceId = instanceId(params);
  const mode = opt(params, "BackupPolicyMode") ?? "DataBackupPolicy";
  if (!POLICY_MODES.includes(mode)) throw Errors.parametersInvalid();
  return { DBInstanceId, BackupPolicyMode: mode };
}

/** The policy, keys as the API names them; both modes answer the whole policy (what each omits is UNCONFIRMED). */
export function describeBackupPolicy(
  store: BackupStore,
  p: DescribeBackupPolicyParams,
  requestId: string,
): RawBackupPolicy & { RequestId: string } {
  engineOf(store, p.DBInstanceId, false);
  return { ...store.policyOf(p.DBInstanceId)!, RequestId: requestId };
}

// --- DescribeLocalAvailableRecoveryTime ----------------------------------------------------------

export function validateRecoveryTimeParams(params: Readonly<Record<string, string>>): { DBInstanceId: string } {
  return { DBInstanceId: instanceId(params) };
}

/** The restore window; an instance with none gets empty times (what the service sends then is UNCONFIRMED). */
export function describeLocalAvailableRecoveryTime(
  store: BackupStore,
  p: { DBInstanceId: string },
  nowMs: number,
  requestId: string,
): { DBInstanceId: string; RecoveryBeginTime: string; RecoveryEndTime: string; RequestId: string } {
  engineOf(store, p.DBInstanceId, true);
  const window = recoveryWindow(
    store.list(p.DBInstanceId),
    store.logFilesOf(p.DBInstanceId),
    store.policyOf(p.DBInstanceId)!,
    nowMs,
  );
  return {
    DBInstanceId: p.DBInstanceId,
    RecoveryBeginTime: window ? formatSecond(window.beginMs) : "",
    RecoveryEndTime: window ? formatSecond(window.endMs) : "",
    RequestId: requestId,
  };
}

// --- DescribeBinlogFiles -------------------------------------------------------------------------

/** Page sizes: one reference page says 30 to 100, another 1 to 100; the narrower one is enforced. */
export const BINLOG_PAGE_SIZE = { min: 30, max: 100, default: 30 } as const;

export interface DescribeBinlogFilesParams {
  DBInstanceId: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`, as sent. */
  StartTime: string;
  EndTime: string;
  PageSize: number;
  PageNumber: number;
}

/** Order: DBInstanceId, StartTime, EndTime, their order, PageSize, PageNumber. */
export function validateDescribeBinlogFilesParams(params: Readonly<Record<string, string>>): DescribeBinlogFilesParams {
  const DBInstanceId = instanceId(params);
  const StartTime = opt(params, "StartTime");
  if (StartTime === undefined) throw Errors.missingParameter("StartTime");
  const start = parseUtc(StartTime, RESPONSE_SECOND);
  if (start === undefined) throw Errors.invalidStartTimeFormat();
  const EndTime = opt(params, "EndTime");
  if (EndTime === undefined) throw Errors.missingParameter("EndTime");
  const end = parseUtc(EndTime, RESPONSE_SECOND);
  if (end === undefined) throw Errors.invalidEndTimeFormat();
  if (end <= start) throw Errors.invalidParameterCombination();
  const sizeText = opt(params, "PageSize");
  const PageSize =
    sizeText === undefined ? BINLOG_PAGE_SIZE.default : /^\d{1,4}$/.test(sizeText) ? Number(sizeText) : 0;
  if (PageSize < BINLOG_PAGE_SIZE.min || PageSize > BINLOG_PAGE_SIZE.max)
    throw Errors.invalidMaxRecordsPerPageMalformed();
  const numberText = opt(params, "PageNumber");
  const PageNumber = numberText === undefined ? 1 : /^\d{1,9}$/.test(numberText) ? Number(numberText) : 0;
  if (PageNumber < 1) throw Errors.invalidPageNumbersMalformed();
  return { DBInstanceId, StartTime, EndTime, PageSize, PageNumber };
}

export interface DescribeBinlogFilesResponse {
  Items: { BinLogFile: RawBinlogFile[] };
  PageNumber: number;
  PageRecordCount: number;
  RequestId: string;
  TotalFileSize: number;
  TotalRecordCount: number;
}

/**
 * Files that overlap the range (end after StartTime, begin before EndTime: the reference's rule),
 * newest first (no client may rely on the order), one page of them. A page past the end is empty.
 */
export function describeBinlogFiles(
  store: BackupStore,
  p: DescribeBinlogFilesParams,
  requestId: string,
): DescribeBinlogFilesResponse {
  engineOf(store, p.DBInstanceId, true);
  const start = parseUtc(p.StartTime, RESPONSE_SECOND)!;
  const end = parseUtc(p.EndTime, RESPONSE_SECOND)!;
  const matching = store
    .logFilesOf(p.DBInstanceId)
    .filter(
      (f) =>
        (parseUtc(f.LogEndTime, RESPONSE_SECOND) ?? 0) > start &&
        (parseUtc(f.LogBeginTime, RESPONSE_SECOND) ?? 0) < end,
    )
    .reverse();
  const first = (p.PageNumber - 1) * p.PageSize;
  const page = matching.slice(first, first + p.PageSize).map((f) => structuredClone(f));
  return {
    Items: { BinLogFile: page },
    PageNumber: p.PageNumber,
    PageRecordCount: page.length,
    RequestId: requestId,
    TotalFileSize: matching.reduce((sum, f) => sum + f.FileSize, 0),
    TotalRecordCount: matching.length,
  };
}
