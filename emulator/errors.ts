/**
 * The error catalogue: one factory per code the emulator can emit, with the service's HTTP
 * status and message. Nothing else in the emulator invents a code or a status.
 *
 * Statuses and messages follow the API reference of DescribeBackups; where it only says "likely",
 * the likely value is used (gateway errors are 400 unless noted).
 */

/** RAM's explanation of a denial, as the gateway sends it. */
export interface AccessDeniedDetail {
  PolicyType: string;
  AuthPrincipalOwnerId: string;
  AuthPrincipalType: string;
  AuthPrincipalDisplayName: string;
  NoPermissionType: "ImplicitDeny" | "ExplicitDeny";
  EncodedDiagnosticMessage: string;
  AuthAction: string;
}

/** An answer the service gives instead of a result. Thrown inside the pipeline, serialized once. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly accessDeniedDetail?: AccessDeniedDetail,
    /** Extra response headers, e.g. `x-acs-retry-after` on throttling. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const e = (status: number, code: string, message: string) => new ApiError(status, code, message);

export const Errors = {
  // --- gateway: protocol and routing ---
  invalidActionNotFound: () =>
    e(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."),
  /** Chosen for a known action with an unknown version: the gateway's version check answers first. */
  invalidVersion: () => e(400, "InvalidVersion", "Specified parameter Version is not valid."),
  // --- gateway: authentication ---
  incompleteSignature: (what: string) =>
    e(400, "IncompleteSignature", `The request signature does not conform to Aliyun standards. ${what}`),
  invalidAccessKeyIdNotFound: () => e(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."),
  signatureDoesNotMatch: (stringToSign: string) =>
    e(
      400,
      "SignatureDoesNotMatch",
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    ),
  invalidTimeStampFormat: () =>
    e(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."),
  invalidTimeStampExpired: () => e(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."),
  signatureNonceUsed: () => e(400, "SignatureNonceUsed", "Specified signature nonce was used already."),
  missingSecurityToken: () => e(400, "MissingSecurityToken", "SecurityToken is mandatory for this action."),
  invalidSecurityTokenMalformed: () =>
    e(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed."),
  invalidSecurityTokenMismatch: () =>
    e(400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."),
  invalidSecurityTokenExpired: () => e(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."),
  forbiddenRam: (detail: AccessDeniedDetail) =>
    new ApiError(
      403,
      "Forbidden.RAM",
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
      detail,
    ),
  // --- gateway: flow control and availability ---
  throttlingUser: (retryAfterMs?: number) =>
    new ApiError(
      400,
      "Throttling.User",
      "Request was denied due to user flow control.",
      undefined,
      retryAfterMs === undefined ? {} : { "x-acs-retry-after": String(Math.max(0, Math.ceil(retryAfterMs))) },
    ),
  internalError: () =>
    e(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure."),
  serviceUnavailable: () =>
    e(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
  /** Our choice of code (no source names the gateway's); `connection: close` so the rest of the body is not awaited. */
  requestTooLarge: (maxBytes: number) =>
    new ApiError(
      413,
      "RequestEntityTooLarge",
      `The request body is larger than the limit of ${maxBytes} bytes.`,
      undefined,
      { connection: "close" },
    ),
  // --- DescribeBackups ---
  missingParameter: (name: string) => e(400, `Missing${name}`, `${name} is mandatory for this action.`),
  /** 400 for DescribeBackups (its reference); 404 for the backup-task actions (Terraform's helpers treat it as not-found). */
  invalidDBInstanceIdNotFound: (status = 400) =>
    e(status, "InvalidDBInstanceId.NotFound", "The DBInstanceId provided does not exist in records."),
  parametersInvalid: () => e(400, "Parameters.Invalid", "Parameter error, please check the parameters."),
  invalidStartTimeFormat: () => e(400, "InvalidStartTime.Format", "Specified start time is not valid."),
  invalidEndTimeFormat: () => e(400, "InvalidEndTime.Format", "Specified end time is not valid."),
  invalidParameterCombination: () =>
    e(400, "InvalidParameterCombination", "The end time must be greater than the start time"),
  invalidPageNumbersMalformed: () => e(400, "InvalidPageNumbers.Malformed", "Specified page number is not valid."),
  invalidMaxRecordsPerPageMalformed: () =>
    e(403, "InvalidMaxRecordsPerPage.Malformed", "Specified record number is not valid."),
  // --- the log backup calls ---
  /**
   * An engine the call does not serve (SQL Server for DescribeBinlogFiles and
   * DescribeLocalAvailableRecoveryTime): the reference's catalogue code whose message says "not
   * supported". Which code the service sends here is UNCONFIRMED.
   */
  engineNotSupported: () =>
    e(404, "InvalidDBInstance.NotFound", "The specified instance does not exist or is not supported."),
  // --- CreateBackup (statuses that no public source confirms are our choice; see emulator/README.md) ---
  invalidBackupMethod: () =>
    e(
      400,
      "InvalidBackupMethod.ValueNotSupport",
      'The specified parameter "BackupMethod" is not valid. Valid values: Logical, Physical and Snapshot, as the engine supports.',
    ),
  backupTypeNotSupport: () => e(400, "BackupType.NotSupport", "the specified backup type not support"),
  /** UNCONFIRMED status for RDS: MongoDB's error table says 400. */
  backupJobExists: () => e(400, "BackupJobExists", "A backup job already exists in the specified DB instance."),
  /** UNCONFIRMED code for RDS: MongoDB's error table; the RDS page that would name it is cut off. */
  backupTimesExceeded: () => e(400, "BackupTimesExceeded", "Exceeding the daily backup times of this DB instance."),
  operationDeniedDBInstanceStatus: () =>
    e(403, "OperationDenied.DBInstanceStatus", "The operation is not permitted due to status of instance."),
} as const;

/** The error body of the service: `{RequestId, HostId, Code, Message, Recommend}` (+ AccessDeniedDetail). */
export function errorBody(err: ApiError, requestId: string, hostId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    RequestId: requestId,
    HostId: hostId,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Rds&requestId=${requestId}`,
  };
  if (err.accessDeniedDetail) body.AccessDeniedDetail = err.accessDeniedDetail;
  return body;
}
