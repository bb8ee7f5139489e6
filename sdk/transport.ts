/**
 * The only file that loads `@alicloud/rds20140815` and `@alicloud/credentials`, lazily: requiring
 * them costs ~0.6 s and ~55 MB, so `import "sdk"` must not. The SDK signs and sends the request
 * (the same Params `describeBackupsWithOptions` builds), but with `bodyType: "string"` so that we
 * parse the body ourselves: the SDK's own cast turns "" into NaN and throws vague errors.
 * Its retries stay off (no `retryOptions`): retry.ts is the one policy. Both time-outs are set
 * (the SDK uses the connect time-out as the socket idle time-out).
 */
import { createHash } from "node:crypto";
import type RdsClient from "@alicloud/rds20140815";
import type { CredentialSource } from "./credentials";
import { secretsOf } from "./credentials";
import type { ResolvedEndpoint } from "./endpoints";
import type { WireParams } from "./validate";

type RdsModule = typeof import("@alicloud/rds20140815");
type CoreModule = typeof import("@alicloud/openapi-core");
type CredModule = typeof import("@alicloud/credentials");
type DaraModule = typeof import("@darabonba/typescript");

export interface TransportConnection {
  readonly endpoint: ResolvedEndpoint;
  readonly credentials: CredentialSource;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
}

export interface RawResponse {
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly statusCode: number;
  readonly requestId: string;
}

let modules: { rds: RdsModule; core: CoreModule; cred: CredModule; dara: DaraModule } | undefined;
function load(): NonNullable<typeof modules> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return (modules ??= {
    rds: require("@alicloud/rds20140815") as RdsModule,
    core: require("@alicloud/openapi-core") as CoreModule,
    cred: require("@alicloud/credentials") as CredModule,
    dara: require("@darabonba/typescript") as DaraModule,
  });
}

/** Clients keyed by endpoint, time-outs and a hash of the credentials (never the secret itself). */
const clients = new Map<string, RdsClient>();
const MAX_CLIENTS = 16;
const CHAIN_ENV = ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE"];

function clientKey(c: TransportConnection): string {
  const cred = c.credentials.kind === "static"
    ? ["static", c.credentials.accessKeyId, c.credentials.accessKeySecret, c.credentials.securityToken ?? ""]
    : ["chain", c.credentials.profile ?? "", ...CHAIN_ENV.map((k) => process.env[k] ?? "")];
  const hash = createHash("sha256").update(cred.join("\0")).digest("hex");
  return `${c.endpoint.url}|${c.connectTimeoutMs}|${c.readTimeoutMs}|${hash}`;
}

/** Tags a credential-chain failure so errors say "no credentials" rather than a vague Error. */
function chainCredential(m: NonNullable<typeof modules>, profile: string | undefined) {
  const inner = profile === undefined
    ? new m.cred.default()
    : new m.cred.default(null, m.cred.CLIProfileCredentialsProvider.builder().withProfileName(profile).build());
  const getCredential = async () => {
    try {
      return await inner.getCredential();
    } catch (e) {
      const err = new Error(`no credentials: ${e instanceof Error ? e.message : String(e)}`) as Error & { code: string };
      err.code = "CredentialsUnavailable";
      throw err;
    }
  };
  return Object.assign(Object.create(inner) as typeof inner, { getCredential });
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
  const clean = (s: unknown): unknown => (typeof s === "string" ? secrets.reduce((acc, x) => acc.split(x).join("(hidden)"), s) : s);
  const e = err as { message?: unknown; data?: unknown };
  if (typeof e.message === "string") e.message = clean(e.message) as string;
  if (typeof e.data === "object" && e.data !== null) {
    const d = e.data as Record<string, unknown>;
    for (const k of Object.keys(d)) d[k] = clean(d[k]);
  }
  return err;
}

/** One signed DescribeBackups call. Throws what the SDK throws (scrubbed), or InvalidResponse for a non-JSON 200. */
export async function describeBackupsRaw(params: WireParams, connection: TransportConnection): Promise<RawResponse> {
  const m = load();
  const req = new m.core.$OpenApiUtil.OpenApiRequest({ query: m.core.OpenApiUtil.query({ ...params }) });
  const p = new m.core.$OpenApiUtil.Params({
    action: "DescribeBackups", version: "2014-08-15", protocol: "HTTPS", pathname: "/", method: "POST",
    authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "string",
  });
  let res: { body?: unknown; statusCode?: number; headers?: Record<string, string> };
  try {
    res = (await client(connection).callApi(p, req, new m.dara.RuntimeOptions({}))) as typeof res;
  } catch (err) {
    throw scrub(err, secretsOf(connection.credentials));
  }
  const text = typeof res.body === "string" ? res.body : "";
  const requestId = res.headers?.["x-acs-request-id"] ?? "";
  try {
    return { body: JSON.parse(text) as unknown, statusCode: res.statusCode ?? 200, requestId };
  } catch {
    const err = new Error(`HTTP ${res.statusCode ?? 200} body is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 80))})`) as Error & {
      code: string; statusCode?: number; requestId?: string;
    };
    err.code = "InvalidResponse";
    err.requestId = requestId;
    throw err;
  }
}

/** For tests: has the SDK been loaded in this process? */
export function sdkLoaded(): boolean {
  return modules !== undefined;
}

/**
 * The two calls behind `ensureFreshBackup`, through the SDK's own typed methods. The SDK casts
 * the JSON body into its model (a number becomes a string, a wrong type throws a vague Error);
 * we hand back the model's wire-named map (`toMap()`), which sdk/backup-tasks.ts checks field
 * by field. A body the SDK cannot cast is reported as InvalidResponse, like a non-JSON body.
 * Same runtime options as describeBackupsRaw: the SDK's retries stay off, retry.ts decides.
 */
export interface CreateBackupParams {
  readonly DBInstanceId: string;
  readonly BackupMethod: string;
}

export interface DescribeBackupTasksParams {
  readonly DBInstanceId: string;
  /** Digits: the SDK sends it as a number. */
  readonly BackupJobId?: string;
  readonly BackupMode?: string;
}

export async function createBackupRaw(params: CreateBackupParams, connection: TransportConnection): Promise<RawResponse> {
  const m = load();
  const request = new m.rds.CreateBackupRequest({ DBInstanceId: params.DBInstanceId, backupMethod: params.BackupMethod });
  return typedCall(connection, () => client(connection).createBackupWithOptions(request, new m.dara.RuntimeOptions({})));
}

export async function describeBackupTasksRaw(params: DescribeBackupTasksParams, connection: TransportConnection): Promise<RawResponse> {
  const m = load();
  const request = new m.rds.DescribeBackupTasksRequest({
    DBInstanceId: params.DBInstanceId,
    ...(params.BackupJobId !== undefined ? { backupJobId: Number(params.BackupJobId) } : {}),
    ...(params.BackupMode !== undefined ? { backupMode: params.BackupMode } : {}),
  });
  return typedCall(connection, () => client(connection).describeBackupTasksWithOptions(request, new m.dara.RuntimeOptions({})));
}

async function typedCall(
  connection: TransportConnection,
  call: () => Promise<{ body?: { toMap(): Record<string, unknown> }; statusCode?: number; headers?: Record<string, string> }>,
): Promise<RawResponse> {
  let res: Awaited<ReturnType<typeof call>>;
  try {
    res = await call();
  } catch (err) {
    if (err instanceof Error && /^type of \w+ is mismatch/.test(err.message)) {
      throw Object.assign(new Error(`the answer does not fit the API's model: ${err.message}`), { code: "InvalidResponse" });
    }
    throw scrub(err, secretsOf(connection.credentials));
  }
  const body = res.body?.toMap() ?? {};
  const requestId = res.headers?.["x-acs-request-id"] ?? (typeof body["RequestId"] === "string" ? body["RequestId"] : "");
  return { body, statusCode: res.statusCode ?? 200, requestId };
}
