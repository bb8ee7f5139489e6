/**
 * The public surface of sdk/: a plain-TypeScript client for RDS DescribeBackups.
 * Importing this file loads nothing heavy: the official SDK is required on the first call.
 */
export * from "./types";
export { RdsBackupsError, RdsValidationError, RdsApiError, RdsResponseError, RdsIncompleteListError, toRdsApiError } from "./errors";
export type { ValidationFailure, CallContext } from "./errors";
export type { ErrorClass, ErrorFacts } from "./error-facts";
export { checkQuery, validateQuery } from "./validate";
export type { ValidatedQuery, WireParams } from "./validate";
export { parseDuration, formatDuration } from "./duration";
export { toApiMinute, parseApiTime, epochSecondsToIso, parseTimeInput, toIsoSeconds, API_MINUTE_FORMAT } from "./time";
export { resolveEndpoint, regionEndpoint, DEFAULT_REGION } from "./endpoints";
export type { ResolvedEndpoint } from "./endpoints";
export { normalizePage } from "./normalize";
