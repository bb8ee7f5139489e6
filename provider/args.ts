/**
 * Checks the arguments of `getBackups` and `requireFreshBackup` and splits them into the sdk/
 * query and the connection settings. Runs twice: in the program, before the read is registered
 * (so bad input fails `pulumi preview` before anything else), and again in the provider's `read`,
 * because the engine calls no `check` for reads.
 *
 * The rules themselves are sdk/'s: one place for each, the same messages everywhere.
 */
import { checkFreshBackupType, checkQuery, DEFAULT_FRESH_BACKUP_TYPE, DEFAULT_REGION, failure, formatDuration, parseDuration, QUERY_KEYS, RdsValidationError, resolveEndpoint, validateEnsureQuery, type BackupMethod, type BackupMode, type BackupQuery, type EnsureBackupQuery, type FreshBackupType, type ValidationFailure } from "../sdk/internal";
import type { ConnectionArgs } from "./types";

const CONNECTION_KEYS = ["region", "endpoint", "profile"] as const;

export interface BackupsRequest {
  readonly query: BackupQuery;
  readonly connection: ConnectionArgs;
  readonly includeDownloadUrls: boolean;
}

export interface FreshBackupRequest {
  readonly dbInstanceId: string;
  /** As the user wrote it, for messages. */
  readonly maxAge: string | number;
  readonly maxAgeSeconds: number;
  /** Which backups count: FullBackup unless the program asked for IncrementalBackup or any. */
  readonly backupType: FreshBackupType;
  readonly backupMode?: BackupMode;
  readonly connection: ConnectionArgs;
}

/** Failures as data (for a provider's `check`); empty when the arguments are good. */
export function checkBackupsArgs(args: unknown): ValidationFailure[] {
  return collect(() => parseBackupsArgs(args));
}

export function checkFreshBackupArgs(args: unknown): ValidationFailure[] {
  return collect(() => parseFreshBackupArgs(args));
}

/** Throws `RdsValidationError` naming every bad field. */
/**
 * `now` turns `since` into a start time. It is read when the read runs, not when the program
 * registers it, so a rolling window keeps one read name from run to run.
 */
export function parseBackupsArgs(args: unknown, now: Date = new Date()): BackupsRequest {
  const record = asRecord(args, "getBackups");
  const failures = unknownKeys(record, [...QUERY_KEYS, ...CONNECTION_KEYS, "since", "includeDownloadUrls"]);
  let query = pick(record, QUERY_KEYS) as unknown as BackupQuery;
  if (record.since !== undefined) {
    if (record.startTime !== undefined) {
      failures.push(failure("since", record.since, "either since or startTime, not both (both set the start of the window)"));
    } else {
      try {
        query = { ...query, startTime: new Date(now.getTime() - parseDuration(record.since as string | number, "since") * 1000) };
      } catch (err) {
        if (!(err instanceof RdsValidationError)) throw err;
        failures.push(...err.failures);
      }
    }
  }
  failures.push(...checkQuery(query), ...checkConnection(record));
  const include = record.includeDownloadUrls;
  if (include !== undefined && typeof include !== "boolean") {
    failures.push(failure("includeDownloadUrls", include, "true or false"));
  }
  throwIfAny(failures);
  return { query, connection: pick(record, CONNECTION_KEYS), includeDownloadUrls: include === true };
}

export function parseFreshBackupArgs(args: unknown): FreshBackupRequest {
  const record = asRecord(args, "requireFreshBackup");
  const failures = unknownKeys(record, ["dbInstanceId", "maxAge", "backupType", "backupMode", ...CONNECTION_KEYS]);
  const { maxAge, ...rest } = record;
  // backupType is the gate's own rule (it also takes "any"), not a DescribeBackups filter.
  const typeFailure = checkFreshBackupType(record.backupType);
  failures.push(...checkQuery(pick(rest, ["dbInstanceId", "backupMode"])), ...(typeFailure ? [typeFailure] : []), ...checkConnection(record));
  let maxAgeSeconds = 0;
  if (maxAge === undefined) {
    failures.push(failure("maxAge", maxAge, 'a duration such as "24h", "90m", "7d" or a number of seconds; it is required'));
  } else {
    try {
      maxAgeSeconds = parseDuration(maxAge as string | number, "maxAge");
    } catch (err) {
      if (!(err instanceof RdsValidationError)) throw err;
      failures.push(...err.failures);
    }
  }
  throwIfAny(failures);
  return {
    dbInstanceId: record.dbInstanceId as string,
    maxAge: maxAge as string | number,
    maxAgeSeconds,
    backupType: (record.backupType as FreshBackupType | undefined) ?? DEFAULT_FRESH_BACKUP_TYPE,
    backupMode: record.backupMode as BackupMode | undefined,
    connection: pick(record, CONNECTION_KEYS),
  };
}

function checkConnection(record: Record<string, unknown>): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const key of CONNECTION_KEYS) {
    const value = record[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) {
      failures.push(failure(key, value, "a non-empty string"));
    }
  }
  if (failures.length > 0) return failures;
  // The region's form and the endpoint's URL, with sdk/'s rules; the environment is not
  // consulted here (an empty env), so only what the program passed is judged.
  const { region, endpoint } = record as { region?: string; endpoint?: string };
  if (region !== undefined || endpoint !== undefined) {
    try {
      resolveEndpoint({ region: region ?? DEFAULT_REGION, endpoint }, {});
    } catch (err) {
      if (!(err instanceof RdsValidationError)) throw err;
      failures.push(...err.failures);
    }
  }
  return failures;
}

function unknownKeys(record: Record<string, unknown>, known: readonly string[]): ValidationFailure[] {
  return Object.keys(record)
    .filter((key) => !known.includes(key) && record[key] !== undefined)
    .map((key) => {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      return failure(key, record[key], `${near ? `"${near}" (did you mean "${near}"?); ` : ""}one of the arguments ${known.join(", ")}`, "is not a known argument");
    });
}

function asRecord(args: unknown, fn: string): Record<string, unknown> {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new RdsValidationError([failure("args", args, `${fn} takes an object of arguments`)]);
  }
  return args as Record<string, unknown>;
}

function pick<K extends string>(record: Record<string, unknown>, keys: readonly K[]): { [P in K]?: string } {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out as { [P in K]?: string };
}

function throwIfAny(failures: ValidationFailure[]): void {
  if (failures.length > 0) throw new RdsValidationError(failures);
}

function collect(parse: () => unknown): ValidationFailure[] {
  try {
    parse();
    return [];
  } catch (err) {
    if (err instanceof RdsValidationError) return [...err.failures];
    throw err;
  }
}

/** `ensureFreshBackup`'s arguments: sdk/'s ensure rules plus the connection's. */
export interface EnsureBackupRequest {
  readonly query: EnsureBackupQuery;
  readonly maxAgeSeconds: number;
  readonly timeoutSeconds: number;
  readonly method: BackupMethod;
  readonly connection: ConnectionArgs;
}

const ENSURE_KEYS = ["dbInstanceId", "maxAge", "backupMethod", "backupType", "timeout"] as const;

export function parseEnsureBackupArgs(args: unknown): EnsureBackupRequest {
  const record = asRecord(args, "ensureFreshBackup");
  const failures = [...unknownKeys(record, [...ENSURE_KEYS, ...CONNECTION_KEYS]), ...checkConnection(record)];
  const query = pick(record, ENSURE_KEYS) as unknown as EnsureBackupQuery;
  try {
    const plan = validateEnsureQuery(query);
    throwIfAny(failures);
    return { query, maxAgeSeconds: plan.maxAgeSeconds, timeoutSeconds: plan.timeoutSeconds, method: plan.method, connection: pick(record, CONNECTION_KEYS) };
  } catch (err) {
    if (!(err instanceof RdsValidationError) || failures.length === 0) throw err;
    throw new RdsValidationError([...err.failures, ...failures]);
  }
}

export function checkEnsureBackupArgs(args: unknown): ValidationFailure[] {
  return collect(() => parseEnsureBackupArgs(args));
}

/**
 * `rm-xxx: a usable FullBackup ended within 24h`: what the gate requires and ensureFreshBackup
 * guarantees, from the arguments only, so it stays the same while the backup holds (the gate's
 * `checked` and ensure's `ensured`: the input to give a gated resource).
 */
export function requirementText(r: { dbInstanceId: string; maxAgeSeconds: number; backupType?: FreshBackupType; backupMode?: BackupMode }): string {
  const type = r.backupType ?? DEFAULT_FRESH_BACKUP_TYPE;
  const what = [r.backupMode, type === "any" ? "backup of any type" : type].filter(Boolean).join(" ");
  return `${r.dbInstanceId}: a usable ${what} ended within ${formatDuration(r.maxAgeSeconds)}`;
}
