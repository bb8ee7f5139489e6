/**
 * `ensureFreshBackup`: when the newest usable backup is older than `maxAge`, take one and wait
 * until it is usable.
 *
 *   1. judge, exactly as the gate does (checkFreshBackup, one read): fresh → nothing is created;
 *   2. look for a backup task the instance already runs (DescribeBackupTasks): JOIN it;
 *   3. only then CreateBackup (BackupMethod Physical unless asked otherwise);
 *   4. wait: DescribeBackupTasks by BackupJobId until `Finished` (`Failed` fails at once), then
 *      DescribeBackups by BackupId until the set is Success and available (the list may lag the
 *      task), then judge again: the answer is the gate's own verdict.
 *
 * Why in that order: CreateBackup has no ClientToken, so the API never deduplicates a repeated
 * call, and a second call after the first finished takes a second backup. Idempotency is built
 * from what can be read instead:
 * - a retried run (a crash after CreateBackup, a retried `pulumi up`) finds the first backup
 *   either finished (step 1 says fresh) or still running (step 2 joins it);
 * - CreateBackup is never re-sent after an answer that was lost (time-out, reset, 5xx,
 *   unreadable body): the task list is read instead, and the task found is joined. If none
 *   shows up, ensure stops with an error rather than risk a second backup; running it again
 *   is safe for the same reasons;
 * - it is re-sent only after failures that prove it was not executed (see backup-tasks.ts);
 * - `BackupJobExists` (a task started between steps 2 and 3, by anyone) → join that task.
 * Left open: a task that finished while DescribeBackups does not show its set yet, when the
 * API no longer lists finished tasks; a run in that short gap takes a second backup.
 *
 * `timeout` (default 1 h, at most 24 h) is a deadline for the whole run: every read and its
 * retries, CreateBackup's answer and every wait end when it passes (an abort signal passed down
 * to each call; the request already sent is not cancelled, the run just stops waiting for it),
 * and the error says what the run was doing. Polls back off from `pollInterval.initialMs` to
 * `maxMs`. Time and sleep come from `clock`, injected in tests.
 */
import { readBackupTasks, sendCreateBackup, type CreateBackupOutcome } from "./backup-tasks";
import { ARGUMENTS, ENSURE_ARGUMENTS } from "./arguments";
import { checkArguments } from "./check-arguments";
import { formatDuration } from "./duration";
import { RdsBackupJobError, RdsBackupsError, RdsValidationError } from "./errors";
import { failure } from "./failure";
import { DEFAULT_FRESH_BACKUP_TYPE, judgeFreshness, type FreshBackupType, type FreshnessVerdict } from "./freshness";
import { listBackups } from "./list-backups";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import { sleep } from "./sleep";
import { MAX_BACKUP_DURATION_SECONDS } from "./time";
import type { Backup, BackupMethod, BackupTask } from "./types";

export interface EnsureBackupQuery {
  readonly dbInstanceId: string;
  /** The oldest acceptable backup, as the gate's `maxAge`: "24h", "90m", "7d" or seconds. */
  readonly maxAge: string | number;
  /** How CreateBackup takes the backup: Physical (default), Snapshot or Logical. */
  readonly backupMethod?: BackupMethod;
  /**
   * What counts as fresh, as the gate's `backupType`: FullBackup (default) or any. IncrementalBackup
   * is refused before any call: CreateBackup takes full backups, which could never satisfy it.
   */
  readonly backupType?: FreshBackupType;
  /** The longest to wait for the backup: "30m", "2h" or seconds; default 1h, at most 24h. */
  readonly timeout?: string | number;
}

export interface EnsureProgress {
  readonly dbInstanceId: string;
  readonly jobId: string;
  /** Whether this run started the task or joined one that was running. */
  readonly action: "created" | "joined";
  /** The task's BackupStatus, or `Listing` while waiting for DescribeBackups to show the set. */
  readonly status: BackupTask["status"] | "Listing";
  /** 0-100, when the API says. */
  readonly percent?: number;
  readonly elapsedSeconds: number;
  /** One line for humans: `rm-x: backup job 123 (created) Uploading 40%, 1m 5s`. */
  readonly message: string;
}

export interface EnsureClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface EnsureOptions extends ListOptions {
  /** Called on each poll of a running task. Errors it throws are ignored. */
  readonly onProgress?: (progress: EnsureProgress) => void;
  /** Poll interval, milliseconds: starts at initialMs (default 3000, 10-60000), grows 1.5x up to maxMs (default 20000, at most 300000). */
  readonly pollInterval?: { readonly initialMs?: number; readonly maxMs?: number };
  /** For tests: the clock that measures the time-out and sleeps between polls. */
  readonly clock?: EnsureClock;
}

export interface EnsureResult {
  /** none: a fresh backup existed; created: this run took one; joined: it waited for a running task. */
  readonly action: "none" | "created" | "joined";
  /** The newest usable backup that makes the verdict fresh. */
  readonly backup: Backup;
  /** The task waited for (created or joined). */
  readonly jobId?: string;
  /** The gate's verdict after the run (fresh). */
  readonly verdict: FreshnessVerdict;
}

const ENSURE_DEFAULTS = {
  /** Seconds. */
  timeoutSeconds: 3_600,
  /** Seconds: a backup runs at most this long (MAX_BACKUP_DURATION_SECONDS), so no wait is longer. */
  maxTimeoutSeconds: MAX_BACKUP_DURATION_SECONDS,
  pollInitialMs: 3_000,
  pollMaxMs: 20_000,
  pollGrowth: 1.5,
  /** A lost CreateBackup answer: polls of the task list before giving up on finding the task. */
  lostAnswerLooks: 3,
  /** BackupJobExists with no task visible: CreateBackup tries before giving up. */
  maxCreateAttempts: 4,
} as const;

const REAL_CLOCK: EnsureClock = { now: () => Date.now(), sleep };

/** The checked query: what a run will do. */
export interface EnsurePlan {
  readonly dbInstanceId: string;
  readonly maxAgeSeconds: number;
  readonly method: BackupMethod;
  readonly backupType?: FreshBackupType;
  readonly timeoutSeconds: number;
}

/** The plan of values checked against ENSURE_ARGUMENTS (or a list that holds them). */
export function ensurePlan(values: Readonly<Record<string, unknown>>): EnsurePlan {
  const v = values as {
    dbInstanceId: string;
    maxAge: number;
    backupMethod?: BackupMethod;
    backupType?: FreshBackupType;
    timeout?: number;
  };
  return {
    dbInstanceId: v.dbInstanceId,
    maxAgeSeconds: v.maxAge,
    method: v.backupMethod ?? ARGUMENTS.backupMethod.default,
    timeoutSeconds: v.timeout ?? ENSURE_DEFAULTS.timeoutSeconds,
    ...(v.backupType !== undefined ? { backupType: v.backupType } : {}),
  };
}

/** Every rule on the input, before any call; throws RdsValidationError naming each bad field. */
function validateEnsureQuery(query: EnsureBackupQuery): EnsurePlan {
  const { values, failures } = checkArguments(query, ENSURE_ARGUMENTS);
  if (failures.length > 0) throw new RdsValidationError(failures);
  return ensurePlan(values);
}

function pollBounds(p: EnsureOptions["pollInterval"]): { initialMs: number; maxMs: number } {
  const initialMs = p?.initialMs ?? ENSURE_DEFAULTS.pollInitialMs;
  const maxMs = p?.maxMs ?? Math.max(initialMs, ENSURE_DEFAULTS.pollMaxMs);
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(initialMs, 10, 60_000))
    throw new RdsValidationError([
      failure("pollInterval.initialMs", initialMs, "an integer from 10 to 60000 (milliseconds)"),
    ]);
  if (!int(maxMs, initialMs, 300_000))
    throw new RdsValidationError([
      failure("pollInterval.maxMs", maxMs, `an integer from ${initialMs} (initialMs) to 300000 (milliseconds)`),
    ]);
  return { initialMs, maxMs };
}

/** The reason of the run's signal when its deadline passes (told apart from the caller's abort). */
class DeadlineReached extends Error {
  constructor() {
    super("the time-out of the ensure run passed");
  }
}

/** One run: the plan, the options, the deadline and the poll schedule. */
class Run {
  readonly deadline: number;
  private delayMs: number;
  /** What the run is doing now, for a time-out's message: "reading ... (DescribeBackupTasks)". */
  phase = "judging the newest backup (DescribeBackups)";
  /** The job being waited for, once there is one. */
  job: { jobId: string; action: "created" | "joined"; lastStatus?: string } | undefined;

  constructor(
    readonly plan: EnsurePlan,
    readonly o: ResolvedOptions,
    readonly listOptions: ListOptions,
    readonly clock: EnsureClock,
    readonly poll: { initialMs: number; maxMs: number },
    readonly onProgress: EnsureOptions["onProgress"],
    readonly started: number,
  ) {
    this.deadline = this.started + plan.timeoutSeconds * 1000;
    this.delayMs = poll.initialMs;
  }

  /** The gate's verdict now (by the run's clock): the same call and rules as checkFreshBackup everywhere. */
  judge(): Promise<FreshnessVerdict> {
    const { dbInstanceId, maxAgeSeconds, backupType } = this.plan;
    const now = new Date(this.clock.now());
    return judgeFreshness(
      { dbInstanceId, maxAgeSeconds, backupType: backupType ?? DEFAULT_FRESH_BACKUP_TYPE, now },
      this.listOptions,
    );
  }

  elapsedSeconds(): number {
    return Math.max(0, (this.clock.now() - this.started) / 1000);
  }

  /** Sleeps the next poll interval (never past the deadline); false when the deadline has come. */
  async wait(): Promise<boolean> {
    const left = this.deadline - this.clock.now();
    if (left <= 0) return false;
    await this.clock.sleep(Math.min(this.delayMs, left), this.o.signal);
    this.delayMs = Math.min(this.poll.maxMs, Math.round(this.delayMs * ENSURE_DEFAULTS.pollGrowth));
    return true;
  }

  restartPolling(): void {
    this.delayMs = this.poll.initialMs;
  }

  report(jobId: string, action: "created" | "joined", status: EnsureProgress["status"], percent?: number): void {
    if (!this.onProgress) return;
    const elapsedSeconds = this.elapsedSeconds();
    const pct = percent === undefined ? "" : ` ${percent}%`;
    const message = `${this.plan.dbInstanceId}: backup job ${jobId} (${action}) ${status === "Listing" ? "finished, waiting for the backup set to be listed" : status}${pct}, ${formatDuration(elapsedSeconds)}`;
    try {
      this.onProgress({
        dbInstanceId: this.plan.dbInstanceId,
        jobId,
        action,
        status,
        ...(percent !== undefined ? { percent } : {}),
        elapsedSeconds,
        message,
      });
    } catch {
      // A progress printer must not stop a backup wait.
    }
  }

  /** The time-out, whatever the run was doing: the job's, or the call it was waiting for. */
  deadlineError(): RdsBackupJobError {
    if (this.job) return this.timeoutError(this.job.jobId, this.job.action, this.job.lastStatus);
    const id = this.plan.dbInstanceId;
    const sent = this.phase.startsWith("sending CreateBackup");
    return new RdsBackupJobError(
      id,
      undefined,
      "timeout",
      undefined,
      `${id}: ensure did not finish within the time-out ${formatDuration(this.plan.timeoutSeconds)}: it was ${this.phase} and got no answer in time. ` +
        (sent
          ? "CreateBackup was sent, so a backup task may have started: look at the instance's backup tasks (DescribeBackupTasks) and backups before running ensure again"
          : "No backup was started by this run; the API did not answer in time (check the endpoint and the network, or give a longer timeout)"),
    );
  }

  timeoutError(jobId: string, action: "created" | "joined", lastStatus: string | undefined): RdsBackupJobError {
    const id = this.plan.dbInstanceId;
    return new RdsBackupJobError(
      id,
      jobId,
      "timeout",
      lastStatus,
      `${id}: backup job ${jobId} (${action === "created" ? "started by this run" : "joined"}) did not give a usable backup within the time-out ` +
        `${formatDuration(this.plan.timeoutSeconds)} (last status ${lastStatus ?? "unknown"}). It may still be running: ` +
        `follow it with DescribeBackupTasks (BackupJobId ${jobId}), or run ensure again with a longer timeout: it joins the task instead of taking another backup`,
    );
  }
}

export async function ensureFreshBackup(query: EnsureBackupQuery, options: EnsureOptions = {}): Promise<EnsureResult> {
  return ensurePlanned(validateEnsureQuery(query), options);
}

/** `ensureFreshBackup` of a checked plan (for a caller that checked more arguments than the query). */
export async function ensurePlanned(plan: EnsurePlan, options: EnsureOptions = {}): Promise<EnsureResult> {
  const { onProgress, pollInterval, clock: given, ...callerOptions } = options ?? {};
  const clock = given ?? REAL_CLOCK;
  const poll = pollBounds(pollInterval);
  const started = clock.now();
  // The deadline reaches every call through the signal; the caller's own signal still works.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineReached()), plan.timeoutSeconds * 1000);
  const signal = callerOptions.signal ? AbortSignal.any([callerOptions.signal, deadline.signal]) : deadline.signal;
  const listOptions: ListOptions = { ...callerOptions, signal };
  try {
    const run = new Run(plan, resolveOptions(listOptions), listOptions, clock, poll, onProgress, started);
    try {
      return await runEnsure(run);
    } catch (err) {
      if (deadline.signal.aborted && !(callerOptions.signal?.aborted ?? false)) throw run.deadlineError();
      throw err;
    }
  } finally {
    clearTimeout(timer);
  }
}

async function runEnsure(run: Run): Promise<EnsureResult> {
  const plan = run.plan;
  const first = await run.judge();
  if (first.fresh && first.newest) return { action: "none", backup: first.newest, verdict: first };

  // A task that already runs is joined first; if what it made does not satisfy the gate (an
  // automated incremental backup when a full one is asked, say), this run takes its own.
  const running = await findJoinableTask(run);
  if (running) {
    const verdict = await waitForJob(run, running.jobId, "joined");
    if (verdict.fresh && verdict.newest)
      return { action: "joined", backup: verdict.newest, jobId: running.jobId, verdict };
    run.restartPolling();
  }
  const started = await startBackup(run);
  const verdict = await waitForJob(run, started.jobId, started.action);
  if (verdict.fresh && verdict.newest)
    return { action: started.action, backup: verdict.newest, jobId: started.jobId, verdict };
  throw new RdsBackupJobError(
    plan.dbInstanceId,
    started.jobId,
    "not-usable",
    "Finished",
    `${plan.dbInstanceId}: backup job ${started.jobId} finished, but the gate still says: ${verdict.message}. ` +
      `Check that backupMethod ${plan.method} gives the backup type the gate counts${plan.backupType ? ` (${plan.backupType})` : ""}`,
  );
}

/**
 * A task to join: one that runs now, else the newest Manual task that finished (its set may
 * not be listed yet, and waiting for it is cheaper than a second backup). Failed tasks never.
 */
async function findJoinableTask(run: Run): Promise<BackupTask | undefined> {
  run.phase = "looking for a backup task that runs on the instance (DescribeBackupTasks)";
  const tasks = await readBackupTasks(run.plan.dbInstanceId, undefined, run.o);
  const byNewest = [...tasks].sort(
    (a, b) => b.jobId.length - a.jobId.length || (b.jobId > a.jobId ? 1 : b.jobId < a.jobId ? -1 : 0),
  );
  return (
    byNewest.find((t) => t.status !== "Finished" && t.status !== "Failed") ??
    byNewest.find((t) => t.status === "Finished" && t.jobMode === "Manual" && t.backupId !== undefined)
  );
}

/** CreateBackup, or the task that makes it unnecessary. Never re-sent after a lost answer. */
async function startBackup(run: Run): Promise<{ jobId: string; action: "created" | "joined" }> {
  const id = run.plan.dbInstanceId;
  let outcome: CreateBackupOutcome | undefined;
  for (let attempt = 1; attempt <= ENSURE_DEFAULTS.maxCreateAttempts; attempt++) {
    run.phase = "sending CreateBackup";
    outcome = await sendCreateBackup(id, run.plan.method, run.o);
    if (outcome.kind === "created") return { jobId: outcome.jobId, action: "created" };
    const looks = outcome.kind === "unknown" ? ENSURE_DEFAULTS.lostAnswerLooks : 1;
    for (let look = 1; look <= looks; look++) {
      const task = await findJoinableTask(run);
      // After a lost answer, a Finished task may be ours: it is joined, and judged after.
      if (task) return { jobId: task.jobId, action: outcome.kind === "unknown" ? "created" : "joined" };
      if (!(await run.wait())) break;
    }
    if (outcome.kind === "unknown") {
      throw new RdsBackupsError(
        `${id}: CreateBackup was sent but its answer was lost (${outcome.error.message}), and no backup task shows up for the instance. ` +
          `It was not sent again, so that no second backup is taken: run ensure again (it joins a task that appears, or takes the backup)`,
      );
    }
    // BackupJobExists with no task in sight: the blocking task ended between the two calls.
    // The API refused the call, so nothing was started: sending it again is safe.
    if (run.clock.now() >= run.deadline) break;
  }
  const last = outcome?.kind === "job-exists" ? outcome.error.message : "no answer";
  throw new RdsBackupsError(
    `${id}: CreateBackup kept answering that a backup task runs, but none could be found to join (${last})`,
  );
}

/**
 * Waits for one task: DescribeBackupTasks until Finished (Failed fails now), then
 * DescribeBackups until its set is usable, then the gate's verdict.
 */
async function waitForJob(run: Run, jobId: string, action: "created" | "joined"): Promise<FreshnessVerdict> {
  const id = run.plan.dbInstanceId;
  let last: BackupTask | undefined;
  let backupId: string | undefined;
  run.job = { jobId, action };
  // Phase 1: the task.
  for (;;) {
    const [task] = await readBackupTasks(id, jobId, run.o);
    if (task) {
      last = task;
      run.job.lastStatus = task.status;
      run.report(jobId, action, task.status, task.percent);
      if (task.status === "Failed") {
        throw new RdsBackupJobError(
          id,
          jobId,
          "failed",
          task.status,
          `${id}: backup job ${jobId} (${action === "created" ? "started by this run" : "joined"}) ended Failed` +
            `${task.progressStatus ? ` (at step ${task.progressStatus})` : ""}: no backup was made. See the instance's backup tasks and events in the console, then run ensure again`,
        );
      }
      if (task.status === "Finished") {
        backupId = task.backupId;
        break;
      }
    } else {
      // The API no longer lists the task: it ended. Whether it made a usable set, the gate says.
      const verdict = await run.judge();
      if (verdict.fresh) return verdict;
    }
    if (!(await run.wait())) throw run.timeoutError(jobId, action, last?.status);
  }
  // Phase 2: the set, as DescribeBackups lists it (it may lag the task).
  run.restartPolling();
  for (;;) {
    run.report(jobId, action, "Listing");
    if (backupId !== undefined) {
      const { backups } = await listBackups({ dbInstanceId: id, backupId }, run.listOptions);
      const set = backups.find((b) => b.backupId === backupId);
      if (set?.backupStatus === "Failed") {
        throw new RdsBackupJobError(
          id,
          jobId,
          "failed",
          "Finished",
          `${id}: backup job ${jobId} finished, but its backup set ${backupId} is listed as Failed: no usable backup was made`,
        );
      }
      if (set?.backupStatus === "Success" && set.isAvail) return run.judge();
    } else {
      const verdict = await run.judge();
      if (verdict.fresh) return verdict;
    }
    if (!(await run.wait())) throw run.timeoutError(jobId, action, "Finished");
  }
}
