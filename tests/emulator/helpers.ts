import * as http from "node:http";
import RdsClient, * as $Rds from "@alicloud/rds20140815";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { generateData, startEmulator, type EmulatorData, type EmulatorOptions, type RawBackup, type RunningEmulator } from "../../emulator";

export const AK = "LTAI5tTestKeyAAAA";
export const SECRET = "test-secret-aaaa";

/** The reference's sample set, verbatim (every documented field). */
export const SAMPLE: RawBackup = {
  BackupDownloadLinkByDB: {
    BackupDownloadLinkByDB: [
      {
        DataBase: "dbs",
        DownloadLink: "https://cn-hangzhou.bak.rds.aliyuncs.com/custins53664665/hins18676859_2021072909473127987849.zip?Expires=****&dbList=tb1",
        IntranetDownloadLink: "https://cn-hangzhou-internal.bak.rds.aliyuncs.com/custins53664665/hins18676859_2021072909473127987849.zip?Expires=****&dbList=tb1",
      },
    ],
  },
  BackupDownloadURL: "http://rdsbak-hz-v3.oss-cn-hangzhou.aliyuncs.com/****",
  BackupEndTime: "2019-02-13T12:20:00Z",
  BackupId: "321020562",
  BackupInitiator: "System",
  BackupIntranetDownloadURL: "http://rdsbak-hz-v3.oss-cn-hangzhou-internal.aliyuncs.com/****",
  BackupMethod: "Physical",
  BackupMode: "Automated",
  BackupSize: 2167808,
  BackupStartTime: "2019-02-03T12:20:00Z",
  BackupStatus: "Success",
  BackupType: "FullBackup",
  Checksum: "1835830439****",
  ConsistentTime: 1576506856,
  CopyOnlyBackup: "0",
  DBInstanceId: "rm-uf6wjk5****",
  Encryption: "{}",
  Engine: "MySQL",
  EngineVersion: "8.0",
  HostInstanceID: "5882781",
  IsAvail: 1,
  MetaStatus: "OK",
  StorageClass: "0",
  StoreStatus: "Disabled",
  ExpectExpireTime: "2025-06-17T12:10:23Z",
};

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
export function rawRequest(port: number, opts: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: opts.method ?? "POST", path: opts.path, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

export { generateData };
