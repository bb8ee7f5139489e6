/**
 * CSV per RFC 4180: a header line, CRLF line ends, and a field quoted (with inner quotes
 * doubled) when it holds a comma, a quote, CR or LF, or starts or ends with a space.
 * CSV is read by people too (`cat`, a terminal): control characters in a value are written
 * escaped (sdk's escapeControl), so no field holds a raw ESC, CR or LF; JSON keeps the exact value.
 */
import { escapeControl } from "../../sdk/internal";

/** One field, quoted only when it must be. */
export function csvField(value: string): string {
  if (/[",\r\n]/.test(value) || /^\s|\s$/.test(value)) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** One record line, CRLF-terminated. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

/**
 * A cell's text for any JSON value: strings as is, numbers and booleans as JSON writes them,
 * absent as the empty field, arrays and objects as compact JSON text.
 */
export function csvValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return escapeControl(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return escapeControl(JSON.stringify(value));
}

/** A whole document: header from `fields`, then one line per record. */
export function renderCsv(fields: readonly string[], records: readonly Readonly<Record<string, unknown>>[]): string {
  return csvLine(fields) + records.map((r) => csvLine(fields.map((f) => csvValue(r[f])))).join("");
}
