/**
 * The three reads behind the recoverability check, each one logical call through the shared
 * limiter and retry policy (retried-read.ts): transport → normalize → check the answer → links
 * dropped unless asked for, as DescribeBackups is read (call-describe-backups.ts).
 *
 * The log listing takes the fewest calls: pages of 100 (the largest every reference page allows),
 * the first page's TotalRecordCount, then the other ceil(N/100) - 1 pages concurrently, in order,
 * through the same pager as DescribeBackups (paginate.ts: `pagesInOrder`, `PassCheck`). A pass
 * whose totals moved or whose files do not add up to the total is read again (at most
 * `maxRereads` times), then refused with RdsIncompleteListError: never a partial chain.
 */
import { checkLogFilePage, checkRestoreWindow } from "./check-log-answers";
import { checkArguments } from "./check-arguments";
import { RdsIncompleteListError, RdsImplausibleAnswerError, RdsValidationError } from "./errors";
import { failure } from "./failure";
import { LOG_FILE_ARGUMENTS, POLICY_ARGUMENTS } from "./arguments";
import { normalizeBackupPolicy, normalizeLogFilePage, normalizeRestoreWindow } from "./normalize-log-backups";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import { MAX_PAGES_PER_PASS, PassCheck, pagesInOrder, passTimeBudgetMs, passTimeout } from "./paginate";
import { retriedRead } from "./retried-read";
import { toIsoSeconds } from "./time";
import { checkWindow } from "./validate";
import {
  callContext,
  describeBackupPolicyRaw,
  describeBinlogFilesRaw,
  describeLocalAvailableRecoveryTimeRaw,
  transportConnection,
  type BinlogFilesParams,
} from "./transport";
import type { BackupPolicy, LogFile, LogFileList, LogFilePage, RestoreWindow, TimeInput } from "./types";

/** The largest page every reference page of DescribeBinlogFiles allows (30 to 100, or 1 to 100). */
export const LOG_PAGE_SIZE = 100;

export async function readBackupPolicy(dbInstanceId: string, o: ResolvedOptions): Promise<BackupPolicy> {
  const connection = transportConnection(o);
  return retriedRead(
    o,
    callContext(o, "DescribeBackupPolicy", dbInstanceId),
    () => describeBackupPolicyRaw({ DBInstanceId: dbInstanceId }, connection),
    (raw) => normalizeBackupPolicy(raw.body, dbInstanceId),
  );
}

export async function readRestoreWindow(dbInstanceId: string, o: ResolvedOptions): Promise<RestoreWindow> {
  const connection = transportConnection(o);
  return retriedRead(
    o,
    callContext(o, "DescribeLocalAvailableRecoveryTime", dbInstanceId),
    () => describeLocalAvailableRecoveryTimeRaw({ DBInstanceId: dbInstanceId }, connection),
    (raw) => {
      const window = normalizeRestoreWindow(raw.body, dbInstanceId);
      checkRestoreWindow(window, dbInstanceId, o.now());
      return window;
    },
  );
}

/** A file without its pre-signed links. */
function withoutLinks(f: LogFile): LogFile {
  const { downloadLink: _link, intranetDownloadLink: _intranet, linkExpiredTime: _expires, ...rest } = f;
  return rest;
}

async function readLogFilePage(params: BinlogFilesParams, o: ResolvedOptions): Promise<LogFilePage> {
  const connection = transportConnection(o);
  return retriedRead(
    o,
    callContext(o, "DescribeBinlogFiles", params.DBInstanceId),
    () => describeBinlogFilesRaw(params, connection),
    (raw) => {
      const page = normalizeLogFilePage(raw.body, { pageSize: params.PageSize, pageNumber: params.PageNumber });
      checkLogFilePage(page, params, o.now());
      return o.includeDownloadUrls ? page : { ...page, files: page.files.map(withoutLinks) };
    },
  );
}

const fileKey = (f: LogFile): string => `${f.hostInstanceId}/${f.fileName}/${f.beginTime}`;

/** A range already checked: the instance, and start before end. */
export interface LogFileRange {
  readonly dbInstanceId: string;
  readonly start: Date;
  readonly end: Date;
}

/** Every log file overlapping the range, oldest first; refuses a partial list. */
export async function listRangeLogFiles(range: LogFileRange, o: ResolvedOptions): Promise<LogFileList> {
  const base = {
    DBInstanceId: range.dbInstanceId,
    StartTime: toIsoSeconds(range.start),
    EndTime: toIsoSeconds(range.end),
    PageSize: LOG_PAGE_SIZE,
  };
  let calls = 0;
  const call = (pageNumber: number): Promise<LogFilePage> => {
    calls += 1;
    return readLogFilePage({ ...base, PageNumber: pageNumber }, o);
  };
  let check = new PassCheck<LogFile>(fileKey, "log files");
  for (let pass = 1; pass <= o.maxRereads + 1; pass++) {
    check = new PassCheck<LogFile>(fileKey, "log files");
    const started = Date.now();
    const first = await call(1);
    const files = check.see(first, first.files);
    let totalFileSize = first.totalFileSize;
    const last = Math.min(Math.ceil(first.totalRecordCount / LOG_PAGE_SIZE), MAX_PAGES_PER_PASS);
    const deadline = started + passTimeBudgetMs(last);
    const keepGoing = (page: LogFilePage, n: number): boolean => {
      const fresh = check.see(page, page.files);
      if (fresh.length === 0 && page.files.length === LOG_PAGE_SIZE) {
        throw new RdsImplausibleAnswerError(
          "Items.BinLogFile",
          `${page.files.length} files`,
          page.requestId,
          `page ${n} repeats ${LOG_PAGE_SIZE} files of earlier pages and brings none new, while TotalRecordCount ` +
            `${page.totalRecordCount} says there are more`,
          "DescribeBinlogFiles",
        );
      }
      if (Date.now() > deadline)
        throw passTimeout(range, o, last, deadline - started, page.requestId, "DescribeBinlogFiles");
      files.push(...fresh);
      return fresh.length > 0;
    };
    if (first.files.length > 0) {
      for await (const page of pagesInOrder(call, 2, last, o.concurrency, keepGoing))
        totalFileSize = page.totalFileSize;
    }
    if (check.consistent) {
      return {
        dbInstanceId: range.dbInstanceId,
        startTime: base.StartTime,
        endTime: base.EndTime,
        files: files.sort((a, b) => Date.parse(a.beginTime) - Date.parse(b.beginTime)),
        totalRecordCount: check.lastTotal,
        totalFileSize,
        calls,
      };
    }
  }
  throw new RdsIncompleteListError(
    range.dbInstanceId,
    check.lastTotal,
    check.ids.size,
    o.maxRereads + 1,
    check.why(),
    "log files",
  );
}

// --- the same reads for callers with unchecked input (the CLI, tests, scripts) ----------------------

function checked(input: unknown, decls: Parameters<typeof checkArguments>[1]): Readonly<Record<string, unknown>> {
  const { values, failures } = checkArguments(input, decls);
  if (failures.length > 0) throw new RdsValidationError(failures);
  return values;
}

/** DescribeBackupPolicy of one instance (every engine). */
export async function describeBackupPolicy(
  query: { readonly dbInstanceId: string },
  options: ListOptions = {},
): Promise<BackupPolicy> {
  const v = checked(query, POLICY_ARGUMENTS);
  return readBackupPolicy(v.dbInstanceId as string, resolveOptions(options));
}

/** DescribeLocalAvailableRecoveryTime of one instance (MySQL, PostgreSQL, MariaDB). */
export async function describeRestoreWindow(
  query: { readonly dbInstanceId: string },
  options: ListOptions = {},
): Promise<RestoreWindow> {
  const v = checked(query, POLICY_ARGUMENTS);
  return readRestoreWindow(v.dbInstanceId as string, resolveOptions(options));
}

/** Every log file of the instance that overlaps [startTime, endTime] (MySQL, PostgreSQL, MariaDB). */
export async function listLogFiles(
  query: { readonly dbInstanceId: string; readonly startTime: TimeInput; readonly endTime: TimeInput },
  options: ListOptions = {},
): Promise<LogFileList> {
  const { values, failures } = checkArguments(query, LOG_FILE_ARGUMENTS);
  for (const name of ["startTime", "endTime"] as const) {
    if (failures.length === 0 && values[name] === undefined)
      failures.push(failure(name, undefined, "an ISO-8601 time with an explicit offset", "is required"));
  }
  if (failures.length === 0) checkWindow(values, query as Readonly<Record<string, unknown>>, failures);
  if (failures.length > 0) throw new RdsValidationError(failures);
  const start = values.startTime as Date;
  const end = values.endTime as Date;
  const v = values;
  return listRangeLogFiles({ dbInstanceId: v.dbInstanceId as string, start, end }, resolveOptions(options));
}
