/**
 * Every rule on input, checked before any network call. `checkQuery` returns failures as data
 * (Pulumi's `check` wants a list); `validateQuery` throws them all in one RdsValidationError and
 * returns the wire parameters, ready to send.
 */
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";
import { closest } from "./suggest";
import { checkTime, CLOCK_SKEW_MS, toApiMinute } from "./time";
import { BACKUP_MODES, BACKUP_STATUSES, BACKUP_TYPES, PAGE_SIZES, type PageSize } from "./types";

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

/** Instance ids: a lower-case prefix (rm, pgm, pgr, rr, mr, ...), a dash, lower-case letters and digits. */
const INSTANCE_ID = /^[a-z][a-z0-9]{1,9}-[a-z0-9]+$/;
/** The longest instance id accepted, characters (the API's ids are about 16). */
const MAX_INSTANCE_ID_CHARS = 64;
const BACKUP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The keys of a BackupQuery: one list, for the sdk's and the provider's unknown-key checks. */
export const QUERY_KEYS = ["dbInstanceId", "backupId", "backupStatus", "backupMode", "backupType", "startTime", "endTime"] as const;
const PAGE_KEYS = ["pageSize", "pageNumber"];
/** A start time this far ahead of the local clock is still accepted (clock skew between machines), ms. */
export const FUTURE_TOLERANCE_MS = CLOCK_SKEW_MS;
const ENUMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["backupStatus", BACKUP_STATUSES], ["backupMode", BACKUP_MODES], ["backupType", BACKUP_TYPES],
];

function checkInstanceId(v: unknown): ValidationFailure | undefined {
  const allowed = "an instance id such as rm-uf6wjk5xxxxxxx (lower case letters and digits, a prefix and a dash)";
  if (v === undefined || v === null || v === "") return failure("dbInstanceId", v, allowed, "is required");
  if (typeof v !== "string") return failure("dbInstanceId", v, allowed, `is a ${typeof v}, not a string`);
  if (v.length > MAX_INSTANCE_ID_CHARS) {
    return failure("dbInstanceId", v, `${allowed}, at most ${MAX_INSTANCE_ID_CHARS} characters`, `is ${v.length.toLocaleString("en-US")} characters long`);
  }
  if (INSTANCE_ID.test(v)) return undefined;
  const t = v.trim();
  if (t !== v && INSTANCE_ID.test(t)) return failure("dbInstanceId", v, `${JSON.stringify(t)} (without the spaces)`, "has spaces around it");
  if (INSTANCE_ID.test(t.toLowerCase())) return failure("dbInstanceId", v, `${JSON.stringify(t.toLowerCase())} (instance ids are lower case)`, "has upper-case letters");
  return failure("dbInstanceId", v, allowed, "is not an instance id");
}

function checkEnum(field: string, v: unknown, values: readonly string[]): ValidationFailure | undefined {
  if (typeof v === "string" && values.includes(v)) return undefined;
  const near = typeof v === "string" ? closest(v, values) : undefined;
  const hint = near ? ` (case matters: did you mean "${near}"?)` : " (case matters)";
  return failure(field, v, `one of ${values.join(", ")}${hint}`);
}

function checkPaging(q: Record<string, unknown>, out: ValidationFailure[]): void {
  const size = q["pageSize"];
  if (size !== undefined && !PAGE_SIZES.includes(size as PageSize)) out.push(failure("pageSize", size, "30, 50 or 100"));
  const n = q["pageNumber"];
  if (n !== undefined && !(typeof n === "number" && Number.isSafeInteger(n) && n >= 1)) {
    out.push(failure("pageNumber", n, "an integer >= 1"));
  }
}

/** Refuses a query that is not an object (`null`, a string) by name, before anything reads its fields. */
export function requireQueryObject(q: unknown, example = "{ dbInstanceId: \"rm-...\" }"): void {
  if (typeof q !== "object" || q === null || Array.isArray(q)) {
    throw new RdsValidationError([failure("query", q, `an object such as ${example}`, "is not an object")]);
  }
}

/** Every failure of `q`, as data; [] when it is valid. `paging` allows pageSize/pageNumber. */
export function checkQuery(q: unknown, opts: { readonly paging?: boolean; readonly now?: Date } = {}): ValidationFailure[] {
  if (typeof q !== "object" || q === null || Array.isArray(q)) {
    return [failure("query", q, "an object such as { dbInstanceId: \"rm-...\" }", "is not an object")];
  }
  const rec = q as Record<string, unknown>;
  const known: readonly string[] = opts.paging ? [...QUERY_KEYS, ...PAGE_KEYS] : QUERY_KEYS;
  const out: ValidationFailure[] = [];
  for (const key of Object.keys(rec)) {
    if (known.includes(key) || rec[key] === undefined) continue;
    const near = closest(key, known);
    out.push(failure(key, rec[key], near ? `"${near}" (did you mean "${near}"?)` : `one of the keys ${known.join(", ")}`, "is not a known parameter"));
  }
  const id = checkInstanceId(rec["dbInstanceId"]);
  if (id) out.push(id);
  const backupId = rec["backupId"];
  if (backupId !== undefined && !(typeof backupId === "string" && BACKUP_ID.test(backupId))) {
    out.push(failure("backupId", backupId, "a backup set id such as \"321020562\" (a string of letters and digits)"));
  }
  for (const [field, values] of ENUMS) {
    const f = rec[field] === undefined ? undefined : checkEnum(field, rec[field], values);
    if (f) out.push(f);
  }
  const start = rec["startTime"] === undefined ? undefined : checkTime(rec["startTime"], "startTime");
  const end = rec["endTime"] === undefined ? undefined : checkTime(rec["endTime"], "endTime");
  for (const t of [start, end]) if (t !== undefined && !(t instanceof Date)) out.push(t);
  if (start instanceof Date && end instanceof Date && end.getTime() <= start.getTime()) {
    out.push(failure("endTime", rec["endTime"], `a time after startTime ${start.toISOString()}`, "is not after startTime"));
  }
  // A window that starts in the future can hold no backup: it is a typo (year, offset), never a
  // question worth an API call. An end in the future is fine (it means "up to now").
  // (Not reported on top of an end before the start: that message is the more precise one.)
  const now = (opts.now ?? new Date()).getTime();
  const endBeforeStart = start instanceof Date && end instanceof Date && end.getTime() <= start.getTime();
  if (start instanceof Date && !endBeforeStart && start.getTime() > now + FUTURE_TOLERANCE_MS) {
    out.push(failure("startTime", rec["startTime"], `a time not after now (${new Date(now).toISOString()}): no backup can have started later`, "is in the future"));
  }
  if (opts.paging) checkPaging(rec, out);
  return out;
}

/** Throws every failure at once; returns the wire parameters (times in the API's minute format). */
export function validateQuery(q: unknown, opts: { readonly paging?: boolean; readonly now?: Date } = {}): ValidatedQuery {
  const failures = checkQuery(q, opts);
  if (failures.length > 0) throw new RdsValidationError(failures);
  const r = q as Record<string, unknown> & { dbInstanceId: string };
  const params: Record<string, unknown> = {
    DBInstanceId: r.dbInstanceId,
    BackupId: r["backupId"],
    BackupStatus: r["backupStatus"],
    BackupMode: r["backupMode"],
    BackupType: r["backupType"],
    StartTime: r["startTime"] === undefined ? undefined : toApiMinute(r["startTime"] as Date, "floor", "startTime"),
    EndTime: r["endTime"] === undefined ? undefined : toApiMinute(r["endTime"] as Date, "ceil", "endTime"),
    PageSize: (opts.paging ? r["pageSize"] : undefined) ?? 100,
    PageNumber: (opts.paging ? r["pageNumber"] : undefined) ?? 1,
  };
  for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
  return { dbInstanceId: r.dbInstanceId, params: params as unknown as WireParams };
}
