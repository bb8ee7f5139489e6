/**
 * A saved `pulumi preview --json` → the RDS instances whose resources the plan updates, replaces
 * or deletes, each with the changes that name it. The file is outside input: its size is bounded,
 * every field read is checked, and a bad one is named by its path (`steps[3].oldState.id`) with
 * its value, before any call is made.
 *
 * The format is the Pulumi engine's preview digest: `{ steps: [{ op, urn, oldState?, newState? }],
 * diagnostics?, changeSummary? }`, one step per resource (with `--show-sames`, unchanged ones too;
 * with `--show-replacement-steps`, a replace's create-replacement and delete-replaced steps as
 * well). A step's old state is the resource as it is now: the instance it names is the one a
 * change can lose data of, even when the change moves it elsewhere.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import {
  ARGUMENTS,
  checkArguments,
  escapeControl,
  failure,
  type InstanceSource,
  rdsTypeOf,
  quoteServerText,
  type ValidationFailure,
} from "../sdk/internal";
import { usageError } from "./exit-error";

/** The largest plan read, bytes: a preview of tens of thousands of resources with their states fits. */
export const MAX_PLAN_BYTES = 128 * 1024 * 1024;
/** The most steps read: more than any one stack holds. */
export const MAX_PLAN_STEPS = 200_000;
/** Failures named in one error; the rest are counted. */
const MAX_FAILURES_SHOWN = 10;

/**
 * Operations that change or remove a resource that exists: its instance gets a backup first.
 * `create-replacement` and `delete-replaced` are the two halves of a replace (shown with
 * `--show-replacement-steps`); `import-replacement` replaces a resource by an imported one.
 */
export const CHANGING_OPS = [
  "update",
  "replace",
  "create-replacement",
  "delete-replaced",
  "delete",
  "import-replacement",
] as const;
/** Operations that leave every existing resource's data alone: creating, reading, refreshing, or only editing the state. */
export const HARMLESS_OPS = [
  "same",
  "create",
  "read",
  "read-replacement",
  "refresh",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
  "import",
  "diff",
  "extend-parameterize",
] as const;
const KNOWN_OPS: readonly string[] = [...CHANGING_OPS, ...HARMLESS_OPS];

/** One change of a protected resource, as the plan says it. */
export interface PlannedChange {
  readonly op: (typeof CHANGING_OPS)[number];
  readonly urn: string;
  readonly type: string;
  /** The resource's name in the program (the URN's last part). */
  readonly name: string;
}

/** An instance to back up, and the changes of the plan that name it (in the plan's order). */
export interface InstanceChanges {
  readonly instance: string;
  readonly changes: readonly PlannedChange[];
}

export interface PlanReading {
  /** Each instance once, in the order the plan first names it. */
  readonly instances: readonly InstanceChanges[];
  /** Steps in the plan, all operations. */
  readonly steps: number;
}

/** Reads a plan file (`-`: standard input) of at most `maxBytes`, and the instances it changes. */
export async function readPlanFile(
  source: string,
  stdin: Readable = process.stdin,
  maxBytes = MAX_PLAN_BYTES,
): Promise<PlanReading> {
  const name = source === "-" ? "standard input" : `plan file ${quoteServerText(JSON.stringify(source), 200)}`;
  const text = await readBounded(source === "-" ? stdin : createReadStream(source), name, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw usageError(
      `${name} is not JSON (${quoteServerText(err instanceof Error ? err.message : String(err), 200)}): ` +
        "give the standard output of `pulumi preview --json` alone (its diagnostics go into the JSON)",
    );
  }
  const { reading, failures } = checkPlan(json);
  if (failures.length > 0) throw usageError(describePlanFailures(name, failures));
  return reading;
}

async function readBounded(stream: Readable, name: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      bytes += buffer.length;
      if (bytes > maxBytes) {
        stream.destroy();
        throw usageError(
          `${name} is larger than ${maxBytes.toLocaleString("en-US")} bytes, the most a plan may be: is it a preview's JSON?`,
        );
      }
      chunks.push(buffer);
    }
  } catch (err) {
    if (err instanceof Error && "code" in err && typeof err.code === "string")
      throw usageError(`cannot read ${name}: ${err.code} (${quoteServerText(err.message, 200)})`);
    throw err;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describePlanFailures(name: string, failures: readonly ValidationFailure[]): string {
  const shown = failures.slice(0, MAX_FAILURES_SHOWN).map((f) => `${name}: ${f.reason}`);
  const more = failures.length - shown.length;
  return [...shown, ...(more > 0 ? [`${name}: and ${more} more failures like these`] : [])].join("\n");
}

/**
 * The instances a parsed preview changes, or every failure found (each names its field). A plan
 * whose preview reported an error is refused: its steps may stop where the error did, and a
 * partial list must never pass as the whole.
 */
export function checkPlan(json: unknown): { reading: PlanReading; failures: ValidationFailure[] } {
  const failures: ValidationFailure[] = [];
  const empty = { reading: { instances: [], steps: 0 }, failures };
  if (!isObject(json)) {
    failures.push(failure("the plan", json, "the JSON object `pulumi preview --json` prints", "is not an object"));
    return empty;
  }
  checkDiagnostics(json.diagnostics, failures);
  const steps = json.steps;
  if (!Array.isArray(steps)) {
    failures.push(
      failure(
        "steps",
        steps,
        "the list of steps `pulumi preview --json` prints (it always has the stack's own)",
        steps === undefined ? "is missing" : "is not a list",
      ),
    );
    return empty;
  }
  if (steps.length > MAX_PLAN_STEPS) {
    failures.push(failure("steps", `${steps.length} steps`, `at most ${MAX_PLAN_STEPS}`, "are too many"));
    return empty;
  }
  checkSummary(json.changeSummary, steps, failures);
  const byInstance = new Map<string, PlannedChange[]>();
  steps.forEach((step, i) => {
    const found = instanceOfStep(step, `steps[${i}]`, failures);
    if (!found) return;
    const list = byInstance.get(found.instance) ?? [];
    list.push(found.change);
    byInstance.set(found.instance, list);
  });
  const instances = [...byInstance].map(([instance, changes]) => ({ instance, changes }));
  return { reading: { instances, steps: steps.length }, failures };
}

/**
 * The preview counts its changes in `changeSummary`; a plan that lists fewer update, replace or
 * delete steps than it counts was cut short or edited. (More is allowed: a refresh can turn a
 * listed step into an update after the count.)
 */
function checkSummary(summary: unknown, steps: readonly unknown[], failures: ValidationFailure[]): void {
  if (summary === undefined) return;
  if (!isObject(summary)) {
    failures.push(failure("changeSummary", summary, "an object counting the changes by operation"));
    return;
  }
  for (const op of ["update", "replace", "delete"]) {
    const counted = summary[op];
    if (counted === undefined) continue;
    const listed = steps.filter((step) => isObject(step) && step.op === op).length;
    if (typeof counted !== "number" || !Number.isSafeInteger(counted) || counted < 0)
      failures.push(failure(`changeSummary.${op}`, counted, "a count of steps (an integer >= 0)"));
    else if (listed < counted)
      failures.push(
        failure(
          `changeSummary.${op}`,
          counted,
          "the whole output of `pulumi preview --json`",
          `counts more ${op} steps than the plan lists (${listed}): the plan is cut short or edited`,
        ),
      );
  }
}

function checkDiagnostics(diagnostics: unknown, failures: ValidationFailure[]): void {
  if (diagnostics === undefined) return;
  if (!Array.isArray(diagnostics)) {
    failures.push(failure("diagnostics", diagnostics, "a list of the preview's messages"));
    return;
  }
  const error = diagnostics.find((d) => isObject(d) && d.severity === "error");
  if (error !== undefined) {
    const message = isObject(error) && typeof error.message === "string" ? error.message.trim() : "";
    failures.push(
      failure(
        "diagnostics",
        message,
        "a plan from a preview that succeeded (fix what it reports, then preview again)",
        "is an error of the preview, so its steps may be incomplete",
      ),
    );
  }
}

/** The instance a step changes and the change, when it is a change of a protected type; else undefined. */
function instanceOfStep(
  step: unknown,
  at: string,
  failures: ValidationFailure[],
): { instance: string; change: PlannedChange } | undefined {
  if (!isObject(step)) {
    failures.push(failure(at, step, "an object with op and urn", "is not an object"));
    return undefined;
  }
  const { op, urn } = step;
  if (typeof op !== "string" || !KNOWN_OPS.includes(op)) {
    // An operation this reader does not know may be one that deletes: fail closed.
    failures.push(failure(`${at}.op`, op, `one of ${KNOWN_OPS.join(", ")}`));
    return undefined;
  }
  const parsed = typeof urn === "string" ? parseUrn(urn) : undefined;
  if (typeof urn !== "string" || !parsed) {
    failures.push(
      failure(`${at}.urn`, urn, "a Pulumi URN such as urn:pulumi:dev::app::alicloud:rds/instance:Instance::db"),
    );
    return undefined;
  }
  if (!(CHANGING_OPS as readonly string[]).includes(op)) return undefined;
  const declared = rdsTypeOf(parsed.type);
  if (!declared) return undefined;
  const state = step.oldState;
  if (!isObject(state)) {
    failures.push(failure(`${at}.oldState`, state, `the resource's state before the ${op}`, "is missing"));
    return undefined;
  }
  if (state.type !== undefined && state.type !== parsed.type) {
    failures.push(
      failure(`${at}.oldState.type`, state.type, `the type its URN names, ${parsed.type}`, "disagrees with the URN"),
    );
    return undefined;
  }
  const named = instanceField(state, declared.instance);
  if (!named) {
    const where =
      declared.instance.kind === "id"
        ? "its id"
        : `one of ${declared.instance.names.map((n) => `inputs.${n}`).join(", ")} (or the same in outputs)`;
    const reason = `${at}.oldState (of a ${parsed.type}) names no instance; use a state that names it in ${where}`;
    failures.push({ field: `${at}.oldState`, value: state, allowed: where, reason });
    return undefined;
  }
  const path = `${at}.oldState.${named.field}`;
  if (named.value === "[secret]") {
    failures.push(
      failure(path, named.value, "`rds-backups ensure <instance-id>` for this instance", "is a secret the plan hides"),
    );
    return undefined;
  }
  const checked = checkArguments({ dbInstanceId: named.value }, [ARGUMENTS.dbInstanceId]);
  const [bad] = checked.failures;
  if (bad) {
    failures.push(failure(path, named.value, bad.allowed));
    return undefined;
  }
  return {
    instance: named.value as string,
    change: { op: op as PlannedChange["op"], urn, type: parsed.type, name: parsed.name },
  };
}

/** Where the state names the instance: `id`, or the first of the properties that is set (each in the inputs, then the outputs). */
function instanceField(
  state: Record<string, unknown>,
  source: InstanceSource,
): { field: string; value: unknown } | undefined {
  if (source.kind === "id")
    return state.id === undefined || state.id === "" ? undefined : { field: "id", value: state.id };
  for (const name of source.names) {
    for (const bag of ["inputs", "outputs"] as const) {
      const values = state[bag];
      const value = isObject(values) ? values[name] : undefined;
      if (value !== undefined && value !== null && value !== "") return { field: `${bag}.${name}`, value };
    }
  }
  return undefined;
}

/**
 * `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` → its type and name. The name is
 * everything after the third `::` (it may hold `::` itself); the type is the last `$` part.
 */
export function parseUrn(urn: string): { type: string; name: string } | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const type = parts[2]?.split("$").pop() ?? "";
  const name = parts.slice(3).join("::");
  if (type === "" || name === "") return undefined;
  return { type, name };
}

/** `update of alicloud:rds/database:Database "orders"`, escaped for a terminal. */
export function describeChange(change: PlannedChange): string {
  return escapeControl(`${change.op} of ${change.type} ${quoteServerText(JSON.stringify(change.name), 120)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
