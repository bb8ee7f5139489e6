/**
 * JSON for scripts: `json` is one array (pretty, 2 spaces), `ndjson` is one compact object
 * per line. Field names are exactly the sdk's camelCase `Backup` names (see records.ts).
 * Values are exact; the characters a terminal would act on are written as `\uXXXX` escapes
 * (JSON.stringify leaves DEL, C1 and bidi controls raw), so printing the JSON is safe too.
 */
import { escapeJsonText } from "../../sdk/internal";

export function renderJson(value: unknown): string {
  return escapeJsonText(JSON.stringify(value, null, 2)) + "\n";
}

export function renderNdjson(records: readonly unknown[]): string {
  return records.map((r) => escapeJsonText(JSON.stringify(r)) + "\n").join("");
}
