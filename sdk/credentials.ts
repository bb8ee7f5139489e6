/**
 * Which credentials a call uses, decided at call time (never cached here):
 * explicit keys (+ STS token) when given, else a chain of the `@alicloud/credentials` providers
 * (env ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN, OIDC, the aliyun CLI profile,
 * ~/.alibabacloud/credentials, the ECS RAM role, ALIBABA_CLOUD_CREDENTIALS_URI), or one aliyun CLI
 * profile when `profile` is given. The official SDK does not fall back to that chain by itself,
 * hence this file. It returns a description only: transport.ts turns it into SDK objects, so
 * nothing here loads the SDK.
 *
 * Unlike the library's default chain, ours tries only the sources that are configured or
 * present (`chainSources`): the default chain also asks the ECS metadata service
 * (100.100.100.200) on any machine, and builds a URI provider with no URI, which then resolves a
 * host named "undefinedGET". On a laptop or a CI runner that is traffic to hosts nobody chose and
 * seconds of delay; here no source means no request at all, and an error that says what was
 * looked for and how to configure one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RdsValidationError } from "./errors";
import type { StaticCredentials } from "./types";

export type CredentialSource =
  | {
      readonly kind: "static";
      readonly accessKeyId: string;
      readonly accessKeySecret: string;
      readonly securityToken?: string;
    }
  | { readonly kind: "chain"; readonly profile?: string };

/** Refuses a malformed key without ever echoing a secret (the value shown is "(hidden)"). */
function refuse(field: string, shown: unknown, why: string): never {
  throw new RdsValidationError([
    {
      field,
      value: shown,
      allowed: "a non-empty string without spaces",
      reason: `${field} ${why}; use a non-empty string without spaces (the value is not shown: it is a secret)`,
    },
  ]);
}

function key(v: unknown, field: string, secret: boolean): string {
  if (typeof v !== "string" || v === "" || /\s/.test(v)) {
    refuse(
      field,
      secret ? "(hidden)" : v,
      typeof v !== "string" ? `is a ${v === null ? "null" : typeof v}` : v === "" ? "is empty" : "contains spaces",
    );
  }
  return v;
}

export function resolveCredentials(options: {
  readonly credentials?: StaticCredentials;
  readonly profile?: string;
}): CredentialSource {
  const c = options.credentials;
  if (c !== undefined) {
    if (typeof c !== "object" || c === null)
      refuse("credentials", typeof c, "is not an object { accessKeyId, accessKeySecret }");
    const accessKeyId = key(c.accessKeyId, "credentials.accessKeyId", false);
    const accessKeySecret = key(c.accessKeySecret, "credentials.accessKeySecret", true);
    if (c.securityToken === undefined || c.securityToken === "")
      return { kind: "static", accessKeyId, accessKeySecret };
    return {
      kind: "static",
      accessKeyId,
      accessKeySecret,
      securityToken: key(c.securityToken, "credentials.securityToken", true),
    };
  }
  if (options.profile !== undefined) return { kind: "chain", profile: key(options.profile, "profile", false) };
  return { kind: "chain" };
}

/** The strings that must never appear in an error (secret and token), for scrubbing. */
export function secretsOf(source: CredentialSource): string[] {
  return source.kind === "static"
    ? [source.accessKeySecret, source.securityToken ?? ""].filter((s) => s.length >= 4)
    : [];
}

/** Every environment variable the chain reads (the client cache is keyed on their values). */
export const CHAIN_ENV_VARS = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_PROFILE",
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
  "ALIBABA_CLOUD_ECS_METADATA",
  "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
  "ALIBABA_CLOUD_CREDENTIALS_URI",
] as const;

export type ChainSourceName =
  "environment" | "oidc" | "cliProfile" | "credentialsFile" | "ecsRamRole" | "credentialsUri";

interface ChainSource {
  readonly name: ChainSourceName;
  /** For people: "the aliyun CLI profile (~/.aliyun/config.json)". */
  readonly label: string;
  /** Configured or present on this machine: the chain tries it. */
  readonly configured: boolean;
  /** How to configure it (said when no source worked). */
  readonly howTo: string;
}

/** What the machine looks like to the chain; injected in tests. */
export interface ChainProbe {
  readonly env: NodeJS.ProcessEnv;
  readonly homedir: string;
  exists(file: string): boolean;
  /** The DMI system vendor ("Alibaba Cloud" on an ECS instance), or "" when unknown. */
  systemVendor(): string;
}

export function machineProbe(): ChainProbe {
  return {
    env: process.env,
    homedir: os.homedir(),
    exists: (file) => fs.existsSync(file),
    systemVendor: () => {
      try {
        return fs.readFileSync("/sys/class/dmi/id/sys_vendor", "utf8").slice(0, 100).trim();
      } catch {
        return "";
      }
    },
  };
}

const set = (env: NodeJS.ProcessEnv, name: string): boolean => (env[name] ?? "") !== "";
const isTrue = (env: NodeJS.ProcessEnv, name: string): boolean => (env[name] ?? "").toLowerCase() === "true";

/** The chain's sources in the library's order, each marked configured (tried) or not (skipped, no request). */
export function chainSources(probe: ChainProbe = machineProbe()): ChainSource[] {
  const { env } = probe;
  const cliConfig = path.join(probe.homedir, ".aliyun", "config.json");
  const credentialsFile =
    env["ALIBABA_CLOUD_CREDENTIALS_FILE"] || path.join(probe.homedir, ".alibabacloud", "credentials");
  const onEcs = /alibaba/i.test(probe.systemVendor());
  return [
    {
      name: "environment",
      label: "the environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
      configured: set(env, "ALIBABA_CLOUD_ACCESS_KEY_ID"),
      howTo:
        "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS)",
    },
    {
      name: "oidc",
      label: "OIDC role (ALIBABA_CLOUD_ROLE_ARN)",
      configured: ["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"].every(
        (v) => set(env, v),
      ),
      howTo: "set ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    },
    {
      name: "cliProfile",
      label: "the aliyun CLI profile (~/.aliyun/config.json)",
      configured: !isTrue(env, "ALIBABA_CLOUD_CLI_PROFILE_DISABLED") && probe.exists(cliConfig),
      howTo:
        "run `aliyun configure` (a profile in ~/.aliyun/config.json; choose one with ALIBABA_CLOUD_PROFILE or option profile)",
    },
    {
      name: "credentialsFile",
      label: "the credentials file (~/.alibabacloud/credentials)",
      configured: probe.exists(credentialsFile),
      howTo: "write ~/.alibabacloud/credentials (or point ALIBABA_CLOUD_CREDENTIALS_FILE at one)",
    },
    {
      name: "ecsRamRole",
      label: "the ECS RAM role (instance metadata service)",
      configured:
        !isTrue(env, "ALIBABA_CLOUD_ECS_METADATA_DISABLED") && (set(env, "ALIBABA_CLOUD_ECS_METADATA") || onEcs),
      howTo:
        "on an ECS instance with a RAM role it is used by itself; elsewhere set ALIBABA_CLOUD_ECS_METADATA to the role name",
    },
    {
      name: "credentialsUri",
      label: "the credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI)",
      configured: set(env, "ALIBABA_CLOUD_CREDENTIALS_URI"),
      howTo: "set ALIBABA_CLOUD_CREDENTIALS_URI to a local credentials endpoint",
    },
  ];
}

/** First clause of a provider's error: enough to say why, never the file or answer it may quote after a colon. */
export function shortReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return JSON.stringify((message.split(/: |\n/)[0] ?? "").slice(0, 120));
}

/** The "no credentials" sentence: what was tried and why it failed, what was skipped and how to configure it. */
export function noCredentialsMessage(
  sources: readonly ChainSource[],
  failures: ReadonlyMap<ChainSourceName, string>,
): string {
  const tried = sources
    .filter((s) => s.configured)
    .map((s) => `${s.label}: ${failures.get(s.name) ?? "gave no credentials"}`);
  const skipped = sources.filter((s) => !s.configured).map((s) => `${s.label}: ${s.howTo}`);
  return (
    `${tried.length > 0 ? `tried ${tried.join("; ")}` : "no credential source is configured"}` +
    `${skipped.length > 0 ? `; not configured (no request made): ${skipped.join("; ")}` : ""}`
  );
}
