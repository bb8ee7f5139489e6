/**
 * Can these answers be right? The recoverability reads' counterpart of check-answer.ts: each
 * normalized answer is held against the request that was sent and the clock, and refused with
 * RdsImplausibleAnswerError (naming the call, the field, the value and the request id) when no
 * reading of the API allows it. A gate must not open on a window or a log chain it cannot vouch for.
 * - the window: of the instance asked for, not ending in the future (beyond CLOCK_SKEW_MS), not
 *   ending before it begins;
 * - a page of log files: PageNumber echoes the request, PageRecordCount is the number of files,
 *   no more than the page size or than TotalRecordCount leaves for this page, TotalFileSize at
 *   least this page's bytes, no file twice; each file overlaps the range asked for (the
 *   reference's rule), ends after it begins and not in the future.
 */
import { checkPageCounts } from "./check-answer";
import { RdsImplausibleAnswerError } from "./errors";
import { CLOCK_SKEW_MS } from "./time";
import type { BinlogFilesParams } from "./transport";
import type { LogFilePage, RestoreWindow } from "./types";

const MINUTE_MS = 60_000;

function future(nowMs: number): string {
  return `it is in the future (now is ${new Date(nowMs).toISOString()}, clock skew allowed ${CLOCK_SKEW_MS / MINUTE_MS} minutes)`;
}

export function checkRestoreWindow(w: RestoreWindow, asked: string, nowMs: number): void {
  const refuse = (field: string, value: unknown, reason: string): never => {
    throw new RdsImplausibleAnswerError(field, value, w.requestId, reason, "DescribeLocalAvailableRecoveryTime");
  };
  if (w.dbInstanceId !== asked)
    refuse("DBInstanceId", w.dbInstanceId, `the request asked for ${JSON.stringify(asked)}`);
  if (w.begin === undefined || w.end === undefined) return;
  if (Date.parse(w.end) > nowMs + CLOCK_SKEW_MS) refuse("RecoveryEndTime", w.end, future(nowMs));
  if (Date.parse(w.end) < Date.parse(w.begin))
    refuse("RecoveryEndTime", w.end, `it is before RecoveryBeginTime ${w.begin}`);
}

export function checkLogFilePage(page: LogFilePage, sent: BinlogFilesParams, nowMs: number): void {
  const refuse = (field: string, value: unknown, reason: string): never => {
    throw new RdsImplausibleAnswerError(field, value, page.requestId, reason, "DescribeBinlogFiles");
  };
  checkPageCounts(page, { count: page.files.length, field: "Items.BinLogFile", noun: "files" }, sent, refuse);
  const pageBytes = page.files.reduce((sum, f) => sum + f.fileSize, 0);
  if (page.totalFileSize < pageBytes)
    refuse("TotalFileSize", page.totalFileSize, `the files of this page alone hold ${pageBytes} bytes`);

  const startMs = Date.parse(sent.StartTime);
  const endMs = Date.parse(sent.EndTime);
  const seen = new Map<string, number>();
  page.files.forEach((f, i) => {
    const at = `Items.BinLogFile[${i}].`;
    const key = `${f.hostInstanceId}/${f.fileName}/${f.beginTime}`;
    const first = seen.get(key);
    if (first !== undefined) refuse(`${at}LogFileName`, f.fileName, `Items.BinLogFile[${first}] is the same file`);
    seen.set(key, i);
    const began = Date.parse(f.beginTime);
    const ended = Date.parse(f.endTime);
    if (ended < began) refuse(`${at}LogEndTime`, f.endTime, `it is before LogBeginTime ${f.beginTime}`);
    if (ended > nowMs + CLOCK_SKEW_MS) refuse(`${at}LogEndTime`, f.endTime, future(nowMs));
    // Seconds on both sides: a file that touches the range at one second may be listed.
    if (ended < startMs)
      refuse(`${at}LogEndTime`, f.endTime, `the request asked for files from StartTime ${sent.StartTime}`);
    if (began > endMs)
      refuse(`${at}LogBeginTime`, f.beginTime, `the request asked for files up to EndTime ${sent.EndTime}`);
  });
}
