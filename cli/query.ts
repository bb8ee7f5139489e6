/**
 * Flags → sdk inputs: the checked query or plan of each instance and the ConnectionOptions. Every
 * rule is the sdk's (checkArguments, checkWindow, parseDuration); this file only maps the sdk's
 * field names back to the flags the user typed, so an error names `--status`, not `backupStatus`.
 */
import {
  type ArgumentDecl,
  ARGUMENTS,
  checkArguments,
  checkWindow,
  type ConnectionOptions,
  parseDuration,
  QUERY_ARGUMENTS,
  RdsValidationError,
  resolveEndpoint,
  type ValidatedQuery,
  type ValidationFailure,
  wireQuery,
  withoutUndefined,
} from "../sdk/internal";
import { COMMANDS, GLOBAL_OPTIONS } from "./commands";
import { FILTERS, type FilterFlag, type OptionDecl } from "./options";
import { usageError } from "./exit-error";

/** Filters as typed (strings), before validation, by flag name. */
export type FilterFlags = { readonly [F in FilterFlag]?: string };

interface GlobalFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
}

/**
 * One checked query per instance (duplicates dropped, order kept), every input judged before the
 * first call, each once: what is returned is what the sdk sends (it does not check it again).
 */
export function buildQueries(instances: readonly string[], filters: FilterFlags, now: Date): ValidatedQuery[] {
  if (filters.since !== undefined && filters.start !== undefined) {
    throw usageError("--since and --start both set the window start: give only one");
  }
  // Each flag fills the argument it is declared for (cli/options.ts); `since` is a start time.
  const fields: Record<string, string> = {};
  for (const o of FILTERS) {
    const value = filters[o.name as FilterFlag];
    if (value !== undefined && o.sdkField !== undefined && o.name !== "since") fields[o.sdkField] = value;
  }
  if (filters.since !== undefined)
    fields["startTime"] = new Date(now.getTime() - durationSeconds(filters.since, "--since") * 1000).toISOString();
  const checked = [...new Set(instances)].map((dbInstanceId) => {
    const given = { dbInstanceId, ...fields };
    const { values, failures } = checkArguments(given, QUERY_ARGUMENTS);
    checkWindow(values, given, failures, now);
    return { values, failures };
  });
  const failures = checked.flatMap((c) => c.failures);
  if (failures.length > 0) throw usageError(describeFailures(failures, filters.since !== undefined));
  return checked.map((c) => wireQuery(c.values));
}

/**
 * One checked plan per instance (duplicates dropped, order kept) for the gate or ensure: every
 * input judged before the first call, each once (the plan is what runs).
 */
export function plansPerInstance<P>(
  instances: readonly string[],
  args: Record<string, unknown>,
  decls: readonly ArgumentDecl[],
  plan: (values: Readonly<Record<string, unknown>>) => P,
  commandFlags: readonly OptionDecl[] = [],
): P[] {
  const checked = [...new Set(instances)].map((dbInstanceId) =>
    checkArguments({ dbInstanceId, ...withoutUndefined(args) }, decls),
  );
  const failures = checked.flatMap((c) => c.failures);
  if (failures.length > 0) throw usageError(describeFailures(failures, false, commandFlags));
  return checked.map((c) => plan(c.values));
}

/** The connection settings, with the region and endpoint checked now (before any call). */
export function connectionOptions(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): ConnectionOptions {
  const options = withoutUndefined({ region: flags.region, profile: flags.profile, endpoint: flags.endpoint });
  try {
    resolveEndpoint(options, env);
  } catch (err) {
    if (err instanceof RdsValidationError) throw usageError(describeFailures(err.failures));
    throw err;
  }
  return options;
}

/**
 * `parseDuration` (the sdk's one rule: text needs its unit) with its RdsValidationError turned
 * into a usage error naming the flag.
 */
export function durationSeconds(input: string, flag: string): number {
  try {
    return parseDuration(input, flag);
  } catch (err) {
    if (err instanceof RdsValidationError) throw usageError(err.message);
    throw err;
  }
}

/**
 * The flag for an sdk field (`backupStatus` → `--status`, `options.endpoint` → `--endpoint`);
 * the command's own flags first (`backupType` is `--type` for list, `--backup-type` for ensure).
 */
function flagFor(field: string, commandFlags: readonly OptionDecl[] = []): string | undefined {
  const bare = field.replace(/^options\./, "");
  if (bare === ARGUMENTS.dbInstanceId.name) return `<${ARGUMENTS.dbInstanceId.flag.name}>`;
  const all = [...commandFlags, ...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
  const decl = all.find((o) => o.sdkField === bare);
  return decl ? `--${decl.name}` : undefined;
}

/** Each failure as one line: `--status: <the sdk's sentence>`. Deduplicated across instances. */
export function describeFailures(
  failures: readonly ValidationFailure[],
  since = false,
  commandFlags: readonly OptionDecl[] = [],
): string {
  const lines = failures.map((f) => {
    const flag = f.field === "startTime" && since ? "--since" : flagFor(f.field, commandFlags);
    return flag ? `${flag}: ${f.reason}` : f.reason;
  });
  return [...new Set(lines)].join("\n");
}

/** A day count as typed: digits become a number; anything else goes to the sdk as is, to be refused naming the flag. */
export function dayCount(raw: string | undefined): number | string | undefined {
  return raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
}

/** `--concurrency`: instances handled at the same time by `check` and `ensure`. */
export function concurrencyOf(raw: string | undefined): number {
  if (raw === undefined) return 4;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 16) {
    throw usageError(`invalid value for --concurrency: "${raw}" (allowed: an integer from 1 to 16)`);
  }
  return n;
}
