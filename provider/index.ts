/**
 * Alibaba Cloud RDS backups for Pulumi programs.
 *
 * ```ts
 * import * as rds from "pulumi-alicloud-rds-backups";
 * const backups = rds.getBackupsOutput({ dbInstanceId: "rm-uf6wjk5xxxxxxx", backupStatus: "Success" });
 * export const latestId = backups.latest.apply((b) => b?.backupId);
 * const gate = rds.requireFreshBackup({ dbInstanceId: "rm-uf6wjk5xxxxxxx", maxAge: "24h" });
 * new Migration("schema-v42", { ... }, { dependsOn: [gate] });
 * ```
 *
 * For plain TypeScript with no Pulumi, import `pulumi-alicloud-rds-backups/sdk`.
 */
export { getBackups, getBackupsOutput } from "./get-backups";
export { requireFreshBackup } from "./require-fresh-backup";
export { FreshBackup, BackupsRead } from "./dynamic";
export { ensureFreshBackup } from "./ensure-fresh-backup";
export { EnsuredBackup } from "./dynamic";
export type * from "./types";
// Only the errors a program can catch: bad arguments are refused in the program itself. What fails
// inside the engine's provider process (an API error, a backup job that failed) reaches the
// program as the message of a failed resource, never as an object: no class to catch it with.
export { RdsBackupsError, RdsValidationError } from "../sdk/internal";
// Backups before changes: hooks on resources (per resource, or on every RDS resource in one line).
export { backupHooks, type BackupHookOptions, type BackupHookMode } from "./backup-hooks";
export { backupBeforeChanges, type BackupBeforeChangesOptions } from "./backup-before-changes";
export { BackupHookRecord, type HookBackupRecord } from "./backup-hook-record";
// Point-in-time recoverability: the restore window, the log files and the policy, as a data source.
export { getRecoverability, getRecoverabilityOutput } from "./get-recoverability";
export { RecoverabilityRead } from "./dynamic";
