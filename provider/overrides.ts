/**
 * Gate overrides: a stack setting that lets a deployment through a STALE backup, on purpose and
 * on the record. One entry per instance, with a reason and, optionally, an expiry:
 *
 *   pulumi config set --path 'rds-backups:gateOverrides["rm-xxx"].reason' "backup job broken, INC-123"
 *   pulumi config set --path 'rds-backups:gateOverrides["rm-xxx"].expiresAt' 2026-12-01T00:00:00Z
 *
 * Pulumi stores the structured value as JSON text and hands the provider the whole stack config
 * through `configure`, so the provider reads it there; it is checked here, every field, before it
 * can open anything.
 */
import {
  checkTime,
  failure,
  RdsValidationError,
  showField,
  toIsoSeconds,
  unknownKey,
  type ValidationFailure,
} from "../sdk/internal";
import type { GateOverrideRecord } from "./types";

/** The stack config key (namespace `rds-backups`, like `alicloud:` for the cloud settings). */
export const GATE_OVERRIDES_KEY = "rds-backups:gateOverrides";

/** The keys of one instance's override. */
const ENTRY_KEYS = ["reason", "expiresAt"];
/** A reason long enough for a sentence and a ticket, short enough for a log line. */
const MAX_REASON_LENGTH = 500;
/**
 * What a reason may not hold: it is printed in every preview and kept in the state, so a reader
 * must see what it says. Control characters (Cc), format characters (Cf: zero-width ones, the
 * bidi controls that reorder text), line and paragraph separators (Zl, Zp).
 */
const UNREADABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNREADABLE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** A visible character: a letter, digit, punctuation or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export interface GateOverride {
  readonly reason: string;
  /** ISO-8601 UTC; absent: until someone removes the setting. */
  readonly expiresAt?: string;
}

/** All overrides of the stack, by instance id. Throws `RdsValidationError` naming every bad field. */
export function parseGateOverrides(
  text: string | undefined,
  key = GATE_OVERRIDES_KEY,
): ReadonlyMap<string, GateOverride> {
  const overrides = new Map<string, GateOverride>();
  if (text === undefined || text.trim() === "") return overrides;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new RdsValidationError([
      failure(
        key,
        clip(text),
        `an object keyed by instance id: pulumi config set --path '${key}["rm-xxx"].reason' "why"`,
      ),
    ]);
  }
  const failures: ValidationFailure[] = [];
  for (const [instance, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const field = `${key}[${JSON.stringify(instance)}]`;
    const checked = checkEntry(entry, field);
    if (Array.isArray(checked)) failures.push(...checked);
    else overrides.set(instance, checked);
  }
  if (failures.length > 0) throw new RdsValidationError(failures);
  return overrides;
}

/** Whether an override has run out at `now`. */
export function isExpired(override: GateOverride, now: Date): boolean {
  return override.expiresAt !== undefined && Date.parse(override.expiresAt) <= now.getTime();
}

/**
 * The one rule for a verdict that failed (a stale backup, a restore that is not possible), the
 * same for the gate, ensure and the hooks: an override in force lets it through and gives the
 * record to keep; otherwise the refusal to show, which says how to record one. Never asked when
 * the API could not be read: an override vouches for a verdict, not for an answer nobody read.
 */
export function useOverride(
  override: GateOverride | undefined,
  failed: { readonly dbInstanceId: string; readonly verdict: string; readonly key: string; readonly now: Date },
): { readonly record: GateOverrideRecord } | { readonly refusal: string } {
  const howTo = `to deploy anyway, record why: pulumi config set --path '${failed.key}["${failed.dbInstanceId}"].reason' "<why>"`;
  if (override === undefined) return { refusal: `${failed.verdict}; ${howTo}` };
  if (isExpired(override, failed.now))
    return {
      refusal: `${failed.verdict}; its override ("${override.reason}") expired at ${override.expiresAt}; ${howTo}`,
    };
  return { record: { ...override, usedAt: toIsoSeconds(failed.now), verdict: failed.verdict } };
}

function checkEntry(entry: unknown, field: string): GateOverride | ValidationFailure[] {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    return [failure(field, entry, 'an object with a "reason" (and optionally "expiresAt")')];
  }
  const { reason, expiresAt, ...unknown } = entry as Record<string, unknown>;
  const failures = Object.keys(unknown).map((key) => unknownKey(`${field}.${key}`, unknown[key], key, ENTRY_KEYS));
  const reasonAllowed = `a sentence saying why, up to ${MAX_REASON_LENGTH} characters, with visible characters and no control, invisible, bidi or line-separator character (it is kept in the state and shown in every preview)`;
  if (typeof reason !== "string" || reason.trim() === "") {
    failures.push(failure(`${field}.reason`, reason, reasonAllowed, "is required"));
  } else if (reason.length > MAX_REASON_LENGTH) {
    failures.push(failure(`${field}.reason`, clip(reason), reasonAllowed));
  } else {
    const unreadable = unreadableReason(`${field}.reason`, reason, reasonAllowed);
    if (unreadable !== undefined) failures.push(unreadable);
  }
  let expiry: string | undefined;
  if (expiresAt !== undefined) {
    const time = checkTime(expiresAt, `${field}.expiresAt`);
    if (time instanceof Date) expiry = toIsoSeconds(time);
    else failures.push(time);
  }
  if (failures.length > 0) return failures;
  return { reason: (reason as string).trim(), ...(expiry !== undefined ? { expiresAt: expiry } : {}) };
}

/**
 * A reason nobody could read as written: the first character it may not hold, named by code
 * point and position, or that it has no visible character. The reason is echoed with every such
 * character written as its code point, so the message itself shows what was there.
 */
function unreadableReason(field: string, reason: string, allowed: string): ValidationFailure | undefined {
  const found = UNREADABLE.exec(reason);
  let why: string;
  if (found !== null) {
    const char = found[0];
    const at = [...reason.slice(0, found.index)].length + 1;
    why = `holds ${codePoint(char)} (${kindOf(char)}) at character ${at}`;
  } else if (!VISIBLE.test(reason)) {
    why = "has no visible character";
  } else {
    return undefined;
  }
  const shown = JSON.stringify(clip(reason).replace(UNREADABLE_ALL, (c) => `<${codePoint(c)}>`));
  return { field, value: reason, allowed, reason: `${showField(field)} ${shown} ${why}; use ${allowed}` };
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

function kindOf(char: string): string {
  if (BIDI_CONTROLS.test(char)) return "a bidi control, which reorders the text around it";
  if (/\p{Cc}/u.test(char)) return "a control character";
  if (/\p{Zl}/u.test(char)) return "a line separator";
  if (/\p{Zp}/u.test(char)) return "a paragraph separator";
  return "an invisible format character";
}

/** Values in messages stay short. */
function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}
