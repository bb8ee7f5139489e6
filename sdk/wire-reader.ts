/**
 * Typed reads of one JSON object from the API, each failing with an RdsResponseError that names
 * the field, the value and the request id. Nothing is coerced silently: a digit string is a
 * number (the API sends counts as strings), "" is "absent" where the API documents it so, and
 * anything else of the wrong type is an error, never NaN.
 */
import { RdsResponseError } from "./errors";

type Json = Readonly<Record<string, unknown>>;

export class WireReader {
  /** `action` names the call in errors (default DescribeBackups). */
  constructor(
    readonly obj: Json,
    readonly path: string,
    readonly requestId: string,
    readonly action?: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new RdsResponseError(`${this.path}${key}`, this.obj[key], this.requestId, expected, this.action);
  }

  /** Absent for undefined, null and "". */
  has(key: string): boolean {
    const v = this.obj[key];
    return v !== undefined && v !== null && v !== "";
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
    return this.fail(key, "a non-empty string");
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  /** Non-negative integer, as a JSON number or a digit string. */
  integer(key: string): number {
    const v = this.obj[key];
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
    if (typeof v === "string" && /^\d{1,15}$/.test(v)) return Number(v);
    return this.fail(key, "a non-negative integer (number or digit string)");
  }

  optionalInteger(key: string): number | undefined {
    return this.has(key) ? this.integer(key) : undefined;
  }

  /** One of the documented values (exact case). */
  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.obj[key];
    if (typeof v === "string" && (values as readonly string[]).includes(v)) return v as T;
    return this.fail(key, `one of ${values.join(", ")}`);
  }

  optionalOneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.has(key) ? this.oneOf(key, values) : undefined;
  }

  /** "0"/"1" (or 0/1) mapped through `map`. */
  flag<T>(key: string, map: { readonly "0": T; readonly "1": T }): T | undefined {
    if (!this.has(key)) return undefined;
    const v = String(this.obj[key]);
    if ((typeof this.obj[key] === "string" || typeof this.obj[key] === "number") && (v === "0" || v === "1"))
      return map[v];
    return this.fail(key, `"0" or "1"`);
  }

  /** A URL, absent when the API sends "", "null" or null (not downloadable). */
  url(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null || v === "" || v === "null") return undefined;
    if (typeof v === "string") return v;
    return this.fail(key, 'a URL string, "" or null');
  }

  /** A nested object, or an empty one when absent. */
  child(key: string): WireReader {
    const v = this.obj[key];
    if (v === undefined || v === null || v === "")
      return new WireReader({}, `${this.path}${key}.`, this.requestId, this.action);
    if (typeof v === "object" && !Array.isArray(v))
      return new WireReader(v as Json, `${this.path}${key}.`, this.requestId, this.action);
    return this.fail(key, "an object");
  }

  /** An array of objects, [] when absent. */
  array(key: string): WireReader[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(key, "an array");
    return v.map((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new RdsResponseError(`${this.path}${key}[${i}]`, item, this.requestId, "an object", this.action);
      }
      return new WireReader(item as Json, `${this.path}${key}[${i}].`, this.requestId, this.action);
    });
  }

  /** Raises the standard error for a field (for checks done by the caller). */
  reject(key: string, expected: string): never {
    return this.fail(key, expected);
  }
}
