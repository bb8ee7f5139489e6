/**
 * Values as the engine sends them to a provider that accepts secrets: a secret is an object
 * `{ [specialSigKey]: specialSecretSig, value }`, an unknown (preview) is a fixed string. sdk/ and
 * the provider runtime take plain values, so secrets are opened at the door and closed again on
 * the way out; nothing else here knows the wire shape.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

function isSecret(value: unknown): value is { value: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

export function secret(value: unknown): unknown {
  return { [specialSigKey]: specialSecretSig, value };
}

/** An unknown value: the provider core's one test, shared with the dynamic providers. */
export { isUnknown } from "../provider/core";

/** A property map with every secret opened (deeply), and the top-level keys that were secret. */
export function openSecrets(props: Record<string, unknown>): {
  plain: Record<string, unknown>;
  secretKeys: Set<string>;
} {
  const secretKeys = new Set<string>();
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props ?? {})) {
    if (containsSecret(value)) secretKeys.add(key);
    plain[key] = open(value);
  }
  return { plain, secretKeys };
}

/**
 * The answer to inputs of which `secretKeys` were secret: when any was, every value is secret
 * (the outputs are derived from all inputs: a secret instance id is also in `checked`, `backup`,
 * the verdict), else the answer as it is.
 */
export function closeSecrets(props: Record<string, unknown>, secretKeys: ReadonlySet<string>): Record<string, unknown> {
  if (secretKeys.size === 0) return props;
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [key, value === null ? value : secret(value)]));
}

function open(value: unknown): unknown {
  if (isSecret(value)) return open(value.value);
  if (Array.isArray(value)) return value.map(open);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, open(v)]));
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}
