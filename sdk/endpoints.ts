/**
 * Region → endpoint, and the overrides.
 *
 * Order: the `endpoint` option, then `ALIBABA_CLOUD_RDS_ENDPOINT`, then the region's endpoint
 * from the official SDK's own map (`@alicloud/rds20140815` 15.4.0 `_endpointMap`, copied here so
 * that resolving an endpoint does not load the SDK), else `rds.<region>.aliyuncs.com` as the
 * SDK's endpoint rule does. An override is a URL (`http://127.0.0.1:9000`, protocol honoured) or
 * a bare host name (HTTPS).
 */
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";

export const DEFAULT_REGION = "cn-hangzhou";
/** A region id: lower-case words joined by dashes, e.g. cn-hangzhou, ap-southeast-1, cn-shanghai-finance-1. */
const REGION_ID = /^[a-z]{2,4}(-[a-z0-9]+){1,5}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;

/** The SDK 15.4.0 map: these regions are served by the central endpoint (one exception). */
const CENTRAL = "rds.aliyuncs.com";
const ENDPOINT_MAP: Readonly<Record<string, string>> = Object.fromEntries([
  ["cn-qingdao", CENTRAL],
  ["cn-beijing", CENTRAL],
  ["cn-hangzhou", CENTRAL],
  ["cn-shanghai", CENTRAL],
  ["cn-shenzhen", CENTRAL],
  ["cn-heyuan", CENTRAL],
  ["cn-hongkong", CENTRAL],
  ["ap-southeast-1", CENTRAL],
  ["us-west-1", CENTRAL],
  ["us-east-1", CENTRAL],
  ["cn-shanghai-finance-1", CENTRAL],
  ["cn-shenzhen-finance-1", CENTRAL],
  ["cn-north-2-gov-1", CENTRAL],
  ["ap-northeast-2-pop", CENTRAL],
  ["cn-beijing-finance-1", CENTRAL],
  ["cn-beijing-finance-pop", CENTRAL],
  ["cn-beijing-gov-1", CENTRAL],
  ["cn-beijing-nu16-b01", CENTRAL],
  ["cn-edge-1", CENTRAL],
  ["cn-fujian", CENTRAL],
  ["cn-haidian-cm12-c01", CENTRAL],
  ["cn-hangzhou-bj-b01", CENTRAL],
  ["cn-hangzhou-finance", "rds-vpc.cn-hangzhou-finance.aliyuncs.com"],
  ["cn-hangzhou-internal-prod-1", CENTRAL],
  ["cn-hangzhou-internal-test-1", CENTRAL],
  ["cn-hangzhou-internal-test-2", CENTRAL],
  ["cn-hangzhou-internal-test-3", CENTRAL],
  ["cn-hangzhou-test-306", CENTRAL],
  ["cn-hongkong-finance-pop", CENTRAL],
  ["cn-qingdao-nebula", CENTRAL],
  ["cn-shanghai-et15-b01", CENTRAL],
  ["cn-shanghai-et2-b01", CENTRAL],
  ["cn-shanghai-inner", CENTRAL],
  ["cn-shanghai-internal-test-1", CENTRAL],
  ["cn-shenzhen-inner", CENTRAL],
  ["cn-shenzhen-st4-d01", CENTRAL],
  ["cn-shenzhen-su18-b01", CENTRAL],
  ["cn-wuhan", CENTRAL],
  ["cn-yushanfang", CENTRAL],
  ["cn-zhangbei", CENTRAL],
  ["cn-zhangbei-na61-b01", CENTRAL],
  ["cn-zhangjiakou-na62-a01", CENTRAL],
  ["cn-zhengzhou-nebula-1", CENTRAL],
  ["eu-west-1-oxs", CENTRAL],
  ["rus-west-1-pop", CENTRAL],
]);

export interface ResolvedEndpoint {
  readonly protocol: "http" | "https";
  /** Host name, with `:port` when one was given. */
  readonly host: string;
  /** `protocol://host`, for messages. */
  readonly url: string;
  readonly region: string;
}

/** A string option given as another JS type (`region: 5`) is refused by name, never a TypeError. */
function notAString(v: unknown, field: string, allowed: string): ValidationFailure | undefined {
  return typeof v === "string"
    ? undefined
    : failure(field, v, allowed, `is a ${v === null ? "null" : typeof v}, not a string`);
}

function refuse(f: ValidationFailure | undefined): void {
  if (f) throw new RdsValidationError([f]);
}

export const REGION_ALLOWED = "a region id such as cn-hangzhou or ap-southeast-1";

/** What is wrong with a region id, as data (undefined: nothing); suggests the lower-case form. */
export function regionFailure(region: unknown, field = "region"): ValidationFailure | undefined {
  const typeFailure = notAString(region, field, REGION_ALLOWED);
  if (typeFailure || REGION_ID.test(region as string)) return typeFailure;
  const lower = (region as string).trim().toLowerCase();
  const hint = REGION_ID.test(lower) ? ` (did you mean "${lower}"?)` : "";
  return failure(field, region, `${REGION_ALLOWED}${hint}`, "is not a region id");
}

/** Checks a region id; the failure suggests the lower-case form. */
function checkRegion(region: string, field = "region"): void {
  refuse(regionFailure(region, field));
}

/** The host the region's requests go to. */
export function regionEndpoint(region: string): string {
  checkRegion(region);
  return ENDPOINT_MAP[region] ?? `rds.${region}.aliyuncs.com`;
}

export const OVERRIDE_ALLOWED =
  "a URL such as http://127.0.0.1:9000 or https://rds.aliyuncs.com, or a host name such as rds.aliyuncs.com";

/** A port written in the authority (`host:70000`) must be 1-65535: checked before URL parsing, which only says "invalid". */
function portFailure(raw: string, authority: string, field: string): ValidationFailure | undefined {
  const port = /:(\d+)$/.exec(authority)?.[1];
  if (port === undefined) return undefined;
  const n = Number(port);
  return n < 1 || n > 65_535
    ? failure(field, raw, `${OVERRIDE_ALLOWED}, with a port from 1 to 65535`, `has port ${port}`)
    : undefined;
}

/** An endpoint override's protocol and host, or what is wrong with it (its shape only: nothing is resolved). */
export function parseEndpointOverride(
  raw: unknown,
  field = "endpoint",
): { protocol: "http" | "https"; host: string } | ValidationFailure {
  const allowed = OVERRIDE_ALLOWED;
  const typeFailure = notAString(raw, field, allowed);
  if (typeFailure) return typeFailure;
  const value = (raw as string).trim();
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1];
  const badPort = portFailure(raw as string, authority ?? value, field);
  if (badPort) return badPort;
  if (authority !== undefined) {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return failure(field, raw, allowed, "is not a valid URL");
    }
    const protocol = u.protocol === "http:" ? "http" : u.protocol === "https:" ? "https" : undefined;
    if (!protocol) return failure(field, raw, allowed, `has protocol ${u.protocol} (only http and https work)`);
    if ((u.pathname !== "/" && u.pathname !== "") || u.search || u.hash || u.username || u.password) {
      return failure(field, raw, allowed, "has a path, query or user part (the API lives at /)");
    }
    return { protocol, host: u.host };
  }
  if (!HOST.test(value)) return failure(field, raw, allowed, "is not a host name or URL");
  return { protocol: "https", host: value.toLowerCase() };
}

/** Where calls go, from the options and the environment; throws RdsValidationError naming the field. */
export function resolveEndpoint(
  options: { readonly region?: string; readonly endpoint?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedEndpoint {
  if (typeof options !== "object" || options === null)
    throw new RdsValidationError([failure("options", options, 'an object such as { region: "cn-hangzhou" }')]);
  if (options.endpoint !== undefined) refuse(notAString(options.endpoint, "endpoint", OVERRIDE_ALLOWED));
  const regionField = options.region !== undefined ? "region" : "ALIBABA_CLOUD_REGION_ID";
  const region = options.region ?? (env["ALIBABA_CLOUD_REGION_ID"] || DEFAULT_REGION);
  checkRegion(region, regionField);
  const override = options.endpoint ?? (env["ALIBABA_CLOUD_RDS_ENDPOINT"] || undefined);
  const field = options.endpoint !== undefined ? "endpoint" : "ALIBABA_CLOUD_RDS_ENDPOINT";
  const parsed =
    override !== undefined
      ? parseEndpointOverride(override, field)
      : { protocol: "https" as const, host: regionEndpoint(region) };
  if ("reason" in parsed) throw new RdsValidationError([parsed]);
  const { protocol, host } = parsed;
  return { protocol, host, url: `${protocol}://${host}`, region };
}
