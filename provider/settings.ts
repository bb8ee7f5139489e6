/**
 * Connection settings for a read, merged from (first wins): the call's arguments, the stack's
 * `alicloud:` config (the keys `@pulumi/alicloud` uses), then sdk/'s environment defaults and
 * credential chain.
 *
 * Runs inside the dynamic-provider process: the stack config arrives through the provider's
 * `configure`, so no credential is ever captured into the serialized provider. (Pulumi itself
 * keeps the stack config, each key as it was set, in its default provider's entry of the state;
 * keys from the environment or a credentials file stay out of it.)
 */
import { type ConnectionOptions, withoutUndefined } from "../sdk/internal";
import { GATE_OVERRIDES_KEY } from "./overrides";
import type { ConnectionArgs } from "./types";

/** The `alicloud:` keys this package reads. */
export interface StackSettings {
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly securityToken?: string;
  readonly profile?: string;
  /** The `rds` entry of `alicloud:endpoints`. */
  readonly rdsEndpoint?: string;
  /** `rds-backups:gateOverrides` as Pulumi passes it (JSON text); checked by ./overrides.ts when a gate reads it. */
  readonly gateOverrides?: string;
  /** The config key `gateOverrides` came from, when not `rds-backups:gateOverrides` (the provider plugin's namespace). */
  readonly gateOverridesKey?: string;
}

/** Reads the `alicloud:` namespace and the gate overrides through a config getter (Pulumi's `Config.get` or a plain map). */
export function stackSettingsFrom(get: (key: string) => string | undefined): StackSettings {
  const nonEmpty = (key: string): string | undefined => {
    const value = get(`alicloud:${key}`);
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    region: nonEmpty("region"),
    accessKey: nonEmpty("accessKey"),
    secretKey: nonEmpty("secretKey"),
    securityToken: nonEmpty("securityToken"),
    profile: nonEmpty("profile"),
    rdsEndpoint: rdsEndpointOf(nonEmpty("endpoints")),
    gateOverrides: get(GATE_OVERRIDES_KEY),
  };
}

/**
 * `alicloud:endpoints` is a list of objects keyed by service (`[{"rds": "..."}]`), stored by
 * Pulumi as JSON text. A value that is not such a list is ignored here: it belongs to
 * `@pulumi/alicloud`, which reports its own errors.
 */
function rdsEndpointOf(endpoints: string | undefined): string | undefined {
  if (endpoints === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(endpoints);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const entry of list) {
      if (entry && typeof entry === "object" && typeof (entry as Record<string, unknown>).rds === "string") {
        return (entry as Record<string, string>).rds;
      }
    }
  } catch {
    // not JSON: not ours to judge
  }
  return undefined;
}

/** The sdk/ options for one read. Undefined fields fall through to sdk/'s own defaults. */
export function connectionOptions(args: ConnectionArgs, stack: StackSettings): ConnectionOptions {
  const credentials =
    stack.accessKey !== undefined && stack.secretKey !== undefined
      ? { accessKeyId: stack.accessKey, accessKeySecret: stack.secretKey, securityToken: stack.securityToken }
      : undefined;
  return withoutUndefined({
    region: args.region ?? stack.region,
    endpoint: args.endpoint ?? stack.rdsEndpoint,
    profile: args.profile ?? stack.profile,
    credentials,
  });
}
