/**
 * Raw JSON of the three recoverability reads → the sdk's types, in the style of normalize.ts:
 * every field read through WireReader (the wrong type is an RdsResponseError naming the field,
 * the value and the request id), times to `yyyy-MM-ddTHH:mm:ssZ`, counts to numbers.
 * - DescribeLocalAvailableRecoveryTime: `""` times mean "no window" (both, or it is an error);
 * - DescribeBinlogFiles: `Items.BinLogFile[]`, links `""`/`"null"`/null → absent;
 * - DescribeBackupPolicy: `BackupLog` (`Enable`/`Enabled`/`Disabled`) and `EnableBackupLog`
 *   (`1`/`0`, `True`/`False` in older pages) are one fact: read from either, and two that
 *   disagree cannot both be right. Retention periods arrive as numbers or digit strings.
 */
import { RdsImplausibleAnswerError, RdsResponseError } from "./errors";
import { parseApiTime } from "./time";
import type { BackupPolicy, LogFile, LogFilePage, RestoreWindow } from "./types";
import { WireReader } from "./wire-reader";

function bodyReader(body: unknown, action: string): WireReader {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RdsResponseError("(body)", body, "", "a JSON object", action);
  }
  const raw = body as Record<string, unknown>;
  const requestId = typeof raw["RequestId"] === "string" ? raw["RequestId"] : "";
  return new WireReader(raw, "", requestId, action);
}

function time(r: WireReader, key: string): string {
  return parseApiTime(r.string(key)) ?? r.reject(key, "a UTC time yyyy-MM-ddTHH:mm:ssZ");
}

function optionalTime(r: WireReader, key: string): string | undefined {
  return r.has(key) ? time(r, key) : undefined;
}

/** Drops undefined members, so absent fields are absent (not `key: undefined`). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function normalizeRestoreWindow(body: unknown, dbInstanceId: string): RestoreWindow {
  const action = "DescribeLocalAvailableRecoveryTime";
  const r = bodyReader(body, action);
  const begin = optionalTime(r, "RecoveryBeginTime");
  const end = optionalTime(r, "RecoveryEndTime");
  if ((begin === undefined) !== (end === undefined)) {
    const [field, value] =
      begin === undefined
        ? ["RecoveryBeginTime", r.obj["RecoveryBeginTime"]]
        : ["RecoveryEndTime", r.obj["RecoveryEndTime"]];
    throw new RdsImplausibleAnswerError(field, value, r.requestId, "a window has both ends or none", action);
  }
  return {
    dbInstanceId: r.optionalString("DBInstanceId") ?? dbInstanceId,
    ...defined({ begin, end }),
    requestId: r.requestId,
  };
}

function normalizeLogFile(r: WireReader): LogFile {
  return {
    fileName: r.string("LogFileName"),
    hostInstanceId: r.string("HostInstanceID"),
    beginTime: time(r, "LogBeginTime"),
    endTime: time(r, "LogEndTime"),
    fileSize: r.integer("FileSize"),
    ...defined({
      remoteStatus: r.optionalString("RemoteStatus"),
      checksum: r.optionalString("Checksum"),
      downloadLink: r.url("DownloadLink"),
      intranetDownloadLink: r.url("IntranetDownloadLink"),
      linkExpiredTime: optionalTime(r, "LinkExpiredTime"),
    }),
  };
}

export function normalizeLogFilePage(
  body: unknown,
  requested: { readonly pageSize: number; readonly pageNumber: number },
): LogFilePage {
  const r = bodyReader(body, "DescribeBinlogFiles");
  const files = r.child("Items").array("BinLogFile").map(normalizeLogFile);
  return {
    files,
    pageNumber: r.optionalInteger("PageNumber") ?? requested.pageNumber,
    pageSize: requested.pageSize,
    pageRecordCount: r.optionalInteger("PageRecordCount") ?? files.length,
    totalRecordCount: r.integer("TotalRecordCount"),
    totalFileSize: r.optionalInteger("TotalFileSize") ?? 0,
    requestId: r.requestId,
  };
}

const LOG_ON: Readonly<Record<string, boolean>> = { Enable: true, Enabled: true, Disabled: false, Disable: false };
const LOG_FLAG: Readonly<Record<string, boolean>> = {
  "1": true,
  "0": false,
  True: true,
  False: false,
  true: true,
  false: false,
};

export function normalizeBackupPolicy(body: unknown, dbInstanceId: string): BackupPolicy {
  const action = "DescribeBackupPolicy";
  const r = bodyReader(body, action);
  const backupLog = r.has("BackupLog") ? String(r.obj["BackupLog"]) : undefined;
  const enableBackupLog = r.has("EnableBackupLog") ? String(r.obj["EnableBackupLog"]) : undefined;
  const byWord = backupLog === undefined ? undefined : LOG_ON[backupLog];
  const byFlag = enableBackupLog === undefined ? undefined : LOG_FLAG[enableBackupLog];
  if (backupLog !== undefined && byWord === undefined) r.reject("BackupLog", "Enable, Enabled or Disabled");
  if (enableBackupLog !== undefined && byFlag === undefined) r.reject("EnableBackupLog", '"1" or "0"');
  if (byWord === undefined && byFlag === undefined)
    r.reject("BackupLog", "Enable or Disabled (or EnableBackupLog 1/0)");
  if (byWord !== undefined && byFlag !== undefined && byWord !== byFlag) {
    throw new RdsImplausibleAnswerError(
      "EnableBackupLog",
      enableBackupLog,
      r.requestId,
      `BackupLog ${backupLog} in the same answer says the opposite`,
      action,
    );
  }
  const backupRetentionDays = r.integer("BackupRetentionPeriod");
  const logBackupRetentionDays = r.optionalInteger("LogBackupRetentionPeriod");
  if (logBackupRetentionDays !== undefined && logBackupRetentionDays > backupRetentionDays) {
    throw new RdsImplausibleAnswerError(
      "LogBackupRetentionPeriod",
      logBackupRetentionDays,
      r.requestId,
      `log backups are kept no longer than data backups, and BackupRetentionPeriod is ${backupRetentionDays}`,
      action,
    );
  }
  const period = r.optionalString("PreferredBackupPeriod");
  return {
    dbInstanceId,
    backupRetentionDays,
    logBackupEnabled: (byWord ?? byFlag) as boolean,
    ...defined({
      logBackupRetentionDays,
      preferredBackupTime: r.optionalString("PreferredBackupTime"),
      preferredBackupPeriod: period?.split(",").map((d) => d.trim()),
      preferredNextBackupTime: optionalTime(r, "PreferredNextBackupTime"),
      localLogRetentionHours: r.optionalInteger("LocalLogRetentionHours"),
      logBackupFrequency: r.optionalString("LogBackupFrequency"),
      backupMethod: r.optionalString("BackupMethod"),
      category: r.optionalString("Category"),
    }),
    requestId: r.requestId,
  };
}
