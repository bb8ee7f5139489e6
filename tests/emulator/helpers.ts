import { createHash, createHmac, randomUUID } from "node:crypto";
import * as http from "node:http";
import RdsClient, * as $Rds from "@alicloud/rds20140815";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import referenceSample from "../fixtures/reference-sample.json";
import {
  generateData,
  startEmulator,
  type EmulatorData,
  type EmulatorOptions,
  type RawBackup,
  type RunningEmulator,
} from "../../emulator";

export const AK = "LTAI5tTestKeyAAAA";
export const SECRET = "test-secret-aaaa";

/** The reference's sample set, verbatim (every documented field). */
export const SAMPLE: RawBackup = referenceSample.Items.Backup[0]!;

/** A set like SAMPLE with other id/times/filters: `at` is the start time. */
export function backup(id: string, at: string, extra: Partial<RawBackup> = {}, instance = "rm-test0001"): RawBackup {
  const end = new Date(Date.parse(at) + 10 * 60 * 1000).toISOString().slice(0, 19) + "Z";
  return { ...SAMPLE, BackupId: id, DBInstanceId: instance, BackupStartTime: at, BackupEndTime: end, ...extra };
}

export function baseData(): EmulatorData {
  return {
    accessKeys: { [AK]: SECRET },
    instances: {
      "rm-uf6wjk5****": { regionId: "cn-hangzhou", backups: [SAMPLE] },
      "rm-test0001": { regionId: "cn-hangzhou", backups: [] },
    },
  };
}

export async function withEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ data: options.data ?? baseData(), ...options });
}

export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  timeoutMs?: number;
  signatureAlgorithm?: string;
}

/** The official SDK pointed at the emulator: plain HTTP, no retries (the default), both time-outs set. */
export function sdkClient(emu: RunningEmulator, o: ClientOptions = {}): RdsClient {
  const config = new $OpenApiUtil.Config({
    accessKeyId: o.accessKeyId ?? AK,
    accessKeySecret: o.accessKeySecret ?? SECRET,
    ...(o.securityToken ? { securityToken: o.securityToken } : {}),
    ...(o.signatureAlgorithm ? { signatureAlgorithm: o.signatureAlgorithm } : {}),
    endpoint: `127.0.0.1:${emu.port}`,
    protocol: "http",
    regionId: "cn-hangzhou",
    connectTimeout: o.timeoutMs ?? 2000,
    readTimeout: o.timeoutMs ?? 2000,
  });
  return new RdsClient(config);
}

export function describeRequest(fields: Record<string, unknown>): $Rds.DescribeBackupsRequest {
  return new $Rds.DescribeBackupsRequest(fields);
}

/** What the SDK's errors carry. */
export interface SdkError extends Error {
  code?: string;
  statusCode?: number;
  requestId?: string;
  retryAfter?: number;
  data?: Record<string, unknown>;
}

export async function expectSdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("expected the call to fail, it succeeded");
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A plain HTTP request, to see bytes the SDK would hide or to replay a request. */
export function rawRequest(
  port: number,
  opts: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: opts.method ?? "POST", path: opts.path, headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

export { generateData };

/**
 * A hand-made ACS3-HMAC-SHA256 request, written from the reference alone (not from the
 * emulator): lets a test send exact bytes, replay them, or break one piece.
 */
export function signAcs3(
  port: number,
  query: Record<string, string>,
  o: {
    accessKeyId?: string;
    secret?: string;
    date?: string;
    nonce?: string;
    token?: string;
    action?: string;
    version?: string;
  } = {},
): { path: string; headers: Record<string, string> } {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${enc(k)}=${enc(query[k] ?? "")}`)
    .join("&");
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    "x-acs-action": o.action ?? "DescribeBackups",
    "x-acs-version": o.version ?? "2014-08-15",
    "x-acs-date": o.date ?? new Date().toISOString().slice(0, 19) + "Z",
    "x-acs-signature-nonce": o.nonce ?? randomUUID(),
    "x-acs-content-sha256": createHash("sha256").update("").digest("hex"),
  };
  if (o.token) headers["x-acs-security-token"] = o.token;
  const names = Object.keys(headers).sort();
  const canonical = [
    "POST",
    "/",
    canonicalQuery,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    headers["x-acs-content-sha256"],
  ].join("\n");
  const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", o.secret ?? SECRET)
    .update(toSign)
    .digest("hex");
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${o.accessKeyId ?? AK},SignedHeaders=${names.join(";")},Signature=${signature}`;
  return { path: `/?${canonicalQuery}`, headers };
}

/** Signs and sends one DescribeBackups with raw HTTP. */
export function signedRaw(
  port: number,
  query: Record<string, string>,
  o: Parameters<typeof signAcs3>[2] = {},
): Promise<RawResponse> {
  const { path, headers } = signAcs3(port, query, o);
  return rawRequest(port, { path, headers });
}

/** Like rawRequest, but reports what happened to the socket instead of failing. */
export function rawOutcome(
  port: number,
  query: Record<string, string>,
): Promise<{ status?: number; headers?: http.IncomingHttpHeaders; bytes: number; error?: string }> {
  const { path, headers } = signAcs3(port, query);
  return new Promise((resolve) => {
    let status: number | undefined;
    let resHeaders: http.IncomingHttpHeaders | undefined;
    let bytes = 0;
    const done = (error?: string) => resolve({ status, headers: resHeaders, bytes, ...(error ? { error } : {}) });
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path, headers, agent: false }, (res) => {
      status = res.statusCode;
      resHeaders = res.headers;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () => done());
      res.on("aborted", () => done("aborted"));
      res.on("error", (e) => done(e.message));
    });
    req.on("error", (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    req.end();
  });
}

/**
 * A hand-made signature v1 (HMAC-SHA1) query, written from the reference alone: every
 * parameter but Signature, sorted, percent-encoded; base64 HMAC-SHA1(secret + "&", "GET&%2F&" + enc(query)).
 */
export function signV1(params: Record<string, string>, o: { secret?: string; method?: string } = {}): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const all: Record<string, string> = {
    Version: "2014-08-15",
    AccessKeyId: AK,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().slice(0, 19) + "Z",
    ...params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k] ?? "")}`)
    .join("&");
  const signature = createHmac("sha1", `${o.secret ?? SECRET}&`)
    .update(`${o.method ?? "GET"}&${enc("/")}&${enc(canonical)}`)
    .digest("base64");
  return `/?${canonical}&Signature=${enc(signature)}`;
}
