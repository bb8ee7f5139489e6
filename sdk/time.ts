/**
 * The one place for time formats.
 *
 * - In: a `Date`, or an ISO-8601 string WITH an explicit offset (`Z`, `+08:00`). A string without
 *   an offset is refused: JavaScript would read it as local time and silently shift the window.
 * - To the API: `yyyy-MM-ddTHH:mmZ` (UTC, minutes; the API refuses seconds). Start times are
 *   rounded down and end times up, so that the window still covers what was asked.
 * - From the API: `yyyy-MM-ddTHH:mm:ssZ` (and `yyyy-MM-ddTHH:mmZ` for ExpectExpireTime);
 *   callers always get `yyyy-MM-ddTHH:mm:ssZ`.
 */
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";
import type { TimeInput } from "./types";

export const TIME_ALLOWED =
  "a Date or an ISO-8601 string with an offset, e.g. 2026-11-27T02:00:00Z or 2026-11-27T10:00+08:00";
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})$/;
const API_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/;
const MINUTE_MS = 60_000;
/**
 * How far this machine's clock may lag the API's, ms. A backup that just ended may carry an end a
 * little ahead of our clock; beyond this, a time "in the future" is an error, not skew. 5 minutes:
 * synchronised clocks differ by far less, a badly kept CI runner by seconds to minutes, and the
 * API itself refuses requests signed more than 15 minutes off (InvalidTimeStamp.Expired).
 */
export const CLOCK_SKEW_MS = 5 * MINUTE_MS;
/**
 * The longest a backup is assumed to run, seconds. Windows ask the API by start time, so a
 * backup that ended inside a window may have started up to this long before it: windows are
 * widened by this margin, and a candidate is only trusted when no backup that started before
 * the window could have ended after it. A longer-running backup can be missed: the answer is
 * then "older"/"none", never a wrong "fresh". Also the longest an ensure waits.
 */
export const MAX_BACKUP_DURATION_SECONDS = 24 * 3_600;

function realDate(y: string, mo: string, d: string, h: string, mi: string, s = "00"): boolean {
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  return (
    Number(mo) >= 1 &&
    Number(mo) <= 12 &&
    Number(d) >= 1 &&
    Number(d) <= days &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59
  );
}

/**
 * The span the API's minute format can write: four-digit years, 0000-01-01T00:00Z to
 * 9999-12-31T23:59Z. A time outside it would go out as `+010000-01-01T00:00Z` (JavaScript's
 * expanded years), which the API cannot read; inside it, rounding to the minute stays inside.
 */
const FIRST_API_MINUTE_MS = Date.parse("0000-01-01T00:00:00Z");
const LAST_API_MINUTE_MS = Date.parse("9999-12-31T23:59:00Z");

function inApiRange(d: Date, value: unknown, field: string): Date | ValidationFailure {
  const ms = d.getTime();
  if (ms >= FIRST_API_MINUTE_MS && ms <= LAST_API_MINUTE_MS) return d;
  const why = ms > LAST_API_MINUTE_MS ? "is after 9999-12-31T23:59Z" : "is before 0000-01-01T00:00Z";
  return failure(
    field,
    value,
    "a time from 0000-01-01T00:00Z to 9999-12-31T23:59Z (the API's time format has four-digit years)",
    why,
  );
}

/** Reads a time input; a failure (as data) names the field, the value and what is allowed. */
export function checkTime(value: unknown, field: string): Date | ValidationFailure {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? failure(field, value, TIME_ALLOWED, "is an invalid Date")
      : inApiRange(new Date(value.getTime()), value, field);
  }
  if (typeof value !== "string")
    return failure(field, value, TIME_ALLOWED, `is a ${value === null ? "null" : typeof value}`);
  const m = ISO_WITH_OFFSET.exec(value.trim());
  if (!m) {
    const why = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(value.trim())
      ? "has no offset (it would be read as local time)"
      : "is not an ISO-8601 time";
    return failure(field, value, TIME_ALLOWED, why);
  }
  const [, y, mo, d, h, mi, s] = m as unknown as [string, string, string, string, string, string, string | undefined];
  const ms = Date.parse(value.trim().replace(/z$/, "Z"));
  if (!realDate(y, mo, d, h, mi, s) || Number.isNaN(ms))
    return failure(field, value, TIME_ALLOWED, "is not a real date");
  return inApiRange(new Date(ms), value, field);
}

/** Like checkTime, but throws RdsValidationError. */
export function parseTimeInput(value: TimeInput, field = "time"): Date {
  const r = checkTime(value, field);
  if (r instanceof Date) return r;
  throw new RdsValidationError([r]);
}

/** `yyyy-MM-ddTHH:mmZ` in UTC; "floor" for window starts, "ceil" for window ends. */
export function toApiMinute(t: TimeInput, mode: "floor" | "ceil", field = "time"): string {
  const ms = parseTimeInput(t, field).getTime();
  const rounded = mode === "floor" ? Math.floor(ms / MINUTE_MS) * MINUTE_MS : Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
  return new Date(rounded).toISOString().slice(0, 16) + "Z";
}

/** `yyyy-MM-ddTHH:mm:ssZ` (no milliseconds): the one output format of the sdk. */
export function toIsoSeconds(d: Date | number): string {
  return new Date(typeof d === "number" ? d : d.getTime()).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A time as the API sends it → `yyyy-MM-ddTHH:mm:ssZ`; undefined when it is not one. */
export function parseApiTime(s: string): string | undefined {
  const m = API_TIME.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec] = m as unknown as [string, string, string, string, string, string, string | undefined];
  if (!realDate(y, mo, d, h, mi, sec)) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${sec ?? "00"}Z`;
}

/** `ConsistentTime` is epoch seconds → ISO; undefined for 0 ("not set", not 1970). */
export function epochSecondsToIso(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return toIsoSeconds(n * 1000);
}
