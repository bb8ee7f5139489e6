/**
 * The public surface of sdk/: a plain-TypeScript client for RDS backups (DescribeBackups, and
 * CreateBackup with DescribeBackupTasks behind ensureFreshBackup).
 * Importing this file loads nothing heavy: the official SDK is required on the first call.
 */
export * from "./types";
export { RdsBackupsError, RdsValidationError, RdsApiError, RdsResponseError, RdsImplausibleAnswerError, RdsIncompleteListError, toRdsApiError } from "./errors";
export type { ValidationFailure } from "./errors";
export type { CallContext } from "./error-advice";
export type { ErrorClass, ErrorFacts } from "./error-facts";
export { checkQuery, validateQuery } from "./validate";
export type { ValidatedQuery, WireParams } from "./validate";
export { parseDuration, formatDuration } from "./duration";
export { toApiMinute, parseApiTime, epochSecondsToIso, parseTimeInput, toIsoSeconds, CLOCK_SKEW_MS } from "./time";
export { resolveEndpoint, regionEndpoint, DEFAULT_REGION } from "./endpoints";
export type { ResolvedEndpoint } from "./endpoints";
export { normalizePage } from "./normalize";
export { checkAnswer } from "./check-answer";
export { listBackups, iterateBackups } from "./list-backups";
export { paginateBackups } from "./paginate";
export { describeBackupsPage } from "./describe-backups-page";
export { OPTION_DEFAULTS } from "./options";
export type { ListOptions } from "./options";
export { StandardRetryPolicy, defaultRetryPolicy, RETRY_DEFAULTS } from "./retry";
export type { RetryPolicy, RetryPolicyOptions, RetryToken, RetryDecisionInput } from "./retry";
export { TokenBucketRateLimiter, sharedRateLimiter, RATE_LIMIT_DEFAULTS } from "./rate-limiter";
export type { RateLimiter, TokenBucketOptions } from "./rate-limiter";
export { RequestSlots, sharedInFlightLimit, IN_FLIGHT_DEFAULTS } from "./in-flight";
export type { InFlightLimit } from "./in-flight";
export { resolveCredentials } from "./credentials";
export type { CredentialSource } from "./credentials";
export { newestUsableBackup, findNewestUsableBackup, MAX_BACKUP_DURATION_SECONDS } from "./newest";
export { checkFreshBackup, freshnessMessage, checkFreshBackupType, FRESH_BACKUP_TYPES, DEFAULT_FRESH_BACKUP_TYPE } from "./freshness";
export type { FreshBackupQuery, FreshnessVerdict, FreshBackupType } from "./freshness";
export { ensureFreshBackup, validateEnsureQuery, ENSURE_DEFAULTS } from "./ensure";
export type { EnsureBackupQuery, EnsureOptions, EnsureProgress, EnsureResult, EnsureClock, EnsurePlan } from "./ensure";
export { describeBackupTasks, normalizeTasks, normalizeCreateBackup } from "./backup-tasks";
export { RdsBackupJobError } from "./errors";
export { escapeControl, quoteServerText } from "./display-text";
export { withoutDownloadLinks, DOWNLOAD_URL_FIELDS } from "./download-links";
