/**
 * The point-in-time half of what the gate, ensure and the hooks judge when `recoverableWithin` is
 * given (sdk/recoverability.ts gives the verdict): reading it only when asked, the one text of
 * what failed (for a refusal or an override's record), its outputs, and ensure's repair: a backup
 * taken when only a new full set is missing from a restore.
 */
import {
  aNewBackupRepairs,
  type Backup,
  type ConnectionOptions,
  type EnsureOptions,
  type EnsurePlan,
  ensurePlanned,
  type EnsureResult,
  escapeControl,
  judgeRecoverability,
  type RecoverabilityVerdict,
  type RecoveryRequirement,
} from "../sdk/internal";

/** The point-in-time verdict at `now`, or undefined when `recoverableWithin` was not given. */
export async function judgeRecoveryIfAsked(
  dbInstanceId: string,
  recovery: RecoveryRequirement | undefined,
  options: ConnectionOptions,
  now: Date,
): Promise<RecoverabilityVerdict | undefined> {
  return recovery && judgeRecoverability({ dbInstanceId, ...recovery, now }, options);
}

/** What failed, as one text (the refusal, the record's `verdict`): the stale backup, the restore that is not possible; none when both hold. */
export function failedVerdict(
  freshness: { readonly fresh: boolean; readonly message: string } | undefined,
  recovery: RecoverabilityVerdict | undefined,
): string | undefined {
  const failed = [
    freshness && !freshness.fresh ? freshness.message : undefined,
    recovery && !recovery.recoverable ? recovery.message : undefined,
  ].filter((m): m is string => m !== undefined);
  return failed.length > 0 ? failed.join("; ") : undefined;
}

/** The point-in-time outputs (./outputs.ts RECOVERY_OUTPUTS) of a verdict; null without one. */
export function recoveryOutputs(recovery: RecoverabilityVerdict | undefined) {
  return {
    recoverable: recovery?.recoverable ?? null,
    restoreWindowEnd: recovery?.window?.end ?? null,
    logChainEnd: recovery?.chainEnd ?? null,
  };
}

/**
 * After ensure's own run (`first`: the backup is fresh now), the restore judged; when it fails
 * only on what a new full set meets (sdk's aNewBackupRepairs) and that run took no backup, one is
 * taken for it, and the restore judged once more. The plan's maxAge narrows to
 * recoverableWithin for that run: a set that ended within the lag is already new enough, so it
 * joins or takes one backup at most. Throws with a complete sentence when the log backups cannot
 * be read (the caller puts its subject first).
 */
export async function recoverAfterEnsure(
  first: EnsureResult,
  plan: EnsurePlan,
  recovery: RecoveryRequirement | undefined,
  options: EnsureOptions,
): Promise<{ readonly result: EnsureResult; readonly recovery?: RecoverabilityVerdict }> {
  if (recovery === undefined) return { result: first };
  let result = first;
  let verdict = await judgeAfter(result, plan.dbInstanceId, recovery, options);
  if (result.action === "none" && aNewBackupRepairs(verdict)) {
    const maxAgeSeconds = Math.min(plan.maxAgeSeconds, recovery.recoverableWithinSeconds);
    result = await ensurePlanned({ ...plan, maxAgeSeconds }, options);
    verdict = await judgeAfter(result, plan.dbInstanceId, recovery, options);
  }
  return { result, recovery: verdict };
}

/** The log backups could not be read after ensure's backup: the message is a whole sentence. */
export class RecoveryReadError extends Error {}

async function judgeAfter(
  result: EnsureResult,
  dbInstanceId: string,
  recovery: RecoveryRequirement,
  options: ConnectionOptions,
): Promise<RecoverabilityVerdict> {
  try {
    return (await judgeRecoveryIfAsked(dbInstanceId, recovery, options, new Date())) as RecoverabilityVerdict;
  } catch (err) {
    throw new RecoveryReadError(
      `${usableBackup(result)}, but the log backups could not be read, so a point-in-time restore cannot be proven: ${(err as Error).message}`,
    );
  }
}

/** `backup 123 is usable (ended ...)`: what an ensure run left, for a message that stops after it. */
export function usableBackup(result: { readonly backup: Backup }): string {
  return `backup ${escapeControl(result.backup.backupId)} is usable (ended ${result.backup.backupEndTime})`;
}
