/**
 * The one place for durations, the same rule for the sdk, Pulumi (TypeScript and the plugin) and
 * the CLI: text needs its unit (`"24h"`, `"90m"`, `"7d"`, `"1w"`, `"1h30m"`, `"3600s"`), a number
 * (only a program can pass one) is seconds; seconds out. A unitless `"24"` is refused everywhere,
 * with one message: whoever wrote `maxAge: "24"` meant hours or days far more often than
 * seconds. And the one human rendering of an age ("27h 5m"), so the gate, the CLI and the
 * provider all say it the same way.
 */
import { RdsValidationError, type ValidationFailure } from "./errors";
import { failure } from "./failure";

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };
const PART = /(\d+(?:\.\d+)?)\s*([wdhms])/g;
const WHOLE = /^(?:\d+(?:\.\d+)?\s*[wdhms]\s*)+$/;
/** Upper bound, seconds (10 years): anything longer is a typo, not a backup age. */
const MAX_DURATION_SECONDS = 10 * 365 * 86_400;
const ALLOWED = `a positive duration with its unit such as "24h", "90m", "7d", "1w", "1h30m", "3600s" (a number, in a program, is seconds; at most 10 years)`;

/** What a duration may be, in words (for messages and docs). */
export const DURATION_ALLOWED = ALLOWED;

/** Seconds in `input`, or a failure naming `field` (as data). */
export function checkDuration(input: unknown, field = "maxAge"): number | ValidationFailure {
  const bare = typeof input === "string" ? /^\s*(\d+(?:\.\d+)?)\s*$/.exec(input)?.[1] : undefined;
  if (bare !== undefined) {
    return failure(
      field,
      input,
      `${bare}h for hours, ${bare}d for days, ${bare}m for minutes or ${bare}s for seconds (units w, d, h, m, s; e.g. "1h30m")`,
      "has no unit",
    );
  }
  const seconds = durationSeconds(input);
  if (seconds === undefined || !(seconds > 0) || seconds > MAX_DURATION_SECONDS) return failure(field, input, ALLOWED);
  return seconds;
}

/** Seconds in `input`; throws RdsValidationError naming `field` on anything else. */
export function parseDuration(input: string | number, field = "maxAge"): number {
  const seconds = checkDuration(input, field);
  if (typeof seconds !== "number") throw new RdsValidationError([seconds]);
  return seconds;
}

function durationSeconds(input: unknown): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) ? input : undefined;
  if (typeof input !== "string") return undefined;
  const s = input.trim().toLowerCase();
  if (!WHOLE.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART)) total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] ?? Number.NaN);
  return total;
}

/**
 * Human form of a number of seconds: "45s", "90m" → "1h 30m", "27h 5m", "24h", and days from
 * 48 hours on ("3d 4h", "7d"). Hours are kept up to 47h because "27h ago" reads better than
 * "1d 3h ago" next to a 24h limit.
 */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s}s`;
  const parts: string[] = [];
  if (s >= 48 * 3_600) {
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3_600);
    parts.push(`${d}d`);
    if (h) parts.push(`${h}h`);
  } else {
    const h = Math.floor(s / 3_600);
    const m = Math.floor((s % 3_600) / 60);
    if (h) parts.push(`${h}h`);
    if (m) parts.push(`${m}m`);
  }
  return parts.join(" ");
}
