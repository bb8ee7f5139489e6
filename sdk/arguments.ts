/**
 * Every argument a caller passes, declared once: its name, type, rule, doc text and CLI flag.
 * The rest is derived from this table:
 * - the sdk's checks: `checkQuery`/`validateQuery`, `checkFreshBackup`, `ensureFreshBackup`
 *   (./check-arguments.ts holds the code of each rule, keyed by `rule.kind`);
 * - the Pulumi functions' argument checks (provider/args.ts picks its lists from here), and a
 *   type test holds the Pulumi argument types against these lists (tests/types);
 * - the CLI's flags that fill an argument, their --help text and which flag an error names (cli/options.ts).
 *
 * Data only: a newcomer reads the table, not code. `name`, `type`, `required` and `doc` are what
 * a Pulumi schema's inputs can be checked against.
 */
import { DURATION_ALLOWED } from "./duration";
import { MAX_BACKUP_DURATION_SECONDS } from "./time";
import { BACKUP_METHODS, BACKUP_MODES, BACKUP_STATUSES, BACKUP_TYPES, FRESH_BACKUP_TYPES, PAGE_SIZES } from "./types";

/** How a value is checked. The code of each kind is in ./check-arguments.ts. */
export type Rule =
  /** An RDS instance id: lower case, a prefix, a dash (`rm-uf6wjk5xxxxxxx`). */
  | { readonly kind: "instanceId" }
  /** A backup set id: letters, digits, `_` and `-`. */
  | { readonly kind: "backupId" }
  /** A backup job id (BackupJobId): digits. */
  | { readonly kind: "jobId" }
  /**
   * One of `values`, case included; `allowed` words it when the bare list says too little.
   * `refused`: values of the list that this call can never satisfy, each with the reason.
   */
  | {
      readonly kind: "oneOf";
      readonly values: readonly string[];
      readonly allowed?: string;
      readonly refused?: Readonly<Record<string, string>>;
    }
  /** One of a few numbers. */
  | { readonly kind: "oneOfNumbers"; readonly values: readonly number[] }
  | { readonly kind: "integer"; readonly min: number }
  /** A Date, or an ISO-8601 string with an explicit offset; checked value: a Date. */
  | { readonly kind: "time" }
  /** "24h", "90m", "7d", "1h30m" (text with its unit) or a number of seconds; checked value: seconds. `atMost` bounds it, saying why. */
  | { readonly kind: "duration"; readonly atMost?: { readonly seconds: number; readonly why: string } }
  | { readonly kind: "boolean" }
  /** A region id such as cn-hangzhou. */
  | { readonly kind: "region" }
  /** An endpoint override: a URL or a host name (its shape only; nothing is resolved). */
  | { readonly kind: "endpoint" }
  /** A non-empty string. */
  | { readonly kind: "text" };

export interface ArgumentDecl {
  /** As the sdk, the Pulumi functions and their schema spell it. */
  readonly name: string;
  /** The type of its value: `duration` is a string with its unit such as "24h", or a number of seconds; `time` an ISO-8601 string (or a Date in TypeScript). */
  readonly type: "string" | "integer" | "boolean" | "duration" | "time";
  /** Required wherever the argument is taken. */
  readonly required?: true;
  /** The value used when it is absent, as a user writes it. */
  readonly default?: string;
  /** A value to show in "an object such as { ... }" (required arguments). */
  readonly example?: string;
  readonly rule: Rule;
  readonly doc: string;
  /**
   * The CLI flag that fills it: `--name <value>` (or the positional `<name>`), with its --help
   * text when it differs from `doc`. Flags without an argument (output, pace) are cli/'s own.
   */
  readonly flag?: {
    readonly name: string;
    readonly value?: string;
    readonly help?: string;
    readonly positional?: true;
  };
}

const A_DAY = { seconds: MAX_BACKUP_DURATION_SECONDS, why: "no backup runs longer" };

export const ARGUMENTS = {
  // --- the instance, and the filters of DescribeBackups ----------------------------------------
  dbInstanceId: {
    name: "dbInstanceId",
    type: "string",
    required: true,
    example: '"rm-..."',
    rule: { kind: "instanceId" },
    doc: "The instance, e.g. `rm-uf6wjk5xxxxxxx`.",
    flag: { name: "instance-id", positional: true },
  },
  backupId: {
    name: "backupId",
    type: "string",
    rule: { kind: "backupId" },
    doc: "Only this backup set, by id (e.g. `321020562`).",
    flag: { name: "backup-id", value: "<id>", help: "Only this backup set." },
  },
  backupStatus: {
    name: "backupStatus",
    type: "string",
    rule: { kind: "oneOf", values: BACKUP_STATUSES },
    doc: "Only backups with this status.",
    flag: { name: "status", value: "<status>" },
  },
  backupMode: {
    name: "backupMode",
    type: "string",
    rule: { kind: "oneOf", values: BACKUP_MODES },
    doc: "Only automated or manual backups.",
    flag: { name: "mode", value: "<mode>" },
  },
  backupType: {
    name: "backupType",
    type: "string",
    rule: { kind: "oneOf", values: BACKUP_TYPES },
    doc: "Only full or incremental backups.",
    flag: { name: "type", value: "<type>" },
  },
  startTime: {
    name: "startTime",
    type: "time",
    rule: { kind: "time" },
    doc: "Window start, ISO-8601 with an explicit offset, e.g. `2026-11-20T00:00:00Z`. Rounded down to the minute.",
    flag: {
      name: "start",
      value: "<time>",
      help: "Window start, ISO 8601 with an offset (2026-11-01T00:00Z). Rounded down to the minute.",
    },
  },
  endTime: {
    name: "endTime",
    type: "time",
    rule: { kind: "time" },
    doc: "Window end, ISO-8601 with an explicit offset. Rounded up to the minute.",
    flag: { name: "end", value: "<time>", help: "Window end, ISO 8601 with an offset. Rounded up to the minute." },
  },
  since: {
    name: "since",
    type: "duration",
    rule: { kind: "duration" },
    doc: 'A rolling window instead of `startTime`: `"7d"`, `"36h"`, `"90m"` (text needs its unit) or a number of seconds, computed when the read runs.',
    flag: {
      name: "since",
      value: "<duration>",
      help: "Only backups started in the last <duration>, with its unit (7d, 1w, 24h, 90m, 1h30m); same as --start now-<duration>.",
    },
  },
  pageSize: {
    name: "pageSize",
    type: "integer",
    rule: { kind: "oneOfNumbers", values: PAGE_SIZES },
    doc: "Backups per page.",
  },
  pageNumber: { name: "pageNumber", type: "integer", rule: { kind: "integer", min: 1 }, doc: "The page, from 1." },

  // --- the freshness gate and ensure ------------------------------------------------------------
  maxAge: {
    name: "maxAge",
    type: "duration",
    required: true,
    example: '"24h"',
    rule: { kind: "duration" },
    doc: `The oldest acceptable backup, as an age: ${DURATION_ALLOWED}.`,
    flag: {
      name: "max-age",
      value: "<duration>",
      help: "Oldest acceptable backup, with its unit: 24h, 90m, 7d, 1w, 1h30m, 3600s (a bare number is refused).",
    },
  },
  /** The gate's `backupType`: what counts as fresh (not a DescribeBackups filter: it also takes `any`). */
  freshBackupType: {
    name: "backupType",
    type: "string",
    default: "FullBackup",
    rule: {
      kind: "oneOf",
      values: FRESH_BACKUP_TYPES,
      allowed: "FullBackup (the default), IncrementalBackup, or any to count both",
    },
    doc: "Which backups count: `FullBackup` (the default: an incremental set cannot be restored alone), `IncrementalBackup`, or `any`.",
    flag: {
      name: "backup-type",
      value: "<type>",
      help: "Which backups count: FullBackup (default), IncrementalBackup, or any (both). Same as backupType of requireFreshBackup.",
    },
  },
  /**
   * ensure's `backupType`: the gate's, less `IncrementalBackup`. CreateBackup takes a full backup,
   * so a gate that counts incremental sets only is never satisfied by what ensure takes: each run
   * would spend one of the day's manual backups and fail.
   */
  ensureBackupType: {
    name: "backupType",
    type: "string",
    default: "FullBackup",
    rule: {
      kind: "oneOf",
      values: FRESH_BACKUP_TYPES,
      allowed: "FullBackup (the default) or any",
      refused: {
        IncrementalBackup:
          "can never be satisfied here: CreateBackup takes full backups, so every run would take one and still find no fresh incremental set",
      },
    },
    doc: "Which backups count: `FullBackup` (the default) or `any`. Not `IncrementalBackup`: CreateBackup takes full backups, which could never satisfy it.",
    flag: {
      name: "backup-type",
      value: "<type>",
      help: "Which backups count: FullBackup (default) or any. IncrementalBackup is refused: CreateBackup takes full backups.",
    },
  },
  now: {
    name: "now",
    type: "time",
    rule: { kind: "time" },
    doc: "The moment to judge at. Default: `options.now`, then the clock.",
  },
  backupMethod: {
    name: "backupMethod",
    type: "string",
    default: "Physical",
    rule: { kind: "oneOf", values: BACKUP_METHODS },
    doc: "How CreateBackup takes the backup when one is needed: `Physical` (default), `Snapshot` or `Logical` (MySQL).",
    flag: {
      name: "method",
      value: "<method>",
      help: "BackupMethod of CreateBackup (default Physical; Logical is MySQL only).",
    },
  },
  timeout: {
    name: "timeout",
    type: "duration",
    default: "1h",
    rule: { kind: "duration", atMost: A_DAY },
    doc: 'The longest to wait for the backup: `"30m"`, `"2h"` (text needs its unit) or a number of seconds. Default 1h, at most 24h.',
    flag: {
      name: "timeout",
      value: "<duration>",
      help: "Required. Longest wait for the backup, with its unit (e.g. 1h, at most 24h); on time-out the job id is printed.",
    },
  },

  jobId: {
    name: "jobId",
    type: "string",
    rule: { kind: "jobId" },
    doc: "A backup job to wait for instead of taking a backup: the id a time-out of ensure names. With it, CreateBackup is never called.",
  },

  // --- the recoverability check (point-in-time restore) --------------------------------------------
  recoverableWithin: {
    name: "recoverableWithin",
    type: "duration",
    required: true,
    example: '"15m"',
    rule: { kind: "duration", atMost: A_DAY },
    doc: `The most data a restore may lose: the restore window and the log chain must reach the point in time minus this lag. ${DURATION_ALLOWED}; at most 24h.`,
    flag: {
      name: "recoverable-within",
      value: "<duration>",
      help: "Also check point-in-time restore: the restore window and the log chain reach now (or --point-in-time) minus <duration> (e.g. 15m), log backup on.",
    },
  },
  /**
   * The gate's, ensure's and the hooks' `recoverableWithin`: the same check, optional there (a
   * deployment is judged at the moment it runs, so the point is always now).
   */
  recoverableWithinOption: {
    name: "recoverableWithin",
    type: "duration",
    rule: { kind: "duration", atMost: A_DAY },
    doc: `Also require a point-in-time restore to within this lag of now: log backup on, a restore window and an unbroken log chain from the full set reaching now minus this lag (e.g. \`"15m"\`). ${DURATION_ALLOWED}; at most 24h. Not for SQL Server, whose chain cannot be checked.`,
  },
  pointInTime: {
    name: "pointInTime",
    type: "time",
    rule: { kind: "time" },
    doc: "The moment a restore must reach (ISO-8601 with an explicit offset). Default: now.",
    flag: {
      name: "point-in-time",
      value: "<time>",
      help: "The moment a restore must reach, ISO 8601 with an offset (default: now). With --recoverable-within.",
    },
  },
  minRetentionDays: {
    name: "minRetentionDays",
    type: "integer",
    rule: { kind: "integer", min: 1 },
    doc: "The least acceptable `BackupRetentionPeriod` of the backup policy, in days (e.g. 30 for a compliance minimum). Only with `recoverableWithin`.",
    flag: { name: "min-retention-days", value: "<days>", help: "Least acceptable BackupRetentionPeriod, days." },
  },
  minLogRetentionDays: {
    name: "minLogRetentionDays",
    type: "integer",
    rule: { kind: "integer", min: 1 },
    doc: "The least acceptable `LogBackupRetentionPeriod` of the backup policy, in days. Only with `recoverableWithin`.",
    flag: { name: "min-log-retention-days", value: "<days>", help: "Least acceptable LogBackupRetentionPeriod, days." },
  },

  // --- where and how to reach the API (keys never: they come from config or the credential chain) ---
  region: {
    name: "region",
    type: "string",
    rule: { kind: "region" },
    doc: "Region id, e.g. `cn-hangzhou`. Picks the endpoint.",
    flag: {
      name: "region",
      value: "<id>",
      help: "Region id, e.g. cn-hangzhou (default: $ALIBABA_CLOUD_REGION_ID, then cn-hangzhou). Picks the endpoint.",
    },
  },
  endpoint: {
    name: "endpoint",
    type: "string",
    rule: { kind: "endpoint" },
    doc: "Endpoint override: a URL (`http://127.0.0.1:9000`, e.g. the emulator) or a host name (HTTPS).",
    flag: {
      name: "endpoint",
      value: "<url|host>",
      help: "API endpoint, a URL (http://127.0.0.1:9000) or a host name (HTTPS). Default: $ALIBABA_CLOUD_RDS_ENDPOINT, then the region's.",
    },
  },
  profile: {
    name: "profile",
    type: "string",
    rule: { kind: "text" },
    doc: "aliyun CLI profile for credentials (`~/.aliyun/config.json`).",
    flag: {
      name: "profile",
      value: "<name>",
      help: "aliyun CLI profile for credentials (~/.aliyun/config.json; default: $ALIBABA_CLOUD_PROFILE or the current one).",
    },
  },
  includeDownloadUrls: {
    name: "includeDownloadUrls",
    type: "boolean",
    default: "false",
    rule: { kind: "boolean" },
    doc: "Include the pre-signed download links. Off by default: a link is a key to the whole database.",
  },
} as const satisfies Record<string, ArgumentDecl>;

const A = ARGUMENTS;

/** Which arguments each call takes, in the order their failures are reported. */
export const QUERY_ARGUMENTS = [
  A.dbInstanceId,
  A.backupId,
  A.backupStatus,
  A.backupMode,
  A.backupType,
  A.startTime,
  A.endTime,
] as const;
export const PAGE_ARGUMENTS = [...QUERY_ARGUMENTS, A.pageSize, A.pageNumber] as const;
export const FRESH_BACKUP_ARGUMENTS = [A.dbInstanceId, A.maxAge, A.freshBackupType, A.backupMode, A.now] as const;
export const ENSURE_ARGUMENTS = [A.dbInstanceId, A.maxAge, A.backupMethod, A.ensureBackupType, A.timeout] as const;
export const CONNECTION_ARGUMENTS = [A.region, A.endpoint, A.profile] as const;
export const RECOVERABLE_ARGUMENTS = [
  A.dbInstanceId,
  A.recoverableWithin,
  A.pointInTime,
  A.minRetentionDays,
  A.minLogRetentionDays,
  A.now,
] as const;
/** What the gate, ensure and the hooks take to require a point-in-time restore too (the minimums need recoverableWithin). */
export const RECOVERY_OPTION_ARGUMENTS = [
  A.recoverableWithinOption,
  A.minRetentionDays,
  A.minLogRetentionDays,
] as const;
/** DescribeBackupPolicy and DescribeLocalAvailableRecoveryTime take the instance only. */
export const POLICY_ARGUMENTS = [A.dbInstanceId] as const;
/** DescribeBinlogFiles: the instance and a range (both ends required: listLogFiles checks they are given). */
export const LOG_FILE_ARGUMENTS = [A.dbInstanceId, A.startTime, A.endTime] as const;
