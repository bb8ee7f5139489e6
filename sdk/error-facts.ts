/**
 * Reads the facts out of whatever a DescribeBackups call threw, once, in one place.
 *
 * The official SDK throws ClientError / ThrottlingError / ServerError (with code, statusCode,
 * requestId, retryAfter, data), a bare SyntaxError when an error body is not JSON (an HTML 502,
 * an empty 404: the status is lost), `Error{name: "RequestTimeoutError"}` on time-outs, and raw
 * Node errors (`code: "ECONNREFUSED"`) on network failures. Everything downstream (the retry
 * policy, the rate limiter, the error messages) sees only these facts and the class.
 */

/** The closed set of failure classes, as smithy's service-error-classification. */
export type ErrorClass = "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR";

export interface ErrorFacts {
  /** API code, Node error code, or one of ours: `RequestTimeout`, `ResponseStalled`, `InvalidResponse`, `NonJsonBody`. */
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  /** The API's own message (never used for signature errors: it can echo the string to sign). */
  readonly apiMessage?: string;
  /** `x-acs-retry-after` (milliseconds, the unit the official SDK sleeps on) or `Retry-After` on a 429/503, in milliseconds. */
  readonly retryAfterMs?: number;
  /** RAM denials carry `AccessDeniedDetail`. */
  readonly accessDeniedDetail?: Readonly<Record<string, unknown>>;
  readonly errorClass: ErrorClass;
}

/** Node / undici network error codes that a new connection may not hit again. */
const TRANSIENT_NETWORK_CODES: readonly string[] = [
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "ERR_STREAM_PREMATURE_CLOSE",
];
/** 5xx-like API codes: the service says "try again later". */
const SERVER_ERROR_CODES: readonly string[] = [
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableTemporary",
  "RequestMetaDataFailed",
  "InvokeProxyFailure",
  "ExternalFailure",
  "UnknownError",
];
/** API codes that a fresh request fixes by itself. */
const TRANSIENT_API_CODES: readonly string[] = [
  "RequestTimeout",
  "ResponseStalled",
  "SignatureNonceUsed",
  "InvalidResponse",
  "NonJsonBody",
];

function record(x: unknown): Record<string, unknown> {
  return typeof x === "object" && x !== null ? (x as Record<string, unknown>) : {};
}
function str(x: unknown): string | undefined {
  return typeof x === "string" && x !== "" && x !== "undefined" ? x : undefined;
}

/** Classifies by one-line checks over the code tables (throttling first: it can arrive as 400, 429 or 503). */
function classify(code: string, statusCode: number | undefined): ErrorClass {
  if (/throttl/i.test(code) || code === "Throttling" || statusCode === 429) return "THROTTLING";
  if (TRANSIENT_NETWORK_CODES.includes(code) || TRANSIENT_API_CODES.includes(code)) return "TRANSIENT";
  if (SERVER_ERROR_CODES.includes(code) || (statusCode !== undefined && statusCode >= 500)) return "SERVER_ERROR";
  return "CLIENT_ERROR";
}

export function errorFacts(err: unknown): ErrorFacts {
  const e = record(err);
  const data = record(e["data"]);
  const name = str(e["name"]) ?? "";
  const message = str(e["message"]) ?? String(err);
  let code = str(data["Code"]) ?? str(e["code"]) ?? "";
  const statusCode = typeof e["statusCode"] === "number" ? e["statusCode"] : undefined;
  if (name === "RequestTimeoutError" || /^(Connect|Read)Timeout/.test(message)) code = "RequestTimeout";
  else if (err instanceof SyntaxError) code = "NonJsonBody";
  else if (code === "" && /socket hang up/i.test(message)) code = "ECONNRESET";
  else if (code === "") code = name || "UnknownError";
  const retryAfter = e["retryAfter"];
  const facts: ErrorFacts = {
    code,
    statusCode,
    requestId: str(data["RequestId"]) ?? str(e["requestId"]),
    apiMessage: str(data["Message"]) ?? (statusCode !== undefined ? undefined : message),
    retryAfterMs:
      typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    accessDeniedDetail:
      typeof data["AccessDeniedDetail"] === "object" && data["AccessDeniedDetail"] !== null
        ? (data["AccessDeniedDetail"] as Record<string, unknown>)
        : undefined,
    errorClass: classify(code, statusCode),
  };
  return facts;
}
