/**
 * One logical DescribeBackups call: rate limiter → transport → normalize → check the answer
 * against the request (an answer that cannot be right is refused, not retried) → download links
 * dropped unless asked for, inside the retry policy. Every public function goes through here, so
 * the policy, the shared limit, the links rule and the error messages are the same for all of them.
 */
import { checkAnswer } from "./check-answer";
import { pageWithoutDownloadLinks } from "./download-links";
import { errorFacts } from "./error-facts";
import { RdsBackupsError, toRdsApiError } from "./errors";
import { normalizePage } from "./normalize";
import type { ResolvedOptions } from "./options";
import { sleep } from "./rate-limiter";
import { describeBackupsRaw, transportConnection } from "./transport";
import type { BackupPage } from "./types";
import type { ValidatedQuery, WireParams } from "./validate";

/** Counts logical calls (retries not counted), for BackupList.calls. */
export interface CallCounter {
  calls: number;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
}

/** Races a promise with the abort signal: the SDK cannot cancel a request, but we stop waiting for it. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
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
  let token = o.retry.acquireToken(Date.now());
  for (;;) {
    if (o.signal?.aborted) throw abortError(o.signal);
    try {
      await o.rateLimiter.acquire(o.signal);
      const raw = await abortable(describeBackupsRaw(params, connection), o.signal);
      o.rateLimiter.recordSuccess();
      const normalized = normalizePage(raw.body, { pageSize: page.pageSize, pageNumber: page.pageNumber });
      checkAnswer(normalized, params, o.now());
      const result = o.includeDownloadUrls ? normalized : pageWithoutDownloadLinks(normalized);
      o.retry.recordSuccess(token);
      return result;
    } catch (err) {
      if (err instanceof RdsBackupsError || (o.signal?.aborted ?? false)) throw err;
      const facts = errorFacts(err);
      if (facts.errorClass === "THROTTLING") o.rateLimiter.recordThrottle();
      const next = o.retry.refreshToken(token, facts, Date.now());
      if (!next) {
        throw toRdsApiError(err, {
          dbInstanceId: q.dbInstanceId, region: o.endpoint.region, endpoint: o.endpoint.url, attempts: token.attempts,
          connectTimeoutMs: o.connectTimeoutMs, readTimeoutMs: o.readTimeoutMs,
        });
      }
      token = next.token;
      await sleep(next.delayMs, o.signal);
    }
  }
}
