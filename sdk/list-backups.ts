/**
 * Consumers of the paging engine: the whole list (`listBackups`) and a stream (`iterateBackups`).
 *
 * Pages can shift while being read: a backup created between two calls pushes an item onto the
 * next page (read twice), one deleted pulls an item onto a page already read (missed). A pass is
 * accepted only when every page reported the same TotalRecordCount and the distinct backupIds
 * received equal it; otherwise the list is re-read (at most `maxRereads` times) and then refused
 * loudly with RdsIncompleteListError. Never a silent partial list. (A creation and a deletion
 * inside one pass that leave the total unchanged cannot be seen by any client of this API.)
 */
import { RdsIncompleteListError } from "./errors";
import type { CallCounter } from "./call-describe-backups";
import { OPTION_DEFAULTS, resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import { PassCheck, pagesOf } from "./paginate";
import type { Backup, BackupList, BackupQuery } from "./types";
import { validateQuery, type ValidatedQuery } from "./validate";

/** Every matching backup across all pages, deduplicated by backupId; refuses a partial list. */
export async function listBackups(query: BackupQuery, options: ListOptions = {}): Promise<BackupList> {
  return listValidatedBackups(validateQuery(query), options);
}

/** `listBackups` of a query checked already (by the gate, or by a caller that checked more arguments). */
export async function listValidatedBackups(q: ValidatedQuery, options: ListOptions = {}): Promise<BackupList> {
  const o = resolveOptions(options);
  const counter: CallCounter = { calls: 0 };
  let check = new PassCheck();
  for (let pass = 1; pass <= o.maxRereads + 1; pass++) {
    check = new PassCheck();
    const backups: Backup[] = [];
    for await (const { fresh } of pagesOf(q, o, check, counter)) backups.push(...fresh);
    if (check.consistent) {
      return {
        dbInstanceId: q.dbInstanceId,
        backups,
        totalRecordCount: check.lastTotal,
        totalEcsSnapshotSize: check.snapshotSize,
        calls: counter.calls,
      };
    }
  }
  throw new RdsIncompleteListError(q.dbInstanceId, check.lastTotal, check.ids.size, o.maxRereads + 1, check.why());
}

/**
 * Backup by backup, as pages arrive; memory stays bounded (pages in flight plus a set of ids).
 * When the list moved under a pass, the next pass yields only backups not yielded yet; if no pass
 * is consistent, the iteration throws RdsIncompleteListError after what it already yielded.
 * Validation errors are thrown now, synchronously, before any call. Without an explicit
 * `concurrency`, OPTION_DEFAULTS.streamConcurrency pages are in flight (memory over latency).
 */
export function iterateBackups(query: BackupQuery, options: ListOptions = {}): AsyncIterableIterator<Backup> {
  return iterateValidatedBackups(validateQuery(query), options);
}

/** `iterateBackups` of a query checked already (by the CLI, which names its flags in the failures). */
export function iterateValidatedBackups(q: ValidatedQuery, options: ListOptions = {}): AsyncIterableIterator<Backup> {
  const streaming =
    typeof options === "object" && options !== null && options.concurrency === undefined
      ? { ...options, concurrency: OPTION_DEFAULTS.streamConcurrency }
      : options;
  return backupsOf(q, resolveOptions(streaming));
}

async function* backupsOf(q: ValidatedQuery, o: ResolvedOptions): AsyncGenerator<Backup, void, undefined> {
  let check = new PassCheck();
  // On the first pass, what was yielded is exactly what the pass saw: one set of ids, not two.
  let yielded: Set<string> | undefined;
  for (let pass = 1; pass <= o.maxRereads + 1; pass++) {
    if (pass > 1) yielded ??= new Set(check.ids);
    check = new PassCheck();
    for await (const { fresh } of pagesOf(q, o, check)) {
      for (const b of fresh) {
        if (yielded !== undefined) {
          if (yielded.has(b.backupId)) continue;
          yielded.add(b.backupId);
        }
        yield b;
      }
    }
    if (check.consistent) return;
  }
  throw new RdsIncompleteListError(q.dbInstanceId, check.lastTotal, check.ids.size, o.maxRereads + 1, check.why());
}
