/**
 * Does this page answer the question asked? normalize.ts makes sure every field has its documented
 * type; this makes sure the values can be the answer to the request that was sent. One pure
 * function, run on every page by call-describe-backups.ts, so every reader (list, stream, pages,
 * one page, newest, the gate) refuses the same answers:
 * - every item belongs to the instance asked for and matches every filter sent (BackupId,
 *   BackupStatus, BackupMode, BackupType);
 * - the window: the reference does not say which time of a backup StartTime/EndTime select
 *   (this package, like the tools, assumes the start). Only what no reading allows is refused: a
 *   backup that ended before StartTime, or started after EndTime. EndTime is a minute
 *   (`yyyy-MM-ddTHH:mmZ`) and the API may compare at minute precision, so its whole minute counts;
 * - no backup ends later than now + CLOCK_SKEW_MS, or before it started;
 * - the counts paging relies on agree with the items: PageNumber echoes the page asked for,
 *   PageRecordCount is the number of items, no more items than the page size or than
 *   TotalRecordCount leaves for this page, and no backup twice on one page.
 * Anything else throws RdsImplausibleAnswerError naming the request id, the field and the value.
 */
import { RdsImplausibleAnswerError } from "./errors";
import { CLOCK_SKEW_MS, parseApiTime } from "./time";
import type { Backup, BackupPage } from "./types";
import type { WireParams } from "./validate";

const MINUTE_MS = 60_000;

/** The item fields a filter constrains, by the name of the request parameter. */
const FILTERS = [
  ["DBInstanceId", (b: Backup) => b.dbInstanceId],
  ["BackupId", (b: Backup) => b.backupId],
  ["BackupStatus", (b: Backup) => b.backupStatus],
  ["BackupMode", (b: Backup) => b.backupMode],
  ["BackupType", (b: Backup) => b.backupType],
] as const;

/** A window bound as sent (`yyyy-MM-ddTHH:mmZ`), in ms; undefined when not sent. */
function sentMinute(value: string | undefined): number | undefined {
  const iso = value === undefined ? undefined : parseApiTime(value);
  return iso === undefined ? undefined : Date.parse(iso);
}

/**
 * The counts paging relies on, in any paged answer (backups, log files): PageNumber echoes the
 * page asked for, PageRecordCount is the number of items, no more items than the page size or
 * than TotalRecordCount leaves for this page. `refuse` throws, naming the call.
 */
export function checkPageCounts(
  page: { readonly pageNumber: number; readonly pageRecordCount: number; readonly totalRecordCount: number },
  items: { readonly count: number; readonly field: string; readonly noun: string },
  sent: { readonly PageNumber: number; readonly PageSize: number },
  refuse: (field: string, value: unknown, reason: string) => never,
): void {
  const { count: n, field, noun } = items;
  if (page.pageNumber !== sent.PageNumber)
    refuse("PageNumber", page.pageNumber, `the request asked for page ${sent.PageNumber}`);
  if (page.pageRecordCount !== n) refuse("PageRecordCount", page.pageRecordCount, `the page holds ${n} ${noun}`);
  if (n > sent.PageSize) refuse(field, `${n} ${noun}`, `the request asked for pages of at most ${sent.PageSize}`);
  const before = (sent.PageNumber - 1) * sent.PageSize;
  if (n > 0 && page.totalRecordCount < before + n) {
    refuse(
      "TotalRecordCount",
      page.totalRecordCount,
      `page ${sent.PageNumber} of ${sent.PageSize} holds ${n} ${noun}, so the total is at least ${before + n}`,
    );
  }
}

/** Throws RdsImplausibleAnswerError when `page` cannot be the answer to `sent` at `nowMs`. */
export function checkAnswer(page: BackupPage, sent: WireParams, nowMs: number): void {
  const refuse = (field: string, value: unknown, reason: string): never => {
    throw new RdsImplausibleAnswerError(field, value, page.requestId, reason);
  };
  checkPageCounts(page, { count: page.backups.length, field: "Items.Backup", noun: "backups" }, sent, refuse);

  const startMs = sentMinute(sent.StartTime);
  const endMs = sentMinute(sent.EndTime);
  const latestEndMs = nowMs + CLOCK_SKEW_MS;
  const ids = new Map<string, number>();
  page.backups.forEach((b, i) => {
    const at = `Items.Backup[${i}].`;
    for (const [param, valueOf] of FILTERS) {
      const asked = sent[param];
      if (asked !== undefined && valueOf(b) !== asked)
        refuse(`${at}${param}`, valueOf(b), `the request asked for ${param} ${JSON.stringify(asked)}`);
    }
    const first = ids.get(b.backupId);
    if (first !== undefined) refuse(`${at}BackupId`, b.backupId, `Items.Backup[${first}] is the same backup`);
    ids.set(b.backupId, i);
    const began = Date.parse(b.backupStartTime);
    const ended = Date.parse(b.backupEndTime);
    if (ended < began)
      refuse(`${at}BackupEndTime`, b.backupEndTime, `it is before BackupStartTime ${b.backupStartTime}`);
    if (ended > latestEndMs) {
      refuse(
        `${at}BackupEndTime`,
        b.backupEndTime,
        `it is in the future (now is ${new Date(nowMs).toISOString()}, clock skew allowed ${CLOCK_SKEW_MS / MINUTE_MS} minutes)`,
      );
    }
    if (startMs !== undefined && ended < startMs)
      refuse(`${at}BackupEndTime`, b.backupEndTime, `the request asked for backups from StartTime ${sent.StartTime}`);
    if (endMs !== undefined && began >= endMs + MINUTE_MS)
      refuse(`${at}BackupStartTime`, b.backupStartTime, `the request asked for backups up to EndTime ${sent.EndTime}`);
  });
}
