/**
 * Run with --expose-gc in its own process, the emulator in another: streams (iterateBackups) or
 * lists (listBackups) every backup of one instance and reports heap growth over the start
 * (after a full GC, the SDK already loaded by a first call): peak of samples taken every 1,000
 * backups and every 10 ms, and the final figure. Prints one JSON line.
 */
import { iterateBackups, listBackups, describeBackupsPage } from "../sdk";

declare const gc: () => void;

async function main(): Promise<void> {
  const [url, id, mode, key, secret] = process.argv.slice(2) as [string, string, string, string, string];
  const opts = { endpoint: url, credentials: { accessKeyId: key, accessKeySecret: secret } };
  await describeBackupsPage({ dbInstanceId: id, pageSize: 100, pageNumber: 1 }, opts); // loads the SDK, opens the socket
  gc();
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = (): void => void (peak = Math.max(peak, process.memoryUsage().heapUsed - base));
  const timer = setInterval(sample, 10);
  let n = 0;
  const t0 = process.hrtime.bigint();
  if (mode === "iterate") {
    for await (const b of iterateBackups({ dbInstanceId: id }, opts)) {
      if (b.backupId && ++n % 1_000 === 0) sample();
    }
  } else {
    const list = await listBackups({ dbInstanceId: id }, opts);
    n = list.backups.length;
    sample();
  }
  clearInterval(timer);
  sample();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  gc();
  const retained = process.memoryUsage().heapUsed - base;
  console.log(JSON.stringify({ n, peakMB: peak / 2 ** 20, retainedAfterGcMB: retained / 2 ** 20, seconds }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
