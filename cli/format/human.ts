/**
 * Human units for the table output. Sizes are 1024-based (KiB, MiB, GiB, TiB) and say so;
 * ages use the sdk's one rendering of a duration ("3h 2m", "27h 5m", "3d 4h"), the same words
 * as the gate's message.
 */
import { formatDuration } from "../../sdk/internal";

const SIZE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** `1536` → `"1.5 KiB"`; `0` → `"0 B"`. One decimal under 100 units, none above. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "-";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const text = value < 100 ? value.toFixed(1) : Math.round(value).toString();
  return `${text} ${SIZE_UNITS[unit]}`;
}

/** Age of an ISO time relative to `now`, e.g. `"3h 2m"`; `"-"` when the time is missing. */
export function formatAge(iso: string | undefined, now: Date): string {
  if (!iso) return "-";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "-";
  return formatDuration((now.getTime() - then) / 1000);
}

/** `"2026-11-27T02:00:05Z"` → `"2026-11-27 02:00:05"` (the table header says UTC). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "-";
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

/** `1204` → `"1,204"`. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
