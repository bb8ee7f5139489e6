/**
 * The paging engine, written once: an async iterator of pages whose only state is "where next".
 *
 * Fewest calls: page size 100; the first page tells TotalRecordCount; pages 2..ceil(total/100) are
 * then fetched concurrently (at most `concurrency` in flight) and yielded in order. A pass reads
 * exactly those pages and stops early on an empty page, so it can never loop: the page count is
 * fixed by the first answer (and capped at MAX_PAGES_PER_PASS). Whether the pass was consistent
 * (the list did not move under it) is for the consumer to judge: see list-backups.ts.
 */
import { callDescribeBackups, type CallCounter } from "./call-describe-backups";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import type { BackupPage, BackupQuery } from "./types";
import { validateQuery, type ValidatedQuery } from "./validate";

/** The largest page the API serves: the fewest calls. */
export const PAGE_SIZE = 100;
/** Hard cap on pages per pass (2,000,000 backups): a corrupt TotalRecordCount must not mean endless calls. */
export const MAX_PAGES_PER_PASS = 20_000;

/** One pass over the pages of an already-validated query. */
export async function* pagesOf(q: ValidatedQuery, o: ResolvedOptions, counter: CallCounter = { calls: 0 }): AsyncGenerator<BackupPage, void, undefined> {
  const call = (pageNumber: number): Promise<BackupPage> => callDescribeBackups(q, { pageSize: PAGE_SIZE, pageNumber }, o, counter);
  const first = await call(1);
  yield first;
  if (first.backups.length === 0) return;
  const last = Math.min(Math.ceil(first.totalRecordCount / PAGE_SIZE), MAX_PAGES_PER_PASS);
  const inflight = new Map<number, Promise<BackupPage>>();
  let next = 2;
  const launch = (): void => {
    while (next <= last && inflight.size < o.concurrency) {
      const p = call(next);
      p.catch(() => undefined); // surfaced when its turn comes; never an unhandled rejection
      inflight.set(next, p);
      next += 1;
    }
  };
  for (let n = 2; n <= last; n++) {
    launch();
    const page = await (inflight.get(n) as Promise<BackupPage>);
    inflight.delete(n);
    launch(); // keep fetching while the consumer works on this page
    yield page;
    if (page.backups.length === 0) return;
  }
}

/**
 * Every page of the query, in order. Validates the query and options now (throws
 * RdsValidationError before any call); the calls start at the first `next()`.
 */
export function paginateBackups(query: BackupQuery, options: ListOptions = {}): AsyncIterableIterator<BackupPage> {
  const q = validateQuery(query);
  const o = resolveOptions(options);
  return pagesOf(q, o);
}
