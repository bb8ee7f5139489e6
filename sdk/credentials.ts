/**
 * Which credentials a call uses, decided at call time (never cached here):
 * explicit keys (+ STS token) when given, else the `@alicloud/credentials` default chain
 * (env ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN, OIDC, the aliyun CLI profile,
 * ~/.alibabacloud/credentials, the ECS RAM role, ALIBABA_CLOUD_CREDENTIALS_URI), or one aliyun CLI
 * profile when `profile` is given. The official SDK does not fall back to that chain by itself,
 * hence this file. It returns a description only: transport.ts turns it into SDK objects, so
 * nothing here loads the SDK.
 */
import { RdsValidationError } from "./errors";
import type { StaticCredentials } from "./types";

export type CredentialSource =
  | { readonly kind: "static"; readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken?: string }
  | { readonly kind: "chain"; readonly profile?: string };

/** Refuses a malformed key without ever echoing a secret (the value shown is "(hidden)"). */
function refuse(field: string, shown: unknown, why: string): never {
  throw new RdsValidationError([{
    field, value: shown, allowed: "a non-empty string without spaces",
    reason: `${field} ${why}; use a non-empty string without spaces (the value is not shown: it is a secret)`,
  }]);
}

function key(v: unknown, field: string, secret: boolean): string {
  if (typeof v !== "string" || v === "" || /\s/.test(v)) {
    refuse(field, secret ? "(hidden)" : v, typeof v !== "string" ? `is a ${v === null ? "null" : typeof v}` : v === "" ? "is empty" : "contains spaces");
  }
  return v;
}

export function resolveCredentials(options: { readonly credentials?: StaticCredentials; readonly profile?: string }): CredentialSource {
  const c = options.credentials;
  if (c !== undefined) {
    if (typeof c !== "object" || c === null) refuse("credentials", typeof c, "is not an object { accessKeyId, accessKeySecret }");
    const accessKeyId = key(c.accessKeyId, "credentials.accessKeyId", false);
    const accessKeySecret = key(c.accessKeySecret, "credentials.accessKeySecret", true);
    if (c.securityToken === undefined || c.securityToken === "") return { kind: "static", accessKeyId, accessKeySecret };
    return { kind: "static", accessKeyId, accessKeySecret, securityToken: key(c.securityToken, "credentials.securityToken", true) };
  }
  if (options.profile !== undefined) return { kind: "chain", profile: key(options.profile, "profile", false) };
  return { kind: "chain" };
}

/** The strings that must never appear in an error (secret and token), for scrubbing. */
export function secretsOf(source: CredentialSource): string[] {
  return source.kind === "static" ? [source.accessKeySecret, source.securityToken ?? ""].filter((s) => s.length >= 4) : [];
}
