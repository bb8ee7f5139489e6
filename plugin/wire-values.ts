/**
 * Values as the engine sends them to a provider that accepts secrets: a secret is an object
 * `{ [specialSigKey]: specialSecretSig, value }`, an unknown (preview) is a fixed string. sdk/ and
 * the provider runtime take plain values, so secrets are opened at the door and closed again on
 * the way out; nothing else here knows the wire shape.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { escapeControl, showValue, type ValidationFailure } from "../sdk/internal";

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

/**
 * A property map with every secret opened (deeply), the top-level keys that were secret, and
 * the texts that arrived as secrets (for `hideSecrets`).
 */
export function openSecrets(props: Record<string, unknown>): {
  plain: Record<string, unknown>;
  secretKeys: Set<string>;
  secretTexts: string[];
} {
  const secretKeys = new Set<string>();
  const secretTexts: string[] = [];
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props ?? {})) {
    if (containsSecret(value)) secretKeys.add(key);
    collectSecretTexts(value, secretTexts);
    plain[key] = open(value);
  }
  return { plain, secretKeys, secretTexts };
}

/** What stands in a message for a value that arrived as a secret. */
export const HIDDEN = "(secret, not shown)";

/**
 * Failures and messages that name no value that arrived as a secret: a failure of a secret
 * argument shows `HIDDEN` for its value, and any secret text left in a message (a secret instance
 * id in a verdict) is replaced, in every form a message may hold it (as is, JSON-quoted, escaped).
 * The engine masks secrets it knows in what it shows, but any other client of the plugin gets
 * the plugin's text as it is.
 */
export function hideSecrets(
  opened: { secretKeys: ReadonlySet<string>; secretTexts: readonly string[] },
  failures: readonly ValidationFailure[],
): ValidationFailure[] {
  return failures.map((f) => {
    const root = /^[^.[]*/.exec(f.field)?.[0] ?? f.field;
    if (!opened.secretKeys.has(root)) return { ...f, reason: hideSecretTexts(f.reason, opened.secretTexts) };
    const reason = f.reason.split(showValue(f.value)).join(HIDDEN);
    return { ...f, value: HIDDEN, reason: hideSecretTexts(reason, opened.secretTexts) };
  });
}

/** `text` with every secret text replaced by `HIDDEN`. */
export function hideSecretTexts(text: string, secretTexts: readonly string[]): string {
  let hidden = text;
  for (const secretText of secretTexts) {
    for (const form of new Set([secretText, escapeControl(secretText), JSON.stringify(secretText).slice(1, -1)])) {
      if (form.length > 0) hidden = hidden.split(form).join(HIDDEN);
    }
  }
  return hidden;
}

/** The text leaves of every secret in `value` (a secret number counts as its text). */
function collectSecretTexts(value: unknown, into: string[], inSecret = false): void {
  if (isSecret(value)) return collectSecretTexts(value.value, into, true);
  if (Array.isArray(value)) return value.forEach((v) => collectSecretTexts(v, into, inSecret));
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) collectSecretTexts(v, into, inSecret);
    return;
  }
  // A flag or a text of one to three characters would blank ordinary words of every message: a
  // failure of such a secret argument hides its value by the argument's name instead.
  if (inSecret && (typeof value === "string" || typeof value === "number") && String(value).length >= 4)
    into.push(String(value));
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
