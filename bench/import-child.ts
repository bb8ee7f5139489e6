/**
 * In a fresh process: the cost of requiring one module (ms, heap MB, RSS MB), whether
 * @alicloud/rds20140815 got loaded by it, and optionally the first call's cost.
 * Args: <module name> <dir to resolve it from> [url dbInstanceId key secret]. Prints one JSON line.
 * The parent runs it as plain JavaScript (transpiled once), so no TypeScript loader is measured.
 */
// Resolved as a user's program resolves it: from examples/ (its node_modules links this package).
const target = process.argv[2] === "none" ? "none" : require.resolve(process.argv[2]!, { paths: [process.argv[3]!] });
const loaded = (): boolean => Object.keys(require.cache).some((k) => k.includes(`${"@alicloud"}/rds20140815`));
const mem0 = process.memoryUsage();
const t0 = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- what is measured
if (target !== "none") require(target);
const importMs = Number(process.hrtime.bigint() - t0) / 1e6;
const mem1 = process.memoryUsage();
const result: Record<string, unknown> = {
  importMs,
  heapMB: (mem1.heapUsed - mem0.heapUsed) / 2 ** 20,
  rssMB: (mem1.rss - mem0.rss) / 2 ** 20,
  rdsLoadedAfterImport: loaded(),
};
async function firstCall(): Promise<void> {
  const [url, id, key, secret] = process.argv.slice(4);
  if (!url) return;
  const sdk = (await import(target)) as typeof import("../sdk");
  const opts = { endpoint: url, credentials: { accessKeyId: key!, accessKeySecret: secret! } };
  const t1 = process.hrtime.bigint();
  await sdk.listBackups({ dbInstanceId: id! }, opts);
  result.firstCallMs = Number(process.hrtime.bigint() - t1) / 1e6;
  result.rdsLoadedAfterCall = loaded();
  const mem2 = process.memoryUsage();
  result.firstCallRssMB = (mem2.rss - mem1.rss) / 2 ** 20;
  const t2 = process.hrtime.bigint();
  await sdk.listBackups({ dbInstanceId: id! }, opts);
  result.secondCallMs = Number(process.hrtime.bigint() - t2) / 1e6;
}
firstCall().then(
  () => console.log(JSON.stringify(result)),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
