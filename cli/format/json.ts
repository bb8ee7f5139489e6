/**
 * JSON for scripts: `json` is one array (pretty, 2 spaces), `ndjson` is one compact object
 * per line. Field names are exactly the sdk's camelCase `Backup` names (see records.ts).
 */

export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function renderNdjson(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r) + "\n").join("");
}
