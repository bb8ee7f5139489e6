/**
 * The only file that loads `@alicloud/rds20140815` and `@alicloud/credentials`, lazily: requiring
 * them costs ~0.6 s and ~55 MB, so `import "sdk"` must not. The SDK signs and sends the request
 * (the same Params `describeBackupsWithOptions` builds), but with `bodyType: "string"` so that we
 * parse the body ourselves: the SDK's own cast turns "" into NaN and throws vague errors.
 * Its retries stay off (no `retryOptions`): retry.ts is the one policy. Both time-outs are set
 * (the SDK uses the connect time-out as the socket idle time-out).
 * Every call goes through `send`: one slot of the per-process in-flight cap, the exchange
 * bounds of http-exchange.ts (body size, a time-out that covers the body), and one mapping of
 * what went wrong on the wire (a cut body, a time-out, a status that is not 2xx, Retry-After).
 */
import { createHash } from "node:crypto";
import type RdsClient from "@alicloud/rds20140815";
import type { CredentialSource } from "./credentials";
import type { CallContext } from "./error-advice";
import {
  CHAIN_ENV_VARS,
  chainSources,
  noCredentialsMessage,
  secretsOf,
  shortReason,
  type ChainSourceName,
} from "./credentials";
import { refuseLeakyNodeDebug, silenceSdkDebug } from "./debug-output";
import { quoteServerText } from "./display-text";
import {
  pastReadDeadline,
  retryAfterMs,
  stalledAfterHeaders,
  withExchange,
  type ExchangeRecord,
} from "./http-exchange";
import { sharedInFlightLimit, type InFlightLimit } from "./in-flight";
import type { ResolvedEndpoint } from "./endpoints";
import type { ResolvedOptions } from "./options";
import type { WireParams } from "./validate";

type RdsModule = typeof import("@alicloud/rds20140815");
type CoreModule = typeof import("@alicloud/openapi-core");
type CredModule = typeof import("@alicloud/credentials");
type DaraModule = typeof import("@darabonba/typescript");

interface TransportConnection {
  readonly endpoint: ResolvedEndpoint;
  readonly credentials: CredentialSource;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** Largest response body read, bytes. */
  readonly maxResponseBytes: number;
  /** Default: `sharedInFlightLimit()` (one per process). */
  readonly inFlight?: InFlightLimit;
  /** Stops waiting for a slot (the SDK cannot cancel a request once sent). */
  readonly signal?: AbortSignal;
}

/**
 * What an error names of a call (its action, instance, where it went, how often it was tried,
 * the time-outs), from resolved options: one place, for every action.
 */
export function callContext(
  o: ResolvedOptions,
  action: string,
  dbInstanceId: string,
): (attempts: number) => CallContext {
  return (attempts) => ({
    action,
    dbInstanceId,
    region: o.endpoint.region,
    endpoint: o.endpoint.url,
    attempts,
    connectTimeoutMs: o.connectTimeoutMs,
    readTimeoutMs: o.readTimeoutMs,
  });
}

/** The connection settings of resolved options: one place, for every action. */
export function transportConnection(o: ResolvedOptions): TransportConnection {
  return {
    endpoint: o.endpoint,
    credentials: o.credentials,
    connectTimeoutMs: o.connectTimeoutMs,
    readTimeoutMs: o.readTimeoutMs,
    maxResponseBytes: o.maxResponseBytes,
    inFlight: o.inFlightLimit,
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

export interface RawResponse {
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly statusCode: number;
  readonly requestId: string;
}

let modules: { rds: RdsModule; core: CoreModule; cred: CredModule; dara: DaraModule } | undefined;
function load(): NonNullable<typeof modules> {
  if (modules) return modules;
  /* eslint-disable @typescript-eslint/no-require-imports -- lazily, as the header says */
  modules = {
    rds: require("@alicloud/rds20140815") as RdsModule,
    core: require("@alicloud/openapi-core") as CoreModule,
    cred: require("@alicloud/credentials") as CredModule,
    dara: require("@darabonba/typescript") as DaraModule,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  silenceSdkDebug();
  return modules;
}

/** Clients keyed by endpoint, time-outs and a hash of the credentials (never the secret itself). */
const clients = new Map<string, RdsClient>();
const MAX_CLIENTS = 16;

function clientKey(c: TransportConnection): string {
  const cred =
    c.credentials.kind === "static"
      ? ["static", c.credentials.accessKeyId, c.credentials.accessKeySecret, c.credentials.securityToken ?? ""]
      : ["chain", c.credentials.profile ?? "", ...CHAIN_ENV_VARS.map((k) => process.env[k] ?? "")];
  const hash = createHash("sha256").update(cred.join("\0")).digest("hex");
  return `${c.endpoint.url}|${c.connectTimeoutMs}|${c.readTimeoutMs}|${hash}`;
}

function credentialsUnavailable(message: string): Error {
  return Object.assign(new Error(`no credentials: ${message}`), { code: "CredentialsUnavailable" });
}

type Provider = { getCredentials(): Promise<unknown>; getProviderName(): string };

/** The library's provider for one source of the chain (its constructor may refuse: then the source fails with that reason). */
function providerFor(m: NonNullable<typeof modules>, source: ChainSourceName): Provider {
  const env = process.env;
  switch (source) {
    case "environment":
      return m.cred.EnvironmentVariableCredentialsProvider.builder().build();
    case "oidc":
      return m.cred.OIDCRoleArnCredentialsProvider.builder().build();
    case "cliProfile":
      return m.cred.CLIProfileCredentialsProvider.builder().build();
    case "credentialsFile":
      return m.cred.ProfileCredentialsProvider.builder().build();
    case "ecsRamRole":
      return m.cred.ECSRAMRoleCredentialsProvider.builder()
        .withRoleName(env["ALIBABA_CLOUD_ECS_METADATA"] ?? "")
        .build();
    case "credentialsUri":
      return m.cred.URICredentialsProvider.builder()
        .withCredentialsURI(env["ALIBABA_CLOUD_CREDENTIALS_URI"] ?? "")
        .build();
  }
}

/**
 * The chain of the sources that are configured or present (credentials.ts), in the library's
 * order; the first that gives credentials is kept. No source: no request, and an error saying
 * what was looked for.
 */
function configuredChain(m: NonNullable<typeof modules>): Provider {
  const sources = chainSources();
  let chosen: Provider | undefined;
  return {
    getProviderName: () => "rds-backups-chain",
    getCredentials: async () => {
      if (chosen) return chosen.getCredentials();
      const failures = new Map<ChainSourceName, string>();
      for (const source of sources.filter((s) => s.configured)) {
        try {
          const provider = providerFor(m, source.name);
          const found = await provider.getCredentials();
          chosen = provider;
          return found;
        } catch (e) {
          failures.set(source.name, shortReason(e));
        }
      }
      throw credentialsUnavailable(noCredentialsMessage(sources, failures));
    },
  };
}

/** The chain (or one aliyun CLI profile), as a Credential the SDK takes; failures say "no credentials". */
function chainCredential(m: NonNullable<typeof modules>, profile: string | undefined) {
  if (profile !== undefined) {
    const inner = new m.cred.default(
      null,
      m.cred.CLIProfileCredentialsProvider.builder().withProfileName(profile).build(),
    );
    const getCredential = async () => {
      try {
        return await inner.getCredential();
      } catch (e) {
        throw credentialsUnavailable(`aliyun CLI profile ${JSON.stringify(profile)}: ${shortReason(e)}`);
      }
    };
    return Object.assign(Object.create(inner) as typeof inner, { getCredential });
  }
  return new m.cred.default(null, configuredChain(m) as never);
}

function client(c: TransportConnection): RdsClient {
  const key = clientKey(c);
  const found = clients.get(key);
  if (found) return found;
  const m = load();
  const s = c.credentials;
  const config = new m.core.$OpenApiUtil.Config({
    endpoint: c.endpoint.host,
    protocol: c.endpoint.protocol,
    regionId: c.endpoint.region,
    connectTimeout: c.connectTimeoutMs,
    readTimeout: c.readTimeoutMs,
    ...(s.kind === "static"
      ? { accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret, securityToken: s.securityToken }
      : { credential: chainCredential(m, s.profile) }),
  });
  const created = new m.rds.default(config);
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(key, created);
  return created;
}

/** Removes any secret or token from an error's message and body before it travels further. */
function scrub(err: unknown, secrets: string[]): unknown {
  if (secrets.length === 0 || typeof err !== "object" || err === null) return err;
  const clean = (s: unknown): unknown =>
    typeof s === "string" ? secrets.reduce((acc, x) => acc.split(x).join("(hidden)"), s) : s;
  const e = err as { message?: unknown; data?: unknown };
  if (typeof e.message === "string") e.message = clean(e.message) as string;
  if (typeof e.data === "object" && e.data !== null) {
    const d = e.data as Record<string, unknown>;
    for (const k of Object.keys(d)) d[k] = clean(d[k]);
  }
  return err;
}

/** Our code for an answer whose body stopped coming after its headers (a time-out, named as such). */
const RESPONSE_STALLED = "ResponseStalled";

type WireError = Error & { code?: string; statusCode?: number; retryAfter?: number; data?: Record<string, unknown> };

function wireError(message: string, code: string, statusCode: number | undefined): WireError {
  return Object.assign(new Error(message), {
    code,
    ...(statusCode !== undefined ? { statusCode } : {}),
    data: { Code: code, Message: message },
  });
}

/** What the wire says about a failed call, when the SDK's own error would say less or mislead. */
function explain(err: unknown, record: ExchangeRecord, c: TransportConnection): unknown {
  if (record.tooLarge) {
    const { receivedBytes, contentLength } = record.tooLarge;
    return wireError(
      `the answer (HTTP ${record.status ?? "?"}) was larger than the ${c.maxResponseBytes}-byte cap (option maxResponseBytes) and was cut ` +
        (contentLength !== undefined ? `unread (Content-Length ${contentLength})` : `after ${receivedBytes} bytes`) +
        "; none of it was used",
      "ResponseTooLarge",
      undefined,
    );
  }
  const reset =
    typeof err === "object" &&
    err !== null &&
    ((err as WireError).code === "ECONNRESET" || (err as Error).message === "aborted");
  const now = Date.now();
  // The SDK's idle timer (the connect time-out) ends a silent body before our read time-out
  // does, as a reset: what happened is a stall, a time-out, and the message names it.
  if (reset && !record.timedOut && stalledAfterHeaders(record, now, c.connectTimeoutMs)) {
    const idle = now - (record.lastByteAt ?? record.headersAt ?? now);
    return wireError(
      `stalled after the headers of its answer (HTTP ${record.status ?? "?"}): no byte of the body for ${idle} ms ` +
        `(${record.bodyBytes ?? 0} bytes received)`,
      RESPONSE_STALLED,
      undefined,
    );
  }
  if (record.timedOut || (reset && pastReadDeadline(record, now))) {
    return Object.assign(
      new Error(`ReadTimeout(${c.readTimeoutMs}): no complete answer within ${c.readTimeoutMs} ms`),
      { name: "RequestTimeoutError" },
    );
  }
  if (typeof err === "object" && err !== null) {
    const e = err as WireError;
    // A non-JSON error body makes the SDK throw a bare SyntaxError: keep the status it lost.
    if (e.statusCode === undefined && record.status !== undefined && record.status >= 400) e.statusCode = record.status;
    const status = e.statusCode ?? record.status;
    const wait = retryAfterMs(record.retryAfter, Date.now());
    if ((status === 429 || status === 503) && wait !== undefined && typeof e.retryAfter !== "number")
      e.retryAfter = wait;
  }
  return err;
}

/**
 * The one call path: a slot of the in-flight cap, then the SDK's call within the exchange bounds.
 * Throws what the SDK throws (explained, scrubbed of secrets); a status other than 2xx is an
 * error even with a JSON body (a redirect is never the API's answer).
 */
async function send(
  connection: TransportConnection,
  params: InstanceType<CoreModule["$OpenApiUtil"]["Params"]>,
  request: InstanceType<CoreModule["$OpenApiUtil"]["OpenApiRequest"]>,
): Promise<{ text: string; statusCode: number; requestId: string }> {
  refuseLeakyNodeDebug();
  const m = load();
  const record: ExchangeRecord = {};
  const limits = { maxBodyBytes: connection.maxResponseBytes, readTimeoutMs: connection.readTimeoutMs };
  let res: { body?: unknown; statusCode?: number; headers?: Record<string, string> };
  try {
    res = (await (connection.inFlight ?? sharedInFlightLimit()).run(
      () =>
        withExchange(limits, record, () => client(connection).callApi(params, request, new m.dara.RuntimeOptions({}))),
      connection.signal,
    )) as typeof res;
  } catch (err) {
    throw scrub(explain(err, record, connection), secretsOf(connection.credentials));
  }
  const statusCode = res.statusCode ?? record.status ?? 0;
  const requestId = res.headers?.["x-acs-request-id"] ?? "";
  if (statusCode < 200 || statusCode > 299) {
    const where = record.location !== undefined ? ` redirecting to "${quoteServerText(record.location, 200)}"` : "";
    throw Object.assign(
      wireError(`HTTP ${statusCode}${where} is not an answer of the API`, "UnexpectedStatus", statusCode),
      { requestId },
    );
  }
  return { text: typeof res.body === "string" ? res.body : "", statusCode, requestId };
}

/**
 * One signed RPC call of the 2014-08-15 API (DescribeBackups, CreateBackup, DescribeBackupTasks and
 * the log backup reads):
 * through `send`, so every action gets the in-flight cap, the exchange bounds and the same wire
 * errors. Throws what `send` throws, or InvalidResponse for a 2xx body that is not JSON. The body
 * is returned as parsed JSON; the callers' normalizers check it field by field.
 */
async function callAction(
  action: string,
  params: Readonly<Record<string, string | number | undefined>>,
  connection: TransportConnection,
): Promise<RawResponse> {
  const m = load();
  const req = new m.core.$OpenApiUtil.OpenApiRequest({ query: m.core.OpenApiUtil.query({ ...params }) });
  const p = new m.core.$OpenApiUtil.Params({
    action,
    version: "2014-08-15",
    protocol: "HTTPS",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "string",
  });
  const { text, statusCode, requestId } = await send(connection, p, req);
  try {
    return { body: JSON.parse(text) as unknown, statusCode, requestId };
  } catch {
    const err = new Error(
      `HTTP ${statusCode} body is not JSON (${text.length} bytes: "${quoteServerText(text, 80)}")`,
    ) as Error & {
      code: string;
      statusCode?: number;
      requestId?: string;
    };
    err.code = "InvalidResponse";
    err.requestId = requestId;
    throw err;
  }
}

/** One signed DescribeBackups call. */
export async function describeBackupsRaw(params: WireParams, connection: TransportConnection): Promise<RawResponse> {
  return callAction("DescribeBackups", { ...params }, connection);
}

/** The two calls behind `ensureFreshBackup`, on the same path as DescribeBackups. */
interface CreateBackupParams {
  readonly DBInstanceId: string;
  readonly BackupMethod: string;
}

interface DescribeBackupTasksParams {
  readonly DBInstanceId: string;
  /** Digits. */
  readonly BackupJobId?: string;
  readonly BackupMode?: string;
}

/** CreateBackup is not idempotent: sdk/backup-tasks.ts decides whether a failure may be re-sent. */
export async function createBackupRaw(
  params: CreateBackupParams,
  connection: TransportConnection,
): Promise<RawResponse> {
  return callAction("CreateBackup", { ...params }, connection);
}

export async function describeBackupTasksRaw(
  params: DescribeBackupTasksParams,
  connection: TransportConnection,
): Promise<RawResponse> {
  return callAction("DescribeBackupTasks", { ...params }, connection);
}

/** The three reads behind the recoverability check, on the same path as DescribeBackups. */
export async function describeBackupPolicyRaw(
  params: { readonly DBInstanceId: string },
  connection: TransportConnection,
): Promise<RawResponse> {
  return callAction("DescribeBackupPolicy", { ...params }, connection);
}

export async function describeLocalAvailableRecoveryTimeRaw(
  params: { readonly DBInstanceId: string },
  connection: TransportConnection,
): Promise<RawResponse> {
  return callAction("DescribeLocalAvailableRecoveryTime", { ...params }, connection);
}

export interface BinlogFilesParams {
  readonly DBInstanceId: string;
  /** `yyyy-MM-ddTHH:mm:ssZ` (this call takes seconds, unlike DescribeBackups). */
  readonly StartTime: string;
  readonly EndTime: string;
  readonly PageSize: number;
  readonly PageNumber: number;
}

export async function describeBinlogFilesRaw(
  params: BinlogFilesParams,
  connection: TransportConnection,
): Promise<RawResponse> {
  return callAction("DescribeBinlogFiles", { ...params }, connection);
}
