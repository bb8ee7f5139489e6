/**
 * In its own process (a fresh shared rate limiter): N concurrent listBackups with the DEFAULT
 * options (shared adaptive limiter, default retry policy and concurrency) against an emulator
 * that throttles. Prints one JSON line: seconds, errors, backups.
 */
import { listBackups } from "../sdk";

async function main(): Promise<void> {
  const [url, n, key, secret] = process.argv.slice(2) as [string, string, string, string];
  const opts = { endpoint: url, credentials: { accessKeyId: key, accessKeySecret: secret } };
  const t0 = process.hrtime.bigint();
  const results = await Promise.allSettled(
    Array.from({ length: Number(n) }, (_, i) => listBackups({ dbInstanceId: `rm-fleet${String(i).padStart(3, "0")}` }, opts)),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const errors = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason?.message ?? r));
  const backups = results.reduce((a, r) => a + (r.status === "fulfilled" ? r.value.backups.length : 0), 0);
  console.log(JSON.stringify({ seconds, errors: errors.length, firstError: errors[0], backups }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
