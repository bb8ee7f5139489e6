/**
 * The `@pulumi/alicloud` resource types whose update, replace or delete can lose data, and where
 * each names the RDS instance that holds the data (read from the SDK's declarations, 3.108.0):
 *
 * | type token                                        | the instance            |
 * |---------------------------------------------------|-------------------------|
 * | `alicloud:rds/instance:Instance`                  | the resource's own id   |
 * | `alicloud:rds/database:Database`                  | input `instanceId`      |
 * | `alicloud:rds/account:Account`                    | input `dbInstanceId` (older programs: the deprecated `instanceId`) |
 * | `alicloud:rds/readOnlyInstance:ReadOnlyInstance`  | input `masterDbInstanceId` (the primary whose data it copies) |
 *
 * A change is judged by what the resource is now (the old inputs, then the old outputs): a
 * database moving to another instance takes its data from the old one.
 */
import type * as pulumi from "@pulumi/pulumi";

export const RDS_INSTANCE = "alicloud:rds/instance:Instance";
export const RDS_DATABASE = "alicloud:rds/database:Database";
export const RDS_ACCOUNT = "alicloud:rds/account:Account";
export const RDS_READ_ONLY_INSTANCE = "alicloud:rds/readOnlyInstance:ReadOnlyInstance";

/** Where each type names its instance: the resource id, or the first of these inputs that is set. */
const INSTANCE_OF: Readonly<Record<string, "id" | readonly string[]>> = {
  [RDS_INSTANCE]: "id",
  [RDS_DATABASE]: ["instanceId"],
  [RDS_ACCOUNT]: ["dbInstanceId", "instanceId"],
  [RDS_READ_ONLY_INSTANCE]: ["masterDbInstanceId"],
};

/** The types the one-line protection covers by default. */
export const PROTECTED_RDS_TYPES: readonly string[] = Object.keys(INSTANCE_OF);

/** Whether this package knows where a type names its instance. */
export function isKnownRdsType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(INSTANCE_OF, type);
}

/**
 * The instance a hook's resource lives in, by the table above; undefined when the type is not
 * in it or the value is not a non-empty string (a secret or an unknown is not an id).
 */
export function defaultInstanceOf(args: pulumi.ResourceHookArgs): string | undefined {
  if (!isKnownRdsType(args.type)) return undefined;
  const where = INSTANCE_OF[args.type]!;
  if (where === "id") return nonEmpty(args.id);
  for (const key of where) {
    const value = nonEmpty(args.oldInputs?.[key]) ?? nonEmpty(args.oldOutputs?.[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
