/**
 * The internal door of sdk/, for this package's own adapters: provider/ and cli/ import sdk/ from
 * here and nowhere else. It holds the public door (./index) and the few more names the adapters
 * share with the sdk: the argument table their checks and help text read, the gate's message
 * and backup types, the checks and formats they reuse. Not part of the package's promise:
 * package.json exports no path to it. Files inside sdk/ import each other directly; tests may
 * import any sdk file.
 */
export * from "./index";
export {
  ARGUMENTS,
  CONNECTION_ARGUMENTS,
  ENSURE_ARGUMENTS,
  FRESH_BACKUP_ARGUMENTS,
  POLICY_ARGUMENTS,
  QUERY_ARGUMENTS,
  RECOVERABLE_ARGUMENTS,
  RECOVERY_OPTION_ARGUMENTS,
} from "./arguments";
export type { ArgumentDecl } from "./arguments";
export { checkArguments, unknownKey } from "./check-arguments";
export type { CheckedArguments } from "./check-arguments";
export { iterateValidatedBackups, listValidatedBackups } from "./list-backups";
export { closest } from "./suggest";
export { escapeJsonText, quoteServerText } from "./display-text";
export { DOWNLOAD_URL_FIELDS } from "./download-links";
export { formatDuration } from "./duration";
export { DEFAULT_REGION, resolveEndpoint } from "./endpoints";
export { ensurePlan, ensurePlanned } from "./ensure";
export type { EnsurePlan } from "./ensure";
export { failure, showField, showValue } from "./failure";
export { DEFAULT_FRESH_BACKUP_TYPE, freshnessMessage, freshnessPlan, judgeFreshness } from "./freshness";
export type { FreshnessPlan } from "./freshness";
export { compareBackupIds, findNewestValidatedBackup } from "./newest";
export { stableJson, withoutUndefined } from "./plain-values";
export { checkTime, toIsoSeconds } from "./time";
export { checkWindow, wireQuery } from "./validate";
export type { ValidatedQuery } from "./validate";
export { describeBackupPolicy, describeRestoreWindow, listLogFiles } from "./log-backup-reads";
export {
  checkRecoverable,
  judgeRecoverability,
  policyFailures,
  recoverabilityMessage,
  recoverabilityPlan,
  recoveryRequirement,
  CONDITIONS_A_NEW_BACKUP_MEETS,
  aNewBackupRepairs,
  verdictBeforeNewBackup,
} from "./recoverability";
export type {
  LogGap,
  RecoverabilityCondition,
  RecoverabilityFailure,
  RecoverabilityPlan,
  RecoverabilityVerdict,
  RecoverableQuery,
  RecoveryRequirement,
} from "./recoverability";
export { RDS_TYPES, rdsTypeOf } from "./rds-resource-types";
export type { InstanceSource, RdsType } from "./rds-resource-types";
