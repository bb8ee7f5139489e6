/**
 * What to tell a human about a failed call: what happened, then what to do.
 *
 * One table of advice per family of codes. Built only from codes, ids, region and endpoint:
 * never from credentials, and never from the API's message for signature errors (the
 * gateway echoes its string to sign, which must not end up in logs). Everything the server
 * sent (code, message, request id, RAM detail) is quoted through quoteServerText: escaped and
 * bounded, so an answer can neither drive the reader's terminal nor flood the log.
 */
import { quoteServerText } from "./display-text";
import type { ErrorFacts } from "./error-facts";

/** Where a call went: used to write advice ("instance X is not in region Y"). */
export interface CallContext {
  /** The API action called, e.g. `CreateBackup`. Default `DescribeBackups`. */
  readonly action?: string;
  readonly dbInstanceId?: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** Calls made for this request, retries included. */
  readonly attempts?: number;
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
}

const NOT_FOUND = ["InvalidDBInstanceId.NotFound", "InvalidDBInstance.NotFound", "InvalidDBInstanceName.NotFound"];
const KEY_ID = ["InvalidAccessKeyId.NotFound", "InvalidAccessKeyId", "InvalidAccessKeyId.Inactive"];
const SIGNATURE = ["SignatureDoesNotMatch", "IncompleteSignature", "InvalidSignature"];
const CLOCK = ["InvalidTimeStamp.Expired", "InvalidTimeStamp.Format", "RequestTimeTooSkewed"];

function isRamDenial(f: ErrorFacts): boolean {
  return (
    f.code === "Forbidden.RAM" ||
    f.code === "InvalidUserOperatorPermission" ||
    f.code === "NotInFlowController" ||
    /NoPermission|Forbidden|AccessDenied|NotAuthorized/i.test(f.code) ||
    f.accessDeniedDetail !== undefined
  );
}

function ramAdvice(f: ErrorFacts, c: CallContext): string {
  const d = f.accessDeniedDetail ?? {};
  const account =
    typeof d["AuthPrincipalOwnerId"] === "string" && d["AuthPrincipalOwnerId"] !== "" ? d["AuthPrincipalOwnerId"] : "*";
  const who = typeof d["AuthPrincipalDisplayName"] === "string" ? ` to ${d["AuthPrincipalDisplayName"]}` : "";
  const deny = d["NoPermissionType"] === "ExplicitDeny" ? " and remove the explicit Deny that matches it" : "";
  const action = `rds:${c.action ?? "DescribeBackups"}`;
  return (
    `access denied (${f.code}): grant ${action} on ` +
    `acs:rds:${c.region ?? "*"}:${account}:dbinstance/${c.dbInstanceId ?? "*"}${who}${deny} (a RAM policy with Action "${action}")`
  );
}

function timeouts(c: CallContext): string {
  return `connect time-out ${c.connectTimeoutMs ?? "?"} ms, read time-out ${c.readTimeoutMs ?? "?"} ms`;
}

/** The advice sentence for one failure, without the leading "DescribeBackups <instance>" part. */
function advice(f: ErrorFacts, c: CallContext, tries: string): string {
  const id = c.dbInstanceId ?? "(unknown)";
  const where = `region ${c.region ?? "(unknown)"} (endpoint ${c.endpoint ?? "(unknown)"})`;
  if (NOT_FOUND.includes(f.code))
    return (
      `instance not found (${f.code}): check the region/endpoint: instance ${id} is not in ${where}; ` +
      `set the region (option region, ALIBABA_CLOUD_REGION_ID) to the instance's region, or check the instance id`
    );
  if (isRamDenial(f)) return ramAdvice(f, c);
  if (KEY_ID.includes(f.code))
    return `the access key id was refused (${f.code}): check the access key id (credentials.accessKeyId or ALIBABA_CLOUD_ACCESS_KEY_ID) exists and is active`;
  if (SIGNATURE.includes(f.code))
    return (
      `the request signature was refused (${f.code}): check that the access key secret belongs to the access key id ` +
      `(the secret is never printed); look for stray spaces or an old secret in the environment or profile`
    );
  if (CLOCK.includes(f.code))
    return `the request time was refused (${f.code}): check this machine's clock (NTP); the API accepts about 15 minutes of skew`;
  if (/SecurityToken/i.test(f.code))
    return `the STS security token was refused (${f.code}): refresh the token (assume the role again) and retry`;
  if (f.code === "CredentialsUnavailable")
    return (
      `no credentials found (${f.apiMessage ?? "the default chain found none"}): pass credentials, set ALIBABA_CLOUD_ACCESS_KEY_ID and ` +
      `ALIBABA_CLOUD_ACCESS_KEY_SECRET, or name an aliyun CLI profile (option profile, ALIBABA_CLOUD_PROFILE)`
    );
  if (f.code === "ENOTFOUND")
    return `the endpoint ${c.endpoint ?? "(unknown)"} does not resolve (DNS, ENOTFOUND): check the region/endpoint (option endpoint, ALIBABA_CLOUD_RDS_ENDPOINT)`;
  if (f.code === "UnexpectedStatus")
    return (
      `${c.endpoint ?? "(unknown)"} answered ${f.apiMessage ?? `HTTP ${f.statusCode ?? "?"}`}: check that the endpoint is the RDS API ` +
      `(option endpoint, ALIBABA_CLOUD_RDS_ENDPOINT) and that no proxy or captive portal answers in its place`
    );
  if (f.code === "ResponseTooLarge")
    return (
      `${f.apiMessage ?? "the answer was larger than the cap"}. A page of 100 backups is normally under 1 MB: check that the endpoint ` +
      `is the RDS API, or raise maxResponseBytes`
    );
  if (f.code === "InvalidBackupId.NotFound") return `no backup set with that backupId for instance ${id} (${f.code})`;
  switch (f.errorClass) {
    case "THROTTLING":
      return `throttled by the API (${f.code}) ${tries}: lower the request rate (option rateLimiter or ALIBABA_CLOUD_RDS_MAX_RPS) or retry later`;
    case "SERVER_ERROR":
      return `the service failed (${f.code}${f.statusCode ? `, HTTP ${f.statusCode}` : ""}) ${tries}: retry later; if it persists, report the request id`;
    case "TRANSIENT":
      return transientAdvice(f, c, tries);
    default:
      return `the API refused the request (${f.code}${f.statusCode ? `, HTTP ${f.statusCode}` : ""}): ${f.apiMessage ?? "no message"}`;
  }
}

function transientAdvice(f: ErrorFacts, c: CallContext, tries: string): string {
  const ep = c.endpoint ?? "(unknown)";
  if (f.code === "RequestTimeout")
    return (
      `no complete answer from ${ep} within the time-outs (${timeouts(c)}) ${tries}: check network access to the endpoint, ` +
      // Only DescribeBackups takes a window whose length costs the service time.
      ((c.action ?? "DescribeBackups") === "DescribeBackups"
        ? `raise connectTimeoutMs/readTimeoutMs, or narrow startTime/endTime (long ranges are slow)`
        : `or raise connectTimeoutMs/readTimeoutMs`)
    );
  if (f.code === "ResponseStalled")
    return (
      `time-out: ${ep} ${f.apiMessage ?? "stalled after the headers of its answer"}, ${tries}: ` +
      `check the endpoint and any proxy in between, or raise connectTimeoutMs (the longest silence allowed)`
    );
  if (f.code === "ECONNREFUSED")
    return `connection refused by ${ep} ${tries}: check the endpoint (option endpoint, ALIBABA_CLOUD_RDS_ENDPOINT, region) and that it is reachable`;
  if (f.code === "NonJsonBody" || f.code === "InvalidResponse")
    return (
      `${ep} answered with a body that is not the API's JSON (an HTML gateway page, an empty or truncated answer) ${tries}: ` +
      `check that the endpoint is an RDS API endpoint (and any proxy in between), or retry later`
    );
  return `network error ${f.code} talking to ${ep} ${tries}: check network access to the endpoint, or retry later`;
}

/** Longest quote of a code or a request id, characters. */
const MAX_ID_CHARS = 100;

/** The facts with every server-sent string escaped and bounded (codes keep their meaning: tables match escaped text). */
function displayable(f: ErrorFacts): ErrorFacts {
  const detail =
    f.accessDeniedDetail === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(f.accessDeniedDetail).map(([k, v]) => [
            k,
            typeof v === "string" ? quoteServerText(v, MAX_ID_CHARS) : v,
          ]),
        );
  return {
    ...f,
    code: quoteServerText(f.code, MAX_ID_CHARS),
    ...(f.requestId !== undefined ? { requestId: quoteServerText(f.requestId, MAX_ID_CHARS) } : {}),
    ...(f.apiMessage !== undefined ? { apiMessage: quoteServerText(f.apiMessage) } : {}),
    ...(detail !== undefined ? { accessDeniedDetail: detail } : {}),
  };
}

/** The full message: who, what happened and what to do, request id last. */
export function describeFailure(facts: ErrorFacts, c: CallContext): string {
  const f = displayable(facts);
  const attempts = c.attempts ?? 1;
  const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const rid = f.requestId ? ` (request id ${f.requestId})` : "";
  const action = c.action ?? "DescribeBackups";
  return `${action} ${c.dbInstanceId ?? ""}: ${advice(f, c, tries)}${rid}`.replace(`${action} :`, `${action}:`);
}
