/**
 * The public door of sdk/ (`pulumi-alicloud-rds-backups/sdk`): a plain-TypeScript client for RDS
 * backups (DescribeBackups, CreateBackup with DescribeBackupTasks behind ensureFreshBackup, and the
 * policy, restore window and log files behind checkRecoverable).
 *
 * Every runtime name exported here is a promise to users, documented in the README's sdk section
 * (a test holds the two together, and caps them at 21). The types are the shapes those functions
 * take and return. Everything else is internal: provider/ and cli/ reach it through ./internal.
 * Importing this file loads nothing heavy: the official SDK is required on the first call.
 */
export { listBackups, iterateBackups } from "./list-backups";
export { paginateBackups } from "./paginate";
export { describeBackupsPage } from "./describe-backups-page";
export { newestUsableBackup, findNewestUsableBackup } from "./newest";
export { checkFreshBackup } from "./freshness";
export { ensureFreshBackup } from "./ensure";
export { checkRecoverable } from "./recoverability";
export { describeBackupTasks } from "./backup-tasks";
export { parseDuration } from "./duration";
export { checkQuery } from "./validate";
export { escapeControl } from "./display-text";
export { withoutDownloadLinks } from "./download-links";
export {
  RdsBackupsError,
  RdsValidationError,
  RdsApiError,
  RdsResponseError,
  RdsImplausibleAnswerError,
  RdsIncompleteListError,
  RdsBackupJobError,
} from "./errors";

export type * from "./types";
export type { ValidationFailure } from "./errors";
export type { ErrorClass } from "./error-facts";
export type { ListOptions } from "./options";
export type { RetryPolicy, RetryPolicyOptions, RetryToken, RetryDecisionInput } from "./retry";
export type { RateLimiter } from "./rate-limiter";
export type { InFlightLimit } from "./in-flight";
export type { FreshBackupQuery, FreshnessVerdict, FreshBackupType } from "./freshness";
export type {
  LogGap,
  RecoverabilityCondition,
  RecoverabilityFailure,
  RecoverabilityVerdict,
  RecoverableQuery,
} from "./recoverability";
export type { EnsureBackupQuery, EnsureOptions, EnsureProgress, EnsureResult, EnsureClock } from "./ensure";
