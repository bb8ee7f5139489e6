/**
 * One logical DescribeBackups call: rate limiter → transport → normalize → check the answer
 * against the request (an answer that cannot be right is refused, not retried) → download links
 * dropped unless asked for, inside the retry policy. Every public function goes through here, so
 * the policy, the shared limit, the links rule and the error messages are the same for all of them.
 */
import { checkAnswer } from "./check-answer";
import { pageWithoutDownloadLinks } from "./download-links";
import { normalizePage } from "./normalize";
import type { ResolvedOptions } from "./options";
import { retriedRead } from "./retried-read";
import { callContext, describeBackupsRaw, transportConnection } from "./transport";
import type { BackupPage } from "./types";
import type { ValidatedQuery, WireParams } from "./validate";

/** Counts logical calls (retries not counted), for BackupList.calls. */
export interface CallCounter {
  calls: number;
}

export async function callDescribeBackups(
  q: ValidatedQuery,
  page: { readonly pageSize: WireParams["PageSize"]; readonly pageNumber: number },
  o: ResolvedOptions,
  counter?: CallCounter,
): Promise<BackupPage> {
  const params: WireParams = { ...q.params, PageSize: page.pageSize, PageNumber: page.pageNumber };
  const connection = transportConnection(o);
  if (counter) counter.calls += 1;
  return retriedRead(
    o,
    callContext(o, "DescribeBackups", q.dbInstanceId),
    () => describeBackupsRaw(params, connection),
    (raw) => {
      const normalized = normalizePage(raw.body, { pageSize: page.pageSize, pageNumber: page.pageNumber });
      checkAnswer(normalized, params, o.now());
      return o.includeDownloadUrls ? normalized : pageWithoutDownloadLinks(normalized);
    },
  );
}
