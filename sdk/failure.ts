/**
 * Builds validation failures as data. Every reason names the field, the value as given and
 * what is allowed, so one sentence is enough to fix the input.
 */
import type { ValidationFailure } from "./errors";

/** A printable form of any input value (strings quoted, Dates as ISO or "Invalid Date"). */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * `failure("pageSize", 20, "30, 50 or 100")` →
 * `pageSize 20 is not allowed; use 30, 50 or 100`. `why` replaces "is not allowed".
 */
export function failure(field: string, value: unknown, allowed: string, why = "is not allowed"): ValidationFailure {
  return { field, value, allowed, reason: `${field} ${showValue(value)} ${why}; use ${allowed}` };
}
