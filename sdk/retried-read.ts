/**
 * One read action through the shared limiter and the retry policy: DescribeBackups and
 * DescribeBackupTasks are retried alike, so this loop is written once. `send` makes the request;
 * `read` turns the answer into a result, and an RdsBackupsError it throws (a field of the wrong
 * type, an answer that cannot be right) is final, never retried. CreateBackup is not a read and
 * has its own loop (sdk/backup-tasks.ts): it may be re-sent only when it provably did not run.
 */
import type { CallContext } from "./error-advice";
import { errorFacts } from "./error-facts";
import { RdsBackupsError, toRdsApiError } from "./errors";
import type { ResolvedOptions } from "./options";
import { sleep } from "./sleep";

export async function retriedRead<R, T>(
  o: ResolvedOptions,
  contextAt: (attempts: number) => CallContext,
  send: () => Promise<R>,
  read: (raw: R) => T,
): Promise<T> {
  let token = o.retry.acquireToken(Date.now());
  for (;;) {
    if (o.signal?.aborted) throw abortError(o.signal);
    try {
      await o.rateLimiter.acquire(o.signal);
      const raw = await abortable(send(), o.signal);
      o.rateLimiter.recordSuccess();
      const result = read(raw);
      o.retry.recordSuccess(token);
      return result;
    } catch (err) {
      if (err instanceof RdsBackupsError || (o.signal?.aborted ?? false)) throw err;
      const facts = errorFacts(err);
      if (facts.errorClass === "THROTTLING") o.rateLimiter.recordThrottle();
      const next = o.retry.refreshToken(token, facts, Date.now());
      if (!next) throw toRdsApiError(err, contextAt(token.attempts));
      token = next.token;
      await sleep(next.delayMs, o.signal);
    }
  }
}

export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
}

/** Races a promise with the abort signal: the SDK cannot cancel a request, but we stop waiting for it. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
