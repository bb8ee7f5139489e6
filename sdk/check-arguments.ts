/**
 * The code of each rule of ./arguments.ts, and the one check every call runs on its input: an
 * object, known keys only (one message, one suggestion algorithm), required ones present, each
 * value by its rule. Failures are data; the values come back checked and converted (times as
 * Dates, durations as seconds), so nothing downstream parses them again.
 */
import type { ArgumentDecl, Rule } from "./arguments";
import { checkDuration, DURATION_ALLOWED, formatDuration } from "./duration";
import { OVERRIDE_ALLOWED, parseEndpointOverride, REGION_ALLOWED, regionFailure } from "./endpoints";
import type { ValidationFailure } from "./errors";
import { failure } from "./failure";
import { closest } from "./suggest";
import { checkTime, TIME_ALLOWED } from "./time";

export interface CheckedArguments {
  /** The declared arguments that were given, checked and converted; only valid when `failures` is empty. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly failures: ValidationFailure[];
}

/** Instance ids: a lower-case prefix (rm, pgm, pgr, rr, mr, ...), a dash, lower-case letters and digits. */
const INSTANCE_ID = /^[a-z][a-z0-9]{1,9}-[a-z0-9]+$/;
/** The longest instance id accepted, characters (the API's ids are about 16). */
const MAX_INSTANCE_ID_CHARS = 64;
const BACKUP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** BackupJobId: digits, as the API sends it (a string) and a time-out of ensure names it. */
const JOB_ID = /^\d{1,15}$/;

/** What is allowed, in words: the `use ...` of every failure of the rule. */
function allowedBy(rule: Rule): string {
  switch (rule.kind) {
    case "instanceId":
      return "an instance id such as rm-uf6wjk5xxxxxxx (lower case letters and digits, a prefix and a dash)";
    case "backupId":
      return 'a backup set id such as "321020562" (a string of letters and digits)';
    case "jobId":
      return 'a backup job id of digits such as "1234567", as a time-out of ensure names it';
    case "oneOf":
      return rule.allowed ?? `one of ${rule.values.join(", ")}`;
    case "oneOfNumbers":
      return `${rule.values.slice(0, -1).join(", ")} or ${rule.values[rule.values.length - 1]}`;
    case "integer":
      return `an integer >= ${rule.min}`;
    case "time":
      return TIME_ALLOWED;
    case "duration":
      return DURATION_ALLOWED;
    case "boolean":
      return "true or false";
    case "region":
      return REGION_ALLOWED;
    case "endpoint":
      return OVERRIDE_ALLOWED;
    case "text":
      return "a non-empty string";
  }
}

type Outcome = { readonly ok: unknown } | ValidationFailure;

function checkInstanceId(name: string, v: unknown, allowed: string): Outcome {
  if (v === null || v === "") return failure(name, v, allowed, "is required");
  if (typeof v !== "string") return failure(name, v, allowed, `is a ${typeof v}, not a string`);
  if (v.length > MAX_INSTANCE_ID_CHARS) {
    return failure(
      name,
      v,
      `${allowed}, at most ${MAX_INSTANCE_ID_CHARS} characters`,
      `is ${v.length.toLocaleString("en-US")} characters long`,
    );
  }
  if (INSTANCE_ID.test(v)) return { ok: v };
  const t = v.trim();
  if (t !== v && INSTANCE_ID.test(t))
    return failure(name, v, `${JSON.stringify(t)} (without the spaces)`, "has spaces around it");
  if (INSTANCE_ID.test(t.toLowerCase()))
    return failure(
      name,
      v,
      `${JSON.stringify(t.toLowerCase())} (instance ids are lower case)`,
      "has upper-case letters",
    );
  return failure(name, v, allowed, "is not an instance id");
}

/** One value by its rule: the value to use, or a failure naming `name`. */
function checkValue(decl: ArgumentDecl, v: unknown): Outcome {
  const { name, rule } = decl;
  const allowed = allowedBy(rule);
  const ok = (valid: boolean): Outcome => (valid ? { ok: v } : failure(name, v, allowed));
  switch (rule.kind) {
    case "instanceId":
      return checkInstanceId(name, v, allowed);
    case "backupId":
      return ok(typeof v === "string" && BACKUP_ID.test(v));
    case "jobId":
      return ok(typeof v === "string" && JOB_ID.test(v));
    case "oneOf": {
      const refusedBecause =
        typeof v === "string" && rule.refused && Object.hasOwn(rule.refused, v) ? rule.refused[v] : undefined;
      if (refusedBecause !== undefined) return failure(name, v, allowed, refusedBecause);
      if (typeof v === "string" && rule.values.includes(v)) return { ok: v };
      const near = typeof v === "string" ? closest(v, rule.values) : undefined;
      return failure(name, v, `${allowed}${near ? ` (case matters: did you mean "${near}"?)` : " (case matters)"}`);
    }
    case "oneOfNumbers":
      return ok(typeof v === "number" && rule.values.includes(v));
    case "integer":
      return ok(typeof v === "number" && Number.isSafeInteger(v) && v >= rule.min);
    case "time": {
      const t = checkTime(v, name);
      return t instanceof Date ? { ok: t } : t;
    }
    case "duration": {
      const seconds = checkDuration(v, name);
      if (typeof seconds !== "number") return seconds;
      if (rule.atMost && seconds > rule.atMost.seconds)
        return failure(name, v, `a duration of at most ${formatDuration(rule.atMost.seconds)} (${rule.atMost.why})`);
      return { ok: seconds };
    }
    case "boolean":
      return ok(typeof v === "boolean");
    case "region":
      return regionFailure(v, name) ?? { ok: v };
    case "endpoint": {
      const parsed = parseEndpointOverride(v, name);
      return "reason" in parsed ? parsed : { ok: v };
    }
    case "text":
      return ok(typeof v === "string" && v.trim() !== "");
  }
}

/** The one message for a key nobody declared (`field` names it, e.g. `retry.maxAttemps`): the nearest known key, else the list. */
export function unknownKey(field: string, value: unknown, key: string, known: readonly string[]): ValidationFailure {
  const near = closest(key, known);
  return failure(
    field,
    value,
    near ? `"${near}" (did you mean "${near}"?)` : `one of ${known.join(", ")}`,
    "is not a known parameter",
  );
}

/** `{ dbInstanceId: "rm-...", maxAge: "24h" }`: the required arguments, for "an object such as". */
function exampleOf(decls: readonly ArgumentDecl[]): string {
  return `{ ${decls
    .filter((d) => d.required)
    .map((d) => `${d.name}: ${d.example ?? "..."}`)
    .join(", ")} }`;
}

/**
 * Checks `input` against the arguments of one call. `subject` names the whole input in the
 * failure when it is not an object (`query`, or `args` for a Pulumi function).
 */
export function checkArguments(input: unknown, decls: readonly ArgumentDecl[], subject = "query"): CheckedArguments {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      values: {},
      failures: [failure(subject, input, `an object such as ${exampleOf(decls)}`, "is not an object")],
    };
  }
  const given = input as Record<string, unknown>;
  const names = decls.map((d) => d.name);
  const failures: ValidationFailure[] = [];
  for (const key of Object.keys(given)) {
    if (!names.includes(key) && given[key] !== undefined) failures.push(unknownKey(key, given[key], key, names));
  }
  const values: Record<string, unknown> = {};
  for (const decl of decls) {
    const v = given[decl.name];
    if (v === undefined) {
      if (decl.required) failures.push(failure(decl.name, v, allowedBy(decl.rule), "is required"));
      continue;
    }
    const outcome = checkValue(decl, v);
    if ("ok" in outcome) values[decl.name] = outcome.ok;
    else failures.push(outcome);
  }
  return { values, failures };
}
