/**
 * Two small shapes every layer needs: an object without its `undefined` fields (Pulumi's property
 * structs and the SDK's request models take none), and JSON with sorted keys (equal values give
 * equal text whatever their key order: names derived from arguments, diffs of arguments).
 */

/** `value` without the fields whose value is `undefined` (one level). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** JSON of an object's own fields in key order (one level; nested values as JSON writes them). */
export function stableJson(value: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  );
}
