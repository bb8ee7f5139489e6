/**
 * The paging engine, written once: an async iterator of pages whose only state is "where next".
 *
 * Fewest calls: page size 100; the first page tells TotalRecordCount; pages 2..ceil(total/100) are
 * then fetched concurrently (at most `concurrency` in flight) and yielded in order. A pass is
 * bounded by what the first answer said (and by MAX_PAGES_PER_PASS and passTimeBudgetMs), and it
 * stops as soon as a page brings no backup it had not seen: an empty page, or one that only
 * repeats earlier pages. A full page of repeats cannot come from a list that moved (it would take
 * a page's worth of new backups between two calls): it is a server repeating itself, refused at
 * once. Whether a pass that stopped was consistent (the list did not move under it) is for the
 * consumer to judge with `PassCheck.consistent`: see list-backups.ts.
 */
import { callDescribeBackups, type CallCounter } from "./call-describe-backups";
import { RdsApiError, RdsImplausibleAnswerError } from "./errors";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import type { Backup, BackupPage, BackupQuery } from "./types";
import { validateQuery, type ValidatedQuery } from "./validate";

/** The largest page the API serves: the fewest calls. */
const PAGE_SIZE = 100;
/** Hard cap on pages per pass (2,000,000 items): a corrupt TotalRecordCount must not mean endless calls. */
export const MAX_PAGES_PER_PASS = 20_000;

/**
 * Time allowed for one pass of `pages` pages, ms: one call's whole retry deadline (60 s by
 * default), plus 2 s a page (an honest page takes ~0.1 s; 20x leaves room for throttling), and
 * never more than 15 minutes whatever the total claims.
 */
export function passTimeBudgetMs(pages: number): number {
  return Math.min(60_000 + 2_000 * pages, 15 * 60_000);
}

/** What a pass needs to know of any page: the total it claims and where it came from. */
export interface CountedPage {
  readonly totalRecordCount: number;
  readonly requestId: string;
  readonly totalEcsSnapshotSize?: number;
}

/**
 * The bookkeeping of one pass: keys only, so memory stays bounded by keys, not items. Backups
 * are keyed by backupId; a listing of other items (log files) passes its own key and noun.
 */
export class PassCheck<T = Backup> {
  readonly ids = new Set<string>();
  firstTotal: number | undefined;
  lastTotal = 0;
  totalsAgree = true;
  snapshotSize = 0;
  lastRequestId = "";

  constructor(
    private readonly keyOf: (item: T) => string = (b) => (b as unknown as Backup).backupId,
    private readonly noun = "backups",
  ) {}

  /** Records a page; returns its items not seen before in this pass. */
  see(page: CountedPage, items: readonly T[]): T[] {
    this.firstTotal ??= page.totalRecordCount;
    if (page.totalRecordCount !== this.firstTotal) this.totalsAgree = false;
    this.lastTotal = page.totalRecordCount;
    this.snapshotSize = page.totalEcsSnapshotSize ?? 0;
    this.lastRequestId = page.requestId;
    const fresh: T[] = [];
    for (const item of items) {
      const key = this.keyOf(item);
      if (this.ids.has(key)) continue;
      this.ids.add(key);
      fresh.push(item);
    }
    return fresh;
  }

  get consistent(): boolean {
    return this.totalsAgree && this.ids.size === this.lastTotal;
  }

  why(): string {
    const what = this.totalsAgree
      ? `pages repeated or missed ${this.noun}`
      : `the total changed from ${this.firstTotal} to ${this.lastTotal} during the read`;
    return `${what} (last request id ${this.lastRequestId || "unknown"})`;
  }
}

/**
 * Pages `from`..`to` in order, at most `concurrency` in flight. After each page arrives,
 * `keepGoing` (which may throw) says whether to go on: when it says no, that page is the last
 * yielded and no further call is made. Used by every listing that pages, so "fewest calls,
 * concurrently, in order, bounded" is written once.
 */
export async function* pagesInOrder<P>(
  call: (pageNumber: number) => Promise<P>,
  from: number,
  to: number,
  concurrency: number,
  keepGoing: (page: P, pageNumber: number) => boolean,
): AsyncGenerator<P, void, undefined> {
  const inflight = new Map<number, Promise<P>>();
  let next = from;
  const launch = (): void => {
    while (next <= to && inflight.size < concurrency) {
      const p = call(next);
      p.catch(() => undefined); // surfaced when its turn comes; never an unhandled rejection
      inflight.set(next, p);
      next += 1;
    }
  };
  for (let n = from; n <= to; n++) {
    launch();
    const page = await (inflight.get(n) as Promise<P>);
    inflight.delete(n);
    if (!keepGoing(page, n)) {
      yield page; // the end: nothing more is asked for
      return;
    }
    launch(); // keep fetching while the consumer works on this page
    yield page;
  }
}

/** A page of a pass, with the backups it brought that earlier pages of the pass did not. */
interface PassPage {
  readonly page: BackupPage;
  readonly fresh: readonly Backup[];
}

/** One pass over the pages of an already-validated query, recorded in `check`. */
export async function* pagesOf(
  q: ValidatedQuery,
  o: ResolvedOptions,
  check: PassCheck,
  counter: CallCounter = { calls: 0 },
): AsyncGenerator<PassPage, void, undefined> {
  const call = (pageNumber: number): Promise<BackupPage> =>
    callDescribeBackups(q, { pageSize: PAGE_SIZE, pageNumber }, o, counter);
  const started = Date.now();
  const first = await call(1);
  yield { page: first, fresh: check.see(first, first.backups) };
  if (first.backups.length === 0) return;
  const last = Math.min(Math.ceil(first.totalRecordCount / PAGE_SIZE), MAX_PAGES_PER_PASS);
  const deadline = started + passTimeBudgetMs(last);
  let fresh: Backup[] = [];
  const keepGoing = (page: BackupPage, n: number): boolean => {
    fresh = check.see(page, page.backups);
    if (fresh.length === 0 && page.backups.length === PAGE_SIZE) {
      throw new RdsImplausibleAnswerError(
        "Items.Backup",
        page.backups.map((b) => b.backupId),
        page.requestId,
        `page ${n} repeats ${PAGE_SIZE} backups of earlier pages and brings none new, while TotalRecordCount ` +
          `${page.totalRecordCount} says there are more; a list that moved would need ${PAGE_SIZE} new backups between two calls`,
      );
    }
    if (Date.now() > deadline) throw passTimeout(q, o, last, deadline - started, page.requestId);
    return fresh.length > 0;
  };
  for await (const page of pagesInOrder(call, 2, last, o.concurrency, keepGoing)) yield { page, fresh };
}

/** A pass that outlived its budget: an RdsApiError naming the call, the pages and the last request id. */
export function passTimeout(
  q: { readonly dbInstanceId: string },
  o: ResolvedOptions,
  pages: number,
  budgetMs: number,
  requestId: string,
  action = "DescribeBackups",
): RdsApiError {
  return new RdsApiError({
    message:
      `${action} ${q.dbInstanceId}: reading ${pages} pages took longer than the ${Math.round(budgetMs / 1000)} s allowed for them ` +
      `(last request id ${requestId || "unknown"}); narrow the query with startTime/endTime, or retry when the API answers faster`,
    code: "ListTimeout",
    requestId,
    attempts: 1,
    retryable: true,
    errorClass: "TRANSIENT",
    context: { dbInstanceId: q.dbInstanceId, region: o.endpoint.region, endpoint: o.endpoint.url, action },
  });
}

/**
 * Every page of the query, in order. Validates the query and options now (throws
 * RdsValidationError before any call); the calls start at the first `next()`.
 */
export function paginateBackups(query: BackupQuery, options: ListOptions = {}): AsyncIterableIterator<BackupPage> {
  const q = validateQuery(query);
  const o = resolveOptions(options);
  return pageValues(pagesOf(q, o, new PassCheck()));
}

async function* pageValues(pass: AsyncIterable<PassPage>): AsyncGenerator<BackupPage, void, undefined> {
  for await (const { page } of pass) yield page;
}
