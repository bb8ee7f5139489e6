/**
 * In its own process (a fresh shared rate limiter and in-flight cap): N concurrent listBackups
 * with the DEFAULT options (shared adaptive limiter and in-flight cap, default retry policy and
 * concurrency). Reads rm-fleet000..N-1, or one instance N times when a fifth argument names it.
 * Prints one JSON line: seconds, ok (reads that returned the whole list), errors by code, backups.
 */
import { listBackups, RdsApiError } from "../sdk";

async function main(): Promise<void> {
  const [url, n, key, secret, instance] = process.argv.slice(2) as [string, string, string, string, string | undefined];
  const opts = { endpoint: url, credentials: { accessKeyId: key, accessKeySecret: secret } };
  const t0 = process.hrtime.bigint();
  const results = await Promise.allSettled(
    Array.from({ length: Number(n) }, (_, i) =>
      listBackups({ dbInstanceId: instance ?? `rm-fleet${String(i).padStart(3, "0")}` }, opts),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const failed = results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => r.reason as unknown);
  const byCode: Record<string, number> = {};
  for (const e of failed) {
    const code = e instanceof RdsApiError ? e.code : e instanceof Error ? e.name : "unknown";
    byCode[code] = (byCode[code] ?? 0) + 1;
  }
  const backups = results.reduce((a, r) => a + (r.status === "fulfilled" ? r.value.backups.length : 0), 0);
  const firstError =
    failed[0] instanceof Error ? failed[0].message : failed[0] === undefined ? undefined : String(failed[0]);
  console.log(
    JSON.stringify({ seconds, ok: results.length - failed.length, errors: failed.length, byCode, firstError, backups }),
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
