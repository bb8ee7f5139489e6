/**
 * `ensureFreshBackup`: when the newest usable backup is older than `maxAge`, take one and wait
 * until it is usable.
 *
 *   1. judge, exactly as the gate does (checkFreshBackup, one read): fresh → nothing is created;
 *   2. look for a backup task the instance already runs (DescribeBackupTasks): JOIN it;
 *   3. only then CreateBackup (BackupMethod Physical unless asked otherwise);
 *   4. wait: DescribeBackupTasks by BackupJobId until `Finished` (`Failed` fails at once), then
 *      DescribeBackups by BackupId until the set is Success and available (the list may lag the
 *      task), then judge again: the answer is the gate's verdict, and the result is the job's
 *      own set, which must have ended after the job started. A task that is no longer listed,
 *      even by id, has ended: its set decides, within a bound far below `timeout`.
 *
 * Why in that order: CreateBackup has no ClientToken, so the API never deduplicates a repeated
 * call, and a second call after the first finished takes a second backup. Idempotency is built
 * from what can be read instead:
 * - a retried run (a crash after CreateBackup, a retried `pulumi up`) finds the first backup
 *   either finished (step 1 says fresh) or still running (step 2 joins it);
 * - CreateBackup is never re-sent after an answer that was lost (time-out, reset, 5xx,
 *   unreadable body, `SignatureNonceUsed`): the task list is read instead, and the task found
 *   is joined. If none shows up, ensure stops with an error rather than risk a second backup;
 * - it is re-sent only after failures that prove it was not executed (see backup-tasks.ts);
 * - `BackupJobExists` (a task started between steps 2 and 3, by anyone) → join that task.
 * Left open: a task that finished while DescribeBackups does not show its set yet cannot be
 * seen without its id (the API lists finished tasks only by id); a run in that gap would take a
 * second backup. So a time-out names the job, and `options.jobId` resumes it: that run waits
 * for that job's set and never calls CreateBackup; the message says when a plain rerun is unsafe,
 * and the error's `resume` holds the same facts without the advice, for front doors that word
 * their own. A named job whose set is listed and older than `maxAge` is `spent`: nothing hides it
 * any more, so a run without the id is safe (a Pulumi input left in place must not fail later ups).
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
import { formatDuration, parseDuration } from "./duration";
import { RdsBackupJobError, RdsBackupsError, RdsValidationError } from "./errors";
import { failure } from "./failure";
import { DEFAULT_FRESH_BACKUP_TYPE, judgeFreshness, type FreshBackupType, type FreshnessVerdict } from "./freshness";
import { listBackups } from "./list-backups";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import { sleep } from "./sleep";
import { escapeControl } from "./display-text";
import { CLOCK_SKEW_MS, MAX_BACKUP_DURATION_SECONDS, toIsoSeconds } from "./time";
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
  /**
   * A backup job to wait for instead of taking a backup: the id a run before printed (its
   * time-out names it). With it, ensure never calls CreateBackup; it waits for that job's set.
   * The way to resume after a time-out: a finished task is not listed without its id, so a run
   * without it cannot see a job that finished while its set is not listed yet.
   */
  readonly jobId?: string;
}

export interface EnsureResult {
  /** none: a fresh backup existed; created: this run took one; joined: it waited for a running task. */
  readonly action: "none" | "created" | "joined";
  /** The newest usable backup that makes the verdict fresh. */
  readonly backup: Backup;
  /** The task waited for (created or joined); absent when CreateBackup's answer was lost and its set was found without its task. */
  readonly jobId?: string;
  /** The gate's verdict after the run (fresh). */
  readonly verdict: FreshnessVerdict;
}

const ENSURE_DEFAULTS = {
  /** Seconds: a backup runs at most this long (MAX_BACKUP_DURATION_SECONDS), so no wait is longer. */
  maxTimeoutSeconds: MAX_BACKUP_DURATION_SECONDS,
  pollInitialMs: 3_000,
  pollMaxMs: 20_000,
  pollGrowth: 1.5,
  /**
   * A task no longer listed, even by id, ended: its set shows up within the listing lag (about a
   * minute, the lag Terraform waits for) or it failed. Judged within this long, milliseconds, and
   * within a quarter of the time-out, whichever is shorter.
   */
  vanishedGraceMaxMs: 60_000,
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
    timeoutSeconds: v.timeout ?? parseDuration(ARGUMENTS.timeout.default, ARGUMENTS.timeout.name),
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
  job: { jobId: string; action: "created" | "joined"; lastStatus?: string; backupId?: string } | undefined;
  /** How long a task no longer listed may take to show its set, ms. */
  readonly vanishedGraceMs: number;

  constructor(
    readonly plan: EnsurePlan,
    readonly o: ResolvedOptions,
    readonly listOptions: ListOptions,
    readonly clock: EnsureClock,
    readonly poll: { initialMs: number; maxMs: number },
    readonly onProgress: EnsureOptions["onProgress"],
    readonly started: number,
    readonly resumeJobId: string | undefined,
  ) {
    this.deadline = this.started + plan.timeoutSeconds * 1000;
    this.vanishedGraceMs = Math.min(ENSURE_DEFAULTS.vanishedGraceMaxMs, Math.floor(plan.timeoutSeconds / 4) * 1000);
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
    const whose = action === "created" ? "started by this run" : "joined";
    const within = formatDuration(this.plan.timeoutSeconds);
    const resume = `run ensure again with jobId ${jobId} (CLI: --job-id ${jobId}): it waits for this job and never takes another backup`;
    const listingLag = lastStatus === "Finished";
    const facts = listingLag
      ? `${id}: backup job ${jobId} (${whose}) finished, but its backup set${this.job?.backupId ? ` ${escapeControl(this.job.backupId)}` : ""} ` +
        `was not listed by DescribeBackups within the time-out ${within}`
      : `${id}: backup job ${jobId} (${whose}) did not give a usable backup within the time-out ${within} (last status ${lastStatus ?? "unknown"}); it may still be running`;
    const message = listingLag
      ? `${facts}. To wait for it, ${resume}. ` +
        `Do not run ensure again without the job id until the set is listed: DescribeBackupTasks does not show a finished task without its id, so that run would take a second backup`
      : `${facts}: follow it with DescribeBackupTasks (BackupJobId ${jobId}), or ${resume}`;
    return new RdsBackupJobError(id, jobId, "timeout", lastStatus, message, {
      facts,
      rerunTakesSecondBackup: listingLag,
    });
  }
}

export async function ensureFreshBackup(query: EnsureBackupQuery, options: EnsureOptions = {}): Promise<EnsureResult> {
  return ensurePlanned(validateEnsureQuery(query), options);
}

/** `ensureFreshBackup` of a checked plan (for a caller that checked more arguments than the query). */
export async function ensurePlanned(plan: EnsurePlan, options: EnsureOptions = {}): Promise<EnsureResult> {
  const { onProgress, pollInterval, clock: given, jobId, ...callerOptions } = options ?? {};
  if (jobId !== undefined) {
    const { failures } = checkArguments({ jobId }, [ARGUMENTS.jobId]);
    if (failures.length > 0) throw new RdsValidationError(failures);
  }
  const clock = given ?? REAL_CLOCK;
  const poll = pollBounds(pollInterval);
  const started = clock.now();
  // The deadline reaches every call through the signal; the caller's own signal still works.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineReached()), plan.timeoutSeconds * 1000);
  const signal = callerOptions.signal ? AbortSignal.any([callerOptions.signal, deadline.signal]) : deadline.signal;
  const listOptions: ListOptions = { ...callerOptions, signal };
  try {
    const run = new Run(plan, resolveOptions(listOptions), listOptions, clock, poll, onProgress, started, jobId);
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
  const first = await run.judge();
  if (first.fresh && first.newest) return { action: "none", backup: first.newest, verdict: first };

  // A job named by the caller (one a run before started or joined) is waited for, never replaced.
  if (run.resumeJobId !== undefined) {
    const job: Job = { jobId: run.resumeJobId, action: "joined" };
    const done = await waitForJob(run, job);
    if (done.verdict.fresh) return { action: "joined", backup: done.backup, jobId: job.jobId, verdict: done.verdict };
    if (olderThanMaxAge(run, done.backup)) throw spent(run, job.jobId, done.backup);
    throw notUsable(run, job.jobId, done.verdict);
  }

  // A task that already runs is joined first; if what it made does not satisfy the gate (an
  // automated incremental backup when a full one is asked, say), this run takes its own.
  const running = await findJoinableTask(run);
  if (running) {
    const done = await waitForJob(run, running);
    if (done.verdict.fresh)
      return { action: "joined", backup: done.backup, jobId: running.jobId, verdict: done.verdict };
    run.job = undefined;
    run.restartPolling();
  }
  const started = await startBackup(run);
  if ("made" in started) return { action: "created", backup: started.made.backup, verdict: started.made.verdict };
  const done = await waitForJob(run, started);
  if (done.verdict.fresh)
    return { action: started.action, backup: done.backup, jobId: started.jobId, verdict: done.verdict };
  throw notUsable(run, started.jobId, done.verdict);
}

function notUsable(run: Run, jobId: string, verdict: FreshnessVerdict): RdsBackupJobError {
  const plan = run.plan;
  return new RdsBackupJobError(
    plan.dbInstanceId,
    jobId,
    "not-usable",
    "Finished",
    `${plan.dbInstanceId}: backup job ${jobId} finished, but the gate still says: ${verdict.message}. ` +
      `Check that backupMethod ${plan.method} gives the backup type the gate counts${plan.backupType ? ` (${plan.backupType})` : ""}`,
  );
}

/** True when the set ended before `maxAge` ago: it cannot make the verdict fresh, whatever its type. */
function olderThanMaxAge(run: Run, set: Backup): boolean {
  return Date.parse(set.backupEndTime) < run.clock.now() - run.plan.maxAgeSeconds * 1000;
}

/** The job named to resume is done and its set, listed now, is too old: a run without the id sees it. */
function spent(run: Run, jobId: string, set: Backup): RdsBackupJobError {
  const id = run.plan.dbInstanceId;
  return new RdsBackupJobError(
    id,
    jobId,
    "spent",
    "Finished",
    `${id}: backup job ${jobId} was named to wait for, but it ended long ago: its backup set ${escapeControl(set.backupId)} ended ${set.backupEndTime}, ` +
      `older than maxAge ${formatDuration(run.plan.maxAgeSeconds)}. Its set is listed, so a run without the job id sees it and takes a new backup only if one is needed`,
  );
}

/** A job to wait for, and what its set must be. */
interface Job {
  readonly jobId: string;
  /** Whether this run started the task or joined one. */
  readonly action: "created" | "joined";
  /**
   * The job's set ended after this moment (ms, the run's clock): when CreateBackup was sent, or
   * when the task was seen running. Undefined when nothing says (a job found already finished).
   */
  readonly notBefore?: number;
}

/**
 * A task to join: one that runs now, else the newest Manual task that finished (its set may
 * not be listed yet, and waiting for it is cheaper than a second backup). Failed tasks never.
 */
async function findJoinableTask(run: Run): Promise<Job | undefined> {
  run.phase = "looking for a backup task that runs on the instance (DescribeBackupTasks)";
  const seenAt = run.clock.now();
  const tasks = await readBackupTasks(run.plan.dbInstanceId, undefined, run.o);
  const byNewest = [...tasks].sort(
    (a, b) => b.jobId.length - a.jobId.length || (b.jobId > a.jobId ? 1 : b.jobId < a.jobId ? -1 : 0),
  );
  const running = byNewest.find((t) => t.status !== "Finished" && t.status !== "Failed");
  if (running) return { jobId: running.jobId, action: "joined", notBefore: seenAt };
  const finished = byNewest.find((t) => t.status === "Finished" && t.jobMode === "Manual" && t.backupId !== undefined);
  return finished ? { jobId: finished.jobId, action: "joined" } : undefined;
}

/** CreateBackup, or the task that makes it unnecessary. Never re-sent after a lost answer. */
/**
 * The job CreateBackup started, or (after a lost answer, when its task ended before it could be
 * seen) the fresh set it made: a usable set that ended after CreateBackup was sent.
 */
async function startBackup(run: Run): Promise<Job | { readonly made: JobOutcome }> {
  const id = run.plan.dbInstanceId;
  let outcome: CreateBackupOutcome | undefined;
  for (let attempt = 1; attempt <= ENSURE_DEFAULTS.maxCreateAttempts; attempt++) {
    run.phase = "sending CreateBackup";
    const sentAt = run.clock.now();
    outcome = await sendCreateBackup(id, run.plan.method, run.o);
    if (outcome.kind === "created") return { jobId: outcome.jobId, action: "created", notBefore: sentAt };
    const looks = outcome.kind === "unknown" ? ENSURE_DEFAULTS.lostAnswerLooks : 1;
    for (let look = 1; look <= looks; look++) {
      const task = await findJoinableTask(run);
      // After a lost answer, the task found is most likely ours: joined as created, and its set
      // must end after CreateBackup was sent.
      if (task) return outcome.kind === "unknown" ? { jobId: task.jobId, action: "created", notBefore: sentAt } : task;
      if (outcome.kind === "unknown") {
        // A short backup ends before its task is seen: its set, once listed, proves it ran.
        run.phase = "looking for the set of a CreateBackup whose answer was lost (DescribeBackups)";
        const verdict = await run.judge();
        if (verdict.fresh && verdict.newest && endedAfter(verdict.newest, sentAt))
          return { made: { verdict, backup: verdict.newest } };
      }
      if (!(await run.wait())) break;
    }
    if (outcome.kind === "unknown") {
      throw new RdsBackupsError(
        `${id}: CreateBackup was sent but its answer was lost (${outcome.error.message}), and neither a backup task nor a new backup set shows up for the instance. ` +
          `It was not sent again, so that no second backup is taken. A backup that ran quickly is no longer listed as a task and its set may show up later: ` +
          `look at the instance's backups (DescribeBackups, rds-backups list) before running ensure again`,
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

/** The outcome of a job: the gate's verdict, and the job's own set when it is usable. */
interface JobOutcome {
  readonly verdict: FreshnessVerdict;
  readonly backup: Backup;
}

/**
 * Waits for one task: DescribeBackupTasks until Finished (Failed fails now), then
 * DescribeBackups until its set is usable, then the gate's verdict. The result is the job's own
 * set; a set that ended before the job started cannot be it.
 */
async function waitForJob(run: Run, job: Job): Promise<JobOutcome> {
  const id = run.plan.dbInstanceId;
  const { jobId, action } = job;
  let backupId: string | undefined;
  let vanishedAt: number | undefined;
  run.job = { jobId, action };
  // Phase 1: the task.
  for (;;) {
    run.phase = `reading backup job ${jobId} (DescribeBackupTasks)`;
    const task = await readTask(run, jobId);
    if (task) {
      vanishedAt = undefined;
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
      // The API no longer lists the task: it ended, Finished or Failed. A Finished task's set
      // shows up in DescribeBackups within the listing lag; a Failed one leaves none, or a Failed
      // set. Judged within a bound far below the time-out, never by waiting for the time-out.
      vanishedAt ??= run.clock.now();
      const done = await judgeVanished(run, job, vanishedAt);
      if (done) return done;
    }
    if (!(await run.wait())) throw run.timeoutError(jobId, action, run.job.lastStatus);
  }
  // Phase 2: the set, as DescribeBackups lists it (it may lag the task).
  run.restartPolling();
  run.job.backupId = backupId;
  for (;;) {
    run.report(jobId, action, "Listing");
    run.phase = `waiting for the backup set of job ${jobId} to be listed (DescribeBackups)`;
    if (backupId !== undefined) {
      const { backups } = await listBackups({ dbInstanceId: id, backupId }, run.listOptions);
      const set = backups.find((b) => b.backupId === backupId);
      if (set) checkSetOfJob(run, job, set);
      if (set?.backupStatus === "Failed") {
        throw new RdsBackupJobError(
          id,
          jobId,
          "failed",
          "Finished",
          `${id}: backup job ${jobId} finished, but its backup set ${backupId} is listed as Failed: no usable backup was made`,
        );
      }
      if (set?.backupStatus === "Success" && set.isAvail) return { verdict: await run.judge(), backup: set };
    } else {
      const verdict = await run.judge();
      if (verdict.fresh && verdict.newest && endedAfter(verdict.newest, job.notBefore))
        return { verdict, backup: verdict.newest };
    }
    if (!(await run.wait())) throw run.timeoutError(jobId, action, "Finished");
  }
}

/** The task of a job: by its id, else in the list of running tasks (a service that shows running tasks only there). */
async function readTask(run: Run, jobId: string): Promise<BackupTask | undefined> {
  const [byId] = await readBackupTasks(run.plan.dbInstanceId, jobId, run.o);
  if (byId) return byId;
  const running = await readBackupTasks(run.plan.dbInstanceId, undefined, run.o);
  return running.find((t) => t.jobId === jobId);
}

/** True when the set ended after `notBefore` (less the clock skew allowed), or nothing bounds it. */
function endedAfter(set: Backup, notBefore: number | undefined): boolean {
  return notBefore === undefined || Date.parse(set.backupEndTime) >= notBefore - CLOCK_SKEW_MS;
}

/** A job's set must end after the job started: an older one is not its set, whatever the task says. */
function checkSetOfJob(run: Run, job: Job, set: Backup): void {
  if (endedAfter(set, job.notBefore)) return;
  const id = run.plan.dbInstanceId;
  throw new RdsBackupJobError(
    id,
    job.jobId,
    "not-usable",
    "Finished",
    `${id}: backup job ${job.jobId} (${job.action === "created" ? "started by this run" : "joined"}) names backup set ${escapeControl(set.backupId)}, ` +
      `which ended ${set.backupEndTime}, before the job started (${toIsoSeconds(job.notBefore ?? 0)}): that cannot be its set, so it is not taken as the result`,
  );
}

/**
 * A task no longer listed, even by id: its set decides. A usable set that ended after the job
 * started (and a fresh verdict) ends the wait; a Failed one fails it; when none has shown up
 * `vanishedGraceMs` after the task vanished, the task ended without a usable backup.
 */
async function judgeVanished(run: Run, job: Job, vanishedAt: number): Promise<JobOutcome | undefined> {
  const id = run.plan.dbInstanceId;
  const bound = job.notBefore;
  run.phase = `looking for the backup set of job ${job.jobId}, no longer listed as a task (DescribeBackups)`;
  // A set is listed by its start, which may be up to the longest backup before its end.
  const since = (bound ?? run.started) - CLOCK_SKEW_MS - MAX_BACKUP_DURATION_SECONDS * 1000;
  const { backups } = await listBackups({ dbInstanceId: id, startTime: new Date(since) }, run.listOptions);
  const ofJob = backups.filter(
    (b) => bound !== undefined && endedAfter(b, bound) && (job.action === "joined" || b.backupMode === "Manual"),
  );
  const verdict = await run.judge();
  if (verdict.fresh && verdict.newest && endedAfter(verdict.newest, bound)) return { verdict, backup: verdict.newest };
  const failed = ofJob.find((b) => b.backupStatus === "Failed");
  if (failed) {
    throw new RdsBackupJobError(
      id,
      job.jobId,
      "failed",
      undefined,
      `${id}: backup job ${job.jobId} (${job.action === "created" ? "started by this run" : "joined"}) is no longer listed, and its backup set ${escapeControl(failed.backupId)} is listed as Failed: no usable backup was made`,
    );
  }
  if (run.clock.now() - vanishedAt < run.vanishedGraceMs) return undefined;
  if (run.job?.lastStatus === undefined && job.jobId === run.resumeJobId) {
    throw new RdsBackupJobError(
      id,
      job.jobId,
      "failed",
      undefined,
      `${id}: backup job ${job.jobId}, named to wait for, is not listed for ${id} by DescribeBackupTasks, even by its id, ` +
        `and no fresh backup appeared within ${formatDuration(run.vanishedGraceMs / 1000)}: it is not a job of this instance (or the service no longer lists it). ` +
        `Check the job id: a time-out of ensure names the job with its instance`,
    );
  }
  throw new RdsBackupJobError(
    id,
    job.jobId,
    "failed",
    undefined,
    `${id}: backup job ${job.jobId} (${job.action === "created" ? "started by this run" : "joined"}) is no longer listed by DescribeBackupTasks, even by its id, ` +
      `and no usable backup set of it appeared within ${formatDuration(run.vanishedGraceMs / 1000)} after that: it ended without a usable backup (a Failed task leaves none). ` +
      `Look at the instance's backups and events before running ensure again`,
  );
}
