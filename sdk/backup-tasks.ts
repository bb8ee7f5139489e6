/**
 * The two calls behind `ensureFreshBackup`: CreateBackup (start a backup task) and
 * DescribeBackupTasks (watch it), each as one function: rate limiter → transport → normalize.
 *
 * Wire quirks, handled here in pure functions (as normalize.ts does for DescribeBackups):
 * - every field of a task arrives as a string: `Process` "25" → percent 25 (0-100, else an error);
 * - statuses are checked against the documented lists; an unknown one is an error, never a guess;
 * - `BackupJobId` is a digit string (the SDK's request model takes it as a number);
 * - a task list asked for one job must hold that job only: anything else cannot be right.
 *
 * Retries differ on purpose. DescribeBackupTasks is a read: the shared retry policy retries it
 * like DescribeBackups. CreateBackup is NOT idempotent and has no ClientToken, so it is retried
 * only on failures that prove the request was not executed: throttling (the gateway refused it
 * before the service saw it) and a refused connection (nothing was sent). Any other failure after
 * the request may have left (a time-out, a reset, a 5xx, an answer we cannot read) is returned as
 * "unknown": the caller looks for the task instead of sending again. `SignatureNonceUsed` is one
 * of those: it proves that a copy of this very request reached the service first (a proxy or a
 * middlebox replayed it), so the first copy may well have started a task.
 */
import { errorFacts, type ErrorFacts } from "./error-facts";
import { RdsApiError, RdsBackupsError, RdsResponseError, RdsValidationError, toRdsApiError } from "./errors";
import { failure } from "./failure";
import { withoutUndefined } from "./plain-values";
import { resolveOptions, type ListOptions, type ResolvedOptions } from "./options";
import { abortable, retriedRead } from "./retried-read";
import { sleep } from "./sleep";
import {
  callContext,
  createBackupRaw,
  describeBackupTasksRaw,
  transportConnection,
  type RawResponse,
} from "./transport";
import {
  BACKUP_MODES,
  BACKUP_PROGRESS_STATUSES,
  BACKUP_TASK_STATUSES,
  type BackupMethod,
  type BackupTask,
} from "./types";
import { validateQuery } from "./validate";
import { WireReader } from "./wire-reader";

/** The code the API answers CreateBackup with while a backup task of the instance runs. */
const BACKUP_JOB_EXISTS = "BackupJobExists";
/** Failures that prove a CreateBackup was not executed, besides the THROTTLING class. */
const NOT_EXECUTED_CODES: readonly string[] = ["ECONNREFUSED"];
const JOB_ID = /^\d{1,15}$/;

// --- normalization (pure) ---------------------------------------------------------------------

function bodyReader(body: unknown, action: string): WireReader {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new RdsResponseError("(body)", body, "", "a JSON object", action);
  const raw = body as Record<string, unknown>;
  return new WireReader(raw, "", typeof raw["RequestId"] === "string" ? raw["RequestId"] : "", action);
}

function jobId(r: WireReader): string {
  const id = r.string("BackupJobId");
  return JOB_ID.test(id) ? id : r.reject("BackupJobId", "a task id of digits");
}

/** One `Items.BackupJob[]` element. */
function normalizeTask(r: WireReader): BackupTask {
  const percent = r.optionalInteger("Process");
  if (percent !== undefined && percent > 100) r.reject("Process", "a percentage from 0 to 100");
  const task: BackupTask = {
    jobId: jobId(r),
    status: r.oneOf("BackupStatus", BACKUP_TASK_STATUSES),
    progressStatus: r.optionalOneOf("BackupProgressStatus", BACKUP_PROGRESS_STATUSES),
    percent,
    jobMode: r.optionalOneOf("JobMode", BACKUP_MODES),
    taskAction: r.optionalString("TaskAction"),
    backupId: r.optionalString("BackupId"),
  };
  return withoutUndefined(task) as unknown as BackupTask;
}

/** The whole DescribeBackupTasks body; with `jobId`, every task must be that one. */
export function normalizeTasks(body: unknown, jobIdAsked?: string): { tasks: BackupTask[]; requestId: string } {
  const r = bodyReader(body, "DescribeBackupTasks");
  const items = r.child("Items").array("BackupJob");
  const tasks = items.map(normalizeTask);
  tasks.forEach((t, i) => {
    if (jobIdAsked !== undefined && t.jobId !== jobIdAsked)
      items[i]?.reject("BackupJobId", `${jobIdAsked}, the task asked for`);
  });
  if (jobIdAsked !== undefined && tasks.length > 1) r.reject("Items", `at most one task for BackupJobId ${jobIdAsked}`);
  return { tasks, requestId: r.requestId };
}

/** The CreateBackup body: the new task's id. */
export function normalizeCreateBackup(body: unknown): { jobId: string; requestId: string } {
  const r = bodyReader(body, "CreateBackup");
  return { jobId: jobId(r), requestId: r.requestId };
}

// --- calls --------------------------------------------------------------------------------------

/**
 * One DescribeBackupTasks read, retried like every read. With `jobId`, the task of that job
 * (an empty list when the API no longer shows it); without, the tasks the API lists.
 */
export async function readBackupTasks(
  dbInstanceId: string,
  jobIdAsked: string | undefined,
  o: ResolvedOptions,
): Promise<BackupTask[]> {
  const params = { DBInstanceId: dbInstanceId, ...(jobIdAsked !== undefined ? { BackupJobId: jobIdAsked } : {}) };
  return retriedRead(
    o,
    callContext(o, "DescribeBackupTasks", dbInstanceId),
    () => describeBackupTasksRaw(params, transportConnection(o)),
    (raw) => normalizeTasks(raw.body, jobIdAsked).tasks,
  );
}

/** What one CreateBackup came to. */
export type CreateBackupOutcome =
  /** The API started a task. */
  | { readonly kind: "created"; readonly jobId: string; readonly requestId: string }
  /** Refused: a backup task already runs on the instance (`BackupJobExists`). Nothing was started. */
  | { readonly kind: "job-exists"; readonly error: RdsApiError }
  /** Sent, but the answer was lost or unreadable: a task may or may not have started. */
  | { readonly kind: "unknown"; readonly error: RdsBackupsError };

function provesNotExecuted(f: ErrorFacts): boolean {
  return f.errorClass === "THROTTLING" || NOT_EXECUTED_CODES.includes(f.code);
}

/**
 * One CreateBackup: retried (policy and shared limiter) only while the failure proves the
 * request was not executed. A refusal by the API (bad method, RAM denial, instance not
 * running, daily limit) throws RdsApiError; `BackupJobExists` and a lost answer are returned,
 * because what to do next (join the running task) is the caller's decision.
 */
export async function sendCreateBackup(
  dbInstanceId: string,
  method: BackupMethod,
  o: ResolvedOptions,
): Promise<CreateBackupOutcome> {
  let token = o.retry.acquireToken(Date.now());
  for (;;) {
    let raw: RawResponse;
    try {
      await o.rateLimiter.acquire(o.signal);
      // The signal stops the wait, not the request: once sent, it may run at the service.
      raw = await abortable(
        createBackupRaw({ DBInstanceId: dbInstanceId, BackupMethod: method }, transportConnection(o)),
        o.signal,
      );
    } catch (err) {
      if (err instanceof RdsBackupsError || (o.signal?.aborted ?? false)) throw err;
      const facts = errorFacts(err);
      const context = callContext(o, "CreateBackup", dbInstanceId)(token.attempts);
      if (facts.code === BACKUP_JOB_EXISTS || facts.code.endsWith(`.${BACKUP_JOB_EXISTS}`)) {
        return { kind: "job-exists", error: toRdsApiError(err, context) as RdsApiError };
      }
      if (facts.errorClass === "THROTTLING") o.rateLimiter.recordThrottle();
      if (provesNotExecuted(facts)) {
        const next = o.retry.refreshToken(token, facts, Date.now());
        if (!next) throw toRdsApiError(err, context);
        token = next.token;
        await sleep(next.delayMs, o.signal);
        continue;
      }
      if (facts.errorClass === "CLIENT_ERROR") throw toRdsApiError(err, context);
      return { kind: "unknown", error: toRdsApiError(err, context) };
    }
    o.rateLimiter.recordSuccess();
    o.retry.recordSuccess(token);
    try {
      return { kind: "created", ...normalizeCreateBackup(raw.body) };
    } catch (err) {
      // The service answered 200: a task was most likely started, but its id is unreadable.
      if (err instanceof RdsBackupsError) return { kind: "unknown", error: err };
      throw err;
    }
  }
}

// --- public, low level --------------------------------------------------------------------------

/**
 * The backup tasks of an instance as DescribeBackupTasks lists them (one call, retried as a
 * read), or the one task of `jobId`. Which finished tasks the API keeps listing is not
 * documented: treat the list as "what runs now", not as a history.
 */
export async function describeBackupTasks(
  request: { readonly dbInstanceId: string; readonly jobId?: string },
  options: ListOptions = {},
): Promise<BackupTask[]> {
  validateQuery({ dbInstanceId: request?.dbInstanceId });
  if (request.jobId !== undefined && !(typeof request.jobId === "string" && JOB_ID.test(request.jobId))) {
    throw new RdsValidationError([
      failure("jobId", request.jobId, "a backup task id of digits, as CreateBackup returns it"),
    ]);
  }
  return readBackupTasks(request.dbInstanceId, request.jobId, resolveOptions(options));
}
