/**
 * The error catalogue of sdk/: every error the sdk throws is one of these classes.
 *
 * Messages say what happened AND what to do, because the reader is usually a platform
 * engineer looking at a failed deployment gate. Nothing here ever holds an access key
 * secret or a security token: messages are built from codes, ids and endpoints only. Text
 * the server sent is quoted escaped and bounded (display-text.ts).
 */
import { errorFacts, type ErrorClass } from "./error-facts";
import { describeFailure, type CallContext } from "./error-advice";
import { quoteServerText } from "./display-text";
import { showField } from "./failure";

/** Base class: `instanceof RdsBackupsError` catches everything the sdk throws on purpose. */
export class RdsBackupsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Other failing fields named in an RdsValidationError's message (all are in `failures`). */
const MAX_NAMED_FAILURES = 10;

/** An input was refused before any network call. */
export class RdsValidationError extends RdsBackupsError {
  /** The input field, e.g. `backupStatus`, `options.endpoint`. */
  readonly field: string;
  /** The value as given (printable form). */
  readonly value: unknown;
  /** What is allowed, in words or as the list of values. */
  readonly allowed: string;
  /** Every failure when several were found (this error's own is the first). */
  readonly failures: readonly ValidationFailure[];

  constructor(failures: readonly ValidationFailure[]) {
    const [first] = failures;
    if (!first) throw new TypeError("RdsValidationError needs at least one failure");
    const others = failures
      .slice(1, 1 + MAX_NAMED_FAILURES)
      .map((f) => showField(f.field))
      .join(", ");
    const more =
      failures.length > 1
        ? ` (and ${failures.length - 1} more: ${others}${failures.length > 1 + MAX_NAMED_FAILURES ? ", ..." : ""})`
        : "";
    super(first.reason + more);
    this.field = first.field;
    this.value = first.value;
    this.allowed = first.allowed;
    this.failures = failures;
  }
}

/** One refused input, as data (Pulumi's `check` wants data, not exceptions). */
export interface ValidationFailure {
  readonly field: string;
  readonly value: unknown;
  /** A complete sentence naming the field, the value and what is allowed. */
  readonly reason: string;
  readonly allowed: string;
}

/** The API (or the network to it) failed, after the retry policy gave up or refused. */
export class RdsApiError extends RdsBackupsError {
  /** The API's code (`Throttling.User`), or ours for non-API failures (`ECONNREFUSED`, `RequestTimeout`, `InvalidResponse`). */
  readonly code: string;
  /** HTTP status; undefined when no HTTP answer was read. */
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  /** How many calls were made, retries included. */
  readonly attempts: number;
  /** True when the failure class is one that retrying later may fix (throttling, 5xx, network). */
  readonly retryable: boolean;
  readonly errorClass: ErrorClass;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly dbInstanceId: string | undefined;

  constructor(init: {
    message: string;
    code: string;
    statusCode?: number;
    requestId?: string;
    attempts: number;
    retryable: boolean;
    errorClass: ErrorClass;
    context: CallContext;
  }) {
    super(init.message);
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    this.errorClass = init.errorClass;
    this.endpoint = init.context.endpoint;
    this.region = init.context.region;
    this.dbInstanceId = init.context.dbInstanceId;
  }
}

/** A response field had the wrong type or an unknown value: the API changed or the answer is corrupt. */
export class RdsResponseError extends RdsBackupsError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly requestId: string,
    expected: string,
    readonly action = "DescribeBackups",
  ) {
    super(
      `${action} answered ${field} = ${quoteServerText(JSON.stringify(value) ?? String(value), 200)} ` +
        `(request id ${requestId ? quoteServerText(requestId, 100) : "unknown"}), ` +
        `expected ${expected}. The API's answer does not match its documentation: report it with the request id.`,
    );
  }
}

/** Longest a server-sent value is quoted in a message, characters: enough to recognise it, never a flood. */
const QUOTED_VALUE_MAX_CHARS = 120;

/**
 * A value from the server, printable in one line of a terminal: JSON-quoted (which escapes C0
 * controls, quotes and backslashes), with C1 controls, line/paragraph separators and bidi
 * overrides escaped too, and cut at QUOTED_VALUE_MAX_CHARS with the length it had.
 */
function quoteServerValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const escaped = text.replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return escaped.length <= QUOTED_VALUE_MAX_CHARS
    ? escaped
    : `${escaped.slice(0, QUOTED_VALUE_MAX_CHARS)}... (${escaped.length} characters, cut)`;
}

/**
 * The answer is well-formed but cannot be the answer to the question asked: a backup of another
 * instance, one that does not match a filter sent or lies outside the window, one that ends in
 * the future or before it started, counts that contradict the items. Refused, never used: a gate
 * must not open on data it cannot vouch for.
 */
export class RdsImplausibleAnswerError extends RdsBackupsError {
  constructor(
    /** The response field, e.g. `Items.Backup[3].DBInstanceId`, `TotalRecordCount`. */
    readonly field: string,
    /** The value the server sent. */
    readonly value: unknown,
    readonly requestId: string,
    /** Why it cannot be right, e.g. `the request asked for DBInstanceId "rm-a"`. */
    readonly reason: string,
    /** The call that answered. */
    readonly action = "DescribeBackups",
  ) {
    super(
      `${action} answered ${field} = ${quoteServerValue(value)} (request id ${requestId ? quoteServerValue(requestId) : "unknown"}), ` +
        `which cannot be right: ${reason}. Nothing was concluded from this answer; report it to Alibaba Cloud with the request id.`,
    );
  }
}

/** The list could not be read consistently (it kept changing, or pages were missing): never a silent partial list. */
export class RdsIncompleteListError extends RdsBackupsError {
  constructor(
    readonly dbInstanceId: string,
    /** TotalRecordCount reported by the last read. */
    readonly expected: number,
    /** Distinct backups actually received by the last read. */
    readonly received: number,
    /** Full reads attempted. */
    readonly passes: number,
    detail: string,
    /** What was listed, in the plural: `backups`, `log files`. */
    items = "backups",
  ) {
    super(
      `${dbInstanceId}: the ${items === "backups" ? "backup" : items.replace(/s$/, "")} list changed or came back incomplete while being read ` +
        `(${received} distinct ${items} received, the API reported ${expected}) after ${passes} full reads; ${detail}. ` +
        `Retry when no backup is being created or deleted, or narrow the query with startTime/endTime.`,
    );
  }
}

/**
 * Maps anything a call threw (the SDK's ClientError/ThrottlingError/ServerError, a bare
 * SyntaxError from a non-JSON body, a raw Node network error, a time-out) into an RdsApiError
 * whose message says what happened and what to do. Errors of ours pass through unchanged.
 */
export function toRdsApiError(err: unknown, context: CallContext = {}): RdsBackupsError {
  if (err instanceof RdsBackupsError) return err;
  const facts = errorFacts(err);
  return new RdsApiError({
    message: describeFailure(facts, context),
    code: facts.code,
    statusCode: facts.statusCode,
    requestId: facts.requestId,
    attempts: context.attempts ?? 1,
    retryable: facts.errorClass !== "CLIENT_ERROR",
    errorClass: facts.errorClass,
    context,
  });
}

/**
 * A backup that `ensureFreshBackup` took or joined did not become usable: its task ended
 * `Failed`, the time-out passed, or the finished set is not one the gate accepts. Always names
 * the task (job) id, so the operator can follow it in the console or with DescribeBackupTasks.
 */
export class RdsBackupJobError extends RdsBackupsError {
  constructor(
    readonly dbInstanceId: string,
    /** The BackupJobId of the task; undefined only when no task could be identified. */
    readonly jobId: string | undefined,
    /**
     * `spent`: the job named to resume ended long ago: its set is listed and older than `maxAge`,
     * so a run without the job id sees it (and takes a new backup if one is needed).
     */
    readonly reason: "failed" | "timeout" | "not-usable" | "spent",
    /** The task's last BackupStatus seen, if any. */
    readonly lastStatus: string | undefined,
    message: string,
    /**
     * A time-out of a known job, for front doors that phrase their own way to resume: what
     * happened without the sdk's advice (`facts`), and whether a run without the job id would take
     * a second backup (the job finished but its set is not listed yet).
     */
    readonly resume?: { readonly facts: string; readonly rerunTakesSecondBackup: boolean },
  ) {
    super(message);
  }
}
