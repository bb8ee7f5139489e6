/**
 * What the dynamic providers do, inside Pulumi's dynamic-provider process. The serialized
 * providers (./dynamic.ts) are thin shims that `require` this module by path at run time, so:
 * - nothing here is serialized into state (no closure capture of config or credentials);
 * - this module's state (the stack config received by `configure`) lives only in that process;
 * - `@alicloud/rds20140815` is loaded by sdk/ on the first call, not when a program starts.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  type Backup,
  type BackupList,
  compareBackupIds,
  DEFAULT_FRESH_BACKUP_TYPE,
  ensurePlanned,
  formatDuration,
  type FreshnessVerdict,
  judgeFreshness,
  listValidatedBackups,
  newestUsableBackup,
  RdsBackupsError,
  RdsValidationError,
  toIsoSeconds,
  type ValidationFailure,
  withoutDownloadLinks,
} from "../sdk/internal";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import {
  parseBackupsArgs,
  parseFreshBackupArgs,
  checkBackupsArgs,
  checkFreshBackupArgs,
  checkEnsureBackupArgs,
  parseEnsureBackupArgs,
  requirementText,
  type BackupsRequest,
  type Checked,
  type EnsureBackupRequest,
  type FreshBackupRequest,
} from "./args";
import { GATE_OVERRIDES_KEY, isExpired, parseGateOverrides, type GateOverride } from "./overrides";
import type { GateOverrideRecord } from "./types";
import { connectionOptions, stackSettingsFrom, type StackSettings } from "./settings";

let stackSettings: StackSettings = {};

/**
 * What the messages of the gate and ensure start with unless told otherwise: the functions a
 * TypeScript program calls. The provider plugin passes the names its users write instead.
 */
const GATE_SUBJECT = "requireFreshBackup";
const ENSURE_SUBJECT = "ensureFreshBackup";

/** Called once per provider process with the whole stack config (secrets in plaintext, in memory only). */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  stackSettings = stackSettingsFrom((key) => req.config.get(key));
}

/** The settings when they come from elsewhere: the provider plugin's Configure (plugin/main.ts), tests that call `read` in-process. */
export function setStackSettings(settings: StackSettings): void {
  stackSettings = settings;
}

/**
 * What a caller of the runtime that is not the dynamic provider (the provider plugin) passes:
 * the arguments it already checked, so they are not checked twice, and the name its users wrote,
 * which starts every message.
 */
export interface CallerContext<C> {
  readonly checked?: C;
  readonly subject?: string;
}

/**
 * The read behind `getBackups`: every matching backup, the ids, the totals and the newest usable
 * one. `checked`: the arguments as a caller already checked them (the plugin's invoke), so they
 * are not checked twice.
 */
export async function readBackups(
  id: string,
  props: Record<string, unknown>,
  checked?: BackupsRequest,
): Promise<dynamic.ReadResult> {
  let request: BackupsRequest;
  let list: BackupList;
  try {
    request = checked ?? parseBackupsArgs(inputsOf(props, BACKUPS_OUTPUTS));
    list = await listValidatedBackups(request.query, {
      ...connectionOptions(request.connection, stackSettings),
      includeDownloadUrls: request.includeDownloadUrls,
    });
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`getBackups: ${err.message}`) : err;
  }
  const backups = inStableOrder(list.backups);
  const latest = newestUsableBackup(backups);
  return {
    id,
    props: plain({
      ...inputsOf(props, BACKUPS_OUTPUTS),
      // One JSON text, not thousands of properties: the engine's cost per read grows with the
      // number of output properties (BENCHMARKS.md); `ids` and `latest` stay structured.
      // Keyed by backup id: the engine diffs JSON text structurally and arrays by index, so in
      // `preview --diff` a new backup is one added key, whatever the API's order.
      backupsJson: JSON.stringify(Object.fromEntries(backups.map((b) => [b.backupId, b]))),
      ids: backups.map((b) => b.backupId),
      totalCount: list.totalRecordCount,
      totalEcsSnapshotSize: list.totalEcsSnapshotSize,
      // null, not absent: in a preview the engine reads an absent output as unknown.
      latest: latest ?? null,
    }),
  };
}

/**
 * The read behind `requireFreshBackup`. In `preview` and `up` it judges: it fails (and with it the
 * deployment) when the newest usable backup is older than `maxAge`, unless the stack records an
 * override for the instance, and fails closed when the API cannot be read: a gate never passes
 * on an error, and an override never opens a gate that could not read.
 *
 * On `refresh` it reports and never fails on the verdict: a refresh deploys nothing, and a stack
 * must stay refreshable on the day the backup job breaks. The engine gives a read no preview or
 * refresh flag; what differs is `props`: preview and up pass the program's inputs, refresh passes
 * the previous OUTPUTS, which hold keys only this read writes.
 *
 * `now` is the moment judged at (a parameter for tests; the engine never passes it). `checked`: the
 * arguments as a caller already checked them (the plugin's check), so they are not checked twice.
 * `subject` starts every message: what the user wrote (the provider plugin's users write FreshBackupGate).
 */
export async function readFreshBackup(
  id: string,
  props: Record<string, unknown>,
  now: Date = new Date(),
  { checked, subject = GATE_SUBJECT }: CallerContext<FreshBackupRequest> = {},
): Promise<dynamic.ReadResult> {
  const inputs = inputsOf(props, FRESH_BACKUP_OUTPUTS);
  const request = checked ?? parseFreshBackupArgs(inputs);
  const refresh = FRESH_BACKUP_OUTPUTS.some((key) => props[key] !== undefined && props[key] !== null);
  // Checked before any call, like every input; a refresh does not use them.
  const overrides = refresh ? new Map<string, GateOverride>() : overridesOrRefusal(subject);
  let verdict: FreshnessVerdict;
  try {
    verdict = await judgeFreshness({ ...request, now }, connectionOptions(request.connection, stackSettings));
  } catch (err) {
    if (err instanceof RdsValidationError) throw verdictError(err.message);
    if (refresh) {
      notice(
        `${subject}: refresh could not read the backups of ${request.dbInstanceId}; the gate keeps its last verdict: ${(err as Error).message}`,
      );
      const { __provider: _provider, ...previous } = props;
      return { id, props: previous };
    }
    const overridden = overrides.has(request.dbInstanceId)
      ? ` The override in ${overridesKey()} does not apply: it vouches for a stale backup, not for an answer nobody could read.`
      : "";
    throw verdictError(
      `${subject}: could not read the backups of ${request.dbInstanceId}, so freshness cannot be proven ` +
        `and the deployment is stopped: ${(err as Error).message}${overridden}`,
    );
  }
  const outputs = { ...inputs, ...gateOutputs(request, verdict) };

  if (verdict.fresh) {
    if (overrides.has(request.dbInstanceId)) {
      notice(
        `${subject}: ${request.dbInstanceId} has a fresh backup; its override in ${overridesKey()} is not needed and can be removed`,
      );
    }
    return { id, props: plain({ ...outputs, override: null }) };
  }
  if (refresh) {
    // Reported, not enforced; the record of the last override (if any) stays with the state.
    notice(`${subject}: refresh found ${verdict.message}; not enforced on refresh, the next preview or up judges it`);
    return { id, props: plain({ ...outputs, override: props.override ?? null }) };
  }
  const override = overrides.get(request.dbInstanceId);
  const howTo = `to deploy anyway, record why: pulumi config set --path '${overridesKey()}["${request.dbInstanceId}"].reason' "<why>"`;
  if (override === undefined) {
    throw verdictError(`${subject}: ${verdict.message}; ${howTo}`);
  }
  if (isExpired(override, now)) {
    throw verdictError(
      `${subject}: ${verdict.message}; its override ("${override.reason}") expired at ${override.expiresAt}; ${howTo}`,
    );
  }
  const record: GateOverrideRecord = { ...override, usedAt: toIsoSeconds(now), verdict: verdict.message };
  notice(`${subject}: OVERRIDDEN by ${overridesKey()}: ${verdict.message}; reason: ${override.reason}`);
  return { id, props: plain({ ...outputs, override: record }) };
}

/** The gate's outputs from a verdict (fresh or not); the backup fields are null when there is none. */
function gateOutputs(request: FreshBackupRequest, verdict: FreshnessVerdict) {
  const backup = verdict.newest === undefined ? null : withoutDownloadLinks(verdict.newest);
  return {
    maxAgeSeconds: request.maxAgeSeconds,
    // Derived from the question only, so it stays the same while the gate holds: the input to
    // give a gated resource (a backup id would change it with every new backup).
    checked: requirementText(request),
    fresh: verdict.fresh,
    backup,
    backupId: backup?.backupId ?? null,
    backupEndTime: backup?.backupEndTime ?? null,
  };
}

/** Where this host's config keeps the overrides (the provider plugin's namespace differs), for messages. */
function overridesKey(): string {
  return stackSettings.gateOverridesKey ?? GATE_OVERRIDES_KEY;
}

function overridesOrRefusal(subject: string): ReadonlyMap<string, GateOverride> {
  try {
    return parseGateOverrides(stackSettings.gateOverrides, overridesKey());
  } catch (err) {
    throw err instanceof RdsValidationError ? verdictError(`${subject}: ${err.message}`) : err;
  }
}

/**
 * A line for the person running Pulumi. The engine shows a dynamic provider's stderr as an info
 * message on the stack (never as a warning); the program turns the override into a real warning
 * on the gate (./require-fresh-backup.ts).
 */
function notice(message: string): void {
  console.error(message);
}

/** Failures as a provider's `check` (and the plugin's invoke) returns them. */
export function checkFailures(failures: readonly ValidationFailure[]): dynamic.CheckFailure[] {
  return failures.map(({ field, reason }) => ({ property: field, reason }));
}

export async function checkBackups(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFailures(checkBackupsArgs(inputsOf(news, BACKUPS_OUTPUTS)).failures) };
}

export async function checkFreshBackupInputs(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFailures(checkFreshBackupArgs(inputsOf(news, FRESH_BACKUP_OUTPUTS)).failures) };
}

/**
 * Oldest first (start time, then id): a new backup is added at the end of `ids`, so it shows as
 * one addition in a diff instead of shifting every element.
 */
function inStableOrder(backups: readonly Backup[]): Backup[] {
  return [...backups].sort((a, b) =>
    a.backupStartTime === b.backupStartTime
      ? compareBackupIds(a.backupId, b.backupId)
      : a.backupStartTime < b.backupStartTime
        ? -1
        : 1,
  );
}

/**
 * The argument properties of a read: everything but the engine's `__provider` and the read's
 * outputs (on `refresh` the engine passes the previous outputs back in).
 */
const BACKUPS_OUTPUTS = ["backupsJson", "ids", "totalCount", "totalEcsSnapshotSize", "latest"];
const FRESH_BACKUP_OUTPUTS = ["maxAgeSeconds", "checked", "fresh", "backup", "backupId", "backupEndTime", "override"];
function inputsOf(props: Record<string, unknown>, outputs: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(props).filter(
      ([key, value]) => key !== "__provider" && !outputs.includes(key) && value !== undefined && value !== null,
    ),
  );
}

/**
 * An expected refusal (a stale backup, bad input, an API error already explained), not a crash:
 * no stack trace, which Pulumi's dynamic-provider host would print under the message.
 */
function verdictError(message: string): Error {
  const error = new Error(message);
  error.stack = "";
  return error;
}

/** Pulumi's property structs take no `undefined`: JSON is exactly the shape they accept. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// --- ensureFreshBackup: a custom resource, so the engine tells preview from up -----------------
//
// A read runs in preview and up alike, and cannot tell them apart. A custom resource can: the
// engine calls `check` and `diff` in preview, and `create`/`update` only in up. So:
// - `check` judges (one read, the gate's) and records the plan as an input: PLAN_FRESH, or a
//   sentence saying a backup will be taken and why; when stale it also says so on stderr, which
//   the engine shows in the preview;
// - `diff` reports a change only when a backup must be taken or an argument changed: while the
//   backup is fresh nothing diffs and no output moves (no churn);
// - `create`/`update` run sdk/'s ensureFreshBackup, which judges again, joins or takes the
//   backup and waits until it is usable; resources that depend on this one wait for that;
// - `read` (refresh) returns the state as it is, with no call; `delete` deletes no backup.
// `subject` starts every message: what the user wrote (the provider plugin's users write EnsuredBackup).

const ENSURE_OUTPUTS = [
  "plan",
  "action",
  "jobId",
  "backupId",
  "backupEndTime",
  "backup",
  "message",
  "maxAgeSeconds",
  "ensuredAt",
];
/** The plan while the backup is fresh: constant, so that it never diffs. */
export const PLAN_FRESH = "none: a fresh backup exists";
const PLAN_UNKNOWN = "judged during the update: the instance id is not known yet";

function isUnknownInput(value: unknown): boolean {
  return value === unknownValue;
}

/**
 * The arguments, without `ensured`: an input the program derives from them (the requirement as
 * text), so that it is known in a preview and a gated resource that takes it sees no change.
 */
export function ensureArgsOf(props: Record<string, unknown>): Record<string, unknown> {
  const { ensured: _ensured, ...args } = inputsOf(props, ENSURE_OUTPUTS);
  return args;
}

/** `checked`: the check of `ensureArgsOf(news)`, when the caller made it (the plugin's check), so it is made once. */
export async function checkEnsureBackup(
  _olds: unknown,
  news: Record<string, unknown>,
  { checked, subject = ENSURE_SUBJECT }: CallerContext<Checked<EnsureBackupRequest>> = {},
): Promise<dynamic.CheckResult> {
  const inputs = inputsOf(news, ENSURE_OUTPUTS);
  if (Object.values(inputs).some(isUnknownInput)) return { inputs: { ...inputs, plan: PLAN_UNKNOWN } };
  const { failures, request } = checked ?? checkEnsureBackupArgs(ensureArgsOf(news));
  if (request === undefined) return { inputs: news, failures: checkFailures(failures) };
  const { dbInstanceId, maxAgeSeconds, backupType, method, timeoutSeconds } = request.plan;
  let verdict: FreshnessVerdict;
  try {
    verdict = await judgeFreshness(
      { dbInstanceId, maxAgeSeconds, backupType: backupType ?? DEFAULT_FRESH_BACKUP_TYPE },
      connectionOptions(request.connection, stackSettings),
    );
  } catch (err) {
    throw verdictError(
      `${subject}: could not read the backups of ${dbInstanceId}, so whether a backup must be taken is unknown: ${(err as Error).message}`,
    );
  }
  if (verdict.fresh) return { inputs: { ...inputs, plan: PLAN_FRESH } };
  const plan = `take a ${method} backup: ${verdict.message}`;
  console.error(
    `${subject}: ${verdict.message}; the update will take a ${method} backup and wait for it ` +
      `(time-out ${formatDuration(timeoutSeconds)}) before the resources that depend on it`,
  );
  return { inputs: { ...inputs, plan } };
}

export async function diffEnsureBackup(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<dynamic.DiffResult> {
  const argsChanged = stableText(inputsOf(olds, ENSURE_OUTPUTS)) !== stableText(inputsOf(news, ENSURE_OUTPUTS));
  return { changes: argsChanged || news.plan !== PLAN_FRESH };
}

export async function createEnsureBackup(
  inputs: Record<string, unknown>,
  subject = ENSURE_SUBJECT,
): Promise<dynamic.CreateResult> {
  const outs = await ensureNow(inputs, subject);
  return { id: String(outs.dbInstanceId), outs };
}

export async function updateEnsureBackup(
  _id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
  subject = ENSURE_SUBJECT,
): Promise<dynamic.UpdateResult> {
  return { outs: await ensureNow(news, subject) };
}

/** Refresh: the state stays as the last update left it; nothing is judged or taken. */
export async function readEnsureBackup(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const { __provider: _provider, ...state } = props;
  return { id, props: state };
}

async function ensureNow(props: Record<string, unknown>, subject: string): Promise<Record<string, unknown>> {
  const inputs = inputsOf(props, ENSURE_OUTPUTS);
  const request = parseEnsureBackupArgs(ensureArgsOf(props));
  let lastStatus = "";
  let result;
  try {
    result = await ensurePlanned(request.plan, {
      ...connectionOptions(request.connection, stackSettings),
      // One line per status change, not per poll: the engine shows each line as a message.
      onProgress: (p) => {
        if (p.status === lastStatus) return;
        lastStatus = p.status;
        console.error(`${subject}: ${p.message}`);
      },
    });
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`${subject}: ${err.message}`) : err;
  }
  const backup = withoutDownloadLinks(result.backup);
  return plain({
    ...inputs,
    // The backup is fresh now, whatever the plan was: the output says so, and stays so while it holds.
    plan: PLAN_FRESH,
    action: result.action,
    jobId: result.jobId ?? null,
    backupId: backup.backupId,
    backupEndTime: backup.backupEndTime,
    backup,
    message: result.verdict.message,
    maxAgeSeconds: request.plan.maxAgeSeconds,
    ensuredAt: result.verdict.checkedAt,
  });
}

/** JSON with sorted keys. */
function stableText(value: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  );
}
