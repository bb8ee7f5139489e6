/**
 * Which `@pulumi/alicloud` resource a hook protects, and the RDS instance it backs up: the hooks'
 * view of the one table in sdk/rds-resource-types.ts (the CLI's `ensure-plan` reads the same
 * table, so the two agree on which resources count and which instance each one backs up).
 *
 * A change is judged by what the resource is now (the old inputs, then the old outputs): a
 * database moving to another instance takes its data from the old one.
 */
import { RDS_TYPES, rdsTypeOf } from "../sdk/internal";
import type { HookArgs } from "./hook-types";

/** The types the one-line protection covers by default. */
export const PROTECTED_RDS_TYPES: readonly string[] = Object.keys(RDS_TYPES);

/**
 * The instance a hook's resource lives in, by the table; undefined when the type is not in it or
 * the value is not a non-empty string (a secret or an unknown is not an id).
 */
export function defaultInstanceOf(args: HookArgs): string | undefined {
  const source = rdsTypeOf(args.type)?.instance;
  if (source === undefined) return undefined;
  if (source.kind === "id") return nonEmpty(args.id);
  for (const key of source.names) {
    const value = nonEmpty(args.oldInputs?.[key]) ?? nonEmpty(args.oldOutputs?.[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
