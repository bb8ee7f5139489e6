/**
 * `npm run bench`: every performance figure of docs/BENCHMARKS.md, measured side by side in one run against
 * the emulator (127.0.0.1 only), printed as a table and written to docs/BENCHMARKS.md.
 * Timings are medians with min and max over several runs; call counts are counted at the emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import {
  DEFAULT_ACCESS_KEY_ID as KEY,
  DEFAULT_ACCESS_KEY_SECRET as SECRET,
  generateData,
  startEmulator,
  type RunningEmulator,
} from "../emulator";
import type { RawBinlogFile } from "../emulator";
import { checkFreshBackup, describeBackupsPage, findNewestUsableBackup, listBackups } from "../sdk";
import { checkRecoverable, listLogFiles } from "../sdk/internal";
import { IN_FLIGHT_DEFAULTS } from "../sdk/in-flight";
import { OPTION_DEFAULTS } from "../sdk/options";
import { RATE_LIMIT_DEFAULTS } from "../sdk/rate-limiter";
import { alicloudStandIn } from "../support/alicloud-standin";
import { configSetAll, ensurePulumi, pulumi } from "../support/pulumi-driver";
import { REPO_ROOT } from "../support/repo-root";
import { benchProject, type Project } from "./engine";
import { busyLoops, emulatorProcess, fmt, ms, node, repeat, stat, tsChild, type Stat } from "./lib";
import { baselineClient, sequentialPager } from "./sequential-pager";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 3);
const LATENCY_MS = 50;
const FLEET = 200;
const FLEET_BACKUPS = 150; // 2 calls per instance
const FLEET_RPS = 50;
/** The fleet on a busy machine: this many reads of one instance of this many sets, while every core runs a busy loop. */
const BUSY_READS = 200;
const BUSY_BACKUPS = 250;
/**
 * The hooks' cost where nothing changes: this many instances written with @pulumi/alicloud, each
 * with two databases and an account (4 protected resources each), previewed with and without
 * the one-line transform; this many previews of each, taken in turns.
 */
const HOOKED_INSTANCES = 50;
const HOOKS_RUNS = Number(process.env.BENCH_HOOKS_RUNS ?? 7);
/** `BENCH_ONLY=<section>` (one of SECTIONS below): run only that section and update its rows in docs/BENCHMARKS.md (the machine is shared). */
const ONLY = process.env.BENCH_ONLY || undefined;
const WEEK_BACKUPS = 14; // a week of daily full + incremental backups: 1 call per instance
const SIZES = [0, 1, 100, 101, 250, 1_000, 10_000, 10_001];
const HISTORIES = [10, 1_000, 10_000];
const creds = { accessKeyId: KEY, accessKeySecret: SECRET };

interface Row {
  area: string;
  figure: string;
  value: string;
  target: string;
  met: boolean | undefined;
  how: string;
}
const rows: Row[] = [];
const notes: string[] = [];
function row(area: string, figure: string, value: string, target: string, met: boolean | undefined, how: string): void {
  rows.push({ area, figure, value, target, met, how });
  console.log(`${met === undefined ? "  " : met ? "ok" : "!!"} ${area} | ${figure}: ${value}  [target: ${target}]`);
}

function data() {
  const now = new Date();
  return generateData({
    seed: 5,
    now,
    instances: [
      ...SIZES.map((n) => ({ id: `rm-n${n}`, count: n })),
      ...HISTORIES.map((n) => ({ id: `rm-h${n}`, count: n, newestAgeHours: 3 })),
      ...Array.from({ length: FLEET }, (_, i) => ({
        id: `rm-fleet${String(i).padStart(3, "0")}`,
        count: FLEET_BACKUPS,
      })),
      ...Array.from({ length: FLEET }, (_, i) => ({ id: `rm-week${String(i).padStart(3, "0")}`, count: WEEK_BACKUPS })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `rm-one${String(i).padStart(3, "0")}`, count: 1 })),
      { id: "rm-busy250", count: BUSY_BACKUPS },
    ],
  });
}

async function countCalls(emu: RunningEmulator, fn: () => Promise<unknown>): Promise<number> {
  emu.resetStats();
  await fn();
  return emu.stats.describeBackups;
}

/**
 * The reads of a fleet in one process while other processes keep every core busy (as on a shared
 * CI runner), no fault and no throttling: with the default in-flight cap, and with the cap lifted
 * (what the client did before it had one). The emulator runs in this process, the reads in a child.
 */
async function busyFleet(emu: RunningEmulator): Promise<void> {
  const cores = os.cpus().length;
  for (const [label, env] of [
    [`default in-flight cap (${IN_FLIGHT_DEFAULTS.maxInFlight})`, {}],
    ["in-flight cap lifted to 1,024 (as before the cap)", { ALIBABA_CLOUD_RDS_MAX_IN_FLIGHT: "1024" }],
  ] as const) {
    const runs = await repeat(Math.min(RUNS, 3), async () => {
      emu.setFaults({});
      emu.resetStats();
      const loops = busyLoops(cores, 180_000);
      try {
        const r = await tsChild<{
          seconds: number;
          ok: number;
          byCode: Record<string, number>;
          firstError?: string;
          backups: number;
        }>("fleet-child.ts", [emu.url, String(BUSY_READS), KEY, SECRET, "rm-busy250"], [], { ...process.env, ...env });
        const wrong = r.backups !== r.ok * BUSY_BACKUPS;
        notes.push(
          `busy fleet, ${label}: ${r.ok}/${BUSY_READS} ok in ${r.seconds.toFixed(2)} s, ${emu.stats.describeBackups} requests, ` +
            `failures ${JSON.stringify(r.byCode)}${r.firstError ? `, e.g. ${r.firstError.slice(0, 200)}` : ""}${wrong ? ", WRONG BACKUP COUNT" : ""}`,
        );
        return { ...r, ok: wrong ? -1 : r.ok };
      } finally {
        await loops.stop();
      }
    });
    const ok = runs.map((r) => r.ok);
    const t = stat(runs.map((r) => r.seconds));
    row(
      "fleet",
      `sdk: ${BUSY_READS} concurrent listBackups of one ${BUSY_BACKUPS}-set instance (${BUSY_READS * 3} calls), no throttling, ${cores} busy loops on the ${cores} cores, ${label}`,
      `${ok.join(", ")} of ${BUSY_READS} ok per run; ${fmt(t, 2, " s")}`,
      `${BUSY_READS}/${BUSY_READS}, no error`,
      label.startsWith("default") ? Math.min(...ok) === BUSY_READS : undefined,
      `one process, default options (shared limiter and cap, default retry policy), emulator in the parent process, no fault; busy loops: \`node -e "while (Date.now() < end);"\` per core, ended after each run`,
    );
  }
}

/** Log file counts of the log listing's call figures: empty, one page, one over, many pages. */
const LOG_FILE_COUNTS = [0, 1, 100, 101, 1_000, 10_000];

/** `n` back-to-back one-minute log files of one node, the newest ending 5 minutes before `nowMs`. */
function logFiles(n: number, nowMs: number): RawBinlogFile[] {
  const end = nowMs - 5 * 60_000;
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";
  return Array.from({ length: n }, (_, i) => ({
    FileSize: 1024 * (i + 1),
    LogBeginTime: at(end - (n - i) * 60_000),
    LogEndTime: at(end - (n - i - 1) * 60_000),
    HostInstanceID: "1000001",
    LogFileName: `mysql-bin.${String(i + 1).padStart(6, "0")}`,
    RemoteStatus: "Completed",
  }));
}

/**
 * The log listing (DescribeBinlogFiles) in ceil(N/100) calls, and the whole point-in-time check
 * of a healthy instance: its own emulator, calls counted there.
 */
async function logFileCalls(): Promise<void> {
  const now = Date.now();
  const data = generateData({ seed: 9, now, instances: [{ id: "rm-pitr", engine: "MySQL", count: 14 }] });
  const emu = await startEmulator({ data, port: 0, host: "127.0.0.1" });
  const opts = { endpoint: emu.url, credentials: creds };
  try {
    for (const n of LOG_FILE_COUNTS) {
      emu.setLogFiles("rm-pitr", logFiles(n, now));
      emu.resetStats();
      const range = { dbInstanceId: "rm-pitr", startTime: new Date(now - (n + 10) * 60_000), endTime: new Date(now) };
      const list = await listLogFiles(range, opts);
      const made = emu.stats.byAction.DescribeBinlogFiles ?? 0;
      const want = Math.max(1, Math.ceil(n / 100));
      row(
        "log-files",
        `listLogFiles N=${n}`,
        `${made}`,
        `${want}`,
        made === want && list.files.length === n,
        "DescribeBinlogFiles requests counted at the emulator; pages of 100, pages after the first concurrently (option concurrency, default 10); every file returned once",
      );
    }
    // A day of one-minute files, and a full set 3 hours old: the chain read from its start.
    emu.setLogFiles("rm-pitr", logFiles(24 * 60, now));
    emu.resetStats();
    const verdict = await checkRecoverable({ dbInstanceId: "rm-pitr", recoverableWithin: "15m" }, opts);
    const byAction = emu.stats.byAction;
    const files = verdict.logFiles?.length ?? 0;
    row(
      "log-files",
      "checkRecoverable, healthy MySQL instance, one-minute log files",
      `${emu.stats.requests} calls: ${Object.entries(byAction)
        .map(([a, c]) => `${a} ${c}`)
        .join(", ")} (${files} files in the chain)`,
      `3 + ceil(files/100) = ${3 + Math.ceil(files / 100)}`,
      verdict.recoverable && emu.stats.requests === 3 + Math.ceil(files / 100),
      "requests counted at the emulator: DescribeBackupPolicy, DescribeBackups (full sets within retention: one page), DescribeLocalAvailableRecoveryTime, then the log files from the newest full set's start to now",
    );
  } finally {
    await emu.close();
  }
}

/**
 * `pulumi preview` of a program of 200 protected resources where nothing changes, with the
 * backup hooks' stack transform (`backupBeforeChanges`) and without it: the same program in two
 * stacks, each created by an `up` first, served by the stand-in alicloud plugin. Previews run in
 * turns (which goes first alternates), after one of each to warm the caches; `--expect-no-changes`
 * makes a preview that would change anything fail. RDS calls are counted at the emulator.
 */
async function hooksNoChange(emu: RunningEmulator): Promise<void> {
  const bin = await ensurePulumi();
  const secrets = { "alicloud:accessKey": KEY, "alicloud:secretKey": SECRET };
  const resources = HOOKED_INSTANCES * 4;
  const programs: Record<"plain" | "hooks", Project> = {
    plain: await benchProject("hooks", secrets),
    hooks: await benchProject("hooks", secrets),
  };
  const config = (label: "plain" | "hooks") => ({
    instances: String(HOOKED_INSTANCES),
    protect: String(label === "hooks"),
  });
  const env = (p: Project) => ({ ...alicloudStandIn(p.backend.dir).env(bin), ALIBABA_CLOUD_RDS_ENDPOINT: emu.url });
  try {
    for (const label of ["plain", "hooks"] as const) {
      const p = programs[label];
      await configSetAll(config(label), { cwd: p.cwd, backend: p.backend, stack: "bench" });
      const up = await pulumi(["up", "--yes", "--skip-preview"], {
        cwd: p.cwd,
        backend: p.backend,
        stack: "bench",
        env: env(p),
      });
      if (up.code !== 0) throw new Error(`up of the ${label} program failed: ${(up.stdout + up.stderr).slice(-1500)}`);
    }
    const times: Record<"plain" | "hooks", number[]> = { plain: [], hooks: [] };
    const cpu: Record<"plain" | "hooks", number[]> = { plain: [], hooks: [] };
    let calls = 0;
    let failed = 0;
    for (let run = 0; run <= HOOKS_RUNS; run++) {
      for (const label of run % 2 === 0 ? (["plain", "hooks"] as const) : (["hooks", "plain"] as const)) {
        const p = programs[label];
        emu.resetStats();
        const r = await p.preview(config(label), env(p), ["--expect-no-changes"]);
        if (!r.ok) {
          failed++;
          notes.push(`hooks bench: preview of the ${label} program failed: ${r.out.slice(-600)}`);
        }
        if (label === "hooks") calls += emu.stats.requests;
        const c = r.cpu;
        notes.push(
          `hooks bench, ${label}${run === 0 ? " (warm-up, not counted)" : ""}: ${r.ms.toFixed(0)} ms, ${emu.stats.requests} RDS requests, ok=${r.ok}; ` +
            `CPU s: engine ${c.engine.toFixed(2)}, program ${c.program.toFixed(2)}, plugins ${(c.provider + c.other).toFixed(2)}`,
        );
        if (run > 0) {
          times[label].push(r.ms);
          cpu[label].push(c.engine + c.program + c.provider + c.other);
        }
      }
    }
    const plain = stat(times.plain);
    const hooks = stat(times.hooks);
    // Each run's two previews ran back to back: their ratio cancels the load that drifts over minutes on a shared machine.
    const ratios = stat(times.hooks.map((t, i) => t / (times.plain[i] ?? Number.NaN)));
    const slower = (ratios.median - 1) * 100;
    const cpuHooks = stat(cpu.hooks);
    const cpuPlain = stat(cpu.plain);
    row(
      "hooks",
      `preview, ${resources} protected resources, nothing changes: with the one-line transform vs without`,
      `${fmt(hooks, 0, " ms")} vs ${fmt(plain, 0, " ms")}; per run, with / without: ${fmt(ratios, 3)} = ${slower >= 0 ? "+" : ""}${slower.toFixed(1)}%; ${calls} RDS API calls${failed ? `; ${failed} previews FAILED` : ""}; CPU of the run's processes ${fmt(cpuHooks, 2, " s")} vs ${fmt(cpuPlain, 2, " s")}`,
      "0 calls, ≤ +5%",
      failed === 0 && calls === 0 && slower <= 5,
      `wall time of \`pulumi preview --expect-no-changes\` (real CLI, file backend, stand-in alicloud plugin), the same program (${HOOKED_INSTANCES} alicloud.rds.Instance, each with 2 Database and 1 Account) in two stacks created by \`up\`, with and without \`backupBeforeChanges({ maxAge: "24h" })\`; previews in turns (each run: one of each, back to back, which goes first alternating), the first run not counted; the figure judged is the median over runs of the ratio of the two previews of a run; calls counted at the emulator over every preview with the transform; CPU: user + system seconds of the CLI, the program and the plugins, sampled from /proc every 200 ms (a lower bound)`,
    );
  } finally {
    for (const p of Object.values(programs)) p.backend.cleanup();
  }
}

/** DescribeBackups calls of a listing by size, ours and the sequential pager's. */
async function callCounts(emu: RunningEmulator): Promise<void> {
  const opts = { endpoint: emu.url, credentials: creds };
  const baseline = baselineClient(emu.url, KEY, SECRET);
  for (const n of SIZES) {
    const ours = await countCalls(emu, () => listBackups({ dbInstanceId: `rm-n${n}` }, opts));
    const want = Math.max(1, Math.ceil(n / 100));
    const base = await countCalls(emu, () => sequentialPager(baseline, `rm-n${n}`));
    row(
      "calls",
      `listBackups N=${n}`,
      `${ours} (sequential pager: ${base})`,
      `${want}`,
      ours === want,
      "DescribeBackups requests counted at the emulator",
    );
  }
}

/** The gate and the newest-set lookup: one call whatever the history. */
async function gateCalls(emu: RunningEmulator): Promise<void> {
  const opts = { endpoint: emu.url, credentials: creds };
  for (const h of HISTORIES) {
    const gate = await countCalls(emu, () => checkFreshBackup({ dbInstanceId: `rm-h${h}`, maxAge: "24h" }, opts));
    const newest = await countCalls(emu, () => findNewestUsableBackup({ dbInstanceId: `rm-h${h}` }, opts));
    const all = await countCalls(emu, () => listBackups({ dbInstanceId: `rm-h${h}` }, opts));
    row(
      "gate",
      `history of ${h} sets: checkFreshBackup / findNewestUsableBackup`,
      `${gate} / ${newest} (whole list: ${all})`,
      "1 / 1",
      gate === 1 && newest === 1,
      "calls counted at the emulator; maxAge 24h, newest set 3 h old",
    );
  }
}

/** Wall time against an emulator with injected latency, in its own process (as the service is): its CPU is not ours. */
async function latency(): Promise<void> {
  // The emulator in its own process here (as the service is): its CPU is not ours.
  const latFile = path.join(os.tmpdir(), `rds-bench-latency-${process.pid}.json`);
  fs.writeFileSync(
    latFile,
    JSON.stringify(
      generateData({ seed: 6, instances: [100, 1_000, 10_000].map((n) => ({ id: `rm-n${n}`, count: n })) }),
    ),
  );
  const latEmu = await emulatorProcess(latFile, ["--latency-ms", String(LATENCY_MS)]);
  const lopts = { endpoint: latEmu.url, credentials: creds };
  const lbase = baselineClient(latEmu.url, KEY, SECRET);
  try {
    const rt = stat(
      await repeat(RUNS * 2, async () => {
        const t = process.hrtime.bigint();
        await describeBackupsPage({ dbInstanceId: "rm-n100", pageSize: 100, pageNumber: 1 }, lopts);
        return ms(t);
      }),
    );
    row(
      "latency",
      `one round trip (one call, ${LATENCY_MS} ms injected)`,
      fmt(rt, 1, " ms"),
      "-",
      undefined,
      "describeBackupsPage, wall time",
    );
    const timeList = (id: string) => async () => {
      const t = process.hrtime.bigint();
      await listBackups({ dbInstanceId: id }, lopts);
      return ms(t);
    };
    const timeBase = (id: string) => async () => {
      const t = process.hrtime.bigint();
      await sequentialPager(lbase, id);
      return ms(t);
    };
    const l1k = stat(await repeat(RUNS, timeList("rm-n1000")));
    const b1k = stat(await repeat(RUNS, timeBase("rm-n1000")));
    row(
      "latency",
      "list 1,000 backups (10 calls)",
      `${fmt(l1k, 0, " ms")} = ${(l1k.median / rt.median).toFixed(2)} round trips; sequential pager ${fmt(b1k, 0, " ms")}`,
      "≤ 3 round trips",
      l1k.median <= 3 * rt.median,
      "listBackups with default options (concurrency, shared limiter)",
    );
    const l10k = stat(await repeat(RUNS, timeList("rm-n10000")));
    const b10k = stat(await repeat(Math.min(RUNS, 3), timeBase("rm-n10000")));
    row(
      "latency",
      "list 10,000 backups: ours vs sequential pager (page 50)",
      `${fmt(l10k, 0, " ms")} vs ${fmt(b10k, 0, " ms")} = ${(b10k.median / l10k.median).toFixed(1)}x faster`,
      "≥ 5x",
      b10k.median / l10k.median >= 5,
      "100 calls vs 201 (the pager's extra empty page), same official SDK, same emulator",
    );
  } finally {
    await latEmu.stop();
    fs.rmSync(latFile, { force: true });
  }
}

/** The cost of importing the package and its parts, and of the first call, each in a fresh process. */
async function startUp(emu: RunningEmulator): Promise<void> {
  const childJs = path.join(os.tmpdir(), `rds-bench-import-${process.pid}.js`);
  fs.writeFileSync(
    childJs,
    ts.transpileModule(fs.readFileSync(path.join(__dirname, "import-child.ts"), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  );
  const imp = async (target: string, extra: string[] = []) => {
    const r = await repeat(
      RUNS,
      async () =>
        JSON.parse((await node([childJs, target, path.join(REPO_ROOT, "examples"), ...extra])).trim()) as Record<
          string,
          number | boolean
        >,
    );
    return {
      ms: stat(r.map((x) => x.importMs as number)),
      heap: stat(r.map((x) => x.heapMB as number)),
      rss: stat(r.map((x) => x.rssMB as number)),
      raw: r,
    };
  };
  const pkg = await imp("pulumi-alicloud-rds-backups");
  const sdk = await imp("pulumi-alicloud-rds-backups/sdk", [emu.url, "rm-n100", KEY, SECRET]);
  const pul = await imp("@pulumi/pulumi");
  const rdsMod = await imp("@alicloud/rds20140815");
  fs.rmSync(childJs, { force: true });
  const lazy =
    [...pkg.raw, ...sdk.raw].every((x) => x.rdsLoadedAfterImport === false) &&
    sdk.raw.every((x) => x.rdsLoadedAfterCall === true);
  row(
    "start-up",
    "@alicloud/rds20140815 loaded by import / by first call",
    lazy ? "no / yes" : "LOADED EARLY",
    "no / yes",
    lazy,
    "require.cache in a fresh process",
  );
  const improw = (r: typeof pkg) =>
    `${fmt(r.ms, 0, " ms")}, heap +${r.heap.median.toFixed(1)} MB, RSS +${r.rss.median.toFixed(1)} MB`;
  row(
    "start-up",
    "import pulumi-alicloud-rds-backups (dist/provider)",
    improw(pkg),
    "report",
    undefined,
    "require() in a fresh node process",
  );
  row("start-up", "import pulumi-alicloud-rds-backups/sdk (dist/sdk)", improw(sdk), "report", undefined, "same");
  row("start-up", "import @pulumi/pulumi alone", improw(pul), "report", undefined, "same");
  row(
    "start-up",
    "import @alicloud/rds20140815 alone (what laziness saves)",
    improw(rdsMod),
    "report",
    undefined,
    "same",
  );
  const first = stat(sdk.raw.map((x) => x.firstCallMs as number));
  const second = stat(sdk.raw.map((x) => x.secondCallMs as number));
  row(
    "start-up",
    "first listBackups call (loads the SDK) vs second",
    `${fmt(first, 0, " ms")} (RSS +${stat(sdk.raw.map((x) => x.firstCallRssMB as number)).median.toFixed(0)} MB) vs ${fmt(second, 1, " ms")}`,
    "report",
    undefined,
    "1 page, no injected latency, fresh process",
  );
}

/** Peak heap while streaming and while listing 100,000 backups, the emulator in its own process. */
async function memory(): Promise<void> {
  const memFile = path.join(os.tmpdir(), `rds-bench-100k-${process.pid}.json`);
  fs.writeFileSync(
    memFile,
    JSON.stringify(generateData({ seed: 7, instances: [{ id: "rm-mem100k", count: 100_000 }] })),
  );
  const memEmu = await emulatorProcess(memFile);
  try {
    type Mem = { n: number; peakMB: number; retainedAfterGcMB: number; seconds: number };
    const it = await repeat(
      Math.min(RUNS, 3),
      async () =>
        (await tsChild<Mem>("memory-child.ts", [memEmu.url, "rm-mem100k", "iterate", KEY, SECRET], ["--expose-gc"]))
          .peakMB,
    );
    const li = await tsChild<Mem>("memory-child.ts", [memEmu.url, "rm-mem100k", "list", KEY, SECRET], ["--expose-gc"]);
    const s = stat(it);
    row(
      "memory",
      "iterateBackups over 100,000 backups: peak heap growth",
      `${fmt(s, 1, " MB")} (listBackups of the same: ${li.peakMB.toFixed(0)} MB)`,
      "< 50 MB",
      s.max < 50,
      "--expose-gc, gc() before, heapUsed sampled every 10 ms and every 1,000 backups; emulator in its own process",
    );
  } finally {
    await memEmu.stop();
    fs.rmSync(memFile, { force: true });
  }
}

/** A fleet of concurrent reads in one process, against a service that throttles. */
async function sdkFleet(emu: RunningEmulator): Promise<void> {
  try {
    const minCalls = FLEET * Math.ceil(FLEET_BACKUPS / 100);
    const ideal = minCalls / FLEET_RPS;
    const fleetSdk = await repeat(Math.min(RUNS, 3), async () => {
      emu.setFaults({ latencyMs: LATENCY_MS, throttleRps: FLEET_RPS });
      emu.resetStats();
      const r = await tsChild<{ seconds: number; errors: number; firstError?: string }>("fleet-child.ts", [
        emu.url,
        String(FLEET),
        KEY,
        SECRET,
      ]);
      const st = emu.stats;
      if (r.errors) notes.push(`sdk fleet run: ${r.errors} errors, e.g. ${r.firstError}`);
      notes.push(
        `sdk fleet run: ${r.seconds.toFixed(2)} s, ${st.describeBackups} requests of which ${st.faults["throttle"] ?? 0} throttled, ${r.errors} errors`,
      );
      return r.seconds + r.errors * 1e6;
    });
    const fs1 = stat(fleetSdk);
    row(
      "fleet",
      `sdk: ${FLEET} concurrent listBackups (${minCalls} calls), service throttles above ${FLEET_RPS}/s`,
      `${fmt(fs1, 2, " s")} = ${(fs1.median / ideal).toFixed(2)}x of calls/${FLEET_RPS}`,
      `≤ 1.3x (${(1.3 * ideal).toFixed(1)} s), no error`,
      fs1.max < 1e6 && fs1.median <= 1.3 * ideal,
      `one process, default options; calls/${FLEET_RPS} = ${ideal.toFixed(1)} s; ${LATENCY_MS} ms latency`,
    );
  } finally {
    emu.setFaults({});
  }
}

/** `pulumi preview` time per read, and a fleet of reads through the engine. */
async function engine(emu: RunningEmulator): Promise<void> {
  await ensurePulumi();
  const project = await benchProject("reads", { "alicloud:accessKey": KEY, "alicloud:secretKey": SECRET });
  const env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  const previews = async (reads: number, prefix: string, runs: number): Promise<Stat> =>
    stat(
      await repeat(runs, async () => {
        emu.setFaults(reads === FLEET ? { latencyMs: LATENCY_MS, throttleRps: FLEET_RPS } : {});
        emu.resetStats();
        const r = await project.preview({ reads: String(reads), prefix }, env);
        if (!r.ok || /error/i.test(r.out.replace(/errors?: 0/gi, "")))
          notes.push(`preview with ${reads} reads: ${r.ok ? "error text in output" : "FAILED"}: ${r.out.slice(-600)}`);
        const c = r.cpu;
        notes.push(
          `preview with ${reads} reads of ${prefix}*: ${r.ms.toFixed(0)} ms, ${emu.stats.describeBackups} requests, ${emu.stats.faults["throttle"] ?? 0} throttled, ok=${r.ok}; ` +
            `CPU s: engine ${c.engine.toFixed(2)}, program ${c.program.toFixed(2)}, provider ${c.provider.toFixed(2)}, other ${c.other.toFixed(2)}`,
        );
        return r.ms + (r.ok ? 0 : 1e7);
      }),
    );
  try {
    await project.preview({ reads: "1", prefix: "rm-one" }, env); // warm the caches (CLI, plugins, ts-node) once
    const p0 = await previews(0, "rm-one", ENGINE_RUNS);
    const p1 = await previews(1, "rm-one", ENGINE_RUNS);
    for (const [prefix, size] of [
      ["rm-one", 1],
      ["rm-week", WEEK_BACKUPS],
      ["rm-fleet", FLEET_BACKUPS],
    ] as const) {
      const p20 = await previews(20, prefix, prefix === "rm-one" ? ENGINE_RUNS : Math.max(1, ENGINE_RUNS - 1));
      const per = (p20.median - p0.median) / 20;
      const marginal = (p20.median - p1.median) / 19;
      row(
        "engine",
        `preview: 0 reads vs 20 reads of ${size} backup${size > 1 ? "s" : ""} each (API latency 0)`,
        `${fmt(p0, 0, " ms")} vs ${fmt(p20, 0, " ms")}: +${per.toFixed(1)} ms per read; of which one-time provider start + first read ${(p1.median - p0.median).toFixed(0)} ms, then +${marginal.toFixed(1)} ms per further read`,
        "≤ 30 ms per read",
        per <= 30,
        "wall time of `pulumi preview` (real CLI, file backend, emulator without latency); (T20 − T0) / 20, and (T20 − T1) / 19 without the provider's start",
      );
    }
    for (const [prefix, size] of [
      ["rm-week", WEEK_BACKUPS],
      ["rm-fleet", FLEET_BACKUPS],
    ] as const) {
      const minCallsP = FLEET * Math.ceil(size / 100);
      const idealP = minCallsP / FLEET_RPS;
      const pf = await previews(FLEET, prefix, Math.max(2, ENGINE_RUNS - 1));
      const readPhase = (pf.median - p0.median) / 1000;
      row(
        "fleet",
        `pulumi preview: ${FLEET} reads of ${size} backups (${minCallsP} calls), service throttles above ${FLEET_RPS}/s`,
        `${fmt({ ...pf, median: pf.median / 1000, min: pf.min / 1000, max: pf.max / 1000 }, 2, " s")} − ${(p0.median / 1000).toFixed(2)} s (0 reads) = ${readPhase.toFixed(2)} s = ${(readPhase / idealP).toFixed(2)}x of calls/${FLEET_RPS}`,
        `≤ 1.3x (${(1.3 * idealP).toFixed(1)} s), no error`,
        pf.max < 1e7 && readPhase <= 1.3 * idealP,
        `read phase = preview wall time minus the 0-read preview; ${LATENCY_MS} ms latency; calls/${FLEET_RPS} = ${idealP.toFixed(1)} s`,
      );
    }
  } finally {
    project.backend.cleanup();
  }
}

/**
 * The benchmark's sections, in the order a full run measures them and writes its table. Each runs
 * alone with `BENCH_ONLY=<name>`; those given the shared emulator find it as `data()` made it.
 */
const SECTIONS: ReadonlyArray<readonly [name: string, run: (emu: RunningEmulator) => Promise<void>]> = [
  ["calls", callCounts],
  ["gate", gateCalls],
  ["log-files", () => logFileCalls()],
  ["latency", () => latency()],
  ["start-up", startUp],
  ["memory", () => memory()],
  ["fleet", sdkFleet],
  ["busy-fleet", busyFleet],
  ["engine", engine],
  ["hooks", hooksNoChange],
];

async function main(): Promise<void> {
  const started = new Date();
  const load0 = os.loadavg();
  console.log(`bench: ${os.cpus().length} cores, load ${load0.map((x) => x.toFixed(2)).join(" ")}`);
  const chosen = ONLY === undefined ? SECTIONS : SECTIONS.filter(([name]) => name === ONLY);
  if (chosen.length === 0)
    throw new Error(`BENCH_ONLY=${ONLY}: no such section (${SECTIONS.map(([name]) => name).join(", ")})`);
  const emu = await startEmulator({ data: data(), port: 0, host: "127.0.0.1" });
  try {
    for (const [name, run] of chosen) {
      console.log(`--- ${name}`);
      await run(emu);
    }
  } finally {
    await emu.close();
  }
  if (ONLY === undefined) writeReport(started, load0, os.loadavg());
  else mergeRows();
}

/** A partial run: replaces this run's rows in docs/BENCHMARKS.md's table (same area and figure), or adds them after the last row of their area (a new area: at the end of the table). */
function mergeRows(): void {
  const file = path.join(REPO_ROOT, "docs", "BENCHMARKS.md");
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (const r of rows) {
    const line = `| ${r.area} | ${r.figure} | ${r.value} | ${r.target} | ${r.met === undefined ? "—" : r.met ? "yes" : "**no**"} |`;
    const same = lines.findIndex((l) => l.startsWith(`| ${r.area} | ${r.figure} |`));
    if (same >= 0) lines[same] = line;
    else {
      const lastOfArea = lines
        .map((l, i) => (l.startsWith(`| ${r.area} |`) ? i : -1))
        .reduce((a, b) => Math.max(a, b), -1);
      // A new area goes at the end of the table (others append too: merges stay simple).
      const header = lines.findIndex((l) => l.startsWith("|---"));
      let lastRow = header;
      while (lines[lastRow + 1]?.startsWith("| ")) lastRow += 1;
      lines.splice(lastOfArea >= 0 ? lastOfArea + 1 : lastRow + 1, 0, line);
    }
    const how = `- **${r.area} / ${r.figure}**: ${r.how}.`;
    if (!lines.includes(how)) lines.splice(lines.indexOf("Notes from the run:") - 1, 0, how);
  }
  const notesAt = lines.indexOf("Notes from the run:");
  lines.splice(
    notesAt + 2,
    0,
    ...notes.map((n) => `- (${new Date().toISOString().slice(0, 10)}, BENCH_ONLY=${ONLY}) ${n.replace(/\n/g, " ")}`),
  );
  fs.writeFileSync(file, lines.join("\n"));
  console.log(`updated ${rows.length} rows of ${file}`);
}

function writeReport(started: Date, load0: number[], load1: number[]): void {
  const cpu = os.cpus()[0]?.model ?? "unknown";
  const table = [
    "| area | figure | value (median (min–max, n)) | target | met |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.area} | ${r.figure} | ${r.value} | ${r.target} | ${r.met === undefined ? "—" : r.met ? "yes" : "**no**"} |`,
    ),
  ].join("\n");
  console.log(`\n${table}\n`);
  const how = [...new Set(rows.map((r) => `- **${r.area} / ${r.figure}**: ${r.how}.`))].join("\n");
  const md = `# Benchmarks

Generated by \`npm run bench\` (= \`npm run build --silent && ts-node --transpile-only bench/run.ts\`); do not edit by hand,
except the "Analysis" section below the generated part, which is kept when the file is rewritten.

- Date: ${started.toISOString()}
- Machine: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB memory, Node ${process.version}, ${os.type()} ${os.release()}
- Load average (1, 5, 15 min) at start: ${load0.map((x) => x.toFixed(2)).join(", ")}; at end: ${load1.map((x) => x.toFixed(2)).join(", ")}
  (a shared machine: other work ran beside the benchmark).
- Runs: ${RUNS} per timing (engine previews: ${ENGINE_RUNS}, the 200-read preview ${Math.max(2, ENGINE_RUNS - 1)}; the 10,000-backup sequential pager ${Math.min(RUNS, 3)}; memory and sdk fleet ${Math.min(RUNS, 3)}).
- Defaults measured: concurrency ${OPTION_DEFAULTS.concurrency} pages in flight per listing, ${IN_FLIGHT_DEFAULTS.maxInFlight} requests in flight per process, rate limiter ceiling ${RATE_LIMIT_DEFAULTS.maxRps} (adaptive: no limit until throttled), emulator on 127.0.0.1.

## Figures

${table}

## How each figure was made

${how}

Notes from the run:

${notes.map((n) => `- ${n.replace(/\n/g, " ")}`).join("\n") || "- none"}
`;
  const file = path.join(REPO_ROOT, "docs", "BENCHMARKS.md");
  const marker = "\n## Analysis";
  const kept = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split(marker)[1] : undefined;
  fs.writeFileSync(file, md + (kept !== undefined ? `${marker}${kept}` : ""));
  console.log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
