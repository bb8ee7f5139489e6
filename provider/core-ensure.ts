/**
 * The ensured backup behind `ensureFreshBackup` (a dynamic custom resource) and `EnsuredBackup`
 * (the plugin's). A read cannot tell preview from up; a custom resource can: the engine calls
 * check and diff in preview, and create/update only in up. So:
 * - preview (check): judges (one read, the gate's) and records the plan: PLAN_FRESH, or a
 *   sentence saying a backup will be taken and why, with the moment it was judged (`plannedAt`);
 * - diff (`ensureChanged`): a change only when a backup must be taken or an argument changed:
 *   while the backup is fresh nothing diffs and no output moves (no churn);
 * - judge (create/update): sdk/'s ensure, which judges again, joins or takes the backup and
 *   waits until it is usable; resources that depend on this one wait for that;
 * - refresh: the state stays as the last update left it; nothing is judged or taken.
 * With `recoverableWithin`, a point-in-time restore is required too, as the gate requires it and
 * with the gate's override. A backup is planned also when the restore fails only on what a new
 * full set meets (no set, a gap since the old one, a window behind: ./recovery.ts); preview then
 * judges only the rest (log backup off, retention, the engine: no backup changes those), and the
 * update judges everything once its backup is usable.
 * Deleting the resource deletes no backup: backup sets follow the instance's retention.
 */
import {
  aNewBackupRepairs,
  DEFAULT_FRESH_BACKUP_TYPE,
  ensurePlanned,
  type EnsureProgress,
  formatDuration,
  type FreshnessVerdict,
  judgeFreshness,
  RdsBackupJobError,
  RdsBackupsError,
  type RecoverabilityVerdict,
  verdictBeforeNewBackup,
  withoutDownloadLinks,
} from "../sdk/internal";
import { checkEnsureBackupArgs, requirementText, type EnsureBackupRequest } from "./args";
import {
  argumentsChanged,
  notice,
  pendingOutputs,
  readInputs,
  verdictError,
  type CallContext,
  type Mode,
  type Props,
  type ResourceCore,
} from "./core";
import { overrideUsedSince, overridesKey, overridesOrRefusal, overrideWarning } from "./core-gate";
import { ENSURE_OUTPUTS, type OutputValues } from "./outputs";
import { useOverride } from "./overrides";
import {
  failedVerdict,
  judgeRecoveryIfAsked,
  recoverAfterEnsure,
  RecoveryReadError,
  recoveryOutputs,
  usableBackup,
} from "./recovery";
import { connectionOptions } from "./settings";
import type { GateOverrideRecord } from "./types";

export type EnsureOutputs = OutputValues<typeof ENSURE_OUTPUTS> & { readonly plan: string };

/** The plan while the backup is fresh: constant, so that it never diffs. */
export const PLAN_FRESH = "none: a fresh backup exists";
/** The plan of a preview that cannot judge: an argument is not known yet. */
export const PLAN_UNKNOWN = "judged during the update: the instance id is not known yet";

export const ensureCore: ResourceCore<EnsureBackupRequest> & {
  run(mode: Mode, context: CallContext<EnsureBackupRequest>, previous?: Props): Promise<EnsureOutputs>;
} = {
  outputs: ENSURE_OUTPUTS,
  pending: pendingOutputs(ENSURE_OUTPUTS, { plan: PLAN_UNKNOWN }),
  changed: ensureChanged,
  inputs: (props: Props) => readInputs(props, ENSURE_OUTPUTS, checkEnsureBackupArgs),
  run: (mode, context, previous = {}) =>
    mode === "preview" ? planEnsure(context) : mode === "judge" ? ensureNow(context) : keepState(context, previous),
};

/** Every output null but what the arguments alone say. */
function emptyOutputs(request: EnsureBackupRequest, plan: string): EnsureOutputs {
  return {
    ensured: requirementText(request.plan, request.recovery),
    plan,
    plannedAt: null,
    action: null,
    jobId: null,
    backup: null,
    backupId: null,
    backupEndTime: null,
    message: null,
    maxAgeSeconds: request.plan.maxAgeSeconds,
    ensuredAt: null,
    ...recoveryOutputs(undefined),
    override: null,
  };
}

async function planEnsure(context: CallContext<EnsureBackupRequest>): Promise<EnsureOutputs> {
  const { settings, subject, request, now = new Date() } = context;
  const { dbInstanceId, maxAgeSeconds, backupType, method, timeoutSeconds } = request.plan;
  const options = connectionOptions(request.connection, settings);
  if (request.recovery) overridesOrRefusal(settings, subject);
  let verdict: FreshnessVerdict;
  let recovery: RecoverabilityVerdict | undefined;
  try {
    verdict = await judgeFreshness(
      { dbInstanceId, maxAgeSeconds, backupType: backupType ?? DEFAULT_FRESH_BACKUP_TYPE, now },
      options,
    );
    recovery = await judgeRecoveryIfAsked(dbInstanceId, request.recovery, options, now);
  } catch (err) {
    throw verdictError(
      `${subject}: could not read the backups of ${dbInstanceId}, so whether a backup must be taken is unknown: ${(err as Error).message}`,
    );
  }
  const why = !verdict.fresh ? verdict.message : aNewBackupRepairs(recovery) ? recovery?.message : undefined;
  // The backup this update takes will be the restore's start: what it meets is judged after it.
  if (recovery && why !== undefined) recovery = verdictBeforeNewBackup(recovery);
  const override = recoveryOverride(context, recovery);
  const judged = { ...recoveryOutputs(recovery), override };
  if (why === undefined) return { ...emptyOutputs(request, PLAN_FRESH), ...judged };
  notice(
    `${subject}: ${why}; the update will take a ${method} backup and wait for it ` +
      `(time-out ${formatDuration(timeoutSeconds)}) before the resources that depend on it`,
  );
  return {
    ...emptyOutputs(request, `take a ${method} backup: ${why}`),
    plannedAt: verdict.checkedAt,
    ...judged,
  };
}

/**
 * A point-in-time restore that is not possible stops ensure as it stops the gate, unless the
 * gate's override lets it through: then the record (null when nothing failed). `done` starts the
 * refusal when a backup was taken first.
 */
function recoveryOverride(
  { settings, subject, request, now = new Date() }: CallContext<EnsureBackupRequest>,
  recovery: RecoverabilityVerdict | undefined,
  done = "",
): GateOverrideRecord | null {
  const failed = failedVerdict(undefined, recovery);
  if (failed === undefined) return null;
  const key = overridesKey(settings);
  const { dbInstanceId } = request.plan;
  const override = overridesOrRefusal(settings, subject).get(dbInstanceId);
  const decision = useOverride(override, { dbInstanceId, verdict: failed, key, now });
  if ("refusal" in decision) throw verdictError(`${subject}: ${done}${decision.refusal}`);
  notice(overrideWarning(decision.record, subject, key));
  return decision.record;
}

async function ensureNow(context: CallContext<EnsureBackupRequest>): Promise<EnsureOutputs> {
  const { settings, subject, request } = context;
  // Checked before any call: a bad setting must not surface only after a backup was taken.
  if (request.recovery) overridesOrRefusal(settings, subject);
  let lastStatus = "";
  const options = {
    ...connectionOptions(request.connection, settings),
    // One line per status change, not per poll: the engine shows each line as a message.
    onProgress: (p: EnsureProgress) => {
      if (p.status === lastStatus) return;
      lastStatus = p.status;
      notice(`${subject}: ${p.message}`);
    },
  };
  let result;
  let recovery: RecoverabilityVerdict | undefined;
  try {
    let first;
    try {
      first = await ensurePlanned(request.plan, {
        ...options,
        ...(request.resumeJobId !== undefined ? { jobId: request.resumeJobId } : {}),
      });
    } catch (err) {
      // resumeJobId left in the program after its up: the job's set is listed (and too old), so a
      // run without it sees it. It must not make later updates fail.
      if (!(err instanceof RdsBackupJobError && err.reason === "spent")) throw err;
      notice(
        `${subject}: resumeJobId ${request.resumeJobId} is done and its backup is too old; it is ignored (remove it)`,
      );
      first = await ensurePlanned(request.plan, options);
    }
    ({ result, recovery } = await recoverAfterEnsure(first, request.plan, request.recovery, options));
  } catch (err) {
    if (err instanceof RdsBackupsError) throw verdictError(`${subject}: ${pulumiAdvice(err)}`);
    throw err instanceof RecoveryReadError ? verdictError(`${subject}: ${err.message}`) : err;
  }
  const backup = withoutDownloadLinks(result.backup);
  const override = recoveryOverride(context, recovery, `${usableBackup(result)}, but `);
  return {
    ...emptyOutputs(request, PLAN_FRESH),
    // The backup is fresh now, whatever the plan was: the output says so, and stays so while it holds.
    action: result.action,
    jobId: result.jobId ?? null,
    backupId: backup.backupId,
    backupEndTime: backup.backupEndTime,
    backup,
    message: result.verdict.message,
    ensuredAt: result.verdict.checkedAt,
    ...recoveryOutputs(recovery),
    override,
  };
}

/**
 * The sdk's message, with the way to resume a time-out that a Pulumi user has: the sdk's
 * advice names its own option and the CLI's flag; here it is the resource's `resumeJobId`.
 */
function pulumiAdvice(err: RdsBackupsError): string {
  if (!(err instanceof RdsBackupJobError) || err.resume === undefined || err.jobId === undefined) return err.message;
  const input = `set resumeJobId: "${err.jobId}" on this resource for the next pulumi up (it waits for this job and never takes another backup), and remove it after that up succeeds`;
  return err.resume.rerunTakesSecondBackup
    ? `${err.resume.facts}. To wait for it, ${input}. Until the set is listed, an up without resumeJobId would take a second backup: DescribeBackupTasks does not show a finished task without its id`
    : `${err.resume.facts}. To wait for it rather than take another backup, ${input}`;
}

/** Refresh: the state as the last update left it (no call). */
async function keepState({ request }: CallContext<EnsureBackupRequest>, previous: Props): Promise<EnsureOutputs> {
  const kept = Object.fromEntries(
    Object.entries(previous).filter(([k, v]) => ENSURE_OUTPUTS.some((d) => d.name === k) && v !== undefined),
  );
  return { ...emptyOutputs(request, PLAN_FRESH), ...kept };
}

/**
 * Whether an update must run: an argument changed, or the check planned a backup (`judged`: the
 * inputs check returned) that the state (`state`: the outputs) does not hold yet. The engine
 * also asks this on refresh, with the state just read and the inputs of the last check: a backup
 * ensured at or after that check was planned is no change, so a refresh settles. With
 * `recoverableWithin`: a change also when the check used an override the state does not record,
 * or when its `recoverable` is not the state's.
 */
export function ensureChanged(state: Props, judged: Props): boolean {
  if (argumentsChanged(state, judged, ENSURE_OUTPUTS)) return true;
  // Every use of an override lands in the state, as the gate's does; an update that judged after
  // the check used one settles it (it recorded the use, or found it no longer needed).
  const usedAt = (judged.override as GateOverrideRecord | null | undefined)?.usedAt;
  const judgedSince = typeof state.ensuredAt === "string" && usedAt !== undefined && state.ensuredAt >= usedAt;
  if (overrideUsedSince(state, judged) && !judgedSince) return true;
  if (judged.plan === PLAN_FRESH) return (judged.recoverable ?? null) !== (state.recoverable ?? null);
  const ensuredSince =
    typeof judged.plannedAt === "string" && typeof state.ensuredAt === "string" && state.ensuredAt >= judged.plannedAt;
  return !ensuredSince;
}
