/**
 * Builds validation failures as data. Every reason names the field, the value as given and
 * what is allowed, so one sentence is enough to fix the input.
 */
import { cutNote, escapeControl, headOf, quoteServerText } from "./display-text";
import type { ValidationFailure } from "./errors";

/** Longest echo of a rejected value in a message, characters: enough to recognise it, never a flood. */
const MAX_ECHO_CHARS = 120;

/** A string quoted as JSON writes it (quotes, `\n`, `\u001b`), C1 and bidi escaped, and bounded. */
function quoted(text: string): string {
  const head = headOf(text, MAX_ECHO_CHARS);
  const shown = escapeControl(JSON.stringify(head));
  return head === text ? shown : `${shown}${cutNote(text, MAX_ECHO_CHARS)}`;
}

/**
 * A printable form of any input value (strings quoted, Dates as ISO or "Invalid Date"), with
 * control characters escaped and at most MAX_ECHO_CHARS characters of it shown.
 */
export function showValue(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null)
    return String(value);
  if (typeof value === "function") return "a function";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return quoteServerText(text, MAX_ECHO_CHARS);
}

/** A field name as given (an unknown key is the user's text): escaped and bounded like a value. */
export function showField(field: string): string {
  return quoteServerText(field, MAX_ECHO_CHARS);
}

/**
 * `failure("pageSize", 20, "30, 50 or 100")` →
 * `pageSize 20 is not allowed; use 30, 50 or 100`. `why` replaces "is not allowed".
 */
export function failure(field: string, value: unknown, allowed: string, why = "is not allowed"): ValidationFailure {
  return { field, value, allowed, reason: `${showField(field)} ${showValue(value)} ${why}; use ${allowed}` };
}
