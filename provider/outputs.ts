/**
 * Each resource's outputs, declared once as data: name, type, whether it is always set, doc.
 * The provider core (./core-*.ts) returns exactly these keys (its return types are derived from
 * these lists, so a key written there and not here fails the build); the dynamic resources
 * (./dynamic.ts) seed them; `npm run gen-schema` writes schema.json's outputs from them;
 * a resource's arguments are what its props hold besides these (./core.ts). The tests hold the
 * dynamic classes' declared fields and schema.json to these lists.
 */

/** An output's type, as the schema spells it (`backup` is the Backup type, `overrideRecord` the GateOverrideRecord). */
export type OutputType =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "string[]"
  | "backup"
  | "backup[]"
  | "overrideRecord"
  | RecoverabilityOutputType;

export interface OutputDecl {
  readonly name: string;
  readonly type: OutputType;
  /** Always set (never null) once the resource has been judged. */
  readonly required: boolean;
  /**
   * Set by the check too, among the inputs it returns: known in a preview (which shows a new
   * resource's inputs as its outputs), and what a diff compares with the state.
   */
  readonly inPreview?: boolean;
  /** The key in a dynamic resource's state when it differs (the read keeps `backups` as one JSON text). */
  readonly dynamicKey?: string;
  readonly doc: string;
}

/** The read behind `getBackups`. */
export const BACKUPS_OUTPUTS = [
  {
    name: "backups",
    type: "backup[]",
    // One JSON text keyed by backup id in the dynamic read's state: the engine's cost per read
    // grows with the number of output properties (docs/BENCHMARKS.md), and it diffs JSON text
    // structurally, so a new backup is one added key in `preview --diff`.
    dynamicKey: "backupsJson",
    required: true,
    doc: "Every matching backup set, oldest first (by start time, then id).",
  },
  { name: "ids", type: "string[]", required: true, doc: "The ids of `backups`, in the same order." },
  {
    name: "totalCount",
    type: "integer",
    required: true,
    doc: "How many sets matched (`TotalRecordCount`); equals the length of `backups`.",
  },
  { name: "totalEcsSnapshotSize", type: "number", required: true, doc: "`TotalEcsSnapshotSize`, bytes." },
  {
    name: "latest",
    type: "backup",
    required: false,
    doc: "The newest usable backup among `backups` (status Success and available, by end time); absent when there is none.",
  },
] as const satisfies readonly OutputDecl[];

/**
 * What the gate and ensure say of a point-in-time restore when `recoverableWithin` is given (null
 * otherwise). Only the verdict is previewed: the window's end moves with every log upload, so it
 * is set when the resource is judged and would churn as an input.
 */
const RECOVERY_OUTPUTS = [
  {
    name: "recoverable",
    inPreview: true,
    type: "boolean",
    required: false,
    doc: "With `recoverableWithin`: true when a point-in-time restore to within it was possible when last judged; false when an override let it through; null without `recoverableWithin`.",
  },
  {
    name: "restoreWindowEnd",
    type: "string",
    required: false,
    doc: "With `recoverableWithin`: the end of the restore window when last judged, ISO-8601 UTC.",
  },
  {
    name: "logChainEnd",
    type: "string",
    required: false,
    doc: "With `recoverableWithin`: where the unbroken log chain from the full set ended when last judged, ISO-8601 UTC.",
  },
] as const satisfies readonly OutputDecl[];

/** The gate (`requireFreshBackup`, `FreshBackupGate`). */
export const GATE_OUTPUTS = [
  { name: "maxAgeSeconds", type: "number", required: true, doc: "The limit, in seconds." },
  {
    name: "checked",
    inPreview: true,
    type: "string",
    required: true,
    doc: "What the gate requires, e.g. `rm-xxx: a usable FullBackup ended within 24h`: known in preview, the same text while the gate holds, the output to give a gated resource as an input.",
  },
  {
    name: "fresh",
    inPreview: true,
    type: "boolean",
    required: true,
    doc: "True when the backup was within the limit when the gate was last judged; false when an override let a stale backup through.",
  },
  {
    name: "backup",
    type: "backup",
    required: false,
    doc: "The newest usable backup when the gate was last judged (download links never included); null when there is none.",
  },
  {
    name: "backupId",
    type: "string",
    required: false,
    doc: "Its id: changes with every new backup, so not an input for a gated resource (see `checked`).",
  },
  { name: "backupEndTime", type: "string", required: false, doc: "Its end time, ISO-8601 UTC." },
  {
    name: "override",
    inPreview: true,
    type: "overrideRecord",
    required: false,
    doc: "Set when an override let a stale backup (or a restore that is not possible) through: why, until when, when it was used, over what verdict.",
  },
  ...RECOVERY_OUTPUTS,
] as const satisfies readonly OutputDecl[];

/** The ensured backup (`ensureFreshBackup`, `EnsuredBackup`). */
export const ENSURE_OUTPUTS = [
  {
    name: "ensured",
    inPreview: true,
    type: "string",
    required: true,
    doc: "What is guaranteed, e.g. `rm-xxx: a usable FullBackup ended within 24h`: derived from the arguments, known in preview, stable while the backup holds; the output to give a gated resource as an input.",
  },
  {
    name: "plan",
    inPreview: true,
    type: "string",
    required: true,
    doc: "What the last check decided: `none: a fresh backup exists`, or `take a <method> backup: <why>`.",
  },
  {
    name: "plannedAt",
    inPreview: true,
    type: "string",
    required: false,
    doc: "When the last check planned a backup, ISO-8601 UTC; null when the plan is `none`.",
  },
  { name: "action", type: "string", required: false, doc: "What the last update did: `none`, `created` or `joined`." },
  { name: "jobId", type: "string", required: false, doc: "The backup task waited for, when one was taken or joined." },
  {
    name: "backup",
    type: "backup",
    required: false,
    doc: "The newest usable backup after the last update (download links never included).",
  },
  { name: "backupId", type: "string", required: false, doc: "Its id." },
  { name: "backupEndTime", type: "string", required: false, doc: "Its end time, ISO-8601 UTC." },
  { name: "message", type: "string", required: false, doc: "The gate's message at the end of the last update." },
  { name: "maxAgeSeconds", type: "number", required: false, doc: "The limit, in seconds." },
  { name: "ensuredAt", type: "string", required: false, doc: "When the last update judged, ISO-8601 UTC." },
  ...RECOVERY_OUTPUTS,
  {
    name: "override",
    inPreview: true,
    type: "overrideRecord",
    required: false,
    doc: "Set when an override let a restore that is not possible through (`recoverableWithin`): why, until when, when it was used, over what verdict.",
  },
] as const satisfies readonly OutputDecl[];

/** The names of a list. */
export type OutputName<L extends readonly OutputDecl[]> = L[number]["name"];

/** The values of a list's outputs, every key present (null when not set). */
export type OutputValues<L extends readonly OutputDecl[]> = { readonly [K in OutputName<L>]: unknown };

export function outputNames(decls: readonly OutputDecl[]): string[] {
  return decls.map((d) => d.name);
}

/** The keys of the outputs in a dynamic resource's state. */
export function dynamicOutputKeys(decls: readonly OutputDecl[]): string[] {
  return decls.map((d) => d.dynamicKey ?? d.name);
}

/** The outputs a check returns among the inputs (`inPreview`). */
export function previewedOutputs(decls: readonly OutputDecl[], outputs: Readonly<Record<string, unknown>>) {
  return Object.fromEntries(decls.filter((d) => d.inPreview).map((d) => [d.name, outputs[d.name] ?? null]));
}

/** The types getRecoverability adds: `backupPolicy` is the BackupPolicy type, the lists LogFile, LogGap and RecoverabilityFailure. */
export type RecoverabilityOutputType = "backupPolicy" | "logFile[]" | "logGap[]" | "recoverabilityFailure[]";

/** The read behind `getRecoverability`: the sdk's verdict, as data. */
export const RECOVERABILITY_OUTPUTS = [
  {
    name: "recoverable",
    type: "boolean",
    required: true,
    doc: "True when a restore can reach `pointInTime` losing at most `recoverableWithin`: every condition holds. A false is a result, not an error.",
  },
  {
    name: "message",
    type: "string",
    required: true,
    doc: "One line for people: the verdict, then each failing condition with its figure.",
  },
  {
    name: "failures",
    type: "recoverabilityFailure[]",
    required: true,
    doc: "Each failing condition with its figure (the policy field and value, the window's end and age, the gap's bounds); empty when recoverable.",
  },
  {
    name: "pointInTime",
    type: "string",
    // Also an argument (the point asked for; absent: the moment the read runs). In the dynamic
    // read's state the judged point has a key of its own, so the argument stays as written: a
    // refresh of a read without one judges at the moment it runs again, not at the first read's.
    dynamicKey: "judgedPointInTime",
    required: true,
    doc: "The moment a restore must reach, ISO-8601 UTC: the argument, or the moment the read ran.",
  },
  { name: "checkedAt", type: "string", required: true, doc: "When the read judged, ISO-8601 UTC." },
  { name: "recoverableWithinSeconds", type: "number", required: true, doc: "The lag allowed, in seconds." },
  {
    name: "engine",
    type: "string",
    required: false,
    doc: "The engine, from the full backup set; absent when there is none.",
  },
  {
    name: "policy",
    type: "backupPolicy",
    required: true,
    doc: "The backup policy (DescribeBackupPolicy): log backup on or off, data and log retention in days, the backup window.",
  },
  {
    name: "restoreWindowBegin",
    type: "string",
    required: false,
    doc: "The first moment a restore can reach (DescribeLocalAvailableRecoveryTime), ISO-8601 UTC; absent when not read or not reported.",
  },
  {
    name: "restoreWindowEnd",
    type: "string",
    required: false,
    doc: "The last moment a restore can reach, ISO-8601 UTC; absent when not read or not reported.",
  },
  {
    name: "fullBackup",
    type: "backup",
    required: false,
    doc: "The newest usable full backup set that ended by `pointInTime`, where the log chain starts (download links never included); absent when there is none.",
  },
  {
    name: "logFiles",
    type: "logFile[]",
    // One JSON text in the dynamic read's state: the engine's cost per read grows with the number
    // of output properties (a week of log files is hundreds of objects; docs/BENCHMARKS.md), and
    // it diffs JSON text structurally. Parsed back in the program; an array, oldest first.
    dynamicKey: "logFilesJson",
    required: true,
    doc: "The log files read from the full set's start to `pointInTime`, oldest first (links only with `includeDownloadUrls`); empty when none were read (log backup off, no full set, SQL Server).",
  },
  {
    name: "logChainEnd",
    type: "string",
    required: false,
    doc: "Where the unbroken log chain from the full set ends, ISO-8601 UTC; absent when the chain was not read.",
  },
  {
    name: "gaps",
    type: "logGap[]",
    required: true,
    doc: "The stretches the uploaded log files do not cover between the full set and the point: no restore inside them.",
  },
] as const satisfies readonly OutputDecl[];
