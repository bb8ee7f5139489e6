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
 * Deleting the resource deletes no backup: backup sets follow the instance's retention.
 */
import {
  DEFAULT_FRESH_BACKUP_TYPE,
  ensurePlanned,
  type EnsureProgress,
  formatDuration,
  type FreshnessVerdict,
  judgeFreshness,
  RdsBackupJobError,
  RdsBackupsError,
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
import { ENSURE_OUTPUTS, type OutputValues } from "./outputs";
import { connectionOptions } from "./settings";

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
    ensured: requirementText(request.plan),
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
  };
}

async function planEnsure({ settings, subject, request }: CallContext<EnsureBackupRequest>): Promise<EnsureOutputs> {
  const { dbInstanceId, maxAgeSeconds, backupType, method, timeoutSeconds } = request.plan;
  let verdict: FreshnessVerdict;
  try {
    verdict = await judgeFreshness(
      { dbInstanceId, maxAgeSeconds, backupType: backupType ?? DEFAULT_FRESH_BACKUP_TYPE },
      connectionOptions(request.connection, settings),
    );
  } catch (err) {
    throw verdictError(
      `${subject}: could not read the backups of ${dbInstanceId}, so whether a backup must be taken is unknown: ${(err as Error).message}`,
    );
  }
  if (verdict.fresh) return emptyOutputs(request, PLAN_FRESH);
  notice(
    `${subject}: ${verdict.message}; the update will take a ${method} backup and wait for it ` +
      `(time-out ${formatDuration(timeoutSeconds)}) before the resources that depend on it`,
  );
  return { ...emptyOutputs(request, `take a ${method} backup: ${verdict.message}`), plannedAt: verdict.checkedAt };
}

async function ensureNow({ settings, subject, request }: CallContext<EnsureBackupRequest>): Promise<EnsureOutputs> {
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
  try {
    try {
      result = await ensurePlanned(request.plan, {
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
      result = await ensurePlanned(request.plan, options);
    }
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`${subject}: ${pulumiAdvice(err)}`) : err;
  }
  const backup = withoutDownloadLinks(result.backup);
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
 * ensured at or after that check was planned is no change, so a refresh settles.
 */
export function ensureChanged(state: Props, judged: Props): boolean {
  if (argumentsChanged(state, judged, ENSURE_OUTPUTS)) return true;
  if (judged.plan === PLAN_FRESH) return false;
  const ensuredSince =
    typeof judged.plannedAt === "string" && typeof state.ensuredAt === "string" && state.ensuredAt >= judged.plannedAt;
  return !ensuredSince;
}
