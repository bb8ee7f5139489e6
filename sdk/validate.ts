/**
 * The DescribeBackups query: its arguments are declared in ./arguments.ts and checked by
 * ./check-arguments.ts; this file adds what relates two of them (the window) and builds the
 * wire parameters. `checkQuery` returns failures as data (Pulumi's `check` wants a list);
 * `validateQuery` throws them all in one RdsValidationError and returns the wire parameters.
 */
import { PAGE_ARGUMENTS, QUERY_ARGUMENTS } from "./arguments";
import { checkArguments, type CheckedArguments } from "./check-arguments";
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";
import { CLOCK_SKEW_MS, toApiMinute } from "./time";
import type { PageSize } from "./types";

/** Parameters exactly as the API names them. */
export interface WireParams {
  readonly DBInstanceId: string;
  readonly BackupId?: string;
  readonly BackupStatus?: string;
  readonly BackupMode?: string;
  readonly BackupType?: string;
  readonly StartTime?: string;
  readonly EndTime?: string;
  readonly PageSize: PageSize;
  readonly PageNumber: number;
}

export interface ValidatedQuery {
  readonly dbInstanceId: string;
  readonly params: WireParams;
}

/** A start time this far ahead of the local clock is still accepted (clock skew between machines), ms. */
const FUTURE_TOLERANCE_MS = CLOCK_SKEW_MS;

/** Refuses a query that is not an object (`null`, a string) by name, before anything reads its fields. */
export function requireQueryObject(q: unknown, example = '{ dbInstanceId: "rm-..." }'): void {
  if (typeof q !== "object" || q === null || Array.isArray(q)) {
    throw new RdsValidationError([failure("query", q, `an object such as ${example}`, "is not an object")]);
  }
}

/**
 * The window's rules on checked values (pushed onto `failures`): the end after the start, and
 * a start not in the future. A window that starts in the future can hold no backup: it is a
 * typo (year, offset), never a question worth an API call. An end in the future is fine (it
 * means "up to now"). A start in the future is not reported on top of an end before the start:
 * that message is the more precise one.
 */
export function checkWindow(
  values: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
  failures: ValidationFailure[],
  now: Date = new Date(),
): void {
  const start = values["startTime"] as Date | undefined;
  const end = values["endTime"] as Date | undefined;
  if (start && end && end.getTime() <= start.getTime()) {
    failures.push(
      failure("endTime", given["endTime"], `a time after startTime ${start.toISOString()}`, "is not after startTime"),
    );
  } else if (start && start.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    failures.push(
      failure(
        "startTime",
        given["startTime"],
        `a time not after now (${now.toISOString()}): no backup can have started later`,
        "is in the future",
      ),
    );
  }
}

/** The wire parameters of checked values (times in the API's minute format). */
export function wireQuery(values: Readonly<Record<string, unknown>>): ValidatedQuery {
  const v = values as Record<string, unknown> & { dbInstanceId: string };
  const params: Record<string, unknown> = {
    DBInstanceId: v.dbInstanceId,
    BackupId: v["backupId"],
    BackupStatus: v["backupStatus"],
    BackupMode: v["backupMode"],
    BackupType: v["backupType"],
    StartTime: v["startTime"] === undefined ? undefined : toApiMinute(v["startTime"] as Date, "floor", "startTime"),
    EndTime: v["endTime"] === undefined ? undefined : toApiMinute(v["endTime"] as Date, "ceil", "endTime"),
    PageSize: v["pageSize"] ?? 100,
    PageNumber: v["pageNumber"] ?? 1,
  };
  for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
  return { dbInstanceId: v.dbInstanceId, params: params as unknown as WireParams };
}

/** `q` read from another window start, rounded down to the minute as `wireQuery` does. */
export function withStartTime(q: ValidatedQuery, start: Date): ValidatedQuery {
  return { ...q, params: { ...q.params, StartTime: toApiMinute(start, "floor", "startTime") } };
}

function checked(q: unknown, opts: { readonly paging?: boolean; readonly now?: Date }): CheckedArguments {
  const result = checkArguments(q, opts.paging ? PAGE_ARGUMENTS : QUERY_ARGUMENTS);
  // Times are in `values` only when `q` is an object whose times passed their own rule.
  checkWindow(result.values, q as Record<string, unknown>, result.failures, opts.now);
  return result;
}

/** Every failure of `q`, as data; [] when it is valid. `paging` allows pageSize/pageNumber. */
export function checkQuery(
  q: unknown,
  opts: { readonly paging?: boolean; readonly now?: Date } = {},
): ValidationFailure[] {
  return checked(q, opts).failures;
}

/** Throws every failure at once; returns the wire parameters (times in the API's minute format). */
export function validateQuery(
  q: unknown,
  opts: { readonly paging?: boolean; readonly now?: Date } = {},
): ValidatedQuery {
  const { values, failures } = checked(q, opts);
  if (failures.length > 0) throw new RdsValidationError(failures);
  return wireQuery(values);
}
