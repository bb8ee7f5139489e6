/**
 * The options shared by several commands (global settings, filters, output), declared once
 * for the command table (./commands/index.ts). Descriptions here are the --help text. A flag that fills an sdk argument is
 * derived from that argument's declaration (sdk/arguments.ts: its flag name, help and values).
 */
import { type ArgumentDecl, ARGUMENTS } from "../sdk/internal";

export interface OptionDecl {
  readonly name: string;
  readonly short?: string;
  readonly type: "string" | "boolean";
  /** Placeholder in help, e.g. `<duration>`. */
  readonly value?: string;
  readonly description: string;
  /** Allowed values, listed in help; checked by the parser unless `sdkField` is set. */
  readonly choices?: readonly string[];
  /** The sdk input this flag fills (`backupStatus`): the sdk validates it and its messages are reused. */
  readonly sdkField?: string;
}

/**
 * The flag of a declared argument. `checkedBy`: "sdk" (the sdk's rule and message, the flag
 * named in front) or "cli" (checked here first: its values by the parser, a duration by
 * cli/query.ts, which wants a unit).
 */
/** The values a flag lists: a rule's values, less those it refuses. */
function choicesOf(rule: Extract<ArgumentDecl["rule"], { kind: "oneOf" }>): readonly string[] {
  return rule.values.filter((v) => !(rule.refused && Object.hasOwn(rule.refused, v)));
}

function flagOption(decl: ArgumentDecl, checkedBy: "sdk" | "cli" = "sdk"): OptionDecl {
  if (!decl.flag || decl.flag.positional) throw new Error(`${decl.name} has no flag`);
  const { name, value, help } = decl.flag;
  return {
    name,
    type: "string",
    ...(value ? { value } : {}),
    description: help ?? decl.doc,
    ...(decl.rule.kind === "oneOf" ? { choices: choicesOf(decl.rule) } : {}),
    ...(checkedBy === "sdk" ? { sdkField: decl.name } : {}),
  };
}

/** Settings every command (but `emulator`) accepts, as aliyun CLI users know them. */
export const GLOBAL_OPTIONS: readonly OptionDecl[] = [
  ...[ARGUMENTS.region, ARGUMENTS.profile, ARGUMENTS.endpoint].map((a) => flagOption(a)),
  { name: "help", short: "h", type: "boolean", description: "Show this help." },
];

/** The filters of DescribeBackups, as flags; `since` is turned into startTime (cli/query.ts). */
const FILTER_ARGUMENTS = [
  ARGUMENTS.backupStatus,
  ARGUMENTS.backupMode,
  ARGUMENTS.backupType,
  ARGUMENTS.backupId,
  ARGUMENTS.since,
  ARGUMENTS.startTime,
  ARGUMENTS.endTime,
] as const;
export const FILTERS: readonly OptionDecl[] = FILTER_ARGUMENTS.map((a) => flagOption(a));
/** `status`, `mode`, `type`, `backup-id`, `since`, `start`, `end`. */
export type FilterFlag = (typeof FILTER_ARGUMENTS)[number]["flag"]["name"];

/** The gate's options, shared by `check` and `ensure` (they judge alike); --max-age is read by cli/query.ts (a unit is required). */
export const MAX_AGE: OptionDecl = flagOption(ARGUMENTS.maxAge, "cli");
export const GATE_BACKUP_TYPE: OptionDecl = flagOption(ARGUMENTS.freshBackupType, "cli");
/** ensure's --backup-type: the gate's, with IncrementalBackup refused by the sdk's table (CreateBackup takes full backups). */
export const ENSURE_BACKUP_TYPE: OptionDecl = flagOption(ARGUMENTS.ensureBackupType);
export const TIMEOUT: OptionDecl = flagOption(ARGUMENTS.timeout);
/** The recoverability check's options (`check`); --recoverable-within is read by cli/query.ts (a unit is required). */
export const RECOVERABLE_WITHIN: OptionDecl = flagOption(ARGUMENTS.recoverableWithin, "cli");
export const POINT_IN_TIME: OptionDecl = flagOption(ARGUMENTS.pointInTime);
/** Retention minimums: `check` (with --recoverable-within) and `policy`. */
export const RETENTION_MINIMUMS: readonly OptionDecl[] = [
  flagOption(ARGUMENTS.minRetentionDays),
  flagOption(ARGUMENTS.minLogRetentionDays),
];
export const METHOD: OptionDecl = flagOption(ARGUMENTS.backupMethod);
/** ensure's own: not arguments of the sdk's query (a job id is an option of one run; the heartbeat is the CLI's). */
export const JOB_ID: OptionDecl = {
  name: "job-id",
  type: "string",
  value: "<id>",
  description:
    "Wait for this backup job (the id a time-out printed) instead of taking a backup; one instance only. CreateBackup is never called.",
};
export const HEARTBEAT: OptionDecl = {
  name: "heartbeat",
  type: "string",
  value: "<duration>",
  description:
    "When stderr is not a terminal (CI), print a line per instance this often: job id, status, elapsed (default 30s, 1s-1h).",
};

export const OUTPUT: OptionDecl = {
  name: "output",
  short: "o",
  type: "string",
  value: "<format>",
  choices: ["table", "json", "ndjson", "csv"],
  description:
    "table (for people, default), json (one array), ndjson (one object per line), csv (RFC 4180, header, CRLF). Field names are the sdk's Backup names.",
};
export const SHOW_URLS: OptionDecl = {
  name: "show-download-urls",
  type: "boolean",
  description:
    "Include the pre-signed download links (hidden by default: anyone holding one can download the whole database).",
};
export const QUIET: OptionDecl = {
  name: "quiet",
  short: "q",
  type: "boolean",
  description: "Print only backup ids, one per line.",
};
