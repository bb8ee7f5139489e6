/**
 * Backups before changes: resource hooks that give a resource's RDS instance a usable backup no
 * older than `maxAge` before the engine updates, replaces or deletes that resource, and only
 * then. A resource that stays the same costs nothing (the engine calls no hook); creating one
 * takes no backup (no create hook is bound).
 *
 *   const hooks = backupHooks({ maxAge: "24h" });                  // mode "ensure"
 *   new alicloud.rds.Database("orders", { instanceId: db.id, ... }, { hooks });
 *
 * Modes, both with the gate's rules (sdk/freshness.ts):
 * - `ensure` (default): judge; when stale, take a backup and wait until its set is usable
 *   (sdk/ensure.ts, the same run as `ensureFreshBackup`: joins a running task, never sends
 *   CreateBackup twice); the change waits for it, and a backup that fails stops the change;
 * - `require`: judge only, and stop the change when stale, failing closed when the backups
 *   cannot be read, exactly as `requireFreshBackup`.
 * With `recoverableWithin`, both modes also require a point-in-time restore to within that lag,
 * as the gate does (ensure judges it after its backup; a preview that plans one leaves out what
 * that backup repairs). The stack's audited override (`rds-backups:gateOverrides`,
 * ./overrides.ts) lets a stale instance or one that cannot be restored through in both modes,
 * with a warning and an entry in the record.
 *
 * `pulumi preview` runs the hooks too (`onDryRun`) and never takes a backup: for each resource
 * that will change it says, naming the resource, the instance and its newest usable backup,
 * whether `up` takes a backup first, needs none, or is stopped (require mode: preview fails).
 *
 * Per deployment, resources of one instance share one judgement and at most one backup
 * (./backup-hook-record.ts, which also keeps the record). The connection comes from the stack's
 * `alicloud:` config and the environment, as the provider's (./settings.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ARGUMENTS,
  checkArguments,
  aNewBackupRepairs,
  CONNECTION_ARGUMENTS,
  ensurePlan,
  ensurePlanned,
  escapeControl,
  failure,
  freshnessPlan,
  judgeFreshness,
  RdsBackupJobError,
  RdsValidationError,
  RECOVERY_OPTION_ARGUMENTS,
  recoveryRequirement,
  toIsoSeconds,
  verdictBeforeNewBackup,
  type Backup,
  type BackupMethod,
  type ConnectionOptions,
  type EnsureProgress,
  type EnsurePlan,
  type FreshBackupType,
  type FreshnessPlan,
  type FreshnessVerdict,
  type RecoverabilityVerdict,
  type RecoveryRequirement,
  type ValidationFailure,
} from "../sdk/internal";
import { overrideWarning } from "./core-gate";
import { failedVerdict, judgeRecoveryIfAsked, recoverAfterEnsure, RecoveryReadError, usableBackup } from "./recovery";
import { currentDeployment, ensureRecord, type BackupHookRecord, type HookBackupRecord } from "./backup-hook-record";
import { HOOKS_MIN_VERSION, requireHookCli, requireHookSdk } from "./hook-support";
import { GATE_OVERRIDES_KEY, parseGateOverrides, useOverride, type GateOverride } from "./overrides";
import { defaultInstanceOf } from "./hook-instance";
import { connectionOptions, stackSettingsFrom } from "./settings";
import type { ConnectionArgs, GateOverrideRecord } from "./types";
import type { HookArgs, HookBinding } from "./hook-types";

export type BackupHookMode = "ensure" | "require";

export interface BackupHookOptions extends ConnectionArgs {
  /** `ensure` (default): take a backup when needed and wait for it; `require`: judge only and stop a stale change. */
  readonly mode?: BackupHookMode;
  /** The oldest acceptable backup: `"24h"`, `"90m"`, `"7d"`, or seconds. Required unless `always`. */
  readonly maxAge?: string | number;
  /**
   * A new backup before every change, whatever the age of the last one (ensure mode). Only a
   * backup that ended in the last 10 minutes counts: one taken for this very change (by another
   * resource of the instance, or a retried `up`), while the API lists and the hook judges it.
   */
  readonly always?: boolean;
  /**
   * The instance to back up: an id, or a function of the hook's arguments (return undefined for
   * the default). Default: by the `@pulumi/alicloud` type (./hook-instance.ts, over the table in sdk/rds-resource-types.ts).
   */
  readonly dbInstanceId?: string | ((args: HookArgs) => string | undefined);
  /** How a backup is taken: `Physical` (default), `Snapshot` or `Logical`. */
  readonly backupMethod?: BackupMethod;
  /** What counts as fresh: `FullBackup` (default), `IncrementalBackup` or `any`. */
  readonly backupType?: FreshBackupType;
  /** The longest wait for a backup: `"30m"`, `"2h"` or seconds; default 1h. */
  readonly timeout?: string | number;
  /** The hook's name in the engine (and the state): different options in one program need different names. */
  readonly name?: string;
  /** Also require a point-in-time restore to within this lag of now: `"15m"`, `"1h"`, or seconds (not for SQL Server). */
  readonly recoverableWithin?: string | number;
  /** With `recoverableWithin`: the least acceptable `BackupRetentionPeriod`, days. */
  readonly minRetentionDays?: number;
  /** With `recoverableWithin`: the least acceptable `LogBackupRetentionPeriod`, days. */
  readonly minLogRetentionDays?: number;
}

export const DEFAULT_HOOK_NAME = "rds-backups-before-change";
/** `always`: the age under which a backup counts as taken for this change (see the option). */
export const ALWAYS_MAX_AGE_SECONDS = 600;

/** The arguments sdk/ declares that the hooks take (the rest are the hooks' own, checked here). */
const HOOK_ARGUMENTS = [
  ARGUMENTS.maxAge,
  ARGUMENTS.backupMethod,
  ARGUMENTS.freshBackupType,
  ARGUMENTS.timeout,
  ...RECOVERY_OPTION_ARGUMENTS,
  ...CONNECTION_ARGUMENTS,
] as const;
const OWN_KEYS = ["mode", "always", "dbInstanceId", "name"] as const;
const MODES: readonly BackupHookMode[] = ["ensure", "require"];
const HOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The options, checked: what every hook call runs with. */
export interface HookConfig {
  readonly name: string;
  readonly mode: BackupHookMode;
  readonly always: boolean;
  readonly dbInstanceId?: BackupHookOptions["dbInstanceId"];
  /** Checked values of HOOK_ARGUMENTS (maxAge in seconds). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Also required: a point-in-time restore (`recoverableWithin` given). */
  readonly recovery?: RecoveryRequirement;
  readonly connection: ConnectionArgs;
  /** Equal options give equal keys: one hook per name. */
  readonly key: string;
}

/** Checks every option before anything is made; throws `RdsValidationError` naming each bad field. */
export function checkHookOptions(options: BackupHookOptions | undefined, subject = "backupHooks"): HookConfig {
  const given = (options ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new RdsValidationError([failure(subject, given, 'an object such as { maxAge: "24h" }', "is not an object")]);
  }
  const failures: ValidationFailure[] = [];
  const { mode = "ensure", always = false, dbInstanceId, name = DEFAULT_HOOK_NAME } = given;
  if (!MODES.includes(mode as BackupHookMode)) failures.push(failure("mode", mode, `one of ${MODES.join(", ")}`));
  if (typeof always !== "boolean") failures.push(failure("always", always, "true or false"));
  if (
    dbInstanceId !== undefined &&
    typeof dbInstanceId !== "function" &&
    !(typeof dbInstanceId === "string" && /^[A-Za-z0-9-]{1,64}$/.test(dbInstanceId))
  ) {
    failures.push(
      failure(
        "dbInstanceId",
        dbInstanceId,
        "an instance id such as rm-uf6wjk5xxxxxxx, or a function of the hook's arguments",
      ),
    );
  }
  if (typeof name !== "string" || !HOOK_NAME.test(name)) {
    failures.push(failure("name", name, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
  }
  const rest = Object.fromEntries(
    Object.entries(given).filter(([k, v]) => !(OWN_KEYS as readonly string[]).includes(k) && v !== undefined),
  );
  if (always === true) {
    if (rest.maxAge !== undefined) {
      failures.push(
        failure("maxAge", rest.maxAge, "no maxAge with always: true (always takes a new backup whatever the age)"),
      );
    }
    if (mode === "require")
      failures.push(failure("always", always, "always with mode ensure (require never takes a backup)"));
    rest.maxAge = ALWAYS_MAX_AGE_SECONDS;
  }
  const checked = checkArguments(rest, HOOK_ARGUMENTS, subject);
  failures.push(...checked.failures);
  const recovery = recoveryRequirement(checked.values, failures);
  if (failures.length > 0) throw new RdsValidationError(failures);
  const connection = Object.fromEntries(
    CONNECTION_ARGUMENTS.filter((d) => checked.values[d.name] !== undefined).map((d) => [
      d.name,
      checked.values[d.name],
    ]),
  ) as ConnectionArgs;
  const key = JSON.stringify({
    mode,
    always,
    values: checked.values,
    dbInstanceId: typeof dbInstanceId === "function" ? `function ${dbInstanceId.toString()}` : dbInstanceId,
  });
  return {
    name: name as string,
    mode: mode as BackupHookMode,
    always: always as boolean,
    ...(dbInstanceId !== undefined ? { dbInstanceId: dbInstanceId as HookConfig["dbInstanceId"] } : {}),
    values: checked.values,
    ...(recovery ? { recovery } : {}),
    connection,
    key,
  };
}

/**
 * Hooks to put on a resource with the `hooks` option: before the engine updates, replaces or
 * deletes it, its instance gets (ensure) or must have (require) a usable backup within maxAge.
 * Also starts this run's record (`rds-backup-hooks`). Needs @pulumi/pulumi and the CLI 3.182.0+.
 */
export function backupHooks(options: BackupHookOptions): HookBinding {
  return makeHooks(options, "backupHooks", HOOKS_MIN_VERSION).binding;
}

/** The hooks and the record, for backupHooks and the one-line protection (which needs a newer CLI). */
export function makeHooks(
  options: BackupHookOptions,
  subject: string,
  minimumVersion: string,
): { binding: HookBinding; record: BackupHookRecord; config: HookConfig } {
  requireHookSdk(minimumVersion);
  let config: HookConfig;
  try {
    config = checkHookOptions(options, subject);
  } catch (err) {
    throw asRunError(err);
  }
  const deployment = currentDeployment();
  const cliCheck = deployment.requireCli(minimumVersion, requireHookCli);
  const record = ensureRecord(deployment);
  const made = deployment.hooks.get(config.name);
  if (made !== undefined && made.key !== config.key) {
    throw new pulumi.RunError(
      `${subject}: hooks named "${config.name}" already exist in this program with other options; pass a different name`,
    );
  }
  const hook =
    made?.hook ??
    new pulumi.ResourceHook(
      config.name,
      async (args) => {
        await cliCheck;
        await beforeChange(config, args);
      },
      // Preview runs them too: it reports and takes nothing (see beforeChange).
      { onDryRun: true },
    );
  deployment.hooks.set(config.name, { key: config.key, hook });
  // Update and delete only: a create loses nothing, and a replace deletes the old resource.
  return { binding: { beforeUpdate: [hook], beforeDelete: [hook] }, record, config };
}

/**
 * What the first resource of an instance found; every other resource of it in this run shares it.
 * `recovery`: the point-in-time verdict (with `recoverableWithin`); `recoveryOverride`: the
 * override that let a restore that is not possible through.
 */
type Outcome = (
  | { readonly kind: "fresh"; readonly verdict: FreshnessVerdict }
  | {
      readonly kind: "taken";
      readonly action: "created" | "joined";
      readonly jobId?: string;
      readonly backup: Backup;
      readonly verdict: FreshnessVerdict;
    }
  | {
      readonly kind: "will-take";
      readonly verdict: FreshnessVerdict;
      /** Why, when not a stale backup: a restore that lacks only a new full set. */
      readonly reason?: string;
    }
  | { readonly kind: "overridden"; readonly verdict: FreshnessVerdict; readonly override: GateOverrideRecord }
  | { readonly kind: "unjudged"; readonly error: Error }
) & { readonly recovery?: RecoverabilityVerdict; readonly recoveryOverride?: GateOverrideRecord };

/** The hook: which instance, its outcome (once per instance and run), then a message and a record. */
async function beforeChange(config: HookConfig, args: HookArgs): Promise<void> {
  const change = args.newInputs === undefined ? "delete" : "update";
  const subject = `${args.name} (${args.type})`;
  const instance = instanceFor(config, args);
  const dryRun = pulumi.runtime.isDryRun();
  const on = onResource(args.urn);
  const prefix = `backup before ${change} (${config.mode})`;
  let outcome: Outcome;
  try {
    outcome = await currentDeployment().once(`${config.name}\u0000${instance}`, () =>
      judgeOrEnsure(config, instance, dryRun, on),
    );
  } catch (err) {
    // The step fails with this message, under the resource: say which change was stopped.
    throw new pulumi.RunError(`${prefix}: ${subject} is not changed: ${hookAdvice(err as Error, config, instance)}`);
  }
  switch (outcome.kind) {
    case "fresh":
      void pulumi.log.info(
        `${prefix}: ${subject}: ${outcome.verdict.message}: ${dryRun ? "up will take no backup" : "no backup needed"}`,
        on,
      );
      break;
    case "will-take":
      void pulumi.log.warn(
        `${prefix}: ${subject} will change: ${outcome.reason ?? outcome.verdict.message}: up will take a ${ensurePlanOf(config, instance).method} backup of ${instance} ` +
          `and wait until it is usable before changing it`,
        on,
      );
      break;
    case "taken":
      void pulumi.log.info(
        `${prefix}: ${subject}: backup job ${escapeControl(outcome.jobId ?? "?")} (${outcome.action}) gave backup ${escapeControl(outcome.backup.backupId)} of ${instance}, ` +
          `ended ${outcome.backup.backupEndTime}, before the change`,
        on,
      );
      break;
    case "overridden":
      // With a restore overridden too, the one warning below names both verdicts.
      if (outcome.recoveryOverride) break;
      void pulumi.log.warn(
        overrideWarning(
          outcome.override,
          `${prefix}: ${subject}`,
          GATE_OVERRIDES_KEY,
          "rds-backup-hooks (backups), and no backup was taken",
        ),
        on,
      );
      break;
    case "unjudged":
      void pulumi.log.warn(
        `${prefix}: ${subject} will change, and this preview could not read the backups of ${instance}: ${outcome.error.message}. ` +
          `up judges again before changing it`,
        on,
      );
      break;
  }
  if (outcome.recoveryOverride) {
    void pulumi.log.warn(
      overrideWarning(
        outcome.recoveryOverride,
        `${prefix}: ${subject}`,
        GATE_OVERRIDES_KEY,
        "rds-backup-hooks (backups)",
      ),
      on,
    );
  } else if (outcome.recovery) {
    void pulumi.log.info(`${prefix}: ${subject}: ${outcome.recovery.message}`, on);
  }
  if (dryRun || outcome.kind === "will-take" || outcome.kind === "unjudged") return;
  const entry: HookBackupRecord = recordOf(config, args, change, instance, outcome);
  const deployment = currentDeployment();
  deployment.records.push(entry);
  // A step the engine runs after the program registered everything (the delete of a removed
  // resource, of the old half of a replace that creates first, destroy) comes after the record
  // resource was written: the state cannot hold it, so this warning in the update's output is
  // its only record, and says so.
  if (deployment.recordWritten) {
    void pulumi.log.warn(
      `${prefix}: ${subject}: this ${change} ran after the program ended, so it is not in the stack's rds-backup-hooks record; ` +
        `recorded ${JSON.stringify(entry)}`,
      on,
    );
  }
}

function recordOf(
  config: HookConfig,
  args: HookArgs,
  change: "update" | "delete",
  instance: string,
  outcome: Extract<Outcome, { kind: "fresh" | "taken" | "overridden" }>,
): HookBackupRecord {
  const backup = outcome.kind === "taken" ? outcome.backup : outcome.verdict.newest;
  return {
    resource: args.urn,
    change,
    dbInstanceId: instance,
    mode: config.mode,
    action: outcome.kind === "taken" ? outcome.action : outcome.kind === "fresh" ? "none" : "overridden",
    ...(outcome.kind === "taken" && outcome.jobId !== undefined ? { jobId: outcome.jobId } : {}),
    ...(backup ? { backupId: backup.backupId, backupEndTime: backup.backupEndTime } : {}),
    verdict: outcome.recovery ? `${outcome.verdict.message}; ${outcome.recovery.message}` : outcome.verdict.message,
    ...(outcome.recovery ? { recoverable: outcome.recovery.recoverable } : {}),
    at: toIsoSeconds(new Date()),
    ...(outcome.kind === "overridden" ? { override: outcome.override } : {}),
    ...(outcome.recoveryOverride ? { override: outcome.recoveryOverride } : {}),
  };
}

/** The instance, from the option, else the resource's type; a resource whose instance is unknown is not changed. */
function instanceFor(config: HookConfig, args: HookArgs): string {
  const option = config.dbInstanceId;
  const chosen = typeof option === "function" ? option(args) : option;
  const instance = chosen ?? defaultInstanceOf(args);
  if (typeof instance !== "string" || !/^[A-Za-z0-9-]{1,64}$/.test(instance)) {
    throw new pulumi.RunError(
      `backup before change: cannot tell which RDS instance ${args.name} (${args.type}) lives in` +
        `${instance === undefined ? "" : ` (got ${JSON.stringify(instance).slice(0, 80)})`}, so it is not changed. ` +
        `Give the hooks a dbInstanceId (an id, or a function of the hook's arguments)`,
    );
  }
  return instance;
}

function ensurePlanOf(config: HookConfig, instance: string): EnsurePlan {
  return ensurePlan({ ...config.values, dbInstanceId: instance });
}

function freshnessPlanOf(config: HookConfig, instance: string): FreshnessPlan {
  return freshnessPlan({ ...config.values, dbInstanceId: instance });
}

/**
 * The decision for one instance in this run. Fails (and with it the change) when require finds
 * the backup stale with no override, when the backups cannot be read in up (fail closed), when
 * ensure's backup fails or times out, and (with `recoverableWithin`) when a point-in-time restore
 * is not possible and no override lets it through.
 */
async function judgeOrEnsure(
  config: HookConfig,
  instance: string,
  dryRun: boolean,
  on: pulumi.Resource,
): Promise<Outcome> {
  const settings = stackSettingsFrom((key) => pulumi.runtime.getConfig(key));
  const connection = connectionOptions(config.connection, settings);
  const override = parseGateOverrides(settings.gateOverrides).get(instance);
  let outcome = await freshnessOutcome(config, instance, dryRun, on, connection, override);
  if (config.recovery === undefined || outcome.kind === "unjudged") return outcome;
  // Judged already when ensure ran (after its backup, and its repair: ./recovery.ts); else now.
  const judgedByEnsure = outcome.recovery !== undefined;
  let recovery = outcome.recovery;
  if (recovery === undefined) {
    try {
      recovery = (await judgeRecoveryIfAsked(
        instance,
        config.recovery,
        connection,
        new Date(),
      )) as RecoverabilityVerdict;
    } catch (err) {
      if (config.mode === "ensure" && dryRun) return { kind: "unjudged", error: err as Error };
      throw new pulumi.RunError(
        `could not read the log backups of ${instance}, so a point-in-time restore cannot be proven: ${(err as Error).message}` +
          `${override ? ` The override in ${GATE_OVERRIDES_KEY} does not apply: it vouches for a verdict, not for an answer nobody could read.` : ""}`,
      );
    }
  }
  // Ensure mode: a restore that only lacks a new full set gets one (./recovery.ts).
  if (config.mode === "ensure" && !judgedByEnsure && outcome.kind === "fresh" && aNewBackupRepairs(recovery)) {
    if (dryRun) outcome = { kind: "will-take", verdict: outcome.verdict, reason: recovery.message };
    else {
      outcome = await ensureOutcome(config, instance, connection, on, config.recovery.recoverableWithinSeconds);
      recovery = outcome.recovery ?? recovery;
    }
  }
  // The backup up will take is a restore's start: what it meets is judged after it.
  if (outcome.kind === "will-take") recovery = verdictBeforeNewBackup(recovery);
  if (recovery.recoverable) {
    if (override !== undefined && outcome.kind !== "overridden")
      void pulumi.log.info(
        `backup before change: ${instance} passes; its override in ${GATE_OVERRIDES_KEY} is not needed and can be removed`,
        on,
      );
    return { ...outcome, recovery };
  }
  // One override per instance and run: one already used for the backup covers the restore too.
  const failed = failedVerdict(outcome.kind === "overridden" ? outcome.verdict : undefined, recovery) ?? "";
  const now = new Date();
  const decision = useOverride(override, { dbInstanceId: instance, verdict: failed, key: GATE_OVERRIDES_KEY, now });
  const taken = outcome.kind === "taken" ? `${usableBackup(outcome)}, but ` : "";
  if ("refusal" in decision) throw new pulumi.RunError(`${taken}${decision.refusal}`);
  return { ...outcome, recovery, recoveryOverride: decision.record };
}

/** The backup's side of the decision: fresh, taken, to take (preview), overridden, or not judged (preview). */
async function freshnessOutcome(
  config: HookConfig,
  instance: string,
  dryRun: boolean,
  on: pulumi.Resource,
  connection: ConnectionOptions,
  override: GateOverride | undefined,
): Promise<Outcome> {
  const now = new Date();

  // Ensure in up, with no override to weigh: ensure's own first step is the judgement.
  if (config.mode === "ensure" && !dryRun && override === undefined) {
    return ensureOutcome(config, instance, connection, on);
  }

  let verdict: FreshnessVerdict;
  try {
    verdict = await judgeFreshness({ ...freshnessPlanOf(config, instance), now }, connection);
  } catch (err) {
    if (config.mode === "ensure" && dryRun) return { kind: "unjudged", error: err as Error };
    throw new pulumi.RunError(
      `could not read the backups of ${instance}, so freshness cannot be proven: ` +
        `${(err as Error).message}${override ? ` The override in ${GATE_OVERRIDES_KEY} does not apply: it vouches for a stale backup, not for an answer nobody could read.` : ""}`,
    );
  }
  if (verdict.fresh) {
    // With recoverableWithin, the override may still be needed for the restore: judgeOrEnsure says.
    if (override !== undefined && config.recovery === undefined) {
      void pulumi.log.info(
        `backup before change: ${instance} has a fresh backup; its override in ${GATE_OVERRIDES_KEY} is not needed and can be removed`,
        on,
      );
    }
    return { kind: "fresh", verdict };
  }
  const decision = useOverride(override, {
    dbInstanceId: instance,
    verdict: verdict.message,
    key: GATE_OVERRIDES_KEY,
    now,
  });
  if ("record" in decision) return { kind: "overridden", verdict, override: decision.record };
  if (config.mode === "require") throw new pulumi.RunError(decision.refusal);
  if (dryRun) return { kind: "will-take", verdict };
  // Ensure in up with an expired override: as if there were none.
  return ensureOutcome(config, instance, connection, on);
}

/**
 * sdk/ensure.ts's run (judge, join or take, wait until usable), its progress as passing lines on
 * the resource; with `recoverableWithin`, the restore judged after it (./recovery.ts: one more
 * backup when only a new full set is missing). `maxAgeSeconds` narrows the plan's.
 */
async function ensureOutcome(
  config: HookConfig,
  instance: string,
  connection: ConnectionOptions,
  on: pulumi.Resource,
  maxAgeSeconds?: number,
): Promise<Outcome> {
  const options = {
    ...connection,
    onProgress: (p: EnsureProgress) => void pulumi.log.info(p.message, on, undefined, true),
  };
  const planned = ensurePlanOf(config, instance);
  const plan =
    maxAgeSeconds === undefined
      ? planned
      : { ...planned, maxAgeSeconds: Math.min(planned.maxAgeSeconds, maxAgeSeconds) };
  let ensured;
  try {
    ensured = await recoverAfterEnsure(await ensurePlanned(plan, options), plan, config.recovery, options);
  } catch (err) {
    throw err instanceof RecoveryReadError ? new pulumi.RunError(err.message) : err;
  }
  const { result, recovery } = ensured;
  const judged = recovery ? { recovery } : {};
  if (result.action === "none") return { kind: "fresh", verdict: result.verdict, ...judged };
  return {
    kind: "taken",
    action: result.action,
    backup: result.backup,
    verdict: result.verdict,
    ...(result.jobId !== undefined ? { jobId: result.jobId } : {}),
    ...judged,
  };
}

/**
 * The error, with the way to resume a time-out that a hooks user has: hooks take no per-resource
 * input, so the next up cannot be told the job id; the CLI can wait for it first. The command's
 * time-out is a generous hour, not the hooks' own: that one just proved too short.
 */
export function hookAdvice(err: Error, config: HookConfig, instance: string): string {
  if (!(err instanceof RdsBackupJobError) || err.resume === undefined || err.jobId === undefined) return err.message;
  const plan = ensurePlanOf(config, instance);
  const cli = `rds-backups ensure ${instance} --job-id ${err.jobId} --max-age ${plan.maxAgeSeconds}s --timeout 1h`;
  return err.resume.rerunTakesSecondBackup
    ? `${err.resume.facts}. Before the next pulumi up, wait until that set is listed (rds-backups list ${instance}) or run ${cli}: ` +
        `until then an up would take a second backup (DescribeBackupTasks does not show a finished task without its id)`
    : `${err.resume.facts}. Before the next pulumi up, run ${cli}: it waits for this job and never takes another backup`;
}

/**
 * A hook knows its resource's URN, not the resource object; Pulumi's log reads nothing of a
 * resource but its `urn`, so this is all a message needs to appear under that resource.
 */
function onResource(urn: string): pulumi.Resource {
  return { urn: pulumi.output(urn) } as unknown as pulumi.Resource;
}

/** A validation error reaches the user as a Pulumi error, without a stack trace. */
function asRunError(err: unknown): unknown {
  return err instanceof RdsValidationError ? new pulumi.RunError(err.message) : err;
}
